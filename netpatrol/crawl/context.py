"""What the crawl's Scrapy components share: options, the sink, the job and counters.

Handed to the spider as a constructor argument (Scrapy deep-copies settings, which
would copy the database engine); middlewares reach it through ``crawler.spider``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from netpatrol.crawl.job import Job
from netpatrol.crawl.options import CrawlOptions
from netpatrol.crawl.recheck import RecheckState
from netpatrol.crawl.sink import CaptureSink
from netpatrol.crawl.stats import CrawlStats

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


@dataclass
class CrawlContext:
    options: CrawlOptions
    job: Job
    sink: CaptureSink
    evidence_dir: Path
    stats: CrawlStats = field(default_factory=CrawlStats)
    say: Callable[[str], None] = field(default=lambda _line: None)  # progress lines
    recheck: RecheckState | None = None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def context_of(crawler: Crawler) -> CrawlContext:
    spider: Any = crawler.spider
    context = getattr(spider, "context", None)
    if not isinstance(context, CrawlContext):
        raise RuntimeError("netpatrol middlewares need the netpatrol patrol spider")
    return context
