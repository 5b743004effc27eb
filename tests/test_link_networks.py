"""Link on a generated patrol with known truth: planted networks recovered exactly,
decoys (weak signals only, hub identifiers) left alone, ids stable across runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_link_world import MARKET_A, MARKET_B, Ad, planted, write_ads

from netpatrol.link.assemble import LinkResult, link_networks
from netpatrol.link.facts import LinkSettings
from netpatrol.store import Store
from netpatrol.store.networks import load_networks, read_link_input, save_networks

SETTINGS = LinkSettings(max_holders=8)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    store = Store.open(f"sqlite:///{tmp_path / 'link.db'}")
    evidence = tmp_path / "evidence"
    ads, _ = planted()
    write_ads(store, evidence, ads)
    yield store, evidence
    store.close()


def run(store: Store, evidence: Path) -> LinkResult:
    result = link_networks(read_link_input(store, evidence), settings=SETTINGS)
    save_networks(store, result)
    return result


def test_planted_networks_are_recovered_exactly(world: tuple[Store, Path]) -> None:
    result = run(*world)
    _, truth = planted()
    assert sorted(map(sorted, (set(n.principals) for n in result.networks))) == sorted(
        map(sorted, truth)
    )


def test_decoys_and_hubs_are_left_alone_and_shown(world: tuple[Store, Path]) -> None:
    result = run(*world)
    hubs = {(h["kind"], h["value"]): h["why"] for h in result.hubs}
    # The widest-held first, then by kind and value: the same order on every run.
    order = [(-h["holders"], h["kind"], h["value"]) for h in result.hubs]
    assert len(order) > 2 and order == sorted(order)
    assert hubs[("email", "support@market-a.com")].startswith("listed:")
    assert "platform-wide" in hubs[("google_analytics", "UA-777000-1")]
    assert any(kind == "site_template" and "generic0.com" in value for kind, value in hubs)
    members = {m for n in result.networks for m in n.principals}
    assert not any("greenleaf" in m or "filler" in m[::-1] or "generic" in m for m in members)
    # The hubs a network's listings show are listed with it, with the reason.
    alpha = _network(list(load_networks(world[0])), "site:alpha-shop.com")
    assert {h["value"] for h in alpha["hubs"]} == {"support@market-a.com", "UA-777000-1"}


def test_network_json_has_members_evidence_and_figures(world: tuple[Store, Path]) -> None:
    run(*world)
    found = list(load_networks(world[0]))
    alpha = _network(found, "site:alpha-shop.com")
    for key in (
        "id",
        "sites",
        "sellers",
        "identifiers",
        "evidence",
        "strength",
        "categories",
        "countries",
        "platforms",
        "first_seen",
        "last_seen",
        "size",
        "listings",
    ):
        assert key in alpha
    assert alpha["sites"] == ["alpha-shop.com", "market-a.com", "market-b.org"]
    assert alpha["sellers"] == ["market-a.com/alpha1", "market-b.org/alphatwo"]
    assert alpha["platforms"] == ["market-a.com", "market-b.org"]
    kinds = {(e["kind"], e["tier"]) for e in alpha["evidence"]}
    assert {("btc", "strong"), ("phone", "strong")} <= kinds
    wallet = next(e for e in alpha["evidence"] if e["kind"] == "btc")
    assert {"listing", "capture", "seen"} <= set(wallet["listings"][0])
    assert alpha["first_seen"] < alpha["last_seen"]
    assert 0.9 < alpha["strength"] <= 1.0
    assert {"kind": "email", "value": "alpha@proton.me"} in alpha["identifiers"]
    template = _network(found, "site:b-three.shop")
    assert any(e["kind"] == "site_template" for e in template["evidence"])
    text = _network(found, "seller:market-b.org/charlie_c")
    assert any(e["kind"] == "near_duplicate_text" for e in text["evidence"])
    # Look-alike handles inside a network corroborate it (weak), never join alone.
    assert any(e["kind"] == "handle" and e["tier"] == "weak" for e in text["evidence"])


def test_relinking_keeps_ids_grows_and_merges(world: tuple[Store, Path]) -> None:
    store, evidence = world
    run(store, evidence)
    before = {n["id"]: set(n["members"]) for n in load_networks(store)}
    alpha_id = next(i for i, m in before.items() if "site:alpha-shop.com" in m)
    charlie_id = next(i for i, m in before.items() if "seller:market-b.org/chuck" in m)
    delta_id = next(i for i, m in before.items() if "site:d-shop.com" in m)
    more = [
        # A new account with network A's wallet, and a listing joining C and D.
        Ad(MARKET_B, "alpha3", "Horn", [("btc", "bc1qalphawallet")], day=40),
        Ad(
            MARKET_A,
            "bridge",
            "x",
            [("email", "c.trader@mail.example.net"), ("image_pdq", "cd" * 32)],
        ),
    ]
    write_ads(store, evidence, more, first=1000)
    run(store, evidence)
    after = {n["id"]: n for n in load_networks(store)}
    assert "seller:market-b.org/alpha3" in after[alpha_id]["members"]
    assert len(after) == len(before) - 1
    kept = charlie_id if charlie_id in after else delta_id
    assert {"site:d-shop.com", "seller:market-b.org/chuck"} <= set(after[kept]["members"])
    assert set(after) == set(before) - ({charlie_id, delta_id} - {kept})
    # Nothing new: the same ids, the same networks.
    run(store, evidence)
    assert {n["id"]: n["members"] for n in load_networks(store)} == {
        i: n["members"] for i, n in after.items()
    }


def _network(found: list[dict[str, Any]], member: str) -> dict[str, Any]:
    return next(n for n in found if member in n["members"])


def test_markets_are_platforms_not_members(world: tuple[Store, Path]) -> None:
    result = run(*world)
    assert not any(f"site:{MARKET_A}" in n.principals for n in result.networks)
    assert MARKET_B.startswith("www.")  # the site is its registrable domain
