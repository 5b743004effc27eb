"""``netpatrol crawl`` against the test marketplace on 127.0.0.1: pages, faults, evidence."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from conftest import CliRunner
from sites.crawling import FAST, captured, run_crawl

from netpatrol.demo import market_pages
from netpatrol.demo.market import MarketConfig, serve_market


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_full_crawl_captures_every_allowed_page_and_survives_faults(
    workspace: Path, cli: CliRunner
) -> None:
    with serve_market() as server:
        result = run_crawl(
            workspace, server.url + "/", *FAST, "--depth", "30", "--max-size", "1",
            "--timeout", "5", "--user-agent", "patrol-test/1.0",
        )  # fmt: skip
        hits, agents = dict(server.config.hits), set(server.config.user_agents)
    assert result.code == 0, result.err
    summary = result.summary()
    pages = captured(workspace)
    ok = {_path(url) for url, status in pages if status == 200}
    assert market_pages.allowed_pages() | {"/slow"} <= ok
    assert "/private/admin" not in hits  # robots.txt obeyed
    assert agents == {"patrol-test/1.0"}
    assert summary["errors"] == {
        "http 404": 1, "http 500": 1, "redirect loop": 1, "robots.txt": 1, "too large": 2,
    }  # fmt: skip
    assert summary["retries"] == 2  # the 500, retried twice
    assert summary["pages"] == len(pages)
    # Each URL once, except the retried 500 (every attempt is evidence).
    repeated = {url for url, n in Counter(url for url, _ in pages).items() if n > 1}
    assert {_path(url) for url in repeated} == {"/error500"}

    verify = cli("-w", workspace, "verify")
    assert verify.code == 0, verify.out + verify.err
    scan = cli("-w", workspace, "scan")
    assert scan.code == 0, scan.err
    stats = cli("-w", workspace, "stats", "--json").json()
    assert isinstance(stats, dict)
    assert stats["listings"] >= len(market_pages.listing_paths())


def test_timeouts_and_page_limit_are_counted(workspace: Path) -> None:
    with serve_market(MarketConfig(slow_seconds=3)) as server:
        result = run_crawl(
            workspace, server.url + "/", *FAST, "--timeout", "0.5", "--retries", "0",
            "--max-pages", "15", "--strategy", "bfs",
        )  # fmt: skip
    assert result.code == 0, result.err
    summary = result.summary()
    assert summary["errors"].get("timeout", 0) >= 1
    fetched = [url for url, _ in captured(workspace) if not url.endswith("/robots.txt")]
    assert not any(url.endswith("/slow") for url in fetched)
    assert len(fetched) <= 15


def test_private_addresses_are_refused_without_the_setting(workspace: Path) -> None:
    with serve_market() as server:
        result = run_crawl(workspace, server.url + "/", *FAST, allow_private=False)
        hits = sum(server.config.hits.values())
    assert result.code == 0, result.err
    summary = result.summary()
    assert summary["pages"] == 0
    assert summary["errors"] == {"refused address": 1}
    assert hits == 0
    assert captured(workspace) == []


def test_watchdog_skips_a_stalled_domain(workspace: Path) -> None:
    with serve_market(MarketConfig(listing_delay=1.5)) as server:
        result = run_crawl(
            workspace, server.url + "/category/wildlife", *FAST, "--concurrency", "1",
            "--stall-timeout", "0.5", "--timeout", "5", "--strategy", "bfs",
        )  # fmt: skip
    assert result.code == 0, result.err
    summary = result.summary()
    assert "watchdog: 127.0.0.1: no progress" in result.err
    assert summary["skipped_domains"] == ["127.0.0.1"]
    assert summary["errors"].get("skipped by watchdog", 0) > 0
