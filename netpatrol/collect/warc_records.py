"""WARC/ARC records -> captures, read with warcio (every layout: plain, gzip, ARC).

Shared by the warcio reader here and the fast gzip reader (``warc_fast``), which hands
over to warcio for any record it does not handle itself.
"""

from __future__ import annotations

import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from gzip import GzipFile
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from netpatrol.collect.base import SourceFile
from netpatrol.errors import InputError, brief
from netpatrol.model import Capture, EvidenceRef

KEPT_TYPES = {"response", "resource", "revisit"}
PROGRESS_STEP = 1 << 20  # report progress every MiB, not every record

Headers = list[tuple[str, str]]
# (capture, None) for a kept record; (None, (response record id, request headers)) for a
# request record, so the importer can pair it with its response.
Item = tuple[Capture, None] | tuple[None, tuple[str, Headers]]


@dataclass(frozen=True)
class HttpHead:
    """Status or request line and headers of the HTTP message inside a record."""

    protocol: str
    statusline: str
    headers: Headers

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def build_item(
    kind: str | None, warc: dict[str, str], http: HttpHead | None, payload: bytes | None
) -> Capture | tuple[str, Headers] | None:
    """The capture (or request headers) for one record; None for records not kept.

    ``warc`` has lower-cased WARC header names; ``payload`` is the decoded HTTP body or
    the resource block.
    """
    if kind == "request":
        target = warc.get("warc-concurrent-to")
        if target and http is not None:
            return target, [(":request", f"{http.protocol} {http.statusline}"), *http.headers]
        return None
    if kind not in KEPT_TYPES or payload is None:
        return None
    status: int | None = None
    content_type = warc.get("content-type") if kind == "resource" else None
    if http is not None:
        if kind != "resource":
            status = _status_code(http.statusline)
        content_type = http.header("Content-Type") or content_type
    meta = _revisit_meta(warc) if kind == "revisit" else {}
    address = warc.get("warc-ip-address")
    if address:
        meta["ip_address"] = address.strip()  # the server's: the Link stage joins sites by it
    return Capture(
        url=warc.get("warc-target-uri"),
        record_type=kind,  # type: ignore[arg-type]
        payload=payload,
        captured_at=parse_date(warc.get("warc-date")),
        content_type=content_type,
        http_status=status,
        http_headers=list(http.headers) if http is not None else [],
        warc_record_id=warc.get("warc-record-id"),
        declared_digest=warc.get("warc-payload-digest"),
        meta=meta,
    )


def from_warcio(record: Any) -> Capture | tuple[str, Headers] | None:
    """Convert a warcio record, reading its payload (decoded as warcio decodes it)."""
    kind = record.rec_type
    # One pass over the headers: warcio's get_header scans and lower-cases every time.
    warc = {name.lower(): value for name, value in record.rec_headers.headers}
    raw_http = record.http_headers
    http = (
        HttpHead(raw_http.protocol, raw_http.statusline, list(raw_http.headers))
        if raw_http is not None
        else None
    )
    payload = record.content_stream().read() if kind in KEPT_TYPES else None
    return build_item(kind, warc, http, payload)


# warcio fails on odd input with these too (a header cut short, a missing field).
_PARSE_ERRORS = (OSError, EOFError, ValueError, AttributeError, TypeError, IndexError, KeyError)


def read_with_warcio(source: SourceFile, skip: int = 0) -> Iterator[Item]:
    """Every record of the file through warcio, checked for truncation warcio misses.

    ``skip`` leaves out the first records (already read by the fast reader).
    """
    path = source.read_path
    size = path.stat().st_size
    with path.open("rb") as handle:
        arc = handle.read(11) == b"filedesc://"
        handle.seek(0)
        end = yield from _records(
            source, ArchiveIterator(handle, arc2warc=arc, ensure_http_headers=False), arc, skip
        )
    source.on_progress(end)
    check_tail(source, end, size)


def read_stream_with_warcio(
    source: SourceFile, stream: IO[bytes] | GzipFile
) -> Generator[Item, None, int]:
    """Every record of an open stream read front to back (a decompressing one: offsets are
    in its bytes); returns where the last record ends, the tail being the caller's."""
    arc = _peek(stream, 11) == b"filedesc://"
    iterator = ArchiveIterator(stream, arc2warc=arc, ensure_http_headers=False)
    return (yield from _records(source, iterator, arc, 0))


def _peek(stream: IO[bytes] | GzipFile, size: int) -> bytes:
    peek = getattr(stream, "peek", None)
    return bytes(peek(size)[:size]) if callable(peek) else b""


