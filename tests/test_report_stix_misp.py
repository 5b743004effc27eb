"""STIX 2.1 and MISP exports of a report: they parse with their own libraries, every finding
and identifier is there, networks are grouped, output is deterministic, and what a format
cannot express is reported."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import stix2
from pymisp import MISPEvent, MISPObject
from report_fixtures import sample_findings, sample_report

from netpatrol.report.data import (
    Finding,
    NetworkEdgeSummary,
    NetworkSummary,
    ReportData,
)
from netpatrol.report.misp import MispWriter
from netpatrol.report.stix import StixWriter
from netpatrol.report.stix_ext import FINDING_EXT, LINK_EXT, NETWORK_EXT, REPORT_EXT

ONION = "zyxwvutsrqponmlkjihgfedcba765432zyxwvutsrqponmlkjihgfedc.onion"
WALLETS = {
    "btc": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "eth": "0x52908400098527886E0F7030069857D2E4169EE7",
    "xmr": "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNb"
    "r2VBBEt7f2wfn3RVGQBEP3A",
    "ltc": "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9",
}
IBAN = "DE89370400440532013000"
PDQ = "f" * 64


def extra_report() -> ReportData:
    """The sample report plus a finding with one identifier of every kind, on an onion."""
    base = sample_findings()[2]
    extra = dataclasses.replace(
        base,
        listing_id=6,
        capture_id=106,
        url=f"http://{ONION}/shop/6",
        site=ONION,
        title='Evil "title" </script><!-- \u2028 \x00',
        category="weapons",
        seller="Vendor_X",
        status="seized",
        referrals=(1, 3),
        identifiers=(
            *((kind, value) for kind, value in WALLETS.items()),
            ("iban", IBAN),
            ("telegram", "guns_dealer"),
            ("telegram_invite", "AbCdEf123"),
            ("whatsapp", "+33612345678"),
            ("paypal", "gunshop"),
            ("gtm", "GTM-ABC1234"),
            ("onion", ONION),
            ("image_pdq", PDQ),
            ("mystery_plugin", "zzz"),
        ),
        networks=("network-2",),
    )
    report = sample_report()
    report.title = 'Hostile "title" \\ </script> \n\u2028 {"Event": 1}'
    report.findings.append(extra)
    report.referrals.append(
        dataclasses.replace(report.referrals[0], id=3, recipient="Host Co", recipient_kind="host")
    )
    report.top_networks.append(
        NetworkSummary(
            name="network-2",
            score=0.9,
            members=(f"site:{ONION}", "site:replicas.example.com", "btc:" + WALLETS["btc"]),
            edges=(
                NetworkEdgeSummary(f"site:{ONION}", "site:replicas.example.com", "btc", 0.9),
                NetworkEdgeSummary(f"site:{ONION}", "listing:999", "image", 0.6),
            ),
            listings=2,
        )
    )
    return report


def write_stix(report: ReportData, path: Path) -> tuple[dict[str, Any], list[str]]:
    warnings = StixWriter().write(report, path)
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded, warnings


def by_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


# -- STIX ---------------------------------------------------------------------------------


def test_stix_bundle_parses_strictly_and_leniently(tmp_path: Path) -> None:
    bundle, _ = write_stix(extra_report(), tmp_path / "r.stix.json")
    assert stix2.parse(bundle, allow_custom=True).type == "bundle"
    # The declared extensions are registered: strict parsing validates them too.
    parsed = stix2.parse(bundle, allow_custom=False)
    assert len(parsed.objects) == len(bundle["objects"])
    assert not any(o["type"].startswith("x-") for o in bundle["objects"])
    assert not any(k.startswith("x_") for o in bundle["objects"] for k in o)


def test_stix_every_finding_and_identifier(tmp_path: Path) -> None:
    report = extra_report()
    bundle, _ = write_stix(report, tmp_path / "r.stix.json")
    urls = {o["value"] for o in by_type(bundle, "url")}
    assert {f.url for f in report.findings} <= urls
    assert "https://t.me/+AbCdEf123" in urls
    wallets = {(o["currency"], o["address"]) for o in by_type(bundle, "cryptocurrency-wallet")}
    assert wallets == {(k.upper(), v) for k, v in WALLETS.items()}
    phones = {o["value"]: o for o in by_type(bundle, "phone-number")}
    assert phones["+33612345678"]["services"] == ["whatsapp"]
    assert phones["+33612345678"]["country"] == "FR"
    assert [o["iban"] for o in by_type(bundle, "bank-account")] == [IBAN]
    assert {o["value"] for o in by_type(bundle, "email-addr")} == {"pharma.direct@example.org"}
    assert ONION in {o["value"] for o in by_type(bundle, "domain-name")}
    accounts = {
        (o.get("account_type"), o["account_login"]) for o in by_type(bundle, "user-account")
    }
    assert {("telegram", "guns_dealer"), ("paypal", "gunshop"), (None, "jean.dupont")} <= accounts
    # New SCOs name their extension definition, which is in the bundle.
    definitions = {o["id"]: o for o in by_type(bundle, "extension-definition")}
    for wallet in by_type(bundle, "cryptocurrency-wallet"):
        (ext_id,) = wallet["extensions"]
        assert definitions[ext_id]["extension_types"] == ["new-sco"]
    for ext in (FINDING_EXT, NETWORK_EXT, LINK_EXT, REPORT_EXT):
        assert definitions[ext]["extension_types"] == ["property-extension"]

    observed = {
        o["extensions"][FINDING_EXT]["listing_id"]: o for o in by_type(bundle, "observed-data")
    }
    assert set(observed) == {f.listing_id for f in report.findings}
    six = observed[6]["extensions"][FINDING_EXT]
    assert six["status"] == "seized" and six["category"] == "weapons"
    assert six["evidence_sha256"] == report.findings[-1].sha256
    assert f"image_pdq:{PDQ}" in six["identifiers"]
    removed = observed[1]["extensions"][FINDING_EXT]
    assert removed["status"] == "removed" and removed["removed_at"].startswith("2026-10-08")


def test_stix_indicators_and_relationships(tmp_path: Path) -> None:
    bundle, _ = write_stix(extra_report(), tmp_path / "r.stix.json")
    patterns = {o["pattern"] for o in by_type(bundle, "indicator")}
    assert "[url:value = 'https://guns.example.de/glock-19']" in patterns
    assert "[domain-name:value = 'guns.example.de']" in patterns
    assert "[domain-name:value = 'leboncoin.fr']" not in patterns  # a marketplace
    assert "[email-addr:value = 'pharma.direct@example.org']" in patterns
    assert "[phone-number:value = '+33612345678']" in patterns
    assert f"[cryptocurrency-wallet:address = '{WALLETS['xmr']}']" in patterns
    assert f"[bank-account:iban = '{IBAN}']" in patterns
    ids = {o["id"]: o for o in bundle["objects"]}
    pairs = {
        (ids[r["source_ref"]]["type"], ids[r["target_ref"]]["type"], r["relationship_type"])
        for r in by_type(bundle, "relationship")
    }
    assert ("url", "cryptocurrency-wallet", "related-to") in pairs
    assert ("url", "phone-number", "related-to") in pairs
    assert ("url", "email-addr", "related-to") in pairs
    assert ("indicator", "observed-data", "based-on") in pairs
    # Everything but the report is in the report.
    (report,) = by_type(bundle, "report")
    assert set(report["object_refs"]) == set(ids) - {report["id"]}
    assert report["extensions"][REPORT_EXT]["totals"]["listings"] == 5.0


def test_stix_networks_are_groupings(tmp_path: Path) -> None:
    bundle, warnings = write_stix(extra_report(), tmp_path / "r.stix.json")
    ids = {o["id"]: o for o in bundle["objects"]}
    groups = {g["name"]: g for g in by_type(bundle, "grouping")}
    assert set(groups) == {"network-1", "network-2"}
    one = groups["network-1"]
    assert one["context"] == "suspicious-activity"
    members = {
        (ids[r]["type"], ids[r].get("value") or ids[r].get("account_login"))
        for r in one["object_refs"]
    }
    assert {
        ("domain-name", "shop1.example.fr"),
        ("domain-name", "leboncoin.fr"),
        ("user-account", "jean.dupont"),
    } <= members
    (edge,) = [ids[r] for r in one["object_refs"] if ids[r]["type"] == "relationship"]
    assert edge["extensions"][LINK_EXT]["kind"] == "phone"
    assert ids[edge["source_ref"]]["value"] == "shop1.example.fr"
    assert ids[edge["target_ref"]]["account_login"] == "jean.dupont"
    two = groups["network-2"]
    assert any(ids[r]["type"] == "cryptocurrency-wallet" for r in two["object_refs"])
    assert two["extensions"][NETWORK_EXT]["listings"] == 2
    assert any("listing:999" in w for w in warnings)


def test_stix_warnings_list_unexpressed(tmp_path: Path) -> None:
    _, warnings = write_stix(extra_report(), tmp_path / "r.stix.json")
    assert any("image_pdq" in w for w in warnings)
    assert any("mystery_plugin" in w for w in warnings)
    _, clean = write_stix(sample_report(), tmp_path / "s.stix.json")
    assert clean == []


def test_stix_deterministic(tmp_path: Path) -> None:
    StixWriter().write(extra_report(), tmp_path / "a.stix.json")
    StixWriter().write(extra_report(), tmp_path / "b.stix.json")
    assert (tmp_path / "a.stix.json").read_bytes() == (tmp_path / "b.stix.json").read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_stix_hostile_title(tmp_path: Path) -> None:
    report = extra_report()
    bundle, _ = write_stix(report, tmp_path / "r.stix.json")
    (found,) = by_type(bundle, "report")
    assert found["name"] == report.title
    titles = {o["extensions"][FINDING_EXT].get("title") for o in by_type(bundle, "observed-data")}
    assert report.findings[-1].title in titles


def test_stix_pattern_quotes_escaped(tmp_path: Path) -> None:
    report = sample_report()
    odd = dataclasses.replace(
        report.findings[3], listing_id=7, url="https://replicas.example.com/it's\\x"
    )
    report.findings.append(odd)
    bundle, _ = write_stix(report, tmp_path / "r.stix.json")
    assert "[url:value = 'https://replicas.example.com/it\\'s\\\\x']" in {
        o["pattern"] for o in by_type(bundle, "indicator")
    }
    stix2.parse(bundle, allow_custom=False)


# -- MISP ---------------------------------------------------------------------------------


def load_misp(path: Path) -> MISPEvent:
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert set(raw) == {"Event"}
    event = MISPEvent()
    event.load(raw)
    return event


def objects(event: MISPEvent, name: str) -> list[MISPObject]:
    return [o for o in event.objects if o.name == name]


def values(obj: MISPObject, relation: str) -> list[Any]:
    return [a.value for a in obj.get_attributes_by_relation(relation)]


@pytest.fixture
def misp(tmp_path: Path) -> tuple[MISPEvent, list[str], ReportData]:
    report = extra_report()
    warnings = MispWriter().write(report, tmp_path / "r.misp.json")
    return load_misp(tmp_path / "r.misp.json"), warnings, report


def test_misp_event_loads(misp: tuple[MISPEvent, list[str], ReportData]) -> None:
    event, _, report = misp
    assert event.info == report.title  # hostile title survives JSON
    assert int(event.distribution) == 0
    assert int(event.threat_level_id) == 1  # drugs, medicines, weapons
    assert int(event.analysis) == 2  # the operation has ended
    assert str(event.date) == "2026-10-13"


def test_misp_objects_and_relations(misp: tuple[MISPEvent, list[str], ReportData]) -> None:
    event, _, report = misp
    listing_urls = {v for o in objects(event, "malicious-website") for v in values(o, "url")}
    listing_urls |= {v for o in objects(event, "url") for v in values(o, "url")}
    assert {f.url for f in report.findings} <= listing_urls
    (platform,) = [o for o in objects(event, "url") if "leboncoin.fr" in values(o, "domain")]
    (domain,) = platform.get_attributes_by_relation("domain")
    assert domain.to_ids is False  # a marketplace's domain is no indicator
    coins = {
        (values(o, "symbol")[0], rel, values(o, rel)[0])
        for o in objects(event, "coin-address")
        for rel in ("address", "address-xmr", "address-crypto")
        if values(o, rel)
    }
    assert coins == {
        ("BTC", "address", WALLETS["btc"]),
        ("XMR", "address-xmr", WALLETS["xmr"]),
        ("ETH", "address-crypto", WALLETS["eth"]),
        ("LTC", "address-crypto", WALLETS["ltc"]),
    }
    (phone,) = objects(event, "phone-number")  # phone and WhatsApp of one number: one object
    assert values(phone, "phone-number") == ["+33612345678"]
    assert phone.get_attributes_by_relation("phone-number")[0].to_ids is True
    assert values(phone, "text") == ["WhatsApp"]
    (email,) = objects(event, "email")
    assert values(email, "from") == ["pharma.direct@example.org"]
    assert email.get_attributes_by_relation("from")[0].to_ids is True
    assert values(objects(event, "bank-account")[0], "iban") == [IBAN]
    assert values(objects(event, "telegram-account")[0], "username") == ["guns_dealer"]
    onions = {values(o, "address")[0] for o in objects(event, "tor-hiddenservice")}
    assert onions == {ONION, report.findings[2].site}  # one object per onion service
    assert {values(o, "tracker")[0] for o in objects(event, "tracking-id")} == {
        "Google Analytics",
        "Google Tag Manager",
    }
    # Listing -> identifier references, by uuid.
    by_uuid = {o.uuid: o for o in event.objects}
    (seized,) = [o for o in objects(event, "malicious-website") if ONION in values(o, "domain")]
    assert values(seized, "status") == ["takedown"]
    targets = {(r.relationship_type, by_uuid[r.referenced_uuid].name) for r in seized.references}
    assert ("mentions", "coin-address") in targets
    assert ("mentions", "phone-number") in targets
    assert ("hosted-by", "tor-hiddenservice") in targets
    assert ("authored-by", "user-account") in targets
    for obj in event.objects:
        for ref in obj.references:
            assert ref.referenced_uuid in by_uuid


def test_misp_tags(misp: tuple[MISPEvent, list[str], ReportData]) -> None:
    event, _, _ = misp
    tags = {t.name for t in event.tags}
    assert 'netpatrol:category="wildlife"' in tags
    assert 'dark-web:topic="drugs-narcotics"' in tags
    assert 'dark-web:motivation="marketplace-for-sale"' in tags
    url_tags = {
        a.value: {t.name for t in a.tags}
        for o in event.objects
        for a in o.attributes
        if a.object_relation == "url"
    }
    removed = url_tags["https://shop1.example.fr/offer/1"]
    assert {'netpatrol:action="removed"', 'netpatrol:action="referred"'} <= removed
    seized = url_tags[f"http://{ONION}/shop/6"]
    assert 'netpatrol:action="seized"' in seized
    assert "action-taken:informed ISP/Hosting Service Provider" in seized
    assert 'netpatrol:category="weapons"' in seized


def test_misp_networks(misp: tuple[MISPEvent, list[str], ReportData]) -> None:
    event, _, _ = misp
    by_uuid = {o.uuid: o for o in event.objects}
    notes = [o for o in objects(event, "annotation") if "network-1" in values(o, "text")[0]]
    (note,) = notes
    annotated = {by_uuid[r.referenced_uuid].name for r in note.references}
    assert {"malicious-website", "url", "user-account"} <= annotated
    edges = [r for o in event.objects for r in o.references if r.relationship_type == "related-to"]
    assert any("phone" in (r.comment or "") for r in edges)


def test_misp_unexpressed_listed(misp: tuple[MISPEvent, list[str], ReportData]) -> None:
    event, warnings, _ = misp
    assert any("image_pdq" in w for w in warnings)
    assert any("mystery_plugin" in w for w in warnings)
    assert any("listing:999" in w for w in warnings)
    (listed,) = [o for o in objects(event, "annotation") if "image_pdq" in values(o, "text")[0]]
    assert PDQ in values(listed, "text")[0]


def test_misp_deterministic_and_clean(tmp_path: Path) -> None:
    MispWriter().write(extra_report(), tmp_path / "a.misp.json")
    MispWriter().write(extra_report(), tmp_path / "b.misp.json")
    assert (tmp_path / "a.misp.json").read_bytes() == (tmp_path / "b.misp.json").read_bytes()
    assert MispWriter().write(sample_report(), tmp_path / "s.misp.json") == []
    assert not list(tmp_path.glob(".*.tmp"))


def test_writers_registry_finds_both(tmp_path: Path) -> None:
    writers = pytest.importorskip("netpatrol.report.writers")
    assert isinstance(writers.writer_for(tmp_path / "x.stix.json"), StixWriter)
    assert isinstance(writers.writer_for(tmp_path / "x.misp.json"), MispWriter)


def test_finding_without_url(tmp_path: Path) -> None:
    report = sample_report()
    bare: Finding = dataclasses.replace(report.findings[4], listing_id=8, url=None, site=None)
    report.findings.append(bare)
    _, stix_warnings = write_stix(report, tmp_path / "r.stix.json")
    misp_warnings = MispWriter().write(report, tmp_path / "r.misp.json")
    assert any("finding 8" in w for w in stix_warnings)
    assert any("finding 8" in w for w in misp_warnings)
