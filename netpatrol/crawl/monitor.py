"""Live per-domain progress on stderr, and the watchdog that skips a stalled domain.

A crawl must never stall silently: every ``progress_interval`` seconds one line per
active domain says what it did; a domain with requests pending and nothing finished for
``stall_timeout`` seconds is reported and skipped (its queued requests are dropped; one
in flight ends at the download timeout). The same tick commits captures waiting in the
sink, so a quiet moment does not leave stored evidence without its rows.
"""

from __future__ import annotations

import time
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from twisted.internet import task

from netpatrol.crawl.context import context_of, host_of

TICK = 0.25


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class Monitor:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.loop: task.LoopingCall | None = None
        self.last_report = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        monitor = cls(crawler)
        crawler.signals.connect(monitor.opened, signal=signals.spider_opened)
        crawler.signals.connect(monitor.closed, signal=signals.spider_closed)
        crawler.signals.connect(monitor.dropped, signal=signals.request_dropped)
        return monitor

    def opened(self) -> None:
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(TICK, now=False)

    def closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def dropped(self, request: Request) -> None:
        """The scheduler's duplicate filter dropped a request: it will not finish.

        The spider never yields a URL twice, so a drop is a redirect back to a URL
        already seen (a redirect loop) or, on resume, a link already queued.
        """
        stats = context_of(self.crawler).stats.domain(host_of(request.url))
        stats.finished += 1
        if request.meta.get("redirect_urls"):
            stats.errors["redirect loop"] += 1

    def tick(self) -> None:
        context = context_of(self.crawler)
        now = time.monotonic()
        options = context.options
        for name, stats in context.stats.domains.items():
            stalled = now - stats.last_progress
            if not stats.skipped and stats.pending and stalled > options.stall_timeout:
                stats.skipped = True
                context.say(
                    f"watchdog: {name}: no progress for {stalled:.0f} s with "
                    f"{stats.pending} requests pending: domain skipped"
                )
        if options.progress and now - self.last_report >= options.progress_interval:
            self.last_report = now
            elapsed = now - context.stats.started
            for name, stats in sorted(context.stats.domains.items()):
                errors = sum(stats.errors.values())
                state = " (skipped)" if stats.skipped else ""
                context.say(
                    f"crawl {elapsed:6.1f}s  {name}: {stats.pages} pages, "
                    f"{human_bytes(stats.bytes)}, {stats.pending} queued, {errors} errors{state}"
                )
