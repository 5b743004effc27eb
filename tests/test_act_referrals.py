"""Referrals: routing, notices, packages and their verification, statuses, takedown tracking."""

from __future__ import annotations

import csv
import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import html_page, write_warc
from typer.testing import CliRunner as TyperRunner

from netpatrol.act.jurisdiction import SiteFacts
from netpatrol.act.notices import build_notice, render_notice
from netpatrol.act.packages import operation_folder
from netpatrol.act.recipients import Recipient, load_recipients
from netpatrol.act.refer import refer_operation
from netpatrol.act.routing import plan_packages, route_finding
from netpatrol.act.tracking import sync_from_rechecks
from netpatrol.act.verify_package import verify_package, verify_package_command
from netpatrol.cli import app as cli_app
from netpatrol.cli import main
from netpatrol.errors import InputError
from netpatrol.report.data import EvidenceItem, Finding, Jurisdiction, OperationInfo
from netpatrol.store.referrals import ReferralError, list_referrals, set_status
from netpatrol.store.schema import EventRow, OperationRow, ReferralItemRow
from netpatrol.workspace import Workspace, open_workspace

SAMPLES = Path(__file__).resolve().parents[1] / "netpatrol" / "samples"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OPERATION = OperationInfo("Pangea XVII", "Illegal online pharmacies", T0, None, ())


