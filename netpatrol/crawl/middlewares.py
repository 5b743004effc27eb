"""Downloader middlewares: safety gate, retry backoff, watchdog skip, replay, capture.

Priorities (Scrapy calls process_request from low to high, process_response from high
to low): the gate at 50 runs before robots.txt (100) so no request, robots.txt included,
reaches a refused address; replay at 120 answers from evidence before any download;
capture at 580 sees bodies after HttpCompression (590) decoded them and enforced the
size limit on the decoded size (the gzip bomb), and a second capture at 610 sees
redirects before RedirectMiddleware (600) turns them into new requests.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from datetime import UTC, datetime
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from netpatrol.crawl.context import CrawlContext, context_of, host_of
from netpatrol.crawl.evidence import Exchange
from netpatrol.crawl.safety import RefusedAddress, check_address, check_url
from netpatrol.crawl.sites import registrable_domain
from netpatrol.errors import EvidenceError
from netpatrol.store.evidence import read_record

REPLAYED = "netpatrol_replayed"
MAX_BACKOFF = 60.0


class Refused(IgnoreRequest):
    """A request to an address the crawl may not reach."""


class SkippedDomain(IgnoreRequest):
    """The watchdog gave up on this domain."""


class OverBudget(IgnoreRequest):
    """The site's page budget (--max-pages) is spent: not an error, a limit."""


class _Base:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def context(self) -> CrawlContext:
        return context_of(self.crawler)


class GateMiddleware(_Base):
    """Refuse private addresses, drop skipped domains, wait out retry backoff."""

    async def process_request(self, request: Request) -> None:
        context = self.context
        if context.stats.domain(host_of(request.url)).skipped:
            raise SkippedDomain(f"{host_of(request.url)}: skipped by the watchdog")
        # The budget is spent at download time, not when links are found, so that the
        # scheduler's priorities (focused crawling) decide which pages it buys.
        if not request.url.endswith("/robots.txt") and not request.meta.get("retry_times"):
            site = registrable_domain(request.url)
            if context.stats.fetched[site] >= context.options.max_pages:
                raise OverBudget(f"{site}: --max-pages reached")
            context.stats.fetched[site] += 1
        if not context.options.allow_private and "proxy" not in request.meta:
            try:
                await check_url(request.url)
            except RefusedAddress as exc:
                raise Refused(str(exc)) from None
        retries = int(request.meta.get("retry_times", 0))
        if retries:
            await asyncio.sleep(min(context.options.backoff * 2 ** (retries - 1), MAX_BACKOFF))


class ReplayMiddleware(_Base):
    """Pages a resumed job already captured come back from evidence, not the network."""

    def process_request(self, request: Request) -> Response | None:
        context = self.context
        known = context.job.known.get(request.url)
        if known is None or known.status >= 500 or known.status == 429:
            return None
        try:
            body = read_record(context.evidence_dir, known.evidence).payload
        except EvidenceError:
            return None  # unreadable evidence: fetch it again
        headers = Headers(known.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        context.stats.domain(host_of(request.url)).replayed += 1
        request.meta[REPLAYED] = True
        return cls(url=request.url, status=known.status, headers=headers, body=body,
                   request=request)  # fmt: skip


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return [
        (bytes(name).decode("latin-1"), bytes(value).decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class CaptureMiddleware(_Base):
    """Write each response as evidence, with its request, as it arrives."""

    def wants(self, response: Response) -> bool:
        return not 300 <= response.status < 400

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(REPLAYED) or not self.wants(response):
            return response
        context = self.context
        peer = getattr(response, "ip_address", None)
        if peer is not None and not context.options.allow_private and "proxy" not in request.meta:
            try:
                check_address(ipaddress.ip_address(peer), host_of(response.url))
            except RefusedAddress as exc:  # DNS changed between the check and the connection
                raise Refused(str(exc)) from None
        body = response.body
        exchange = Exchange(
            url=response.url, method=request.method, request_headers=_pairs(request.headers),
            request_body=request.body, status=response.status,
            response_headers=_pairs(response.headers), body=body,
            captured_at=datetime.now(UTC), ip_address=str(peer) if peer is not None else None,
        )  # fmt: skip
        content_type = response.headers.get(b"Content-Type")
        context.sink.add(exchange, content_type.decode("latin-1") if content_type else None)
        stats = context.stats.domain(host_of(response.url))
        stats.pages += 1
        stats.bytes += len(body)
        stats.last_progress = time.monotonic()
        return response


class RedirectCaptureMiddleware(CaptureMiddleware):
    def wants(self, response: Response) -> bool:
        return 300 <= response.status < 400
