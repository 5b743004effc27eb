"""An operation's figures as its press release quotes them, from its findings.

Every figure is derived from the findings (``netpatrol.report.findings``) and, for an
operation, its offline log: sites identified, listings, listings and sites removed,
specimens, value in EUR, referrals and time to takedown; broken down by country,
category, platform, species and CITES appendix as ``stats --wildlife`` does.

Specimens follow ``stats --wildlife``: a listing's stated count when it counts specimens
or items, else one. Value: the asking prices converted to EUR at scan time; listings
without a price add nothing. Both are lower bounds, and the notes say so.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from netpatrol import __version__
from netpatrol.report.data import (
    UNKNOWN,
    BreakdownRow,
    Finding,
    OfflineEntry,
    ReportData,
    specimens_of,
)
from netpatrol.report.findings import label_keys, load_findings
from netpatrol.report.summaries import (
    is_gone,
    referral_summaries,
    top_networks,
    top_sites,
)
from netpatrol.store.operations import get_operation, offline_entries, operation_id
from netpatrol.store.schema import JurisdictionRow
from netpatrol.store.store import Store

WILDLIFE = "wildlife"


def specimens(finding: Finding) -> int:
    """The specimens / items a finding counts for (the ``stats --wildlife`` rule)."""
    return int(finding.specimens)


def platform_key(finding: Finding) -> str:
    return finding.platform or finding.site or UNKNOWN


def country_key(finding: Finding) -> str:
    return finding.jurisdiction.country or UNKNOWN


@dataclass
class _Tally:
    listings: int = 0
    sites: set[str] = field(default_factory=set)
    removed: int = 0
    specimens: float = 0.0
    value_eur: float = 0.0

    def add(self, finding: Finding) -> None:
        self.listings += 1
        if finding.site:
            self.sites.add(finding.site)
        self.removed += is_gone(finding)
        self.specimens += specimens(finding)
        self.value_eur += finding.price_eur or 0.0

    def row(self, key: str) -> BreakdownRow:
        return BreakdownRow(
            key, self.listings, len(self.sites), self.removed, self.specimens,
            round(self.value_eur, 2),
        )  # fmt: skip


def breakdown(
    findings: Iterable[Finding], keys: Callable[[Finding], Iterable[str]]
) -> list[BreakdownRow]:
    """One row per key (a finding may count under several: two species), most listings
    first."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for finding in findings:
        for key in dict.fromkeys(keys(finding)):
            tallies[key].add(finding)
    rows = [tally.row(key) for key, tally in tallies.items()]
    rows.sort(key=lambda r: (-r.listings, -r.value_eur, r.key))
    return rows


def _wildlife_keys(dimension: str) -> Callable[[Finding], list[str]]:
    def keys(finding: Finding) -> list[str]:
        if finding.category != WILDLIFE:
            return []
        return [k for d, k in label_keys(finding.labels) if d == dimension]

    return keys


def totals(findings: list[Finding]) -> dict[str, float]:
    by_site: dict[str, list[bool]] = defaultdict(list)
    for finding in findings:
        if finding.site:
            by_site[finding.site].append(is_gone(finding))
    return {
        "sites_identified": len(by_site),
        "sites_removed": sum(1 for gone in by_site.values() if all(gone)),
        "listings": len(findings),
        "listings_removed": sum(1 for f in findings if is_gone(f)),
        "listings_priced": sum(1 for f in findings if f.price_eur is not None),
        "listings_counted": sum(
            1 for f in findings if specimens_of(f.quantity, f.unit) is not None
        ),
        "specimens": sum(specimens(f) for f in findings),
        "value_eur": round(sum(f.price_eur or 0.0 for f in findings), 2),
        "networks": len({name for f in findings for name in f.networks}),
    }


def offline_totals(entries: Iterable[OfflineEntry]) -> dict[str, float]:
    found: dict[str, float] = defaultdict(float)
    for entry in entries:
        if entry.count is not None:
            found[entry.kind] += entry.count
    return dict(sorted(found.items()))