def finding(listing_id: int = 1, **changes: object) -> Finding:
    base = Finding(
        listing_id=listing_id,
        capture_id=listing_id,
        url=f"https://shop.example.de/p/{listing_id}",
        site="shop.example.de",
        platform=None,
        title="Elfenbein <Schnitzerei>",
        category="wildlife",
        score=0.93,
        labels=(
            "taxon:Loxodonta africana",
            "cites:Loxodonta africana:Appendix I (CITES checklist of 2013)",
            "product:ivory",
        ),
        evidence=(EvidenceItem("taxon", "Elefant", 0, 7), EvidenceItem("product", "Elfenbein")),
        price=1200.0,
        currency="EUR",
        price_eur=1200.0,
        quantity=1.0,
        unit=None,
        seller="ivory<b>king</b>",
        location="Berlin",
        jurisdiction=Jurisdiction(
            "DE", hosting="NL", hosting_network="Hoster BV", cctld="DE", seller="DE"
        ),
        species=("Loxodonta africana",),
        appendices=("I",),
        captured_at=T0,
        sha256="0" * 64,
        evidence_file="warc/x.warc.gz",
        evidence_offset=0,
        warc_record_id=None,
        status="online",
        removed_at=None,
        referrals=(),
        identifiers=(("paypal", "ivoryking"), ("iban", "DE89370400440532013000")),
        networks=(),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


FACTS = SiteFacts(
    domain="shop.example.de",
    hosting_country="NL",
    hosting_network="Hoster BV",
    cctld_country="DE",
    registrar="Example Registrar GmbH",
    registrar_country="DE",
    registrar_abuse_email="abuse@registrar.example",
)


# --- recipients and routing ---------------------------------------------------------------


def test_shipped_recipients_load_and_invent_no_contact() -> None:
    table = load_recipients()
    assert {r.key for r in table} >= {"fr-pharos", "fr-ansm", "payment-paypal"}
    pharos = next(r for r in table if r.key == "fr-pharos")
    assert pharos.contact == "https://www.internet-signalement.gouv.fr"
    # Only PHAROS's public portal is shipped as a contact: the others are to be filled in.
    assert [r.key for r in table if r.contact] == ["fr-pharos"]


def test_bad_recipients_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "recipients.csv"
    path.write_text(
        "key,kind,name,country,categories,language,contact,notes\n"
        "ok,police,Some police,FR,,fr,,\n"
        "bad,police,Other police,FR,fish,fr,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_recipients(path)
    assert "line 3" in str(caught.value) and "'categories'" in str(caught.value)
    path.write_text(
        "key,kind,name,country,categories,language,contact,notes\n"
        "x,police,P,FR,,fr,not a contact,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"line 2, column 'contact'"):
        load_recipients(path)


def test_route_stand_alone_site_to_host_registrar_payment_and_authorities() -> None:
    table = load_recipients()
    routes = {r.recipient.key: r for r in route_finding(finding(), FACTS, table)}
    assert set(routes) == {
        "host-hoster-bv",
        "registrar-example-registrar-gmbh",
        "payment-paypal",
        "payment-iban-de",
        "de-bfn",  # the German table row taking wildlife
        "authority-nl-wildlife-authority",  # hosting country, no Dutch row: generic
    }
    assert routes["registrar-example-registrar-gmbh"].recipient.contact == "abuse@registrar.example"
    assert routes["payment-paypal"].recipient.name.startswith("PayPal (Europe)")
    assert "ccTLD" in routes["de-bfn"].reason and "seller" in routes["de-bfn"].reason
    assert routes["authority-nl-wildlife-authority"].recipient.contact is None


def test_route_platform_listing_skips_host_and_uses_platform_notice_url() -> None:
    @dataclasses.dataclass(frozen=True)
    class Platform:
        name: str
        country: str | None
        notice_url: str | None

    on_platform = finding(
        site="leboncoin.fr",
        platform="leboncoin",
        identifiers=(),
        category="medicine",
        jurisdiction=Jurisdiction("FR", hosting="US", platform="FR", cctld="FR"),
    )
    facts = SiteFacts(
        domain="leboncoin.fr",
        hosting_network="Some Cloud",
        platform="leboncoin",
        platform_country="FR",
    )
    lookup = {"leboncoin.fr": Platform("leboncoin", "FR", "https://notice.example/form")}
    routes = route_finding(on_platform, facts, load_recipients(), lookup.get)
    keys = [r.recipient.key for r in routes]
    assert keys == ["platform-leboncoin", "fr-oclaesp", "fr-ansm"]  # no host, no US
    assert routes[0].recipient.contact == "https://notice.example/form"
    assert routes[0].recipient.language == "fr"


def test_plan_groups_findings_per_recipient() -> None:
    table = load_recipients()
    plans = plan_packages(
        [finding(1), finding(2), finding(3, identifiers=())], {"shop.example.de": FACTS}, table
    )
    sizes = {p.recipient.key: len(p.findings) for p in plans}
    assert sizes["host-hoster-bv"] == 3 and sizes["payment-paypal"] == 2
    assert [p.recipient.kind for p in plans][:2] == ["host", "registrar"]


# --- notices ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_notice_renders_findings_and_escapes_html(language: str) -> None:
    recipient = Recipient("de-bfn", "wildlife_authority", "Bundesamt für Naturschutz", "DE")
    notice = build_notice(
        "pangea-xvii-001",
        OPERATION,
        recipient,
        language,
        [finding()],
        {1: ["country of the domain (ccTLD)"]},
        {"evidence.warc.gz": "a" * 64, "findings.csv": "b" * 64},
        T0,
    )
    text = render_notice(notice, "txt")
    html = render_notice(notice, "html")
    for body in (text, html):
        assert "https://shop.example.de/p/1" in body
        assert "Loxodonta africana" in body and "2026-03-01T12:00:00+00:00" in body
        assert "0" * 64 in body and "a" * 64 in body
        assert "pangea-xvii-001" in body
    assert "Elfenbein <Schnitzerei>" in text
    assert "&lt;Schnitzerei&gt;" in html and "<Schnitzerei>" not in html
    assert "ivory&lt;b&gt;king" in html
    if language == "en":
        assert "listed in CITES Appendix I" in text and "NOT KNOWN" in text
        assert "Germany (DE)" in text
    else:
        assert "inscrit à la CITES (Appendix I" in text and "INCONNU" in text
        assert "Allemagne (DE)" in text and "Madame, Monsieur" in text


# --- a workspace with real evidence -------------------------------------------------------


@pytest.fixture(scope="module")
def evidence_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bundled bat listings (written evidence) + an uncompressed WARC (a verbatim source)."""
    root = tmp_path_factory.mktemp("refer") / "ws"
    warc = root.parent / "plain.warc"
    write_warc(
        warc,
        [
            (
                "https://shop.example.de/p/ivory",
                html_page("Elfenbein Schnitzerei", "Echtes Elfenbein, 1200 EUR"),
            )
        ],
        gzip=False,
    )
    assert main(["init", str(root)]) == 0
    assert main(["-w", str(root), "ingest", str(SAMPLES / "bat-listings.csv"), str(warc)]) == 0
    assert main(["-w", str(root), "scan"]) == 0
    with Workspace_(root) as ws, ws.store.session() as session, session.begin():
        session.add(OperationRow(name="Pangea XVII", started_at=T0))
    return root


class Workspace_:
    def __init__(self, root: Path) -> None:
        self.ws = open_workspace(root)

    def __enter__(self) -> Workspace:
        return self.ws

    def __exit__(self, *_: object) -> None:
        self.ws.close()


def real_findings(root: Path, limit: int = 4) -> list[Finding]:
    """Findings built on the workspace's real listings and captures (no report loader)."""
    with sqlite3.connect(root / "netpatrol.db") as db:
        rows = db.execute(
            "select l.id, c.id, coalesce(l.url, c.url), l.title, c.payload_sha256, c.captured_at,"
            " c.evidence_file, c.evidence_offset, c.warc_record_id from listings l"
            " join captures c on c.id = l.capture_id"
            " where c.evidence_file like 'sources/%' or l.id <= ? order by l.id",
            (limit,),
        ).fetchall()
    return [
        finding(
            listing_id,
            capture_id=capture_id,
            url=url,
            title=title,
            sha256=sha,
            captured_at=datetime.fromisoformat(at).replace(tzinfo=UTC) if at else None,
            evidence_file=file,
            evidence_offset=offset,
            warc_record_id=record_id,
        )
        for listing_id, capture_id, url, title, sha, at, file, offset, record_id in rows
    ]


@pytest.fixture
def ws(evidence_ws: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A fresh copy of the evidence workspace for each test (referrals start empty)."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(evidence_ws, root)
    with Workspace_(root) as opened:
        yield opened


def refer(ws: Workspace, found: list[Finding]) -> list[dict[str, object]]:
    outcome = refer_operation(ws, "Pangea XVII", findings=found, facts={"shop.example.de": FACTS})
    return [p.as_dict() for p in outcome.packages]


def test_packages_are_written_and_verify(ws: Workspace) -> None:
    found = real_findings(ws.root)
    assert len(found) == 5  # four bat listings and the page of the uncompressed WARC
    packages = refer(ws, found)
    host = next(p for p in packages if p["recipient_key"] == "host-hoster-bv")
    assert host["findings"] == 5
    folder = ws.root / str(host["path"])
    assert folder.parent == ws.root / "referrals" / "pangea-xvii"
    assert sorted(p.name for p in folder.iterdir()) == [
        "evidence.warc.gz",
        "findings.csv",
        "manifest.json",
        "notice.html",
        "notice.txt",
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["recipient"]["key"] == "host-hoster-bv"
    assert [f["payload_sha256"] for f in manifest["findings"]] == [f.sha256 for f in found]
    assert all(f["warc_record_id"].startswith("<urn:uuid:") for f in manifest["findings"])
    assert verify_package(folder) == []
    assert verify_package_command(folder) == 0
    rows = list(csv.DictReader((folder / "findings.csv").open(encoding="utf-8")))
    assert [r["url"] for r in rows] == [f.url for f in found]
    assert "NOT KNOWN" in (folder / "notice.txt").read_text()


@pytest.mark.parametrize("name", ["evidence.warc.gz", "findings.csv"])
def test_tampered_byte_is_found(ws: Workspace, name: str) -> None:
    packages = refer(ws, real_findings(ws.root))
    folder = ws.root / str(packages[0]["path"])
    target = folder / name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.chmod(0o644)
    target.write_bytes(bytes(data))
    problems = verify_package(folder)
    assert problems and any(str(target) in p and "altered" in p for p in problems), problems
    assert verify_package_command(folder) == 1


def test_refer_is_idempotent_and_new_findings_get_a_new_package(ws: Workspace) -> None:
    found = real_findings(ws.root)
    first = refer(ws, found[:3])
    assert refer(ws, found[:3]) == []
    again = refer(ws, found)
    host = [p for p in first + again if p["recipient_key"] == "host-hoster-bv"]
    assert [p["findings"] for p in host] == [3, 2]
    assert str(host[0]["path"]).split("/")[-1].startswith("00")
    assert host[0]["path"] != host[1]["path"]
    with sqlite3.connect(ws.root / "netpatrol.db") as db:
        items = db.execute(
            "select count(*), count(distinct url) from referral_items i join referrals r"
            " on r.id = i.referral_id where r.recipient_key = 'host-hoster-bv'"
        ).fetchone()
    assert items == (5, 5)
    assert verify_package(ws.root / str(host[0]["path"])) == []  # the first is untouched


def test_statuses_move_forward_with_times_and_events(ws: Workspace) -> None:
    packages = refer(ws, real_findings(ws.root, 1))
    referral_id = int(str(packages[0]["referral_id"]))
    sent = datetime.now(UTC) + timedelta(hours=1)
    summary = set_status(ws.store, referral_id, "sent", sent, note="e-mailed")
    assert (summary.status, summary.sent_at) == ("sent", sent)
    set_status(ws.store, referral_id, "acknowledged", sent + timedelta(hours=2))
    with pytest.raises(ReferralError, match="only move forward"):
        set_status(ws.store, referral_id, "sent")
    set_status(ws.store, referral_id, "refused", note="not illegal here")
    with pytest.raises(ReferralError):
        set_status(ws.store, referral_id, "removed")
    with ws.store.session() as session:
        events = session.query(EventRow).filter(EventRow.action == "referral.status").all()
    assert [(e.detail or {})["to"] for e in events] == ["sent", "acknowledged", "refused"]
    assert (events[0].detail or {})["note"] == "e-mailed"


def recheck_event(ws: Workspace, listing_id: int, outcome: str, at: datetime) -> None:
    with ws.store.session() as session, session.begin():
        session.add(
            EventRow(
                at=at,
                actor="test",
                action="crawl.recheck",
                subject_kind="listing",
                subject_id=listing_id,
                detail={"url": "x", "outcome": outcome, "reason": "http 404"},
            )
        )


def test_sync_from_rechecks_measures_takedown_time(ws: Workspace) -> None:
    found = real_findings(ws.root, 2)[:2]
    packages = refer(ws, found)
    host = next(p for p in packages if p["recipient_key"] == "host-hoster-bv")
    referral_id = int(str(host["referral_id"]))
    sent = datetime.now(UTC) + timedelta(minutes=1)
    set_status(ws.store, referral_id, "sent", sent)
    a, b = found[0].listing_id, found[1].listing_id
    recheck_event(ws, a, "removed", sent - timedelta(days=30))  # before the referral: ignored
    assert sync_from_rechecks(ws.store) == 0
    recheck_event(ws, a, "removed", sent + timedelta(hours=10))
    recheck_event(ws, b, "unreachable", sent + timedelta(hours=10))
    changed = sync_from_rechecks(ws.store)
    assert changed == len(packages)  # item a is in every package
    summary = list_referrals(ws.store, referral_ids=[referral_id])[0]
    assert (summary.status, summary.removed, summary.takedown_hours) == ("sent", 1, 10.0)
    recheck_event(ws, b, "seized", sent + timedelta(hours=30))
    recheck_event(ws, a, "removed", sent + timedelta(hours=30))  # still gone: time kept
    sync_from_rechecks(ws.store)
    summary = list_referrals(ws.store, referral_ids=[referral_id])[0]
    assert (summary.status, summary.removed, summary.takedown_hours) == ("removed", 2, 20.0)
    with ws.store.session() as session:
        statuses = {
            i.listing_id: i.status
            for i in session.query(ReferralItemRow).filter(
                ReferralItemRow.referral_id == referral_id
            )
        }
    assert statuses == {a: "removed", b: "seized"}
    assert sync_from_rechecks(ws.store) == 0


def test_referral_commands(ws: Workspace) -> None:
    packages = refer(ws, real_findings(ws.root, 1))
    # The real command line (registering the commands on another app would rebind the
    # module-level workspace of netpatrol.cli_refer for every later test).
    app, on = cli_app, ["-w", str(ws.root)]
    runner = TyperRunner()
    listed = runner.invoke(app, [*on, "referrals", "--operation", "Pangea XVII", "--json"])
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) == len(packages)
    first = str(packages[0]["referral_id"])
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    result = runner.invoke(app, [*on, "referral", "status", first, "sent", "--at", later])
    assert result.exit_code == 0, result.output
    assert f"referral {first}: sent" in result.stdout
    bad = runner.invoke(app, [*on, "referrals", "--operation", "nope"])
    assert bad.exit_code == 1 and "no operation named 'nope'" in str(bad.exception)


def test_refer_command_end_to_end(ws: Workspace) -> None:
    pytest.importorskip("netpatrol.report.findings")
    pytest.importorskip("netpatrol.store.jurisdictions")
    on = ["-w", str(ws.root)]
    result = TyperRunner().invoke(cli_app, [*on, "refer", "--operation", "Pangea XVII", "--json"])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert outcome["packages"]
    for package in outcome["packages"]:
        assert verify_package(ws.root / package["path"]) == []


def test_a_package_left_without_its_referral_by_a_crash_is_set_aside(ws: Workspace) -> None:
    """Written and renamed, then the commit never happened: the rerun must neither count
    it nor let it be sent; a half-written folder is removed."""
    found = real_findings(ws.root, 1)
    folder = operation_folder(ws.root, "Pangea XVII")
    (folder / "007-host-ghost").mkdir(parents=True)
    (folder / "007-host-ghost" / "manifest.json").write_text("{}", encoding="utf-8")
    (folder / ".partial-0123456789ab").mkdir()
    outcome = refer_operation(ws, "Pangea XVII", findings=found, facts={"shop.example.de": FACTS})
    assert any("007-host-ghost" in w and "set aside" in w for w in outcome.warnings)
    assert (folder / ".unrecorded-007-host-ghost" / "manifest.json").exists()
    assert not (folder / "007-host-ghost").exists()
    assert not list(folder.glob(".partial-*"))
    numbers = sorted(p.name[:3] for p in folder.glob("[0-9][0-9][0-9]-*"))
    assert numbers[0] == "001"  # the ghost's number is not counted
    assert all(verify_package(folder / p.path.split("/")[-1]) == [] for p in outcome.packages)
