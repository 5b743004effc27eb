"""Pages per second of ``extract_page`` beside a bare selectolax parse + text, same pages.

    .venv/bin/python benchmarks/extract_speed.py [--rounds 3] [--stages]

On the Zyte product pages in ../shared/data (one core). The bare baseline parses each page
with selectolax (lexbor) and takes the body text: the least any extractor must do.
``--stages`` also times each stage of ``extract_page`` (wrappers around the functions it
calls, best of the rounds for each; not cProfile, which inflates pure-Python code).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract import fields as fields_module
from netpatrol.extract import page as page_module
from netpatrol.extract.decode import decode_html
from netpatrol.extract.identifiers import FindContext, load_finders
from netpatrol.extract.page import extract_page
from netpatrol.model import IdentifierMention

# (module, function it calls, label): the stages of extract_page, in the order they run.
STAGES: tuple[tuple[ModuleType, str, str], ...] = (
    (page_module, "decode_html", "decode"),
    (page_module, "LexborHTMLParser", "parse"),
    (page_module, "tracking_scripts", "tracking scripts"),
    (page_module, "structured_offers", "structured data"),
    (page_module, "price_elements", "price-like elements"),
    (page_module, "list_cards", "card groups"),
    (page_module, "seller_and_location", "seller/location"),
    (page_module, "visible_text_and_links", "text and links"),
    (page_module, "find_identifiers", "identifier finders"),
    (page_module, "price_candidates", "price candidates"),
    (page_module, "choose_price", "price choice"),
    (page_module, "offer_images", "images"),
    (page_module, "main_text", "main text"),
    (page_module, "fallback_text", "trafilatura fallback"),
    (fields_module, "detect_language", "language"),
    (fields_module, "_quantity", "quantity"),
)
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


def _timed_call(function: Callable[..., Any], label: str, spent: dict[str, float]) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    return wrapper


def _timed_finder(find: Callable[..., Any], label: str, spent: dict[str, float]) -> Any:
    def wrapper(text: str, context: FindContext) -> Iterator[IdentifierMention]:
        start = time.perf_counter()
        found = list(find(text, context))  # a generator: its time is spent when consumed
        spent[label] += time.perf_counter() - start
        return iter(found)

    return wrapper


def stage_times(pages: list[tuple[bytes, str]], rounds: int) -> dict[str, float]:
    """Seconds per stage over all pages, the best of ``rounds`` for each stage."""
    spent: dict[str, float] = defaultdict(float)
    originals = [(module, name, getattr(module, name)) for module, name, _ in STAGES]
    for (module, name, label), (_, _, function) in zip(STAGES, originals, strict=True):
        setattr(module, name, _timed_call(function, label, spent))
    finders = load_finders().finders
    for kind, finder in finders.items():
        finder.find = _timed_finder(finder.find, f"  {kind}", spent)  # type: ignore[method-assign]
    best: dict[str, float] = {}
    try:
        for _ in range(rounds):
            spent.clear()
            ours(pages)
            best = {k: min(v, best.get(k, v)) for k, v in spent.items()}
    finally:
        for module, name, function in originals:
            setattr(module, name, function)
        for finder in finders.values():
            del finder.find  # the class's method again
    return best


def print_stages(best: dict[str, float]) -> None:
    print("  stages (best of the rounds each; finders indented, inside identifier finders):")
    for label, seconds in sorted(best.items(), key=lambda item: -item[1]):
        if seconds >= 0.0005:
            print(f"    {label:28s}{seconds:6.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stages", action="store_true", help="also time each stage")
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
    if args.stages:
        print_stages(stage_times(pages, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
