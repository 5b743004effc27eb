"""WARC and ARC files (plain or gzip): response, resource and revisit records.

The file is kept verbatim as evidence; each capture points at its record's offset and
length in it. warcio stops silently at a truncated final gzip member, so the importer
checks that every record's block was read in full and that the file ends where the
last record ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from netpatrol.collect.base import Importer, ImportItem, ImportOptions, SourceFile
from netpatrol.collect.warc_fast import GZIP_MAGIC, NotPerRecordGzip, read_fast
from netpatrol.collect.warc_records import Item, read_with_warcio
from netpatrol.errors import InputError
from netpatrol.model import Capture


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


def _read_records(source: SourceFile) -> Iterator[Item]:
    """The fast reader for per-record gzip WARCs, warcio for every other layout."""
    with source.read_path.open("rb") as handle:
        start = handle.read(2)
    if start != GZIP_MAGIC:
        yield from read_with_warcio(source)
        return
    try:
        yield from read_fast(source)
    except NotPerRecordGzip as switch:
        yield from read_with_warcio(source, skip=switch.records_read)
