"""The report's figures equal an independent count from the store (plain SQL), on the
bundled samples ingested and scanned, plus planted listings with prices, taxa, networks,
referrals and rechecks; operation window and countries; CSV and JSON writers."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import CliRunner
from sqlalchemy import insert, select, text

from netpatrol.errors import NetpatrolError
from netpatrol.model import Capture, Detection, Identifier, IdentifierMention, Listing
from netpatrol.report.figures import build_report
from netpatrol.report.findings import load_findings
from netpatrol.report.writers import ReportFormatError, writer_for
from netpatrol.store import Store
from netpatrol.store.evidence import EvidenceWriter
from netpatrol.store.listings import save_scan
from netpatrol.store.operations import create_operation, get_operation, import_log
from netpatrol.store.schema import CaptureRow, ReferralItemRow, ReferralRow
from netpatrol.workspace import open_workspace

SAMPLES = Path(__file__).resolve().parents[1] / "netpatrol" / "samples"
START = datetime(2026, 3, 1, tzinfo=UTC)
CHECKLIST = "CITES appendices as of the 2013 checklist (test)"
ELEPHANT, PANGOLIN, PARROT = "Loxodonta africana", "Manis javanica", "Psittacus erithacus"
WALLET = ("btc", "bc1qq2w3e4r5t6y7u8i9o0plantedwallet")


@dataclass
class Planted:
    key: str
    site: str
    category: str
    taxa: tuple[tuple[str, str], ...] = ()  # (name, appendix)
    price_eur: float | None = None
    quantity: float | None = None
    unit: str | None = None
    day: int = 0
    ids: tuple[tuple[str, str], ...] = ()


PLANTED = (
    Planted("L1", "boutique-faune.fr", "wildlife", ((ELEPHANT, "I"),), 500.0, 2, "specimen",
            ids=(WALLET,)),
    Planted("L2", "boutique-faune.fr", "wildlife", ((PANGOLIN, "I"),), 300.0, day=2),
    Planted("L3", "boutique-faune.fr", "wildlife", day=40),  # outside the operation
    Planted("L4", "tierhandel.de", "wildlife", ((PARROT, "II"),), 1200.0, 3, "item",
            ids=(WALLET,)),
    Planted("L5", "tierhandel.de", "medicine", price_eur=50.0, quantity=100, unit="tablet"),
    Planted("L6", "pharma-shop.com", "medicine", price_eur=20.0, day=1),  # no country
    Planted("L7", "pharma-shop.com", "benign", price_eur=9.0, day=1),
)  # fmt: skip


def plant(store: Store, evidence_dir: Path) -> dict[str, int]:
    """The planted listings, scanned as ``netpatrol scan`` stores them; key -> listing id."""
    writer = EvidenceWriter(evidence_dir)
    captures = []
    for n, item in enumerate(PLANTED):
        body = f"<html><head><title>{item.key}</title></head><body>{item.key}</body></html>"
        capture = Capture(
            url=f"https://{item.site}/annonce/{n}",
            record_type="response",
            payload=body.encode(),
            captured_at=START + timedelta(days=item.day, hours=n),
            content_type="text/html",
            http_status=200,
        )
        capture.evidence = writer.write(capture)
        captures.append(capture)
    writer.close()
    store.add_capture_batch([(None, c) for c in captures])
    with store.engine.connect() as connection:
        ids = dict(connection.execute(select(CaptureRow.key, CaptureRow.id)).all())
    results, detections = [], []
    for capture, item in zip(captures, PLANTED, strict=True):
        labels = [f"taxon:{name}" for name, _ in item.taxa] + [
            f"cites:{name}:Appendix {a} ({CHECKLIST})" for name, a in item.taxa
        ]
        mentions = tuple(
            IdentifierMention(Identifier(kind, value), value, 0, len(value))
            for kind, value in item.ids
        )
        listing = Listing(item.key, f"{item.key} offer", capture.url, price=item.price_eur,
                          currency="EUR" if item.price_eur else None, price_eur=item.price_eur,
                          quantity=item.quantity, unit=item.unit, identifiers=mentions)  # fmt: skip
        results.append((ids[capture.key], [listing]))
        detections.append([Detection("classifier", item.category, 0.9, tuple(labels))])  # type: ignore[arg-type]
    save_scan(store, results, detections)
    from netpatrol.act.geoip import shipped_geoip
    from netpatrol.store.jurisdictions import refresh_jurisdictions

    refresh_jurisdictions(store, shipped_geoip())
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, title FROM listings WHERE title LIKE 'L_'"))
        return {str(title): int(i) for i, title in rows}


def link(store: Store, evidence_dir: Path) -> None:
    from netpatrol.link.assemble import link_networks
    from netpatrol.store.networks import read_link_input, save_networks

    save_networks(store, link_networks(read_link_input(store, evidence_dir)))


def act(store: Store, ids: dict[str, int], operation: str) -> None:
    """Referrals (one sent: L1 removed after 48 h, L5 after 24 h, L2 online; one draft:
    L6) and rechecks (L4 found removed; L6 removed, then online again)."""
    op_id = (
        store.engine.connect()
        .execute(text("SELECT id FROM operations WHERE name = :n"), {"n": operation})
        .scalar_one()
    )
    sent = START + timedelta(days=3)
    with store.session() as session, session.begin():
        session.execute(
            insert(ReferralRow),
            [
                {"id": 1, "operation_id": op_id, "recipient": "OCLAESP", "recipient_kind": "police",
                 "country": "FR", "status": "sent", "created_at": sent - timedelta(hours=5),
                 "sent_at": sent},
                {"id": 2, "operation_id": op_id, "recipient": "Host Inc.", "recipient_kind": "host",
                 "country": None, "status": "draft", "created_at": sent},
            ],
        )  # fmt: skip
        session.execute(
            insert(ReferralItemRow),
            [
                {"referral_id": 1, "listing_id": ids["L1"], "url": "u1",
                 "url_sha256": "u1", "category": "wildlife",
                 "status": "removed", "removed_at": sent + timedelta(hours=48)},
                {"referral_id": 1, "listing_id": ids["L5"], "url": "u5",
                 "url_sha256": "u5", "category": "medicine",
                 "status": "removed", "removed_at": sent + timedelta(hours=24)},
                {"referral_id": 1, "listing_id": ids["L2"], "url": "u2",
                 "url_sha256": "u2", "category": "wildlife",
                 "status": "online"},
                {"referral_id": 2, "listing_id": ids["L6"], "url": "u6",
                 "url_sha256": "u6", "category": "medicine",
                 "status": "online"},
            ],
        )  # fmt: skip
    store.log_event("crawl.recheck", "listing", ids["L4"], {"outcome": "removed"})
    store.log_event("crawl.recheck", "listing", ids["L6"], {"outcome": "removed"})
    store.log_event("crawl.recheck", "listing", ids["L6"], {"outcome": "online"})


def build(store: Store, evidence_dir: Path) -> dict[str, int]:
    ids = plant(store, evidence_dir)
    link(store, evidence_dir)
    create_operation(store, "PANGEA-T", START, START + timedelta(days=20), ["FR", "DE"], "test")
    act(store, ids, "PANGEA-T")
    return ids


def sql_counts(store: Store) -> dict[str, float]:
    """The figures counted straight from the tables, without netpatrol's report code."""
    findings = (
        "FROM listings l JOIN detections d ON d.listing_id = l.id AND d.detector = 'classifier'"
        " JOIN captures c ON c.id = l.capture_id LEFT JOIN sites s ON s.id = c.site_id"
        " WHERE d.category <> 'benign'"
    )
    with store.engine.connect() as db:
        listings, sites, value = db.execute(
            text(f"SELECT COUNT(*), COUNT(DISTINCT s.domain), SUM(l.price_eur) {findings}")
        ).one()
        specimens = db.execute(
            text(
                "SELECT SUM(CASE WHEN l.quantity >= 1 AND (l.unit IS NULL OR l.unit IN "
                f"('specimen', 'item')) THEN CAST(l.quantity AS INTEGER) ELSE 1 END) {findings}"
            )
        ).scalar_one()
        ids = {i for (i,) in db.execute(text(f"SELECT l.id {findings}"))}
        # Removed: the last recheck verdict says so, or a referral item does.
        last: dict[int, str] = {}
        for subject, detail in db.execute(
            text(
                "SELECT subject_id, detail FROM events WHERE action = 'crawl.recheck' "
                "AND subject_kind = 'listing' ORDER BY id"
            )
        ):
            outcome = (detail if isinstance(detail, dict) else json.loads(detail))["outcome"]
            last[subject] = outcome
        removed = {i for i, o in last.items() if o in ("removed", "seized")}
        removed |= {
            i
            for (i,) in db.execute(
                text("SELECT listing_id FROM referral_items WHERE status IN ('removed','seized')")
            )
        }
        removed &= ids
        referrals, sent = db.execute(
            text(
                "SELECT COUNT(*), SUM(CASE WHEN status <> 'draft' THEN 1 ELSE 0 END) FROM referrals"
            )
        ).one()
    return {
        "listings": listings,
        "sites_identified": sites,
        "value_eur": round(value or 0.0, 2),
        "specimens": specimens,
        "listings_removed": len(removed),
        "referrals": referrals,
        "referrals_sent": sent or 0,
    }


