"""Rebuild netpatrol/samples/ from the public datasets in ../shared/data.

Run once by a developer (not at run time): `.venv/bin/python scripts/make_samples.py`.
Only MIT-licensed sets are used; netpatrol/samples/README.md records sources and licences.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "netpatrol" / "samples"
ZYTE = DATA / "zyte-product-extraction-benchmark"
BATS = DATA / "bat-trade-listings-kpicta" / "Coleman_et_al_unique-listings-info.csv"
LEBONCOIN = DATA / "leboncoin-2015-classified-ads-html"
# The benchmark's snapshot date: the pages' real capture times are not published.
ZYTE_DATE = "2021-06-09T00:00:00Z"
PAGES_IN_WARC = 8
BAT_ROWS = 60


def build_warc() -> None:
    truth = json.loads((ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    files = sorted((ZYTE / "html").glob("*.html.gz"), key=lambda p: p.stat().st_size)
    target = OUT / "shops.warc.gz"
    with target.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for path in files[:PAGES_IN_WARC]:
            page_id = path.name.split(".")[0]
            body = gzip.decompress(path.read_bytes())
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                truth[page_id]["url"],
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": ZYTE_DATE},
            )
            writer.write_record(record)
    print(f"{target.relative_to(ROOT)}: {PAGES_IN_WARC} pages")


def build_html() -> None:
    folder = OUT / "pages"
    folder.mkdir(exist_ok=True)
    for path in sorted(LEBONCOIN.glob("*.htm")):
        packed = gzip.compress(path.read_bytes(), mtime=0)
        (folder / (path.name + ".gz")).write_bytes(packed)
    print(f"{folder.relative_to(ROOT)}: leboncoin result pages")


def build_csv() -> None:
    target = OUT / "bat-listings.csv"
    with BATS.open(encoding="utf-8", newline="") as src:
        reader = csv.DictReader(src)
        keep = [
            "ID",
            "date",
            "shop",
            "seller",
            "post_url",
            "title",
            "description",
            "image_urls",
            "mean_price",
            "individuals",
        ]
        rows = [{k: row[k] for k in keep} for row in reader if row["title"].strip()]
    by_shop: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_shop.setdefault(row["shop"], []).append(row)
    # Round-robin over the platforms, so the sample has Etsy and Amazon, not only eBay.
    picked: list[dict[str, str]] = []
    while len(picked) < BAT_ROWS and any(by_shop.values()):
        for shop_rows in by_shop.values():
            if shop_rows and len(picked) < BAT_ROWS:
                picked.append(shop_rows.pop(0))
    with target.open("w", encoding="utf-8", newline="") as dst:
        writer = csv.DictWriter(dst, fieldnames=keep)
        writer.writeheader()
        writer.writerows(picked)
    print(f"{target.relative_to(ROOT)}: {min(BAT_ROWS, len(rows))} listings")


def copy_licences() -> None:
    folder = OUT / "LICENSES"
    folder.mkdir(exist_ok=True)
    shutil.copy(LEBONCOIN / "LICENSE", folder / "leboncoin-fixtures-MIT.txt")
    shutil.copy(ZYTE / "LICENSE", folder / "zyte-benchmark-MIT.txt")
    shutil.copy(BATS.parent / "LICENSE.md", folder / "bat-trade-MIT.md")


def main() -> int:
    if not DATA.exists():
        print(f"{DATA} not found", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    build_warc()
    build_html()
    build_csv()
    copy_licences()
    return 0


if __name__ == "__main__":
    sys.exit(main())
