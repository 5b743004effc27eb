"""Fast reader for gzip WARC files written one gzip member per record (the usual layout).

warcio parses line by line in Python; here each member is inflated whole and its WARC
and HTTP headers are split with bytes operations. Only the plain case is handled here:
a record with chunked or compressed HTTP bodies, continuation header lines or anything
unusual is handed to warcio (its member bytes alone), and a file that is not gzipped per
record raises :class:`NotPerRecordGzip` so the caller reads it with warcio instead.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from netpatrol.collect.base import SourceFile
from netpatrol.collect.warc_records import (
    KEPT_TYPES,
    PROGRESS_STEP,
    Headers,
    HttpHead,
    Item,
    build_item,
    check_tail,
    read_member_with_warcio,
    tag,
)
from netpatrol.errors import InputError

CHUNK = 1 << 20
FEED = 1 << 14
GZIP_MAGIC = b"\x1f\x8b"
HTTP_VERBS = (
    b"GET",
    b"HEAD",
    b"POST",
    b"PUT",
    b"DELETE",
    b"TRACE",
    b"OPTIONS",
    b"CONNECT",
    b"PATCH",
)


class NotPerRecordGzip(Exception):
    """A gzip member holds more than one record (the whole file was gzipped at once)."""

    def __init__(self, records_read: int) -> None:
        super().__init__(records_read)
        self.records_read = records_read


class _Fallback(Exception):
    """This record is not the plain case: let warcio read it."""


def read_fast(source: SourceFile) -> Iterator[Item]:
    """Every record of a per-record gzip WARC, with its offset and compressed length."""
    path = source.read_path
    size = path.stat().st_size
    end = reported = records = 0
    with path.open("rb") as handle, path.open("rb") as rereader:
        members = _members(handle, source, size)
        while True:
            try:
                offset, length, data = next(members)
            except StopIteration:
                break
            except _TruncatedMember:
                if records == 0:  # perhaps one member for the whole file: warcio's turn
                    raise NotPerRecordGzip(0) from None
                raise
            end = offset + length
            if records == 0 and data.lstrip(b"\r\n").startswith(b"filedesc://"):
                # An ARC (gzipped whole or per record): warcio reads ARC, this reader not.
                raise NotPerRecordGzip(0)
            try:
                item = build_item(*_parse(data))
            except _Fallback:
                rereader.seek(offset)
                item = read_member_with_warcio(source, rereader.read(length), offset)
            except _Crowded:
                raise NotPerRecordGzip(records) from None
            records += 1
            if end - reported >= PROGRESS_STEP:
                source.on_progress(end)
                reported = end
            if item is not None:
                yield tag(item, source, offset, length)
    source.on_progress(end)


class _Crowded(Exception):
    """More data after the record inside one member."""


class _TruncatedMember(InputError):
    """The file ends inside a gzip member."""


def _members(handle: BinaryIO, source: SourceFile, size: int) -> Iterator[tuple[int, int, bytes]]:
    """(offset, compressed length, inflated bytes) of each gzip member, in order."""
    buf, pos, offset = b"", 0, 0  # buf[pos] is the byte at file offset ``offset``
    while True:
        if len(buf) - pos < 64:
            buf, pos = buf[pos:] + handle.read(CHUNK), 0
        if pos >= len(buf):
            return
        if buf[pos : pos + 2] != GZIP_MAGIC:
            check_tail(source, offset, size)  # raises unless it is only padding
            return
        start = offset
        inflater = zlib.decompressobj(wbits=31)
        parts: list[bytes] = []
        while not inflater.eof:
            if pos >= len(buf):
                buf, pos = handle.read(CHUNK), 0
                if not buf:
                    raise _TruncatedMember(
                        source.path, "gzip member is truncated (no end of stream)", offset=start
                    )
            # Small slices: zlib copies whatever follows the member into unused_data.
            piece = memoryview(buf)[pos : pos + FEED]
            try:
                parts.append(inflater.decompress(piece))
            except zlib.error as exc:
                raise InputError(source.path, f"corrupted gzip data: {exc}", offset=start) from None
            used = len(piece) - len(inflater.unused_data)
            pos += used
            offset += used
        yield start, offset - start, b"".join(parts)


def _parse(data: bytes) -> tuple[str | None, dict[str, str], HttpHead | None, bytes | None]:
    """(WARC-Type, WARC headers, HTTP head, payload) of one inflated record."""
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0 or not data.startswith(b"WARC/"):
        raise _Fallback
    warc = dict(_header_pairs(data[:head_end].split(b"\r\n")[1:]))
    declared = warc.get("content-length", "")
    if not declared.isdigit():
        raise _Fallback  # warcio's path names the bad header
    length = int(declared)
    start = head_end + 4
    block = data[start : start + length]
    if len(block) < length:
        raise _Fallback  # warcio names the truncation precisely
    if data[start + length :].strip(b"\r\n"):
        raise _Crowded
    kind = warc.get("warc-type")
    if kind == "resource":
        return kind, warc, None, block
    if kind not in KEPT_TYPES and kind != "request":
        return kind, warc, None, None
    if not warc.get("content-type", "").startswith("application/http"):
        raise _Fallback
    http, body = _split_http(block, request=kind == "request")
    return kind, warc, http, body


def _split_http(block: bytes, request: bool) -> tuple[HttpHead, bytes]:
    http_end = block.find(b"\r\n\r\n")
    if http_end < 0:
        raise _Fallback
    lines = block[:http_end].split(b"\r\n")
    first = lines[0]
    if request:
        if not first.startswith(HTTP_VERBS):
            raise _Fallback
    elif not first.startswith((b"HTTP/1.0", b"HTTP/1.1")):
        raise _Fallback
    protocol, _, status = _decode(first).partition(" ")
    headers: Headers = list(_header_pairs(lines[1:], lower=False))
    for name, value in headers:
        lowered = name.lower()
        if lowered == "content-encoding" or (
            lowered == "transfer-encoding" and value.lower() == "chunked"
        ):
            raise _Fallback  # warcio decodes these bodies; so must we, identically
    return HttpHead(protocol, status.strip(), headers), block[http_end + 4 :]


def _header_pairs(lines: list[bytes], lower: bool = True) -> Iterator[tuple[str, str]]:
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            raise _Fallback  # continuation lines: rare, left to warcio
        name, sep, value = _decode(line).partition(":")
        if sep:
            name = name.rstrip(" \t")
            yield (name.lower() if lower else name), value.strip()


def _decode(raw: bytes) -> str:
    # As warcio: UTF-8, else ISO-8859-1.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")
