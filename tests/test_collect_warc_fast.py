"""The fast gzip reader gives exactly what warcio gives, and hands over what it does not do."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from helpers import html_page, write_warc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from netpatrol.collect.base import SourceFile
from netpatrol.collect.warc import _read_records
from netpatrol.collect.warc_fast import read_fast
from netpatrol.collect.warc_records import Item, read_with_warcio


def comparable(items: list[Item]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for capture, request in items:
        if capture is None:
            rows.append(("request", request))
            continue
        rows.append(
            (
                capture.url,
                capture.record_type,
                capture.payload_sha256,
                capture.http_status,
                capture.content_type,
                tuple(capture.http_headers),
                capture.captured_at,
                capture.warc_record_id,
                capture.declared_digest,
                capture.evidence,
                tuple(sorted(capture.meta.items())),
            )
        )
    return rows


def both(path: Path) -> tuple[list[Item], list[Item]]:
    source = SourceFile(path, path, evidence_file="sources/x")
    return list(_read_records(source)), list(read_with_warcio(source))


def record(writer: WARCWriter, url: str, body: bytes, headers: list[tuple[str, str]]) -> None:
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    )


def test_plain_records_match_warcio(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    write_warc(path, [(f"https://a.example/{i}", html_page(f"P{i}")) for i in range(20)])
    fast, reference = both(path)
    assert comparable(fast) == comparable(reference)
    assert len(fast) == 40  # 20 responses, 20 requests


def test_compressed_and_chunked_bodies_are_decoded_like_warcio(tmp_path: Path) -> None:
    body = html_page("gzip body", "x" * 3000)
    chunked = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    path = tmp_path / "a.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        record(
            writer,
            "https://a.example/gz",
            gzip.compress(body),
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        )
        record(
            writer,
            "https://a.example/chunked",
            chunked,
            [("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")],
        )
        record(writer, "https://a.example/plain", b"plain", [("Content-Type", "text/plain")])
    fast, reference = both(path)
    assert comparable(fast) == comparable(reference)
    captures = [c for c, _ in fast if c is not None]
    assert [c.payload for c in captures] == [body, b"hello world", b"plain"]


def test_whole_file_gzip_is_read_from_a_decompressed_copy(tmp_path: Path) -> None:
    plain = tmp_path / "a.warc"
    pages = [(f"https://a.example/{i}", html_page(f"P{i}")) for i in range(5)]
    write_warc(plain, pages, gzip=False)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    items = list(_read_records(SourceFile(path, path, evidence_file="sources/whole.warc.gz")))
    reference = list(
        read_with_warcio(SourceFile(plain, plain, evidence_file="sources/whole.warc.ungz"))
    )
    assert comparable(items) == comparable(reference)
    assert (tmp_path / "whole.warc.ungz").read_bytes() == plain.read_bytes()
    captures = [c for c, _ in items if c is not None]
    assert [c.payload for c in captures] == [body for _, body in pages]


def test_header_continuation_lines_fall_back(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        record(
            writer,
            "https://a.example/",
            b"body",
            [("Content-Type", "text/html"), ("X-Long", "first\r\n\tsecond")],
        )
    fast, reference = both(path)
    assert comparable(fast) == comparable(reference)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    bodies=st.lists(st.binary(min_size=0, max_size=3000), min_size=1, max_size=6),
    status=st.sampled_from(["200 OK", "404 Not Found", "301 Moved Permanently"]),
)
def test_any_bodies_match_warcio(tmp_path: Path, bodies: list[bytes], status: str) -> None:
    path = tmp_path / "h.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i, body in enumerate(bodies):
            http = StatusAndHeaders(
                status, [("Content-Type", "application/octet-stream")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"https://h.example/{i}",
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=http,
                )
            )
    source = SourceFile(path, path, evidence_file="e")
    assert comparable(list(read_fast(source))) == comparable(list(read_with_warcio(source)))


def test_server_address_is_kept_in_meta_by_both_readers(tmp_path: Path) -> None:
    """WARC-IP-Address of a response: the Link stage joins sites hosted on one address."""
    path = tmp_path / "a.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i, address in enumerate(("203.0.113.7", None)):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            response = writer.create_warc_record(
                f"https://a.example/{i}", "response", payload=io.BytesIO(b"<p>x</p>"),
                http_headers=http,
            )  # fmt: skip
            if address:
                response.rec_headers.add_header("WARC-IP-Address", address)
            writer.write_record(response)
    fast, reference = both(path)
    assert comparable(fast) == comparable(reference)
    captures = [c for c, _ in fast if c is not None]
    assert captures[0].meta == {"ip_address": "203.0.113.7"}
    assert captures[1].meta == {}
