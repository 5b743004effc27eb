"""Builders of test inputs: HTML pages and WARC files the tests write themselves."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from netpatrol.extract.page import extract_page
from netpatrol.model import EvidenceRef
from netpatrol.store.evidence import read_record


def html_page(title: str, body: str = "", canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{link}"
        f"</head><body><h1>{title}</h1><p>{body}</p></body></html>"
    ).encode()


def write_warc(
    path: Path,
    pages: Iterable[tuple[str, bytes]],
    *,
    gzip: bool = True,
    with_requests: bool = True,
) -> list[bytes]:
    """A WARC of response records (and their request records); returns the payloads."""
    payloads: list[bytes] = []
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for url, body in pages:
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http
            )
            writer.write_record(record)
            payloads.append(body)
            if with_requests:
                request = writer.create_warc_record(
                    url,
                    "request",
                    http_headers=StatusAndHeaders(
                        f"GET {url} HTTP/1.1",
                        [("User-Agent", "netpatrol-test")],
                        is_http_request=True,
                    ),
                )
                request.rec_headers.add_header(
                    "WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID")
                )
                writer.write_record(request)
    return payloads


def stored_ads(workspace: Path) -> list[dict[str, Any]]:
    """Payloads of the workspace's captures, read back from their WARC evidence."""
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        rows = db.execute(
            "SELECT evidence_file, evidence_offset, evidence_length FROM captures ORDER BY id"
        ).fetchall()
    return [
        json.loads(read_record(workspace / "evidence", EvidenceRef(*row)).payload) for row in rows
    ]


def product_page(body: str, head: str = "") -> bytes:
    """A product page around ``body``: a title, navigation, a heading and a description."""
    return (
        f"<html><head><title>Garmin Forerunner 255</title>{head}</head><body>"
        "<nav>Home | Watches</nav><h1>Garmin Forerunner 255</h1>"
        f"{body}<p>Multi-band GPS running watch, 14 days of battery.</p></body></html>"
    ).encode()


def shown_price(body: str, url: str, head: str = "") -> tuple[float | None, str | None]:
    """(price, currency) of the one listing a product page around ``body`` gives."""
    (listing,) = extract_page(product_page(body, head), url)
    return listing.price, listing.currency
