"""WARC/ARC importer: records, request pairing, revisits and every kind of truncation."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from helpers import html_page, write_warc
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from netpatrol.collect.base import ImportOptions, SourceFile
from netpatrol.collect.registry import load_registry, read_head
from netpatrol.collect.warc import WarcImporter
from netpatrol.errors import InputError
from netpatrol.model import Capture


def read_all(path: Path) -> list[Capture]:
    source = SourceFile(path, path, evidence_file="sources/x.warc.gz")
    return [c for c in WarcImporter().records(source, ImportOptions()) if isinstance(c, Capture)]


def pages(n: int) -> list[tuple[str, bytes]]:
    return [(f"https://shop{i % 3}.example.org/item/{i}", html_page(f"Item {i}")) for i in range(n)]


@pytest.mark.parametrize("gzip_records", [True, False])
def test_response_records_carry_payload_headers_and_offsets(
    tmp_path: Path, gzip_records: bool
) -> None:
    path = tmp_path / ("a.warc.gz" if gzip_records else "a.warc")
    payloads = write_warc(path, pages(5), gzip=gzip_records)
    captures = read_all(path)
    assert [c.payload for c in captures] == payloads
    first = captures[0]
    assert first.url == "https://shop0.example.org/item/0"
    assert first.record_type == "response"
    assert first.http_status == 200
    assert first.content_type == "text/html; charset=utf-8"
    assert first.captured_at is not None and first.captured_at.tzinfo is not None
    assert first.evidence is not None and first.evidence.offset == 0
    assert all(c.evidence is not None and c.evidence.length > 0 for c in captures)
    offsets = [c.evidence.offset for c in captures if c.evidence]
    assert offsets == sorted(offsets) and len(set(offsets)) == 5


def test_request_headers_are_paired_with_their_response(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    write_warc(path, pages(3))
    captures = read_all(path)
    assert len(captures) == 3
    for capture in captures:
        assert capture.request_headers[0] == (":request", f"GET {capture.url} HTTP/1.1")
        assert ("User-Agent", "netpatrol-test") in capture.request_headers


def test_request_before_response_is_paired_too(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        response = writer.create_warc_record(
            "https://a.example/",
            "response",
            payload=io.BytesIO(b"<html></html>"),
            http_headers=http,
        )
        request = writer.create_warc_record(
            "https://a.example/",
            "request",
            http_headers=StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "a.example")], is_http_request=True
            ),
        )
        request.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        writer.write_record(request)
        writer.write_record(response)
    (capture,) = read_all(path)
    assert ("Host", "a.example") in capture.request_headers


def test_resource_and_revisit_records(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(
            writer.create_warc_record(
                "file:///export/ads.json",
                "resource",
                payload=io.BytesIO(b'{"a": 1}'),
                warc_content_type="application/json",
            )
        )
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        original = writer.create_warc_record(
            "https://a.example/",
            "response",
            payload=io.BytesIO(b"<html>same</html>"),
            http_headers=http,
        )
        writer.write_record(original)
        revisit = writer.create_revisit_record(
            "https://a.example/",
            original.rec_headers.get_header("WARC-Payload-Digest"),
            "https://a.example/",
            original.rec_headers.get_header("WARC-Date"),
            http_headers=http,
        )
        writer.write_record(revisit)
    resource, response, revisit_capture = read_all(path)
    assert resource.record_type == "resource"
    assert resource.content_type == "application/json"
    assert resource.payload == b'{"a": 1}'
    assert revisit_capture.record_type == "revisit"
    assert revisit_capture.declared_digest == response.declared_digest
    assert revisit_capture.meta["refers_to_uri"] == "https://a.example/"


def arc_file(records: list[tuple[str, bytes]]) -> bytes:
    header_body = b"1 0 netpatrol-test\nURL IP-address Archive-date Content-type Archive-length\n"
    out = b"filedesc://test.arc 0.0.0.0 20050614070159 text/plain %d\n" % len(header_body)
    out += header_body + b"\n"
    for url, body in records:
        block = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
        out += b"%s 192.0.2.1 20050614070159 text/html %d\n" % (url.encode(), len(block))
        out += block + b"\n"
    return out


def test_arc_files_plain_and_gzip(tmp_path: Path) -> None:
    data = arc_file(
        [("http://old.example/a", b"<html>a</html>"), ("http://old.example/b", b"<html>b</html>")]
    )
    plain = tmp_path / "old.arc"
    plain.write_bytes(data)
    captures = read_all(plain)
    assert [c.url for c in captures] == ["http://old.example/a", "http://old.example/b"]
    assert [c.payload for c in captures] == [b"<html>a</html>", b"<html>b</html>"]
    assert captures[0].captured_at is not None and captures[0].captured_at.year == 2005
    assert load_registry().detect(plain) is WarcImporter


def test_sniffing_is_by_content_not_extension(tmp_path: Path) -> None:
    disguised = tmp_path / "capture.bin"
    write_warc(disguised, pages(1))
    assert load_registry().detect(disguised) is WarcImporter
    assert read_head(disguised).startswith(b"WARC/1")


def truncated(tmp_path: Path, cut: int, name: str = "t.warc.gz") -> Path:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, pages(10), with_requests=False)
    data = whole.read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) - cut])
    return path


@pytest.mark.parametrize(
    ("cut", "reason"),
    [
        (4, "gzip member is truncated (no end of stream)"),
        (60, "gzip member is truncated (no end of stream)"),
        (200, "gzip member is truncated (no end of stream)"),
    ],
)
def test_truncated_final_member_keeps_earlier_records_and_names_offset(
    tmp_path: Path, cut: int, reason: str
) -> None:
    path = truncated(tmp_path, cut)
    source = SourceFile(path, path)
    kept: list[Capture] = []
    with pytest.raises(InputError) as caught:
        for item in WarcImporter().records(source, ImportOptions()):
            assert isinstance(item, Capture)
            kept.append(item)
    error = caught.value
    assert len(kept) == 9, "every record before the fault is kept"
    assert error.path == str(path)
    assert error.offset is not None and error.offset > 0
    assert reason in error.reason
    assert kept[-1].evidence is not None
    assert error.offset >= kept[-1].evidence.offset + kept[-1].evidence.length


def test_final_record_cut_inside_its_header(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, pages(3), with_requests=False)
    last = read_all(whole)[-1].evidence
    assert last is not None
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole.read_bytes()[: last.offset + 60])
    with pytest.raises(InputError) as caught:
        list(WarcImporter().records(SourceFile(path, path), ImportOptions()))
    assert caught.value.offset == last.offset
    assert (
        caught.value.reason
        in {
            "record header is truncated or unreadable",
            "gzip member is truncated (no end of stream)",
        }
        or "cannot be read" in caught.value.reason
    )


def test_corrupted_bytes_in_the_middle(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, pages(10), with_requests=False)
    data = bytearray(whole.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 8] = b"\xff" * 8
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(bytes(data))
    kept: list[Capture] = []
    with pytest.raises(InputError) as caught:
        for item in WarcImporter().records(SourceFile(path, path), ImportOptions()):
            assert isinstance(item, Capture)
            kept.append(item)
    assert 0 < len(kept) < 10
    assert caught.value.offset is not None
    assert str(path) in str(caught.value)


def test_uncompressed_truncation(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, pages(4), gzip=False, with_requests=False)
    data = whole.read_bytes()
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:-50])
    with pytest.raises(InputError, match="record is truncated"):
        list(WarcImporter().records(SourceFile(path, path), ImportOptions()))


def test_gzip_of_a_whole_warc_is_read(tmp_path: Path) -> None:
    """Some tools gzip the whole file at once instead of one member per record."""
    plain = tmp_path / "a.warc"
    write_warc(plain, pages(3), gzip=False, with_requests=False)
    path = tmp_path / "a.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    assert load_registry().detect(path) is WarcImporter