def build_report(
    store: Store,
    operation_name: str | None = None,
    title: str | None = None,
    *,
    checklist_state: str | None = None,
    rates_note: str | None = None,
) -> ReportData:
    """The report of an operation (its window, countries, referrals and offline log), or
    of everything in the store. ``checklist_state`` / ``rates_note``: the CITES checklist
    and EUR rate table the workspace uses (default: the ones in use in this process)."""
    operation = get_operation(store, operation_name) if operation_name else None
    findings = load_findings(store, operation)
    target = operation_id(store, operation_name) if operation_name else None
    referrals, hours = referral_summaries(store, target, findings)
    offline = offline_entries(store, operation_name) if operation_name else []
    figures = totals(findings)
    figures["referrals"] = len(referrals)
    figures["referrals_sent"] = sum(1 for r in referrals if r.sent_at or r.status != "draft")
    if hours:
        figures["takedown_median_hours"] = round(statistics.median(hours), 2)
    offline_value = sum(e.value_eur or 0.0 for e in offline)
    if offline_value:
        figures["offline_value_eur"] = round(offline_value, 2)
    sources, notes = _notes(store, findings, figures, checklist_state, rates_note)
    return ReportData(
        title=title or (f"Operation {operation.name}" if operation else "netpatrol patrol report"),
        generated_at=datetime.now(UTC),
        version=__version__,
        operation=operation,
        sources_note=sources,
        totals=figures,
        by_country=breakdown(findings, lambda f: [country_key(f)]),
        by_category=breakdown(findings, lambda f: [f.category]),
        by_platform=breakdown(findings, lambda f: [platform_key(f)]),
        by_species=breakdown(findings, _wildlife_keys("species")),
        by_appendix=breakdown(findings, _wildlife_keys("appendix")),
        top_sites=top_sites(findings),
        top_networks=top_networks(store, findings),
        referrals=referrals,
        offline=offline,
        offline_totals=offline_totals(offline),
        findings=findings,
        notes=notes,
    )


def _notes(
    store: Store,
    findings: list[Finding],
    figures: dict[str, float],
    checklist_state: str | None,
    rates_note: str | None,
) -> tuple[str, list[str]]:
    checklist = checklist_state or _checklist_in_use()
    rates = rates_note or _rates_in_use()
    with store.engine.connect() as connection:
        geoip = sorted(
            {
                str(s)
                for (s,) in connection.execute(select(JurisdictionRow.geoip_source).distinct())
                if s
            }
        )
    hosting = f"hosting countries from {'; '.join(geoip)}" if geoip else "no hosting countries"
    sources = f"{checklist}. EUR values: {rates}. {hosting[0].upper()}{hosting[1:]}."
    notes = []
    listings = len(findings)
    uncounted = listings - int(figures["listings_counted"])
    if uncounted:
        notes.append(
            f"Specimens / items are a lower bound: {uncounted} of {listings} listings state "
            "no count and are counted as one."
        )
    unpriced = listings - int(figures["listings_priced"])
    if unpriced:
        notes.append(
            f"Value is a lower bound: {unpriced} of {listings} listings have no price in EUR "
            "(none stated, or a currency the rate table does not quote)."
        )
    if not geoip:
        notes.append(
            "No hosting facts were computed for these sites: countries come from the "
            "platform operator, the country-code domain and the seller's stated location."
        )
    if any(f.jurisdiction.country is None for f in findings):
        notes.append(
            f"{sum(1 for f in findings if f.jurisdiction.country is None)} listings have no "
            f"known country: counted under {UNKNOWN!r}."
        )
    return sources, notes


def _checklist_in_use() -> str:
    from netpatrol.detect.matcher import checklist

    return checklist().state


def _rates_in_use() -> str:
    from netpatrol.extract.fields import rates

    table = rates()
    when = table.date.isoformat() if table.date else "undated"
    source = table.source or "the shipped ECB table"
    return f"converted at scan time with the rate table in use (now: rates of {when}, {source})"