@pytest.fixture
def built(store: Store, tmp_path: Path) -> tuple[Store, dict[str, int]]:
    return store, build(store, tmp_path / "evidence")


def test_figures_equal_independent_count(built: tuple[Store, dict[str, int]]) -> None:
    store, ids = built
    report = build_report(store, checklist_state=CHECKLIST, rates_note="test rates")
    counted = sql_counts(store)
    for key, value in counted.items():
        assert report.totals[key] == pytest.approx(value), key
    assert report.totals["takedown_median_hours"] == 36.0  # 24 h and 48 h
    by_category = {r.key: r.listings for r in report.by_category}
    assert by_category == {"wildlife": 4, "medicine": 2}
    appendix = {r.key: r.listings for r in report.by_appendix}
    assert appendix == {"Appendix I": 2, "Appendix II": 1, "not listed": 1}
    species = {r.key: (r.listings, r.specimens, r.value_eur) for r in report.by_species}
    assert species[ELEPHANT] == (1, 2, 500.0) and species["unidentified"] == (1, 1, 0.0)
    country = {r.key: r.listings for r in report.by_country}
    assert country["FR"] == 3 and country["DE"] == 2 and country["unknown"] == 1
    status = {f.listing_id: f.status for f in report.findings}
    assert status[ids["L4"]] == "removed" and status[ids["L6"]] == "online"
    assert report.totals["sites_removed"] == 1  # tierhandel.de: L4 and L5 both gone
    # The shared wallet joins the two shops into one network, with its edge.
    (network,) = report.top_networks
    assert {"site:boutique-faune.fr", "site:tierhandel.de"} <= set(network.members)
    assert any(e.kind == "btc" for e in network.edges) and network.listings == 5  # L1-L5
    finding = next(f for f in report.findings if f.listing_id == ids["L1"])
    assert finding.identifiers == (WALLET,) and finding.referrals == (1,)
    assert finding.species == (ELEPHANT,) and finding.appendices == ("I",)
    assert finding.jurisdiction.cctld == "FR" and finding.removed_at is not None
    assert report.sources_note.startswith(CHECKLIST)


