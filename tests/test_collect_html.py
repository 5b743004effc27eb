"""HTML importer: sniffing, URL from canonical / og:url / --base-url, gzip pages."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from netpatrol.collect.base import ImportOptions, SourceFile
from netpatrol.collect.html import HtmlImporter, declared_url
from netpatrol.collect.registry import load_registry
from netpatrol.errors import InputError
from netpatrol.model import Capture


def one(path: Path, root: Path | None = None, base_url: str | None = None) -> Capture:
    (item,) = HtmlImporter().records(SourceFile(path, path, root), ImportOptions(base_url=base_url))
    assert isinstance(item, Capture)
    return item


@pytest.mark.parametrize(
    ("head", "score"),
    [
        (b"<!DOCTYPE html><html>", 90),
        (b"\xef\xbb\xbf  <html lang=fr>", 90),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", 60),
        (b"WARC/1.0\r\n", 0),
        (b"title,price\nx,1\n", 0),
    ],
)
def test_sniff(head: bytes, score: int) -> None:
    assert HtmlImporter.sniff(head, Path("x")) == score


def test_canonical_wins_over_og_url_and_base_url(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(
        b'<html><head><meta property="og:url" content="https://og.example.com/p">'
        b'<link rel="canonical" href="https://shop.example.com/p"></head></html>'
    )
    assert one(page, base_url="https://base.example.net/").url == "https://shop.example.com/p"


def test_og_url_when_no_canonical(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(b'<html><head><meta property="og:url" content="https://og.example.com/p">')
    assert one(page).url == "https://og.example.com/p"


def test_relative_canonical_resolves_against_base_url(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(b'<html><head><link rel="canonical" href="/item/9"></head></html>')
    assert one(page, base_url="https://shop.example.com/list/").url == (
        "https://shop.example.com/item/9"
    )
    assert one(page).url is None, "no absolute URL and no --base-url: unknown, not invented"


def test_base_url_plus_path_in_folder(tmp_path: Path) -> None:
    (tmp_path / "ads" / "2015").mkdir(parents=True)
    page = tmp_path / "ads" / "2015" / "annonce 12.htm"
    page.write_bytes(b"<html><body>voiture</body></html>")
    capture = one(page, root=tmp_path / "ads", base_url="https://www.leboncoin.fr")
    assert capture.url == "https://www.leboncoin.fr/2015/annonce%2012.htm"
    assert capture.meta["relative_path"] == "2015/annonce 12.htm"
    assert capture.record_type == "resource" and capture.content_type == "text/html"


def test_gzip_page_is_stored_decompressed(tmp_path: Path) -> None:
    html = b"<html><head><title>t</title></head><body>\xe9t\xe9</body></html>"
    page = tmp_path / "p.html.gz"
    page.write_bytes(gzip.compress(html))
    assert load_registry().detect(page) is HtmlImporter
    assert one(page).payload == html


def test_corrupt_gzip_page_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "p.html.gz"
    page.write_bytes(gzip.compress(b"<html>" + b"x" * 5000)[:40])
    with pytest.raises(InputError, match=r"p\.html\.gz: gzip data is corrupted or truncated"):
        one(page)


def test_declared_url_ignores_empty_values() -> None:
    assert declared_url(b'<link rel="canonical" href="  ">') is None
