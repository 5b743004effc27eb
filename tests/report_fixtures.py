"""A small, realistic report (ReportData) for the writers' tests: built by hand, so the
HTML, STIX and MISP writers are tested without a workspace; their end-to-end tests go
through ``netpatrol report`` on a scanned workspace."""

from __future__ import annotations

from datetime import UTC, datetime

from netpatrol.report.data import (
    BreakdownRow,
    EvidenceItem,
    Finding,
    Jurisdiction,
    NetworkEdgeSummary,
    NetworkSummary,
    OfflineEntry,
    OperationInfo,
    ReferralSummary,
    ReportData,
    SiteSummary,
)

WHEN = datetime(2026, 10, 6, 9, 30, tzinfo=UTC)


def _finding(n: int, **fields: object) -> Finding:
    base: dict[str, object] = {
        "listing_id": n,
        "capture_id": 100 + n,
        "url": f"https://shop{n}.example.fr/offer/{n}",
        "site": f"shop{n}.example.fr",
        "platform": None,
        "title": f"Offer {n}",
        "category": "medicine",
        "score": 0.91,
        "labels": (),
        "evidence": (),
        "price": 45.0,
        "currency": "EUR",
        "price_eur": 45.0,
        "quantity": None,
        "unit": None,
        "seller": None,
        "location": None,
        "jurisdiction": Jurisdiction(country="FR", cctld="FR"),
        "species": (),
        "appendices": (),
        "captured_at": WHEN,
        "sha256": f"{n:064x}",
        "evidence_file": "2026/10/06/crawl-1.warc.gz",
        "evidence_offset": 1000 * n,
        "warc_record_id": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>",
        "status": "online",
        "removed_at": None,
        "referrals": (),
        "identifiers": (),
        "networks": (),
    }
    base.update(fields)
    return Finding(**base)  # type: ignore[arg-type]


def sample_findings() -> list[Finding]:
    return [
        _finding(
            1,
            title="Buy Viagra 100mg no prescription <b>cheap</b>",
            labels=("inn:sildenafil", "class:erectile dysfunction"),
            evidence=(EvidenceItem("medicine", "Viagra", 4, 10),),
            identifiers=(("email", "pharma.direct@example.org"), ("phone", "+33612345678")),
            networks=("network-1",),
            referrals=(1,),
            status="removed",
            removed_at=datetime(2026, 10, 8, 9, 30, tzinfo=UTC),
        ),
        _finding(
            2,
            url="https://www.leboncoin.fr/ad/animaux/2",
            site="leboncoin.fr",
            platform="leboncoin",
            title="Perroquet gris du Gabon à vendre",
            category="wildlife",
            labels=(
                "taxon:Psittacus erithacus",
                "cites:Psittacus erithacus:Appendix I (CITES checklist 2013)",
            ),
            evidence=(EvidenceItem("taxon", "perroquet gris du Gabon", 0, 23),),
            price=1200.0,
            price_eur=1200.0,
            quantity=2.0,
            unit="specimen",
            seller="jean.dupont",
            location="Lyon",
            jurisdiction=Jurisdiction(country="FR", cctld="FR", seller="FR", platform="FR"),
            species=("Psittacus erithacus",),
            appendices=("I",),
            identifiers=(("phone", "+33612345678"),),
            networks=("network-1",),
        ),
        _finding(
            3,
            url="http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/item/3",
            site="abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion",
            title="Cocaine 1g 90% pure",
            category="drugs",
            labels=("substance:cocaine", "schedule:US CSA II"),
            evidence=(EvidenceItem("substance", "Cocaine", 0, 7),),
            price=0.0012,
            currency="BTC",
            price_eur=61.5,
            quantity=1.0,
            unit="g",
            jurisdiction=Jurisdiction(country=None),
            identifiers=(("btc", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),),
        ),
        _finding(
            4,
            url="https://replicas.example.com/rolex-submariner",
            site="replicas.example.com",
            title="Rolex Submariner replica AAA",
            category="counterfeit",
            labels=("brand:Rolex",),
            evidence=(EvidenceItem("counterfeit_cue", "replica", 17, 24),),
            price=180.0,
            price_eur=180.0,
            jurisdiction=Jurisdiction(country="US", hosting="US", hosting_network="EXAMPLE-AS"),
            identifiers=(("google_analytics", "UA-12345678-1"), ("domain", "example.com")),
        ),
        _finding(
            5,
            url="https://guns.example.de/glock-19",
            site="guns.example.de",
            title="Glock 19 ohne WBK",
            category="weapons",
            labels=("firearm:Glock 19",),
            evidence=(EvidenceItem("firearm", "Glock 19", 0, 8),),
            price=900.0,
            price_eur=900.0,
            jurisdiction=Jurisdiction(country="DE", cctld="DE", hosting="DE"),
        ),
    ]