def test_operation_window_and_countries(built: tuple[Store, dict[str, int]]) -> None:
    store, ids = built
    operation = get_operation(store, "PANGEA-T")
    found = {f.listing_id for f in load_findings(store, operation)}
    assert found == {ids[k] for k in ("L1", "L2", "L4", "L5")}  # L3 late, L6 no country
    report = build_report(store, "PANGEA-T", checklist_state=CHECKLIST, rates_note="r")
    totals = report.totals
    assert (totals["listings"], totals["sites_identified"], totals["listings_removed"]) == (4, 2, 3)
    assert (totals["specimens"], totals["value_eur"]) == (7, 2050.0)
    assert (totals["referrals"], totals["referrals_sent"]) == (2, 1)
    assert report.title == "Operation PANGEA-T" and report.operation == operation
    with store.engine.connect() as db:  # the window, counted in SQL
        in_window = db.execute(
            text(
                "SELECT COUNT(*) FROM listings l JOIN detections d ON d.listing_id = l.id "
                "JOIN captures c ON c.id = l.capture_id JOIN sites s ON s.id = c.site_id "
                "WHERE d.category <> 'benign' AND c.captured_at BETWEEN :a AND :b "
                "AND (s.domain LIKE '%.fr' OR s.domain LIKE '%.de')"
            ),
            {"a": START, "b": START + timedelta(days=20)},
        ).scalar_one()
    assert in_window == 4


