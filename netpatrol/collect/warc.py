"""WARC and ARC files (plain or gzip): response, resource and revisit records.

The file is kept verbatim as evidence; each capture points at its record's offset and
length in it. warcio stops silently at a truncated final gzip member, so the importer
checks that every record's block was read in full and that the file ends where the
last record ends.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

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
        try:
            yield from read_with_warcio(ungzipped(source), skip=switch.records_read)
        except InputError as exc:
            raise InputError(
                exc.path,
                f"{exc.reason} (gzipped whole: offset in the decompressed data)",
                offset=exc.offset,
            ) from None


def ungzipped(source: SourceFile) -> SourceFile:
    """A file gzipped whole has no per-record offsets: keep a decompressed copy beside it.

    Records then point into the copy (``<sha256>.warc``); the original stays as received.
    """
    target = source.read_path.with_name(source.read_path.name.removesuffix(".gz") + ".ungz")
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        with source.read_path.open("rb") as src, partial.open("wb") as dst:
            inflate_all(src, dst)
            dst.flush()
            os.fsync(dst.fileno())
        partial.chmod(0o444)  # evidence is read-only, like the original beside it
        partial.replace(target)
    evidence = source.evidence_file
    return replace(
        source,
        read_path=target,
        evidence_file=f"{evidence.removesuffix('.gz')}.ungz" if evidence else None,
    )


def inflate_all(src: BinaryIO, dst: BinaryIO) -> None:
    """Decompress every gzip member; a truncated end keeps what could be read."""
    inflater = zlib.decompressobj(wbits=31)
    while chunk := src.read(1 << 20):
        while chunk:
            try:
                dst.write(inflater.decompress(chunk))
            except zlib.error:
                return  # corrupted: the reader reports the bytes it cannot read
            chunk = inflater.unused_data
            if inflater.eof:
                inflater = zlib.decompressobj(wbits=31)
