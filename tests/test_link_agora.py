"""Link on real data: the Agora darknet market, product extractions of 2014-01-01,
2014-02-01 and 2014-03-02 (../shared/data/agora-darknet-2014, read MANIFEST.md there).

A vendor listed on several dates is one seller account (Agora + handle): its listings
from every date hang off that one node, and its first and last seen span the dates.
The listings go through the pure Link core (no identifiers in these extractions: titles
only, too short to count as copied text), so the figure is about account identity.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from conftest import SHARED_DATA

from netpatrol.link.facts import LinkInput, ListingFact
from netpatrol.link.graph import principals_of
from netpatrol.link.neardup import NearDuplicates, text_shingles

AGORA = SHARED_DATA / "agora-darknet-2014"
FILES = ("products-2014-01-01.csv", "products-2014-02-01.csv", "products-2014-03-02.csv")
SITE = "agorahooawayyfoe.onion"  # Agora's onion address; the extractions hold no URL


def _agora() -> LinkInput:
    if not all((AGORA / name).exists() for name in FILES):
        pytest.skip(f"Agora extractions not found under {AGORA} (shared data not mounted)")
    data = LinkInput()
    texts = NearDuplicates()
    for name in FILES:  # the file's date is the crawl's (rows carry the page's own date)
        with (AGORA / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                seen = datetime.fromisoformat(name[9:19]).replace(tzinfo=UTC)
                index = len(data.listings)
                data.listings.append(
                    ListingFact(
                        index,
                        index,
                        SITE,
                        row["vendor"],
                        " ".join(row["from"].split()),
                        seen,
                        row["cat"].lower(),
                    )
                )
                texts.add(index, text_shingles(row["product"]))
    data.text_groups = texts.groups()
    return data


def test_vendors_across_the_three_dates_are_one_account() -> None:
    data = _agora()
    principals = principals_of(data)
    dates: dict[int, set[str]] = defaultdict(set)
    vendors: dict[str, set[str]] = defaultdict(set)
    for fact, principal in zip(data.listings, principals.of_listing, strict=True):
        assert fact.seen is not None and fact.seller
        dates[principal].add(fact.seen.date().isoformat())
        vendors[fact.seller.strip()].add(fact.seen.date().isoformat())
    on_all = {v for v, d in vendors.items() if len(d) == 3}
    joined = {p for p, d in dates.items() if len(d) == 3}
    print(
        f"Agora: {len(vendors)} vendors, {len(on_all)} on all three dates, joined as "
        f"{len(joined)} accounts; {sum(len(d) > 1 for d in dates.values())} on two or more"
    )
    # Every such vendor is one account node (handles compared case-insensitively, so a
    # vendor whose capitalisation changed is still joined).
    assert len(joined) >= len({v.casefold() for v in on_all}) >= 150
    for vendor in on_all:
        key = f"seller:{SITE}/{vendor.casefold()}"
        assert dates[principals.index[key]] == {"2014-01-01", "2014-02-01", "2014-03-02"}
