"""Focused crawling against breadth-first on the test marketplace, in one run.

    .venv/bin/python benchmarks/crawl_focus.py [--budget 20 30 40]

For each page budget (``--max-pages``), crawls the marketplace of ``tests/sites`` twice
into fresh workspaces, ``--strategy focus`` and ``--strategy bfs``, one request at a
time so the order is the strategy's alone, and counts the relevant pages (listing pages)
among the pages fetched. Prints relevant pages per page fetched for both.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sites.crawling import FAST, captured, run_crawl  # noqa: E402

from netpatrol.demo import market_pages  # noqa: E402
from netpatrol.demo.market import serve_market  # noqa: E402
from netpatrol.workspace import init_workspace  # noqa: E402


def measure(strategy: str, budget: int) -> tuple[int, int]:
    """(relevant pages, pages fetched) of one crawl."""
    with tempfile.TemporaryDirectory() as folder, serve_market() as server:
        workspace = Path(folder) / "ws"
        init_workspace(workspace).close()
        result = run_crawl(
            workspace, server.url + "/", *FAST, "--strategy", strategy,
            "--max-pages", str(budget), "--concurrency", "1", "--depth", "30",
        )  # fmt: skip
        if result.code != 0:
            raise SystemExit(result.err)
        pages = [url for url, _ in captured(workspace) if not url.endswith("/robots.txt")]
        wanted = {server.url + path for path in market_pages.listing_paths()}
        return sum(url in wanted for url in pages), len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=int, nargs="+", default=[20, 30, 40])
    args = parser.parse_args()
    print(f"{'budget':>6}  {'focus':>14}  {'bfs':>14}")
    for budget in args.budget:
        cells = []
        for strategy in ("focus", "bfs"):
            relevant, fetched = measure(strategy, budget)
            cells.append(f"{relevant:>3}/{fetched:<3} {relevant / max(fetched, 1):5.2f}")
        print(f"{budget:>6}  {cells[0]:>14}  {cells[1]:>14}")


if __name__ == "__main__":
    main()
