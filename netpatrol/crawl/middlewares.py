"""Downloader middlewares: safety gate, retry backoff, watchdog skip, replay, capture.

Priorities (Scrapy calls process_request from low to high, process_response from high
to low): the gate at 50 runs before robots.txt (100) so no request, robots.txt included,
reaches a refused address; replay at 120 answers from evidence before any download;
capture at 580 sees bodies after HttpCompression (590) decoded them and enforced the
size limit on the decoded size (the gzip bomb), and a second capture at 610 sees
redirects before RedirectMiddleware (600) turns them into new requests.

The gate also routes each request (``.onion`` through the Tor SOCKS proxy, a seed's
site through its HTTP proxy): robots.txt requests, which the spider never sees, and
redirects to another site are routed like any other.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import time
from datetime import UTC, datetime
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes

from netpatrol.crawl.browser import RENDERED_HEADER, chromium_version
from netpatrol.crawl.context import CrawlContext, context_of, host_of
from netpatrol.crawl.evidence import Exchange
from netpatrol.crawl.recheck import judge
from netpatrol.crawl.safety import RefusedAddress, check_address, check_url
from netpatrol.crawl.sites import registrable_domain
from netpatrol.crawl.socks import SOCKS_META
from netpatrol.errors import EvidenceError
from netpatrol.store.evidence import read_record

REPLAYED = "netpatrol_replayed"
OUTCOME = "netpatrol_outcome"
MAX_BACKOFF = 60.0


class Refused(IgnoreRequest):
    """A request to an address the crawl may not reach."""


class SkippedDomain(IgnoreRequest):
    """The watchdog gave up on this domain."""


class OverBudget(IgnoreRequest):
    """The site's page budget (--max-pages) is spent: not an error, a limit."""


class NeedsTor(IgnoreRequest):
    """An .onion URL and no --tor-proxy: it cannot be reached."""


def via_proxy(request: Request) -> bool:
    """The proxy connects, so the address checks are its business (and no local DNS)."""
    return "proxy" in request.meta or SOCKS_META in request.meta


def target_url(request: Request) -> str:
    """The URL the spider asked for, before any redirect."""
    redirects = request.meta.get("redirect_urls")
    return str(redirects[0]) if redirects else request.url


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
        self.route(request)
        if context.stats.domain(host_of(request.url)).skipped:
            raise SkippedDomain(f"{host_of(request.url)}: skipped by the watchdog")
        # The budget is spent at download time, not when links are found, so that the
        # scheduler's priorities (focused crawling) decide which pages it buys.
        if not request.url.endswith("/robots.txt") and not request.meta.get("retry_times"):
            site = registrable_domain(request.url)
            if context.stats.fetched[site] >= context.options.max_pages:
                raise OverBudget(f"{site}: --max-pages reached")
            context.stats.fetched[site] += 1
        if not context.options.allow_private and not via_proxy(request):
            try:
                await check_url(request.url)
            except RefusedAddress as exc:
                raise Refused(str(exc)) from None
        retries = int(request.meta.get("retry_times", 0))
        if retries:
            await asyncio.sleep(min(context.options.backoff * 2 ** (retries - 1), MAX_BACKOFF))

    def route(self, request: Request) -> None:
        options = self.context.options
        host = host_of(request.url)
        if options.via_socks(host):
            request.meta[SOCKS_META] = options.tor_proxy
            request.meta.pop("proxy", None)
            return
        request.meta.pop(SOCKS_META, None)  # a redirect from .onion to the clearnet
        if host.endswith(".onion"):
            raise NeedsTor(f"{host}: an .onion site needs --tor-proxy")
        proxy = options.proxies.get(registrable_domain(request.url))
        if proxy:
            request.meta["proxy"] = proxy


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


def certificate_sha256(response: object) -> str | None:
    """SHA-256 of the server's TLS certificate (DER), when the response came over TLS."""
    certificate = getattr(response, "certificate", None)
    if certificate is None:
        return None
    try:
        der = certificate.dump()  # twisted's Certificate: ASN.1 DER by default
    except Exception:  # a certificate object of another shape: no fingerprint, no crash
        return None
    return hashlib.sha256(der).hexdigest() if isinstance(der, bytes) else None


class CaptureMiddleware(_Base):
    """Write each response as evidence, with its request, as it arrives."""

    def wants(self, response: Response) -> bool:
        return not 300 <= response.status < 400

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(REPLAYED) or not self.wants(response):
            return response
        context = self.context
        peer = getattr(response, "ip_address", None)
        if peer is not None and not context.options.allow_private and not via_proxy(request):
            try:
                check_address(ipaddress.ip_address(peer), host_of(response.url))
            except RefusedAddress as exc:  # DNS changed between the check and the connection
                raise Refused(str(exc)) from None
        body = response.body
        response_headers = _pairs(response.headers)
        rendered = None
        if "playwright" in response.flags:  # the DOM after scripts ran, not the bytes sent
            rendered = chromium_version(context.options.chromium or "chromium")
            response_headers.append((RENDERED_HEADER, rendered))
        exchange = Exchange(
            url=response.url, method=request.method, request_headers=_pairs(request.headers),
            request_body=request.body, status=response.status,
            response_headers=response_headers, body=body,
            captured_at=datetime.now(UTC), ip_address=str(peer) if peer is not None else None,
            rendered=rendered,
        )  # fmt: skip
        content_type = response.headers.get(b"Content-Type")
        meta: dict[str, object] = {}
        if rendered is not None:
            meta["rendered"] = rendered
        certificate = certificate_sha256(response)
        if certificate is not None:
            meta["tls_certificate_sha256"] = certificate  # the Link stage joins sites by it
        recheck = context.recheck
        target = recheck.targets.get(target_url(request)) if recheck is not None else None
        if target is not None:
            text = response.text if isinstance(response, TextResponse) else None
            outcome = judge(target, response.status, body, text)
            if response.url != target.url:
                outcome.final_url = response.url
            meta["recheck"] = {"outcome": outcome.outcome, "reason": outcome.reason,
                               "changed": outcome.changed,
                               "previous_capture_id": outcome.previous_capture_id}  # fmt: skip
            request.meta[OUTCOME] = outcome
        key = context.sink.add(
            exchange, content_type.decode("latin-1") if content_type else None, meta
        )
        if target is not None:
            request.meta[OUTCOME].capture_key = key
        stats = context.stats.domain(host_of(response.url))
        stats.pages += 1
        stats.bytes += len(body)
        stats.last_progress = time.monotonic()
        return response


class RedirectCaptureMiddleware(CaptureMiddleware):
    def wants(self, response: Response) -> bool:
        return 300 <= response.status < 400
