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

from netpatrol.collect.base import ImportItem, Importer, ImportOptions, SourceFile
from netpatrol.errors import InputError
from netpatrol.model import Capture, EvidenceRef

KEPT_TYPES = {"response", "resource", "revisit"}


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
        pending_requests: dict[str, list[tuple[str, str]]] = {}
        held: Capture | None = None
        for capture, request in _read_records(source):
            if request is not None:
                target, headers = request
                if held is not None and held.warc_record_id == target:
                    held.request_headers = headers
                else:
                    pending_requests = {target: headers}
                continue
            if capture.warc_record_id in pending_requests:
                capture.request_headers = pending_requests.pop(capture.warc_record_id)
            if held is not None:
                yield held
            held = capture
        if held is not None:
            yield held


def _read_records(
    source: SourceFile,
) -> Iterator[tuple[Capture, None] | tuple[None, tuple[str, list[tuple[str, str]]]]]:
    """(capture, None) for kept records; (None, (concurrent id, headers)) for requests."""
    path = source.read_path
    size = path.stat().st_size
    end = 0
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle, arc2warc=True, ensure_http_headers=False)
        try:
            for record in iterator:
                item = _convert(record)  # reads the payload: must come before offsets
                iterator.read_to_end()
                offset = iterator.get_record_offset()
                _check_complete(iterator, record, source, offset)
                end = offset + iterator.get_record_length()
                source.on_progress(end)
                if item is not None:
                    if isinstance(item, Capture):
                        item.evidence = EvidenceRef(
                            source.evidence_file or "", offset, iterator.get_record_length()
                        )
                        yield item, None
                    else:
                        yield None, item
        except ArchiveLoadFailed as exc:
            raise InputError(source.path, f"not a valid WARC/ARC record: {_short(exc)}",
                             offset=end) from None
        except (OSError, EOFError, ValueError) as exc:  # zlib/gzip errors are OSError/ValueError
            raise InputError(source.path, f"corrupted data: {_short(exc)}", offset=end) from None
    if end < size and not _only_padding(path, end):
        raise InputError(
            source.path,
            f"truncated or corrupted: {size - end} bytes after the last complete record "
            "cannot be read",
            offset=end,
        )


def _convert(record: Any) -> Capture | tuple[str, list[tuple[str, str]]] | None:
    kind = record.rec_type
    headers = record.rec_headers
    if kind == "request":
        target = headers.get_header("WARC-Concurrent-To")
        if target and record.http_headers is not None:
            request_line = record.http_headers.protocol + " " + record.http_headers.statusline
            return target, [(":request", request_line), *record.http_headers.headers]
        return None
    if kind not in KEPT_TYPES:
        return None
    payload = record.content_stream().read()
    http = record.http_headers
    status: int | None = None
    if http is not None and kind in {"response", "revisit"}:
        status = _status_code(http.get_statuscode())
    content_type = (http.get_header("Content-Type") if http is not None else None) or (
        headers.get_header("Content-Type") if kind == "resource" else None
    )
    return Capture(
        url=headers.get_header("WARC-Target-URI"),
        record_type=kind,
        payload=payload,
        captured_at=_parse_date(headers.get_header("WARC-Date")),
        content_type=content_type,
        http_status=status,
        http_headers=list(http.headers) if http is not None else [],
        warc_record_id=headers.get_header("WARC-Record-ID"),
        declared_digest=headers.get_header("WARC-Payload-Digest"),
        meta=_revisit_meta(headers) if kind == "revisit" else {},
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
        raise InputError(source.path, "gzip member is truncated (no end of stream)",
                         offset=offset)


def _revisit_meta(headers: Any) -> dict[str, Any]:
    meta = {
        "refers_to": headers.get_header("WARC-Refers-To"),
        "refers_to_uri": headers.get_header("WARC-Refers-To-Target-URI"),
        "refers_to_date": headers.get_header("WARC-Refers-To-Date"),
        "profile": headers.get_header("WARC-Profile"),
    }
    return {k: v for k, v in meta.items() if v}


def _status_code(text: str | None) -> int | None:
    try:
        return int(str(text)[:3])
    except (TypeError, ValueError):
        return None


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y%m%d%H%M%S"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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
