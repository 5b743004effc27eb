"""Evidence on disk: WARC files under the workspace's evidence folder.

Imported WARC/ARC files are kept verbatim, named by their SHA-256 (content-addressed),
and captures point at their records. Everything else (HTML files, ad rows, crawls) is
written by :class:`EvidenceWriter` as one gzip member per WARC record, so each record
can be read back alone from its offset and length.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from netpatrol import __version__
from netpatrol.errors import EvidenceError, brief, display
from netpatrol.model import Capture, EvidenceRef

SOURCES_DIR = "sources"
WRITTEN_DIR = "warc"
SANITIZED = ".sanitized"
# record_type of a capture whose bytes were never kept: its evidence is a record of hashes.
QUARANTINED = "quarantined"
COPY_CHUNK = 4 << 20
READ_ONLY = 0o444


def sha256_of_file(path: Path, on_progress: Callable[[int], None] = lambda _done: None) -> str:
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(COPY_CHUNK), b""):
            digest.update(chunk)
            done += len(chunk)
            on_progress(done)
    return digest.hexdigest()


def preserve_source(
    evidence_dir: Path,
    path: Path,
    on_progress: Callable[[int], None] = lambda _done: None,
    sha: str | None = None,
) -> tuple[str, str]:
    """Copy a source file into the evidence folder once; return (sha256, relative path).

    The copy is made under a temporary name and renamed into place only when complete,
    so a crash never leaves a partial file under its final name. ``sha``: the file's
    SHA-256 when the caller has it already (one read less).
    """
    sha = sha or sha256_of_file(path, on_progress)
    target_dir = evidence_dir / SOURCES_DIR
    name = f"{sha}{_archive_suffix(path)}"
    final = target_dir / name
    if not final.exists():
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            partial = target_dir / f".partial-{uuid.uuid4().hex}"
            shutil.copyfile(path, partial)  # kernel-side copy (sendfile) where available
            with partial.open("rb+") as handle:
                os.fsync(handle.fileno())
            partial.chmod(READ_ONLY)
            partial.replace(final)
        except OSError as exc:
            raise EvidenceError(f"{target_dir}: cannot write evidence: {exc.strerror}") from None
    return sha, f"{SOURCES_DIR}/{name}"


def sanitized_file(sha256: str, suffix: str) -> str:
    """Where the sanitized copy of an archive goes (quarantined records replaced by their
    hashes, see ``collect.sanitize``): named by its own SHA-256, like the verbatim copies.

    The source row keeps the original's SHA-256 (what was received) and points at this
    file, so the row records both digests without a column of its own.
    """
    return f"{SOURCES_DIR}/{sha256}{SANITIZED}{suffix}"


def expected_sha256(evidence_file: str, source_sha256: str) -> str:
    """The digest a kept source file must have: its source's, or for a sanitized copy the
    one in its name (the original is not kept: its bytes held a quarantined image)."""
    name = evidence_file.rsplit("/", 1)[-1]
    digest, _, rest = name.partition(".")
    if f".{rest}".startswith(SANITIZED) and len(digest) == 64:
        return digest
    return source_sha256


def _archive_suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".warc.gz", ".arc.gz", ".warc", ".arc", ".gz"):
        if name.endswith(suffix):
            return suffix
    return ""


def open_evidence_warc(
    path: Path, software: str, warc_version: str | None = None
) -> tuple[BinaryIO, WARCWriter]:
    """A new evidence WARC file (gzip member per record) opened for appending, with its
    warcinfo record written; an unwritable folder is an EvidenceError naming it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("ab")
    except OSError as exc:
        raise EvidenceError(f"{path.parent}: cannot write evidence: {exc.strerror}") from None
    writer = (
        WARCWriter(handle, gzip=True)
        if warc_version is None
        else WARCWriter(handle, gzip=True, warc_version=warc_version)
    )
    info = {"software": software, "format": "WARC/1.1"}
    writer.write_record(writer.create_warcinfo_record(path.name, info))
    return handle, writer


