"""Link on what sites' servers show: a shared TLS certificate or favicon joins sites
(medium), a shared hosting address only corroborates (weak); a CDN's address and shared
certificate, a platform's default favicon are hubs. Known truth, as in test_link_networks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import CliRunner
from test_link_world import (
    CDN_CERT,
    CDN_IP,
    CERT_E,
    CLOUDFLARE_IP,
    DEFAULT_ICON,
    infrastructure,
    planted,
    write_ads,
    write_icons,
)

from netpatrol.cli import app
from netpatrol.cli_link import register
from netpatrol.link.assemble import LinkResult, link_networks
from netpatrol.link.facts import LinkInput, LinkSettings, ListingFact, SiteShared
from netpatrol.link.hubs import HubList, HubRule, load_hub_rules
from netpatrol.store import Store
from netpatrol.store.networks import load_networks, read_link_input, save_networks, site_shared
from netpatrol.workspace import open_workspace

SETTINGS = LinkSettings(max_holders=8)
DECOYS = ("h-one", "h-two", "h-three", "cdn", "wp", "n-one", "n-two", "cf-")


def fill(store: Store, evidence: Path) -> None:
    ads, icons, _ = infrastructure()
    write_ads(store, evidence, planted()[0] + ads)
    write_icons(store, evidence, icons)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    store = Store.open(f"sqlite:///{tmp_path / 'link.db'}")
    evidence = tmp_path / "evidence"
    fill(store, evidence)
    yield store, evidence
    store.close()


def run(store: Store, evidence: Path) -> LinkResult:
    result = link_networks(read_link_input(store, evidence), settings=SETTINGS)
    save_networks(store, result)
    return result


def _network(found: list[dict[str, Any]], member: str) -> dict[str, Any]:
    return next(n for n in found if member in n["members"])


def test_what_sites_share_is_read_from_captures_and_images(store: Store, tmp_path: Path) -> None:
    """On SQLite and PostgreSQL (the JSON look-ups into capture meta differ)."""
    fill(store, tmp_path / "evidence")
    shared = {(s.kind, s.value): s for s in site_shared(store)}
    assert shared[("tls_certificate", CERT_E)].sites == ["e-one.com", "e-two.net"]
    assert shared[("hosting_ip", "198.51.100.30")].sites == ["e-one.com", "h-three.com"]
    assert shared[("favicon", "md5:" + "f" * 32)].sites == ["f-forum.org", "f-shop.com"]
    assert shared[("favicon", "pdq:" + "9" * 64)].sites == ["g-one.com", "g-two.com"]
    assert len(shared[("favicon", "md5:" + DEFAULT_ICON)].sites) == 10
    assert not any(s.value == "md5:" + "a" * 32 for s in shared.values())  # a logo, no icon
    certificate = shared[("tls_certificate", CERT_E)]
    assert all(isinstance(c, int) and isinstance(w, datetime) for c, w in certificate.captures)


def test_planted_networks_recovered_exactly_with_infrastructure(
    world: tuple[Store, Path],
) -> None:
    result = run(*world)
    truth = planted()[1] + infrastructure()[2]
    assert sorted(map(sorted, (set(n.principals) for n in result.networks))) == sorted(
        map(sorted, truth)
    )
    members = {m for n in result.networks for m in n.principals}
    assert not any(decoy in m for m in members for decoy in DECOYS)


def test_cdn_addresses_certificates_and_default_favicons_are_hubs(
    world: tuple[Store, Path],
) -> None:
    result = run(*world)
    hubs = {(h["kind"], h["value"]): h for h in result.hubs}
    assert hubs[("tls_certificate", CDN_CERT)]["why"].startswith("frequent: shown by 10")
    assert hubs[("hosting_ip", CDN_IP)]["why"].startswith("frequent")
    assert hubs[("favicon", "md5:" + DEFAULT_ICON)]["holders"] == 10
    assert "Cloudflare" in hubs[("hosting_ip", CLOUDFLARE_IP)]["why"]
    assert hubs[("hosting_ip", CLOUDFLARE_IP)]["why"].startswith("listed:")


def test_evidence_of_sites_shows_sites_captures_and_tiers(world: tuple[Store, Path]) -> None:
    run(*world)
    found = list(load_networks(world[0]))
    e_net = _network(found, "site:e-one.com")
    by_kind = {e["kind"]: e for e in e_net["evidence"]}
    certificate = by_kind["tls_certificate"]
    assert certificate["tier"] == "medium" and certificate["value"] == CERT_E
    assert certificate["sites"] == ["e-one.com", "e-two.net"]
    assert {c["site"] for c in certificate["captures"]} == {"e-one.com", "e-two.net"}
    assert all(c["capture"] and c["seen"] for c in certificate["captures"])
    # The same address inside a network corroborates it (weak)...
    address = by_kind["hosting_ip"]
    assert address["tier"] == "weak" and address["value"] == "198.51.100.31"
    # ... and towards a shop outside, it is a weak link shown, never a merge.
    (link,) = e_net["weak_links"]
    assert link["kind"] == "hosting_ip" and link["other"] == "site:h-three.com"
    assert link["merged"] is False and link["value"] == "198.51.100.30"
    favicon = next(e for e in _network(found, "site:f-shop.com")["evidence"])
    assert (favicon["kind"], favicon["tier"]) == ("favicon", "medium")
    assert sorted(favicon["members"]) == ["seller:f-forum.org/fred", "site:f-shop.com"]
    near = _network(found, "site:g-one.com")["evidence"][0]
    assert near["kind"] == "favicon" and near["value"] == "pdq:" + "9" * 64
    # Weak evidence alone: a network of one address only is stronger than nothing, but
    # the certificate is what made it.
    assert e_net["strength"] > 0.6


def test_hub_frequency_counts_sites_not_only_principals() -> None:
    """A CDN address in front of twelve sites, three of which sell: still a hub."""
    listings = [ListingFact(i, i, f"shop{i}.com", None) for i in range(3)]
    sites = [f"shop{i}.com" for i in range(12)]
    data = LinkInput(
        listings=listings,
        site_shared=[
            SiteShared("tls_certificate", "ab" * 32, sites, [(i, None) for i in range(12)])
        ],
    )
    result = link_networks(data, HubList([]), SETTINGS)
    assert result.networks == []
    (hub,) = result.hubs
    assert hub["holders"] == 12 and hub["why"].startswith("frequent: shown by 12")
    few = LinkInput(listings=listings, site_shared=[SiteShared("favicon", "md5:x", sites[:3], [])])
    few.site_shared[0].captures = [(i, datetime(2026, 1, 1, tzinfo=UTC)) for i in range(3)]
    (network,) = link_networks(few, HubList([]), SETTINGS).networks
    assert network.summary["size"] == 3


def test_address_prefixes_in_the_hub_list() -> None:
    listed = HubList(load_hub_rules())
    assert "Cloudflare" in str(listed.why("hosting_ip", "104.16.1.1"))
    assert "Cloudflare" in str(listed.why("hosting_ip", "2606:4700::6810:101"))
    assert "loopback" in str(listed.why("hosting_ip", "127.0.0.1"))
    assert listed.why("hosting_ip", "198.51.100.20") is None
    assert listed.why("hosting_ip", "not an address") is None
    assert listed.why("email", "104.16.1.1") is None  # prefixes are per kind
    own = HubList([HubRule("hosting_ip", "198.51.100.0/24", "our shared host")])
    assert own.why("hosting_ip", "198.51.100.20") == "listed: our shared host (198.51.100.0/24)"


@pytest.fixture
def linked(workspace: Path, cli: CliRunner) -> Path:
    if not any(c.name == "link" for c in app.registered_commands):
        from netpatrol.cli import workspace as cli_workspace

        register(app, cli_workspace)
    ws = open_workspace(workspace)
    try:
        fill(ws.store, ws.evidence_dir)
    finally:
        ws.close()
    return workspace


def test_link_and_networks_json_show_the_new_evidence(
    linked: Path, cli: CliRunner, tmp_path: Path
) -> None:
    outcome = cli("--workspace", linked, "link", "--max-holders", "8", "--json").json()
    assert isinstance(outcome, dict) and outcome["networks"] == 7
    hub_kinds = {(h["kind"], h["value"]) for h in outcome["hubs"]}
    assert {("tls_certificate", CDN_CERT), ("hosting_ip", CDN_IP)} <= hub_kinds
    assert ("favicon", "md5:" + DEFAULT_ICON) in hub_kinds
    found = cli("--workspace", linked, "networks", "--json").json()
    assert isinstance(found, list)
    kinds = {(e["kind"], e["tier"]) for n in found for e in n["evidence"]}
    assert {("tls_certificate", "medium"), ("favicon", "medium"), ("hosting_ip", "weak")} <= kinds
    assert "tls_certificate" in cli("--workspace", linked, "networks").out
    target = tmp_path / "networks.graphml"
    assert cli("--workspace", linked, "networks", "--format", "graphml", "--out", target).code == 0
    graph = nx.read_graphml(target)
    assert f"identifier:tls_certificate:{CERT_E}" in graph
    assert "weak:hosting_ip:198.51.100.31" in graph
