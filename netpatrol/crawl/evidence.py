"""Crawled exchanges as WARC evidence: a request record and a response record each.

Same file conventions as :class:`netpatrol.store.evidence.EvidenceWriter` (one gzip
member per record under ``evidence/warc/``), so ``read_record`` and ``verify`` read them
back. The response payload is the body as Scrapy hands it over, i.e. after content
decoding (gzip, br); the original ``Content-Encoding`` is kept in a
``X-Netpatrol-Original-Content-Encoding`` header so that the stored headers describe the
stored bytes (a reader would otherwise try to gunzip plain HTML). A page rendered in
chromium (``js=1`` seeds) stores the rendered DOM, marked by a ``WARC-Netpatrol-Rendered``
field and an ``X-Netpatrol-Rendered`` HTTP header.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from netpatrol import __version__
from netpatrol.crawl.browser import RENDERED_WARC
from netpatrol.model import EvidenceRef
from netpatrol.store.evidence import WRITTEN_DIR, EvidenceFile

_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass
class Exchange:
    """One request and the response it got, as the crawler saw them."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    captured_at: datetime
    ip_address: str | None = None
    rendered: str | None = None  # "chromium VERSION": the body is the DOM after scripts ran


def stored_headers(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    """Response headers that describe the decoded body actually stored."""
    kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED]
    for name, value in headers:
        if name.lower() == "content-encoding":
            kept.append(("X-Netpatrol-Original-Content-Encoding", value))
    kept.append(("Content-Length", str(len(body))))
    return kept


class CrawlWarcWriter(EvidenceFile):
    """Appends request/response pairs to one WARC file of this crawl run."""

    software = f"netpatrol/{__version__} (Scrapy crawl)"
    warc_version = "WARC/1.1"

    def __init__(self, evidence_dir: Path, tag: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        name = f"{WRITTEN_DIR}/netpatrol-crawl-{stamp}-{tag}-{uuid.uuid4().hex[:6]}.warc.gz"
        super().__init__(evidence_dir, name)

    def write(self, exchange: Exchange) -> EvidenceRef:
        """Write the response then its request; return where the response record is."""
        handle, writer = self._open()
        when = exchange.captured_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        digest = "sha256:" + hashlib.sha256(exchange.body).hexdigest()
        warc_headers = {"WARC-Date": when, "WARC-Payload-Digest": digest}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        if exchange.rendered:
            warc_headers[RENDERED_WARC] = exchange.rendered
        reason = _reason(exchange.status)
        http = StatusAndHeaders(
            f"{exchange.status} {reason}",
            stored_headers(exchange.response_headers, exchange.body),
            protocol="HTTP/1.1",
        )
        response = writer.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body),
            http_headers=http, warc_headers_dict=warc_headers,
        )  # fmt: skip
        start = handle.tell()
        writer.write_record(response)
        ref = EvidenceRef(self.relative, start, handle.tell() - start)
        writer.write_record(self._request_record(writer, exchange, when, response))
        return ref

    @staticmethod
    def _request_record(
        writer: WARCWriter, exchange: Exchange, when: str, response: object
    ) -> object:
        parts = urlsplit(exchange.url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        headers = list(exchange.request_headers)
        if not any(k.lower() == "host" for k, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        http = StatusAndHeaders(
            f"{exchange.method} {target} HTTP/1.1", headers, is_http_request=True
        )
        concurrent = response.rec_headers.get_header("WARC-Record-ID")  # type: ignore[attr-defined]
        return writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(exchange.request_body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": when, "WARC-Concurrent-To": concurrent},
        )  # fmt: skip


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