class EvidenceFile:
    """One new WARC file of this run under the evidence folder (``relative`` to it), opened
    on first write, made durable by ``sync`` and read-only by ``close``."""

    software = f"netpatrol/{__version__}"
    warc_version: str | None = None

    def __init__(self, evidence_dir: Path, relative: str) -> None:
        self.relative = relative
        self.path = evidence_dir / relative
        self._handle: BinaryIO | None = None
        self._writer: WARCWriter | None = None

    def _open(self) -> tuple[BinaryIO, WARCWriter]:
        if self._handle is None or self._writer is None:
            self._handle, self._writer = open_evidence_warc(
                self.path, self.software, self.warc_version
            )
        return self._handle, self._writer

    def sync(self) -> None:
        """Make written records durable before the database points at them."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        if self._handle is not None:
            self.sync()
            self._handle.close()
            self._handle = None
            self._writer = None
            self.path.chmod(READ_ONLY)  # evidence is not edited after the run


class EvidenceWriter(EvidenceFile):
    """Appends WARC records, one gzip member each, to a new file of this run."""

    def __init__(self, evidence_dir: Path) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        name = f"{WRITTEN_DIR}/netpatrol-{stamp}-{uuid.uuid4().hex[:8]}.warc.gz"
        super().__init__(evidence_dir, name)

    def write(self, capture: Capture) -> EvidenceRef:
        """Write the capture as a WARC record and return where it is."""
        handle, writer = self._open()
        record = _record_for(writer, capture)
        start = handle.tell()
        writer.write_record(record)
        return EvidenceRef(self.relative, start, handle.tell() - start)


def _record_for(writer: WARCWriter, capture: Capture) -> object:
    when = (capture.captured_at or datetime.now(UTC)).astimezone(UTC)
    headers = {
        "WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "WARC-Payload-Digest": f"sha256:{capture.payload_sha256}",
    }
    if capture.meta.get("source_path"):
        headers["WARC-Source-URI"] = "file://" + display(str(capture.meta["source_path"]))
    uri = capture.url or f"urn:sha256:{capture.payload_sha256}"
    if capture.record_type == "response" and capture.http_status is not None:
        http = StatusAndHeaders(
            f"{capture.http_status} OK", capture.http_headers, protocol="HTTP/1.1"
        )
        return writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(capture.payload),
            http_headers=http,
            warc_headers_dict=headers,
        )
    return writer.create_warc_record(
        uri,
        "resource",
        payload=io.BytesIO(capture.payload),
        warc_content_type=capture.content_type or "application/octet-stream",
        warc_headers_dict=headers,
    )


@dataclass(frozen=True)
class StoredRecord:
    """A record read back from evidence."""

    record_type: str
    payload: bytes


def read_record(evidence_dir: Path, ref: EvidenceRef) -> StoredRecord:
    """Read one WARC/ARC record back from its file, offset and length."""
    path = evidence_dir / ref.file
    try:
        with path.open("rb") as handle:
            handle.seek(ref.offset)
            chunk = handle.read(ref.length)
    except FileNotFoundError:
        raise EvidenceError(f"{path}: evidence file is missing") from None
    except OSError as exc:
        raise EvidenceError(f"{path}: cannot read evidence: {exc}") from None
    if len(chunk) != ref.length:
        raise EvidenceError(
            f"{path}: record at byte offset {ref.offset} is cut short "
            f"({len(chunk)} of {ref.length} bytes)"
        )
    _check_gzip_member(path, ref, chunk)
    return _parse_single(path, ref, io.BytesIO(chunk))


def _check_gzip_member(path: Path, ref: EvidenceRef, chunk: bytes) -> None:
    """A damaged gzip member is named as such (warcio would call it an unknown format)."""
    if not chunk.startswith(b"\x1f\x8b"):
        return
    inflater = zlib.decompressobj(wbits=31)
    try:
        inflater.decompress(chunk)
    except zlib.error as exc:
        raise EvidenceError(
            f"{path}: record at byte offset {ref.offset} is corrupted (gzip: {exc})"
        ) from None
    if not inflater.eof:
        raise EvidenceError(f"{path}: record at byte offset {ref.offset} is cut short (gzip)")


def _parse_single(path: Path, ref: EvidenceRef, stream: IO[bytes]) -> StoredRecord:
    try:
        for record in _records(stream):
            return StoredRecord(record.rec_type, record.content_stream().read())
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        raise EvidenceError(
            f"{path}: record at byte offset {ref.offset} cannot be read: {brief(exc)}"
        ) from None
    raise EvidenceError(f"{path}: no record at byte offset {ref.offset}")


def _records(stream: IO[bytes]) -> Iterator[Any]:
    yield from ArchiveIterator(stream, arc2warc=True, ensure_http_headers=False)