def _records(source: SourceFile, iterator: Any, arc: bool, skip: int) -> Generator[Item, None, int]:
    end = reported = seen = 0
    try:
        for record in iterator:
            check_header(record, source, iterator.offset, arc)
            item = from_warcio(record)  # reads the payload: must come before offsets
            iterator.read_to_end()
            offset = iterator.get_record_offset()
            check_complete(iterator, record, source, offset)
            length = iterator.get_record_length()
            end = offset + length
            if end - reported >= PROGRESS_STEP:
                source.on_progress(end)
                reported = end
            seen += 1
            if item is not None and seen > skip:
                yield tag(item, source, offset, length)
    except ArchiveLoadFailed as exc:
        raise InputError(
            source.path, f"not a valid WARC/ARC record: {brief(exc)}", offset=_at(iterator, end)
        ) from None
    except _PARSE_ERRORS as exc:
        raise InputError(
            source.path, f"corrupted data: {brief(exc)}", offset=_at(iterator, end)
        ) from None
    return end


def _at(iterator: Any, end: int) -> int:
    """Where the record being read starts (after blank lines), else the last end."""
    offset = getattr(iterator, "offset", None)
    return offset if isinstance(offset, int) and offset >= end else end


def read_member_with_warcio(
    source: SourceFile, raw: bytes, offset: int
) -> Capture | tuple[str, Headers] | None:
    """One gzip member (one record) through warcio: the fast reader's fallback."""
    iterator = ArchiveIterator(io.BytesIO(raw), arc2warc=False, ensure_http_headers=False)
    try:
        for record in iterator:
            check_header(record, source, offset, arc=False)
            item = from_warcio(record)
            iterator.read_to_end()
            check_complete(iterator, record, source, offset)
            return item
    except ArchiveLoadFailed as exc:
        raise InputError(
            source.path, f"not a valid WARC record: {brief(exc)}", offset=offset
        ) from None
    except _PARSE_ERRORS as exc:
        raise InputError(source.path, f"corrupted data: {brief(exc)}", offset=offset) from None
    return None


def check_header(record: Any, source: SourceFile, offset: int, arc: bool) -> None:
    """Refuse what warcio would read on regardless: a record of the other format (a stray
    line taken for an ARC header), a Content-Length that is not a number of bytes."""
    if not arc and record.format != "warc":
        raise InputError(
            source.path, "not a WARC record (stray data between records)", offset=offset
        )
    if arc:
        return
    declared = record.rec_headers.get_header("Content-Length")
    if declared is None or not declared.strip().isdigit():
        raise InputError(
            source.path, f"Content-Length {declared!r} is not a number of bytes", offset=offset
        )


def tag(item: Capture | tuple[str, Headers], source: SourceFile, offset: int, length: int) -> Item:
    if isinstance(item, Capture):
        item.evidence = EvidenceRef(source.evidence_file or "", offset, length)
        return item, None
    return None, item


def check_complete(iterator: Any, record: Any, source: SourceFile, offset: int) -> None:
    """Raise when the record just read is cut short (warcio itself says nothing)."""
    if record.rec_type is None:
        raise InputError(source.path, "record header is truncated or unreadable", offset=offset)
    remaining = getattr(record.raw_stream, "limit", 0)
    if remaining:
        raise InputError(
            source.path,
            f"record is truncated: {remaining} bytes of its declared length are missing",
            offset=offset,
        )
    decompressor = iterator.reader.decompressor
    if decompressor is not None and not decompressor.eof:
        raise InputError(source.path, "gzip member is truncated (no end of stream)", offset=offset)


def check_tail(source: SourceFile, end: int, size: int) -> None:
    """Bytes after the last complete record are an error, unless only padding."""
    if end < size and not _only_padding(source.read_path, end):
        raise InputError(
            source.path,
            f"truncated or corrupted: {size - end} bytes after the last complete record "
            "cannot be read",
            offset=end,
        )


def _revisit_meta(warc: dict[str, str]) -> dict[str, Any]:
    names = {
        "refers_to": "warc-refers-to",
        "refers_to_uri": "warc-refers-to-target-uri",
        "refers_to_date": "warc-refers-to-date",
        "profile": "warc-profile",
    }
    return {key: warc[name] for key, name in names.items() if warc.get(name)}


def _status_code(text: str | None) -> int | None:
    try:
        return int(str(text)[:3])
    except (TypeError, ValueError):
        return None


def parse_date(text: str | None) -> datetime | None:
    """WARC-Date (ISO 8601) or an ARC 14-digit timestamp, as an aware UTC datetime."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.strptime(text, "%Y%m%d%H%M%S")
        except ValueError:
            return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _only_padding(path: Path, offset: int) -> bool:
    """Trailing CR/LF or zero bytes after the last record are harmless."""
    with path.open("rb") as handle:
        handle.seek(offset)
        rest = handle.read(4096)
    return not rest.strip(b"\r\n\x00")
