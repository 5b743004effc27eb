"""Sanitized copies of web archives that hold quarantined images.

When the workspace has a sensitive hash bank, ``ingest`` screens a WARC/ARC file before
anything of it reaches the evidence folder:

1. :func:`screen_archive` reads every record once with the importer's own readers (same
   records, same offsets) and hashes and matches each image payload
   (``media.quarantine.Screener``). Cost: one more read and parse of the file beside the
   import's own, plus hashing its images: MD5/SHA-256 only while the sensitive banks are
   of exact kinds, a decode + PDQ + pHash per image once one is perceptual.
2. Nothing quarantined and the file read to its end: the verbatim copy is kept, exactly as
   in a workspace without sensitive banks. Otherwise :func:`write_sanitized` writes a copy
   where each quarantined record is replaced by a record of its hashes, every other byte
   being the original's; captures then point into the copy.

Layouts. One gzip member per record (the usual WARC): the copy is the original's members
with the replacements as members of their own. Uncompressed WARC or ARC: the same,
uncompressed. Gzipped whole (and gzipped ARC): offsets exist only in the decompressed
data, so the copy is the decompressed archive, as the import's ``.ungz`` copy would be.

A fault (truncation, corrupted bytes) stops reading where the import itself stops: the
bytes after it cannot be screened, so they are not kept either (the file is reported).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import uuid
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from warcio.warcwriter import WARCWriter

from netpatrol.collect.base import SourceFile
from netpatrol.collect.warc_fast import GZIP_MAGIC, NotPerRecordGzip, read_fast
from netpatrol.collect.warc_records import Item, read_stream_with_warcio, read_with_warcio
from netpatrol.errors import EvidenceError, InputError
from netpatrol.media.quarantine import Quarantined, Screener
from netpatrol.model import Capture, EvidenceRef
from netpatrol.store.evidence import READ_ONLY, SOURCES_DIR, sanitized_file

CHUNK = 1 << 20
# Names the replacement records: the same image in the same record always gets the same
# record id, so a re-run writes a byte-identical copy (same SHA-256, same file).
_NAMESPACE = uuid.UUID("5b0e2a53-6f0c-4c52-9a51-2f4c1d6c7a10")
_ARC_PREFIX = "urn:netpatrol:quarantined:"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # for a record without a date

Stream = IO[bytes] | gzip.GzipFile  # the file, or its decompressed data (gzipped whole)


@dataclass
class Screened:
    """What screening found in one archive; offsets are in the file, or in its
    decompressed data when ``inflated`` (gzipped whole)."""

    inflated: bool = False
    gzip_members: bool = False
    arc: bool = False
    quarantined: list[Quarantined] = field(default_factory=list)
    fault: InputError | None = None
    end: int = 0  # where the last record read ends

    @property
    def cut(self) -> int | None:
        """Where the kept bytes stop (None: the whole file is kept)."""
        if self.fault is None:
            return None
        return self.fault.offset if self.fault.offset is not None else self.end

    @property
    def needs_copy(self) -> bool:
        return bool(self.quarantined) or self.fault is not None

    @property
    def suffix(self) -> str:
        base = ".arc" if self.arc else ".warc"
        return base + ".gz" if self.gzip_members else base


@dataclass(frozen=True)
class Sanitized:
    """The copy written: where, its digest, and where its replacement records start."""

    evidence_file: str
    sha256: str
    replaced: frozenset[int]


def screen_archive(
    path: Path, screener: Screener, on_progress: Callable[[int], None] | None = None
) -> Screened:
    """Every image record of the archive at ``path`` screened; nothing is written."""
    source = SourceFile(path, path, evidence_file="")
    if on_progress is not None:
        source.on_progress = on_progress
    with path.open("rb") as handle:
        head = handle.read(11)
    if head[:2] != GZIP_MAGIC:
        # As ``read_with_warcio`` decides.
        return _screen(read_with_warcio(source), screener, Screened(arc=head == b"filedesc://"))
    try:
        return _screen(read_fast(source), screener, Screened(gzip_members=True))
    except NotPerRecordGzip:
        # Images hashed before the switch are hashed again: rare, and offsets change.
        return _screen_inflated(source, screener)


def _screen(items: Iterator[Item], screener: Screener, screened: Screened) -> Screened:
    try:
        for capture, _ in items:
            if capture is not None:
                _screen_one(capture, screener, screened)
    except InputError as exc:
        screened.fault = exc
    return screened


def _screen_one(capture: Capture, screener: Screener, screened: Screened) -> None:
    assert capture.evidence is not None  # the readers tag every capture
    screened.end = capture.evidence.offset + capture.evidence.length
    entry = screener.screen(capture)
    if entry is not None:
        screened.quarantined.append(entry)


def _screen_inflated(source: SourceFile, screener: Screener) -> Screened:
    path = source.read_path
    with gzip.open(path, "rb") as stream:
        screened = Screened(inflated=True, arc=stream.peek(11)[:11] == b"filedesc://")
        ends: list[int] = []
        total = 0
        try:
            _screen(_keep_end(read_stream_with_warcio(source, stream), ends), screener, screened)
            if screened.fault is None:
                screened.end = ends[0]
                total = _read_to_end(stream)
        except (zlib.error, EOFError, OSError) as exc:
            screened.fault = InputError(path, f"corrupted gzip data: {exc}", offset=screened.end)
            return screened
    if screened.fault is None and total > screened.end and not _padding(path, screened.end):
        screened.fault = InputError(
            path,
            f"truncated or corrupted: {total - screened.end} bytes after the last complete "
            "record cannot be read (offset in the decompressed data)",
            offset=screened.end,
        )
    return screened


def _keep_end(records: Generator[Item, None, int], ends: list[int]) -> Iterator[Item]:
    ends.append((yield from records))


def _read_to_end(stream: Stream) -> int:
    while stream.read(CHUNK):
        pass
    return stream.tell()


def _padding(path: Path, offset: int) -> bool:
    """Whether the decompressed data after ``offset`` is only CR/LF/NUL padding. Decompresses
    the file again: only ever for a file with bytes after its last record."""
    with gzip.open(path, "rb") as stream:
        stream.seek(offset)
        while chunk := stream.read(CHUNK):
            if chunk.strip(b"\r\n\x00"):
                return False
    return True


def write_sanitized(evidence_dir: Path, path: Path, screened: Screened) -> Sanitized:
    """Write the sanitized copy under ``sources/`` and point the quarantined captures at
    their replacement records in it."""
    target_dir = evidence_dir / SOURCES_DIR
    partial = target_dir / f".partial-{uuid.uuid4().hex}"
    digest = hashlib.sha256()
    placed: list[tuple[Capture, int, int]] = []
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        with _open_read(path, screened.inflated) as src, partial.open("wb") as dst:
            written = 0
            for entry in screened.quarantined:  # in file order, as read
                ref = entry.capture.evidence
                assert ref is not None
                written += _copy(src, dst, digest, ref.offset - src.tell())
                record = replacement_record(entry, arc=screened.arc, gzip=screened.gzip_members)
                _write(dst, digest, record)
                placed.append((entry.capture, written, len(record)))
                written += len(record)
                src.seek(ref.offset + ref.length)  # the image bytes are never read into the copy
            cut = screened.cut
            _copy(src, dst, digest, None if cut is None else cut - src.tell())
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        relative = sanitized_file(sha, screened.suffix)
        final = evidence_dir / relative
        if final.exists():  # a re-run: the same bytes are already kept
            partial.unlink()
        else:
            partial.chmod(READ_ONLY)
            partial.replace(final)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise EvidenceError(f"{target_dir}: cannot write evidence: {exc.strerror}") from None
    for capture, offset, length in placed:
        capture.evidence = EvidenceRef(relative, offset, length)
    return Sanitized(relative, sha, frozenset(offset for _, offset, _ in placed))


def _open_read(path: Path, inflated: bool) -> Stream:
    # GzipFile: seek() forward decompresses and discards, which is what skipping needs.
    return gzip.open(path, "rb") if inflated else path.open("rb")


def _copy(src: Stream, dst: IO[bytes], digest: Any, size: int | None) -> int:
    """Copy ``size`` bytes (None: all that is left); returns how many were copied."""
    done = 0
    while size is None or done < size:
        chunk = src.read(CHUNK if size is None else min(CHUNK, size - done))
        if not chunk:
            break
        _write(dst, digest, chunk)
        done += len(chunk)
    return done


def _write(dst: IO[bytes], digest: Any, data: bytes) -> None:
    dst.write(data)
    digest.update(data)


def replacement_record(entry: Quarantined, *, arc: bool, gzip: bool) -> bytes:
    """The record that takes a quarantined record's place: its hashes, as JSON.

    WARC: a ``metadata`` record referring to the original record. ARC has no record types:
    an ARC record whose URL is not http(s), so that no reader takes its body for HTTP.
    """
    body = entry.description_bytes()
    capture = entry.capture
    if arc:
        when = (capture.captured_at or _EPOCH).astimezone(UTC).strftime("%Y%m%d%H%M%S")
        target = _ARC_PREFIX + (capture.url or f"sha256:{entry.sha256}").replace(" ", "%20")
        head = f"{target} 0.0.0.0 {when} application/json {len(body)}\n"
        return head.encode() + body + b"\n"
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip, warc_version="WARC/1.1")
    headers = {
        "WARC-Record-ID": _record_id(entry),
        # Not the time of the ingest: the copy must come out the same on every run.
        "WARC-Date": (capture.captured_at or _EPOCH).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if capture.warc_record_id:
        headers["WARC-Refers-To"] = capture.warc_record_id
    record = writer.create_warc_record(
        capture.url or f"urn:sha256:{entry.sha256}",
        "metadata",
        payload=io.BytesIO(body),
        warc_content_type="application/json",
        warc_headers_dict=headers,
    )
    writer.write_record(record)
    return buffer.getvalue()


def _record_id(entry: Quarantined) -> str:
    capture = entry.capture
    seed = "\x1f".join(
        [capture.warc_record_id or "", capture.url or "", entry.sha256, str(capture.captured_at)]
    )
    return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, seed)}>"


__all__ = ["Sanitized", "Screened", "replacement_record", "screen_archive", "write_sanitized"]
