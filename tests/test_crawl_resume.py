"""kill -9 in the middle of a crawl, then the same command again: resumed, no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from sites.crawling import FAST, ROOT, captured, crawl_command, crawl_env, run_crawl

from netpatrol.demo import market_pages
from netpatrol.demo.market import MarketConfig, serve_market


def test_kill_9_then_resume_ends_without_duplicates(workspace: Path) -> None:
    with serve_market(MarketConfig(listing_delay=0.15)) as server:
        seed = server.url + "/category/wildlife"
        args = [seed, *FAST, "--concurrency", "2", "--strategy", "bfs"]
        process = subprocess.Popen(
            crawl_command(workspace, *args), cwd=ROOT / "tests", env=crawl_env(),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(_listings(workspace)) < 4:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        before = _listings(workspace)
        assert 4 <= len(before) < 12, "the crawl should be killed half-way"

        result = run_crawl(workspace, *args)
    assert result.code == 0, result.err
    summary = result.summary()
    assert summary["resumed"] is True
    assert "last run was killed" in result.err
    urls = [url for url, _ in captured(workspace)]
    assert [url for url, n in Counter(urls).items() if n > 1] == []
    wildlife = {p for p in market_pages.listing_paths() if int(p.rsplit("/", 1)[1]) <= 12}
    assert {u.removeprefix(server.url) for u in _listings(workspace)} == wildlife

    again = run_crawl(workspace, *args)  # the job finished: the next run is a new patrol
    assert again.summary()["resumed"] is False


def _listings(workspace: Path) -> list[str]:
    if not (workspace / "netpatrol.db").exists():
        return []
    try:
        return [url for url, _ in captured(workspace) if "/listing/" in url]
    except Exception:  # the database may be locked for a moment by the crawl
        return []
