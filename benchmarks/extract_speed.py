"""Pages per second of ``extract_page`` beside a bare selectolax parse + text, same pages.

    .venv/bin/python benchmarks/extract_speed.py [--rounds 3]

On the Zyte product pages in ../shared/data (one core). The bare baseline parses each page
with selectolax (lexbor) and takes the body text: the least any extractor must do.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract.decode import decode_html
from netpatrol.extract.page import extract_page

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "zyte-product-extraction-benchmark"


def bare(pages: list[tuple[bytes, str]]) -> None:
    for payload, _url in pages:
        tree = LexborHTMLParser(decode_html(payload))
        if tree.body is not None:
            tree.body.text(separator=" ")


def ours(pages: list[tuple[bytes, str]]) -> None:
    for payload, url in pages:
        extract_page(payload, url)


def timed(function: object, pages: list[tuple[bytes, str]], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        function(pages)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} not found", file=sys.stderr)
        return 1
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [
        (gzip.decompress(p.read_bytes()), truth[p.name.split(".")[0]]["url"])
        for p in sorted((DATA / "html").glob("*.html.gz"))
    ]
    megabytes = sum(len(p) for p, _ in pages) / 1e6
    ours(pages[:2])  # load models and tables once, as a long scan does
    base = timed(bare, pages, args.rounds)
    full = timed(ours, pages, args.rounds)
    print(f"{len(pages)} pages, {megabytes:.1f} MB of HTML, best of {args.rounds} rounds")
    print(f"  bare selectolax parse + text  {base:6.2f} s  {len(pages) / base:7.1f} pages/s")
    print(f"  netpatrol extract_page        {full:6.2f} s  {len(pages) / full:7.1f} pages/s")
    print(f"  ratio                         {full / base:.1f}x the bare parse (goal: within 4x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
