"""WARC and ARC files (plain or gzip): response, resource and revisit records.

The file is kept verbatim as evidence; each capture points at its record's offset and
length in it. warcio stops silently at a truncated final gzip member, so the importer
checks that every record's block was read in full and that the file ends where the
last record ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from netpatrol.collect.base import Importer, ImportItem, ImportOptions, SourceFile
from netpatrol.errors import InputError
from netpatrol.model import Capture, EvidenceRef

KEPT_TYPES = {"response", "resource", "revisit"}
PROGRESS_STEP = 1 << 20  # report progress every MiB, not every record


class WarcImporter(Importer):
    description = "WARC/ARC web archives, .warc .warc.gz .arc .arc.gz"
    extensions = (".warc", ".warc.gz", ".arc", ".arc.gz")
    keeps_original = True

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> int:
        start = head.lstrip(b"\r\n")
        if start.startswith(b"WARC/"):
            return 100
        if start.startswith(b"filedesc://"):
            return 100
        return 0

    def records(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
        # A response is held back one record, for the request that may follow it.
        pending_requests: dict[str, list[tuple[str, str]]] = {}
        held: Capture | None = None
        try:
            for capture, request in _read_records(source):
                if capture is None:
                    assert request is not None
                    target, headers = request
                    if held is not None and held.warc_record_id == target:
                        held.request_headers = headers
                    else:
                        pending_requests = {target: headers}
                    continue
                if capture.warc_record_id and capture.warc_record_id in pending_requests:
                    capture.request_headers = pending_requests.pop(capture.warc_record_id)
                if held is not None:
                    yield held
                held = capture
        except InputError:
            if held is not None:  # complete in itself: kept, like all before the fault
                yield held
            raise
        if held is not None:
            yield held


def _read_records(
    source: SourceFile,
) -> Iterator[tuple[Capture, None] | tuple[None, tuple[str, list[tuple[str, str]]]]]:
    """(capture, None) for kept records; (None, (concurrent id, headers)) for requests."""
    path = source.read_path
    size = path.stat().st_size
    end = reported = 0
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle, arc2warc=True, ensure_http_headers=False)
        try:
            for record in iterator:
                item = _convert(record)  # reads the payload: must come before offsets
                iterator.read_to_end()
                offset = iterator.get_record_offset()
                _check_complete(iterator, record, source, offset)
                end = offset + iterator.get_record_length()
                if end - reported >= PROGRESS_STEP:
                    source.on_progress(end)
                    reported = end
                if item is not None:
                    if isinstance(item, Capture):
                        item.evidence = EvidenceRef(
                            source.evidence_file or "", offset, iterator.get_record_length()
                        )
                        yield item, None
                    else:
                        yield None, item
        except ArchiveLoadFailed as exc:
            raise InputError(
                source.path, f"not a valid WARC/ARC record: {_short(exc)}", offset=end
            ) from None
        except (OSError, EOFError, ValueError) as exc:  # zlib/gzip errors are OSError/ValueError
            raise InputError(source.path, f"corrupted data: {_short(exc)}", offset=end) from None
    source.on_progress(end)
    if end < size and not _only_padding(path, end):
        raise InputError(
            source.path,
            f"truncated or corrupted: {size - end} bytes after the last complete record "
            "cannot be read",
            offset=end,
        )


def _convert(record: Any) -> Capture | tuple[str, list[tuple[str, str]]] | None:
    kind = record.rec_type
    # One pass over the headers: warcio's get_header scans and lower-cases every time.
    warc = {name.lower(): value for name, value in record.rec_headers.headers}
    http = record.http_headers
    if kind == "request":
        target = warc.get("warc-concurrent-to")
        if target and http is not None:
            return target, [(":request", f"{http.protocol} {http.statusline}"), *http.headers]
        return None
    if kind not in KEPT_TYPES:
        return None
    payload = record.content_stream().read()
    status: int | None = None
    content_type = warc.get("content-type") if kind == "resource" else None
    http_headers: list[tuple[str, str]] = []
    if http is not None:
        http_headers = list(http.headers)
        if kind != "resource":
            status = _status_code(http.statusline)
        content_type = http.get_header("Content-Type") or content_type
    return Capture(
        url=warc.get("warc-target-uri"),
        record_type=kind,
        payload=payload,
        captured_at=_parse_date(warc.get("warc-date")),
        content_type=content_type,
        http_status=status,
        http_headers=http_headers,
        warc_record_id=warc.get("warc-record-id"),
        declared_digest=warc.get("warc-payload-digest"),
        meta=_revisit_meta(warc) if kind == "revisit" else {},
    )


def _check_complete(iterator: Any, record: Any, source: SourceFile, offset: int) -> None:
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


def _parse_date(text: str | None) -> datetime | None:
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


def _short(exc: BaseException) -> str:
    """The exception text, printable and short: warcio quotes raw binary lines."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(exc))
    return text if len(text) <= 100 else text[:97] + "..."