def test_samples_workspace_report(workspace: Path, cli: CliRunner, tmp_path: Path) -> None:
    """The bundled samples through ingest and scan, then planted data: figures vs SQL,
    and the CLI writes CSV and JSON that read back."""
    files = [SAMPLES / "shops.warc.gz", SAMPLES / "pages", SAMPLES / "bat-listings.csv"]
    ingest = cli("-w", workspace, "ingest", *files, "--base-url", "https://www.leboncoin.fr/")
    assert ingest.code == 0, ingest.err
    assert cli("-w", workspace, "scan").code == 0
    ws = open_workspace(workspace)
    try:
        build(ws.store, ws.evidence_dir)
        report = build_report(ws.store)
        counted = sql_counts(ws.store)
        platforms = {r.key: r.listings for r in report.by_platform}
        with ws.store.engine.connect() as db:
            ebay = db.execute(
                text(
                    "SELECT COUNT(*) FROM listings l JOIN detections d ON d.listing_id = l.id "
                    "JOIN captures c ON c.id = l.capture_id JOIN sites s ON s.id = c.site_id "
                    "WHERE d.category <> 'benign' AND s.domain = 'ebay.com'"
                )
            ).scalar_one()
    finally:
        ws.close()
    assert counted["listings"] > 10  # the samples' bat specimens are findings
    for key, value in counted.items():
        assert report.totals[key] == pytest.approx(value), key
    assert ebay > 0 and platforms.get("eBay", platforms.get("ebay.com")) == ebay
    out_csv, out_json = tmp_path / "r.csv", tmp_path / "r.json"
    result = cli("-w", workspace, "report", "--out", out_csv, "--out", out_json)
    assert result.code == 0, result.err
    assert f"wrote {out_csv}" in result.out
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8-sig", newline="")))
    assert len(rows) == counted["listings"]
    assert all(len(r["evidence_sha256"]) == 64 and r["warc_file"] for r in rows)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["totals"]["listings"] == counted["listings"]
    assert len(data["findings"]) == len(rows)
    assert cli("-w", workspace, "report", "--out", tmp_path / "r.txt").code == 2
    assert cli("-w", workspace, "report", "--operation", "nope", "--out", out_json).code == 1


def test_writers_round_trip(built: tuple[Store, dict[str, int]], tmp_path: Path) -> None:
    store, ids = built
    report = build_report(store, "PANGEA-T", checklist_state=CHECKLIST, rates_note="r")
    writer_for(tmp_path / "x.csv").write(report, tmp_path / "x.csv")
    rows = {int(r["listing_id"]): r for r in csv.DictReader(
        (tmp_path / "x.csv").open(encoding="utf-8-sig", newline=""))}  # fmt: skip
    l1 = rows[ids["L1"]]
    assert (l1["status"], l1["country"], l1["species"], l1["cites_appendices"]) == (
        "removed", "FR", ELEPHANT, "I")  # fmt: skip
    assert l1["identifiers"] == f"{WALLET[0]}:{WALLET[1]}" and l1["referrals"] == "1"
    assert float(l1["price_eur"]) == 500.0 and l1["removed_at"].startswith("2026-03-06")
    writer_for(tmp_path / "x.json").write(report, tmp_path / "x.json")
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert data["schema"] == "netpatrol.report"
    assert data["totals"] == report.totals and len(data["findings"]) == 4
    assert data["operation"]["countries"] == ["DE", "FR"]


def test_writer_registry(tmp_path: Path) -> None:
    assert type(writer_for("a/b.REPORT.CSV")).__name__ == "CsvWriter"
    assert type(writer_for("x.json")).__name__ == "JsonWriter"
    with pytest.raises(ReportFormatError, match=r"\.stix\.json"):
        writer_for(tmp_path / "x.pdf")
    try:  # the longest suffix wins: .stix.json is STIX, not JSON
        assert writer_for("x.stix.json").suffix == ".stix.json"
    except ReportFormatError as exc:
        assert "not available" in str(exc)
    assert issubclass(ReportFormatError, NetpatrolError)


def test_offline_log_in_report(built: tuple[Store, dict[str, int]], tmp_path: Path) -> None:
    store, _ = built
    log = tmp_path / "log.csv"
    log.write_text(
        "date,kind,count,value_eur,country,category,note\n"
        "2026-03-02,parcels_inspected,1200,,FR,,\n"
        "2026-03-03,parcels_inspected,300,,DE,,\n"
        "2026-03-03,seizures,4,15000,FR,wildlife,ivory\n",
        encoding="utf-8",
    )
    assert import_log(store, "PANGEA-T", log).added == 3
    report = build_report(store, "PANGEA-T", checklist_state=CHECKLIST, rates_note="r")
    assert report.offline_totals == {"parcels_inspected": 1500.0, "seizures": 4.0}
    assert report.totals["offline_value_eur"] == 15000.0 and len(report.offline) == 3
