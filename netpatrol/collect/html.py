"""Saved HTML pages, single files or folders (``.html``, ``.htm``, also gzip).

The page's URL comes from its canonical link or og:url; failing that from ``--base-url``
joined with the file's path inside the folder given; failing that it stays unknown.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from netpatrol.collect.base import Importer, ImportItem, ImportOptions, SourceFile
from netpatrol.errors import InputError, display
from netpatrol.extract.decode import decode_html
from netpatrol.model import Capture

MAX_PAGE_BYTES = 64 * 1024 * 1024
_MARKERS = (b"<html", b"<head", b"<body", b"<!doctype html")


class HtmlImporter(Importer):
    description = "saved web pages, .html .htm (also .gz), files or folders"
    extensions = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> int:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<!doctype html", b"<html")):
            return 90
        # A page that opens with a comment, XML prolog or bare <head>: markup first, and
        # the usual elements soon after (a CSV quoting HTML in a field does not start so).
        if text.startswith(b"<") and any(marker in text[:4096] for marker in _MARKERS):
            return 60
        return 0

    def records(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
        payload = _read_page(source)
        if not payload.strip():
            raise InputError(source.path, "empty file")
        url = page_url(payload, source, options.base_url)
        meta: dict[str, object] = {"source_path": display(source.path)}
        if source.root is not None:
            meta["relative_path"] = display(source.path.relative_to(source.root).as_posix())
        meta["file_modified"] = datetime.fromtimestamp(source.path.stat().st_mtime, UTC).isoformat()
        source.on_progress(source.path.stat().st_size)
        yield Capture(
            url=url,
            record_type="resource",
            payload=payload,
            content_type="text/html",
            meta=meta,
        )


def _read_page(source: SourceFile) -> bytes:
    size = source.read_path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise InputError(source.path, f"page is {size} bytes, more than {MAX_PAGE_BYTES}")
    raw = source.read_path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source.path, f"gzip data is corrupted or truncated: {exc}") from None


def page_url(payload: bytes, source: SourceFile, base_url: str | None) -> str | None:
    """Canonical link, else og:url, else --base-url + path in the folder, else None."""
    declared = declared_url(payload)
    if declared and urlsplit(declared).scheme in {"http", "https"}:
        return declared
    if base_url:
        relative = (
            source.path.relative_to(source.root).as_posix()
            if source.root is not None
            else source.path.name
        )
        if declared:  # a relative canonical link resolves against the base URL
            return urljoin(base_url, declared)
        return urljoin(base_url.rstrip("/") + "/", quote(relative))
    return None


def declared_url(payload: bytes) -> str | None:
    """The URL a page declares for itself: canonical link or og:url."""
    # Decoded as a browser would: a latin-1 page's canonical link keeps its accents.
    tree = LexborHTMLParser(decode_html(payload[:2_000_000]))
    for selector, attribute in (
        ('link[rel="canonical"]', "href"),
        ('meta[property="og:url"]', "content"),
    ):
        node = tree.css_first(selector)
        value = node.attributes.get(attribute) if node is not None else None
        if value and value.strip():
            return value.strip()
    return None
