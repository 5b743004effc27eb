"""The patrol spider: follows links within the seeds' sites, prioritised, within limits.

It only finds links and counts outcomes: evidence is written by the capture middleware,
for every response, whatever its status or type.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from netpatrol.crawl.context import CrawlContext, host_of
from netpatrol.crawl.errors import error_kind
from netpatrol.crawl.focus import link_priority
from netpatrol.crawl.middlewares import OverBudget
from netpatrol.crawl.sites import registrable_domain

SEED_PRIORITY = 1000
# Links held per site beyond the page budget: the budget is spent at download time in
# priority order, so the queue holds more candidates than will be fetched, but not all.
QUEUE_FACTOR = 10


class PatrolSpider(scrapy.Spider):
    name = "netpatrol"

    def __init__(self, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        seeds = context.options.seeds
        self.allowed_domains = sorted({registrable_domain(url) for url in seeds})
        self.scheduled: Counter[str] = Counter()  # per seed domain, for --max-pages
        self.seen: set[str] = set()
        # Sites are filtered by registrable domain below: LinkExtractor's allow_domains
        # does not match IP-address hosts.
        self.links = LinkExtractor(unique=True)

    async def start(self) -> AsyncIterator[Request]:
        for url in self.context.options.seeds:
            request = self._request(url, SEED_PRIORITY)
            if request is not None:
                yield request

    def _request(self, url: str, priority: int, page: bool = True, **meta: Any) -> Request | None:
        if url in self.seen:
            return None
        domain = registrable_domain(url)
        if self.scheduled[domain] >= self.context.options.max_pages * QUEUE_FACTOR:
            return None
        self.seen.add(url)
        self.scheduled[domain] += 1
        self.context.stats.domain(host_of(url)).scheduled += 1
        if page and self.context.options.renders(url):
            meta["playwright"] = True  # a js seed's page: rendered in chromium
        return Request(url, callback=self.parse, errback=self.failed, priority=priority,
                       meta=meta)  # fmt: skip

    def count(self, response: Response) -> None:
        # HTTPERROR_ALLOW_ALL: every status comes here, so each outcome is counted once.
        stats = self.context.stats.domain(host_of(response.url))
        stats.finished += 1
        stats.last_progress = time.monotonic()
        if response.status >= 400:
            stats.errors[f"http {response.status}"] += 1

    def parse(self, response: Response) -> Iterator[Request]:
        self.count(response)
        if response.status >= 400:
            return
        if not isinstance(response, TextResponse):
            return
        focus = self.context.options.focus
        for link in self.links.extract_links(response):
            if registrable_domain(link.url) not in self.allowed_domains:
                continue
            priority = link_priority(link.url, link.text) if focus else 0
            request = self._request(link.url, priority)
            if request is not None:
                yield request
        for src in response.css("img::attr(src)").getall():
            url = response.urljoin(src)
            if registrable_domain(url) in self.allowed_domains:
                request = self._request(url, link_priority(url, "") if focus else 0, page=False)
                if request is not None:
                    yield request

    def failed(self, failure: Failure) -> None:
        request: Request | None = getattr(failure, "request", None)
        if request is None:
            return
        stats = self.context.stats.domain(host_of(request.url))
        stats.finished += 1
        stats.last_progress = time.monotonic()
        if isinstance(failure.value, OverBudget):
            self.context.stats.over_budget += 1
        elif failure.value is not None:
            stats.errors[error_kind(failure.value)] += 1
