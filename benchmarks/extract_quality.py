"""Price and currency accuracy of page extraction on the Zyte product pages we have.

    .venv/bin/python benchmarks/extract_quality.py [--show-errors]   # the tuning half
    .venv/bin/python benchmarks/extract_quality.py --held-out        # once, at the end

Pages are split by domain (a hash of the registered domain): the "tuning" half is the
one looked at while developing; the "held-out" half was not, and is the figure to
quote: it is printed only with ``--held-out``, and its errors never. A price is right
when it equals one of the page's labelled prices (the labels use either decimal
separator); a currency when it equals the labelled symbol read as an ISO code (an
explicit table below, not our own parser).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from netpatrol.extract.page import extract_page
from netpatrol.store.sites import site_of

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "zyte-product-extraction-benchmark"
# Labelled symbol -> ISO 4217; "$" depends on the shop's country, given per domain.
GOLD_CURRENCY = {
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "CHF": "CHF",
    "Rs": "PKR",
    "ر.س": "SAR",
    "Kn": "HRK",
    "zł": "PLN",
    "NZD": "NZD",
    "тг.": "KZT",
    "원~": "KRW",
    "ARS": "ARS",
    "₹": "INR",
    "BRL": "BRL",
}
DOLLAR_BY_DOMAIN = {
    "bestbuy.ca": "CAD",
    "liveauctioneers.com": "USD",
    "puntoticket.com": "CLP",
    "usedvictoria.com": "CAD",
    "stockcenter.com.ar": "ARS",
    "amazon.com": "USD",
    "alibaba.com": "USD",
}


@dataclass
class Score:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __str__(self) -> str:
        share = self.right / self.total if self.total else 0.0
        return f"{share:.3f} ({self.right}/{self.total})"


def held_out(url: str) -> bool:
    domain = site_of(url) or url
    return hashlib.sha256(domain.encode()).digest()[0] % 2 == 1


def price_matches(found: float | None, labels: list[str]) -> bool:
    if found is None:
        return False
    for label in labels:
        raw = label.strip()
        readings = {raw.replace(",", ""), raw.replace(".", "").replace(",", "."), raw}
        for reading in readings:
            try:
                if abs(float(reading) - found) < 0.006:
                    return True
            except ValueError:
                continue
    return False


def gold_currency(label: str, url: str) -> str | None:
    if label.strip() == "$":
        return DOLLAR_BY_DOMAIN.get(site_of(url) or "")
    return GOLD_CURRENCY.get(label.strip())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-errors", action="store_true", help="the tuning half's errors")
    parser.add_argument("--held-out", action="store_true", help="also the held-out figures")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} not found", file=sys.stderr)
        return 1
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    scores = {
        (split, field): Score()
        for split in ("tuning", "held-out", "all")
        for field in ("price", "currency")
    }
    for path in sorted((DATA / "html").glob("*.html.gz")):
        label = truth[path.name.split(".")[0]]
        url = label["url"]
        listings = extract_page(gzip.decompress(path.read_bytes()), url)
        listing = listings[0] if listings else None
        split = "held-out" if held_out(url) else "tuning"
        if label.get("price"):
            ok = price_matches(listing.price if listing else None, label["price"])
            for s in (split, "all"):
                scores[(s, "price")].add(ok)
            if not ok and args.show_errors and split == "tuning":
                print(
                    f"price {split}: {url[:70]} want {label['price']} got "
                    f"{listing.price if listing else None}"
                )
        if label.get("currency"):
            want = gold_currency(label["currency"][0], url)
            got = listing.currency if listing else None
            for s in (split, "all"):
                scores[(s, "currency")].add(got == want)
            if got != want and args.show_errors and split == "tuning":
                print(f"currency {split}: {url[:70]} want {want} got {got}")
    for split in ("tuning", "held-out", "all") if args.held_out else ("tuning",):
        print(
            f"{split:9} price {scores[(split, 'price')]}   currency {scores[(split, 'currency')]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