def _row(key: str, listings: int, value: float, removed: int = 0) -> BreakdownRow:
    return BreakdownRow(key, listings, listings, removed, float(listings), value)


def sample_report() -> ReportData:
    findings = sample_findings()
    return ReportData(
        title="Operation Pangea test week",
        generated_at=datetime(2026, 10, 13, 12, 0, tzinfo=UTC),
        version="0.1.0",
        operation=OperationInfo(
            name="pangea-test",
            description="A test operation",
            started_at=datetime(2026, 10, 5, tzinfo=UTC),
            ended_at=datetime(2026, 10, 12, tzinfo=UTC),
            countries=("FR", "DE"),
        ),
        sources_note="CITES checklist 2013; GeoLite2 Country 2024-06-18; EUR rates 2026-11-01",
        totals={
            "sites_identified": 5,
            "listings": 5,
            "listings_removed": 1,
            "sites_removed": 1,
            "specimens": 6,
            "value_eur": 2386.5,
            "referrals": 2,
            "referrals_sent": 1,
            "takedown_median_hours": 48.0,
        },
        by_country=[
            _row("FR", 2, 1245.0, 1),
            _row("US", 1, 180.0),
            _row("DE", 1, 900.0),
            _row("unknown", 1, 61.5),
        ],
        by_category=[
            _row("medicine", 1, 45.0, 1),
            _row("wildlife", 1, 1200.0),
            _row("drugs", 1, 61.5),
            _row("counterfeit", 1, 180.0),
            _row("weapons", 1, 900.0),
        ],
        by_platform=[_row("leboncoin", 1, 1200.0), _row("shop1.example.fr", 1, 45.0, 1)],
        by_species=[_row("Psittacus erithacus", 1, 1200.0)],
        by_appendix=[_row("I", 1, 1200.0)],
        top_sites=[
            SiteSummary("leboncoin.fr", "FR", "leboncoin", 1, 0, ("wildlife",), 1200.0),
            SiteSummary("shop1.example.fr", "FR", None, 1, 1, ("medicine",), 45.0),
        ],
        top_networks=[
            NetworkSummary(
                name="network-1",
                score=0.8,
                members=("site:shop1.example.fr", "site:leboncoin.fr", "seller:jean.dupont"),
                edges=(
                    NetworkEdgeSummary("site:shop1.example.fr", "seller:jean.dupont", "phone", 0.9),
                ),
                listings=2,
            )
        ],
        referrals=[
            ReferralSummary(
                1,
                "PHAROS",
                "police",
                "FR",
                "removed",
                1,
                1,
                datetime(2026, 10, 6, 10, 0, tzinfo=UTC),
                datetime(2026, 10, 6, 9, 30, tzinfo=UTC),
                48.0,
                "referrals/pangea-test/001-pharos",
            ),
            ReferralSummary(
                2,
                "leboncoin",
                "platform",
                "FR",
                "draft",
                1,
                0,
                datetime(2026, 10, 6, 10, 0, tzinfo=UTC),
                None,
                None,
                "referrals/pangea-test/002-leboncoin",
            ),
        ],
        offline=[
            OfflineEntry("parcels_inspected", 1200.0, None, "FR", None, None, WHEN),
            OfflineEntry("seizures", 14.0, 5200.0, "DE", "medicine", "tablets", WHEN),
            OfflineEntry("arrests", 3.0, None, "FR", "drugs", None, WHEN),
        ],
        offline_totals={"parcels_inspected": 1200.0, "seizures": 14.0, "arrests": 3.0},
        findings=findings,
        notes=["Specimens are a lower bound: a listing that states no count is one."],
    )
