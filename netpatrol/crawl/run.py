"""Run one crawl or recheck in this process with Scrapy's CrawlerProcess (one per command:
Twisted's reactor cannot be restarted within a process)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netpatrol.crawl.context import CrawlContext
from netpatrol.crawl.evidence import CrawlWarcWriter
from netpatrol.crawl.job import finish_job, open_job
from netpatrol.crawl.options import CrawlOptions
from netpatrol.crawl.recheck import (
    Outcome,
    RecheckState,
    attach_previous,
    counts,
    failed,
    load_targets,
    record,
)
from netpatrol.crawl.sink import CaptureSink
from netpatrol.crawl.sites import registrable_domain
from netpatrol.workspace import Workspace

_MW = "netpatrol.crawl.middlewares."
_SOCKS = "netpatrol.crawl.socks.SocksDownloadHandler"
Say = Callable[[str], None]


def scrapy_settings(options: CrawlOptions, jobdir: Path, log_level: str) -> dict[str, Any]:
    bfs = not options.focus
    sites = {registrable_domain(url) for url in options.seeds}
    settings: dict[str, Any] = {
        "BOT_NAME": "netpatrol",
        "USER_AGENT": options.user_agent,
        "ROBOTSTXT_OBEY": options.obey_robots,
        # No more in flight than the sites can take: Scrapy moves requests from its
        # priority queue into per-site FIFO queues while under this total, and those
        # would be fetched in discovery order, not in priority order.
        "CONCURRENT_REQUESTS": options.concurrency * max(1, len(sites)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": options.concurrency,
        # The spider yields a handful of requests a page and no items: Scrapy starts this
        # many asyncio tasks for each callback's output, so the default 100 costs more
        # than the work they share.
        "CONCURRENT_ITEMS": 8,
        "DOWNLOAD_DELAY": options.delay,
        "AUTOTHROTTLE_ENABLED": options.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(options.delay, 0.01),
        "AUTOTHROTTLE_MAX_DELAY": max(10 * options.delay, 10.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(options.concurrency),
        "DOWNLOAD_TIMEOUT": options.timeout,
        "DOWNLOAD_MAXSIZE": options.max_size,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": options.retries,
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",  # the summary counts give-ups
        "REDIRECT_MAX_TIMES": options.max_redirects,
        "DEPTH_LIMIT": options.depth,
        # Breadth-first for the comparison baseline: FIFO queues and depth priority.
        "DEPTH_PRIORITY": 1 if bfs else 0,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "HTTPERROR_ALLOW_ALL": True,
        "COOKIES_ENABLED": True,  # one cookie jar, cookies kept per site by domain
        "JOBDIR": str(jobdir),
        # No listening sockets: neither the telnet console nor the remote-control server.
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": log_level,
        "DOWNLOADER_MIDDLEWARES": {
            _MW + "GateMiddleware": 50,
            _MW + "ReplayMiddleware": 120,
            _MW + "CaptureMiddleware": 580,
            _MW + "RedirectCaptureMiddleware": 610,
        },
        "EXTENSIONS": {"netpatrol.crawl.monitor.Monitor": 500},
    }
    if options.tor_proxy:
        # Only then: without a SOCKS proxy, Scrapy's own handler, untouched.
        settings["DOWNLOAD_HANDLERS"] = {"http": _SOCKS, "https": _SOCKS}
    elif options.js and options.chromium:
        # Only then: the browser's handler, which hands other requests to Scrapy's own.
        from netpatrol.crawl.browser import playwright_settings

        settings.update(
            playwright_settings(options.chromium, options.timeout, options.allow_private)
        )
    return settings


def _run(
    ws: Workspace, options: CrawlOptions, say: Say, log_level: str,
    recheck: RecheckState | None = None,
) -> tuple[dict[str, Any], CrawlContext]:  # fmt: skip
    from scrapy.crawler import CrawlerProcess

    from netpatrol.crawl.recheck_spider import RecheckSpider
    from netpatrol.crawl.spider import PatrolSpider

    kind = "recheck" if recheck is not None else "crawl"
    job = open_job(ws.store, ws.root, options.seeds, options.scope(), kind)
    if job.killed:
        say(
            f"resuming job {job.id[:16]}: the last run was killed; walking again from the "
            f"seeds, {len(job.known)} pages already captured are replayed from evidence"
        )
    elif job.resumed:
        say(f"resuming job {job.id[:16]} ({len(job.known)} pages already captured)")
    if recheck is not None:
        attach_previous(ws.store, recheck.targets, job.source_id)
    elif options.focus:
        from netpatrol.crawl.focus import warm_up

        warm_up()
    writer = CrawlWarcWriter(ws.evidence_dir, job.id[:8])
    sink = CaptureSink(ws.store, writer, job)
    context = CrawlContext(options, job, sink, ws.evidence_dir, say=say, recheck=recheck)
    context.stats.job_id, context.stats.resumed = job.id, job.resumed
    context.stats.evidence_file = writer.relative
    process = CrawlerProcess(scrapy_settings(options, job.jobdir, log_level))
    crawler = process.create_crawler(RecheckSpider if recheck is not None else PatrolSpider)
    process.crawl(crawler, context=context)
    job.mark_running()
    try:
        process.start()
    finally:
        sink.close()
    reason = str(crawler.stats.get_value("finish_reason") or "unknown") if crawler.stats else ""
    context.stats.finish_reason = reason
    finish_job(ws.store, job, None if reason == "finished" else reason)
    summary = context.stats.summary()
    summary["retries"] = int(crawler.stats.get_value("retry/count") or 0) if crawler.stats else 0
    return summary, context


def run_crawl(
    ws: Workspace, options: CrawlOptions, say: Say = lambda _line: None, log_level: str = "ERROR"
) -> dict[str, Any]:
    """Crawl the seeds into the workspace; return the summary."""
    summary, context = _run(ws, options, say, log_level)
    # The seeds are kept with the summary: a later --recheck re-fetches them.
    detail = {"summary": summary, "seeds": options.seeds}
    ws.store.log_event("crawl.finish", "source", context.job.source_id, detail)
    return summary


def run_recheck(
    ws: Workspace, options: CrawlOptions, sites: set[str], say: Say = lambda _line: None,
    log_level: str = "ERROR",
) -> tuple[dict[str, Any], list[Outcome]]:  # fmt: skip
    """Re-fetch known listings and seed pages (of ``sites``, or all); judge and record each."""
    targets = load_targets(ws.store, sites)
    if not targets:
        return {"finish_reason": "finished", "urls": 0, "outcomes": counts([])}, []
    # One fetch per target: the page budget is the target list itself.
    per_site = max(1, len(targets))
    options = dataclasses.replace(options, seeds=list(targets), max_pages=per_site, depth=0,
                                  recheck=True)  # fmt: skip
    say(f"recheck: {len(targets)} known URLs")
    state = RecheckState(targets)
    summary, context = _run(ws, options, say, log_level, state)
    outcomes = [
        state.results.get(url) or failed(target, "not fetched", fetched=False)
        for url, target in targets.items()
    ]
    record(ws.store, context.job.id, outcomes)
    summary["urls"] = len(outcomes)
    summary["outcomes"] = counts(outcomes)
    # Takedown tracking reads the events just recorded: referral items removed / seized.
    from netpatrol.act.tracking import sync_from_rechecks

    summary["referral_items_updated"] = sync_from_rechecks(ws.store)
    ws.store.log_event("crawl.recheck.finish", "source", context.job.source_id,
                       {"summary": summary})  # fmt: skip
    return summary, outcomes
