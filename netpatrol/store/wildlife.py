"""``netpatrol stats --wildlife``: the figures a wildlife-trade survey reports.

Ads, specimens and value (EUR) of the listings detected as wildlife, by platform (the
site's registrable domain), country (the site's country-code domain, else the seller's
stated location), species and CITES appendix. A listing that states no count is one
specimen: the specimen total is a lower bound, as the surveys count it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from netpatrol.act.places import country_of_place
from netpatrol.extract.country import country_of
from netpatrol.report.data import specimens_of
from netpatrol.store.schema import CaptureRow, DetectionRow, ListingRow, SiteRow
from netpatrol.store.store import Store

UNKNOWN = "unknown"


@dataclass
class Tally:
    ads: int = 0
    specimens: int = 0
    value_eur: float = 0.0
    priced: int = 0  # ads with a price in EUR

    def add(self, specimens: int, value: float | None) -> None:
        self.ads += 1
        self.specimens += specimens
        if value is not None:
            self.value_eur += value
            self.priced += 1


@dataclass
class WildlifeStats:
    total: Tally = field(default_factory=Tally)
    by: dict[str, dict[str, Tally]] = field(default_factory=lambda: defaultdict(dict))
    checklist_note: str = ""

    def add(self, dimension: str, key: str, specimens: int, value: float | None) -> None:
        self.by[dimension].setdefault(key, Tally()).add(specimens, value)

    def as_dict(self) -> dict[str, Any]:
        def rows(tallies: dict[str, Tally]) -> list[dict[str, Any]]:
            ordered = sorted(tallies.items(), key=lambda kv: (-kv[1].ads, kv[0]))
            return [{"key": k, **vars(t), "value_eur": round(t.value_eur, 2)} for k, t in ordered]

        return {
            "total": {**vars(self.total), "value_eur": round(self.total.value_eur, 2)},
            "by": {dimension: rows(tallies) for dimension, tallies in self.by.items()},
            "checklist": self.checklist_note,
        }


def wildlife_stats(store: Store, checklist_note: str) -> WildlifeStats:
    stats = WildlifeStats(checklist_note=checklist_note)
    query = (
        select(
            ListingRow.url,
            ListingRow.quantity,
            ListingRow.unit,
            ListingRow.price_eur,
            ListingRow.location,
            DetectionRow.labels,
            CaptureRow.url,
            SiteRow.domain,
        )
        .join(DetectionRow, DetectionRow.listing_id == ListingRow.id)
        .join(CaptureRow, CaptureRow.id == ListingRow.capture_id)
        .outerjoin(SiteRow, SiteRow.id == CaptureRow.site_id)
        .where(DetectionRow.category == "wildlife")
    )
    with store.engine.connect() as connection:
        for (
            url,
            quantity,
            unit,
            price_eur,
            location,
            labels,
            capture_url,
            domain,
        ) in connection.execute(query):
            specimens = specimens_of(quantity, unit) or 1
            stats.total.add(specimens, price_eur)
            stats.add("platform", domain or UNKNOWN, specimens, price_eur)
            declared = country_of_place(location) if location else None
            country = country_of(url or capture_url) or declared or UNKNOWN
            stats.add("country", country, specimens, price_eur)
            for dimension, key in _label_keys(labels or []):
                stats.add(dimension, key, specimens, price_eur)
    return stats


def _label_keys(labels: Iterable[str]) -> Iterable[tuple[str, str]]:
    """(dimension, key) of a detection's labels: species from ``taxon:`` labels, the
    appendix from ``cites:`` labels; "not listed" when no listed taxon was named."""
    species = [label.split(":", 1)[1] for label in labels if label.startswith("taxon:")]
    appendices = [
        label.split(":")[2].split(" (")[0] for label in labels if label.startswith("cites:")
    ]
    for name in dict.fromkeys(species) or ["unidentified"]:
        yield "species", name
    for appendix in dict.fromkeys(appendices) or ["not listed"]:
        yield "appendix", appendix
