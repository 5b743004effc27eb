"""Crawl speed: ``netpatrol crawl`` beside a bare Scrapy spider, in the same run.

    .venv/bin/python benchmarks/crawl_speed.py [--pages 2000] [--concurrency 16] [--rounds 3]

Both crawl the same tree of pages served by the test marketplace (``tests/sites``) on
127.0.0.1, with the same settings: the same concurrency, no delay, no AutoThrottle,
robots.txt obeyed. The bare spider only follows links (no WARC, no capture rows, no
extraction); netpatrol writes WARC evidence and capture rows as pages arrive. Each runs
in its own process (Twisted's reactor starts once per process) and times its crawl from
the crawler's creation to its end (netpatrol: after loading its detection rules, a
fixed cost of about two seconds per process, shown in the whole-process figures that
include imports, start-up and shut-down); rounds alternate the two and the median is kept.
Goal: netpatrol at >= 90 % of bare Scrapy's pages per minute.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

EXTRA = os.environ.get("CRAWL_SPEED_EXTRA", "").split()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def bare(url: str, concurrency: int) -> None:
    """The baseline, in this process: follow every link of the site, keep nothing."""
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import Response, TextResponse
    from scrapy.linkextractors import LinkExtractor

    class Bare(scrapy.Spider):
        name = "bare"
        links = LinkExtractor(unique=True)

        async def start(self) -> AsyncIterator[scrapy.Request]:
            yield scrapy.Request(url, self.parse)

        def parse(self, response: Response) -> Iterator[scrapy.Request]:
            if isinstance(response, TextResponse):
                for link in self.links.extract_links(response):
                    yield response.follow(link.url, self.parse)

    started = time.monotonic()
    process = CrawlerProcess({
        "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
    })  # fmt: skip
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    assert crawler.stats is not None
    pages = int(crawler.stats.get_value("response_received_count") or 0)
    print(json.dumps({"pages": pages, "seconds": time.monotonic() - started}))


def run_bare(url: str, concurrency: int) -> dict[str, Any]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, __file__, "--bare", url, "--concurrency", str(concurrency)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result | {"process": time.monotonic() - started}


def run_netpatrol(url: str, concurrency: int) -> dict[str, Any]:
    from netpatrol.workspace import init_workspace

    env = {**os.environ, "NETPATROL_ALLOW_PRIVATE_NETWORKS": "1"}
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder) / "ws"
        init_workspace(workspace)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "netpatrol.cli", "-w", str(workspace), "crawl", url,
             "--json", "--delay", "0", "--no-autothrottle", "--concurrency", str(concurrency),
             "--depth", "100", "--max-pages", "1000000", "--progress-interval", "3600", *EXTRA],
            capture_output=True, text=True, check=True, env=env,
        )  # fmt: skip
        process = time.monotonic() - started
    summary: dict[str, Any] = json.loads(done.stdout)
    return {"pages": summary["pages"], "seconds": summary["seconds"], "process": process}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare(args.bare, args.concurrency)
        return

    from netpatrol.demo.market import MarketConfig, serve_market

    rates: dict[str, list[float]] = {"bare scrapy": [], "netpatrol crawl": []}
    whole: dict[str, list[float]] = {"bare scrapy": [], "netpatrol crawl": []}
    with serve_market(MarketConfig(bench_pages=args.pages)) as server:
        seed = server.url + "/bench/0"
        for _ in range(args.rounds):
            for name, run in (("bare scrapy", run_bare), ("netpatrol crawl", run_netpatrol)):
                result = run(seed, args.concurrency)
                rate = result["pages"] / result["seconds"] * 60
                rates[name].append(rate)
                whole[name].append(result["pages"] / result["process"] * 60)
                print(f"  {name:<16} {result['pages']} pages in {result['seconds']:.2f} s "
                      f"= {rate:,.0f} pages/min (whole process {result['process']:.2f} s)",
                      flush=True)  # fmt: skip
    medians = {name: statistics.median(values) for name, values in rates.items()}
    processes = {name: statistics.median(values) for name, values in whole.items()}
    print(f"pages: {args.pages} (+ robots.txt), concurrency {args.concurrency}, "
          f"no delay, robots.txt obeyed; median of {args.rounds} rounds")  # fmt: skip
    print("                   crawl  whole process (imports, start-up, shut-down)")
    for name, value in medians.items():
        print(f"{name:<16} {value:10,.0f} {processes[name]:10,.0f} pages/min")
    ratio = medians["netpatrol crawl"] / medians["bare scrapy"]
    ratio_whole = processes["netpatrol crawl"] / processes["bare scrapy"]
    print(f"ratio            {ratio:10.1%} {ratio_whole:10.1%}  (goal >= 90%)")


if __name__ == "__main__":
    main()
