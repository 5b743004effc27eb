"""``netpatrol link`` and ``netpatrol networks``: JSON contract and graph exports."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from conftest import CliRunner
from test_link_world import planted, write_ads

from netpatrol.cli import app
from netpatrol.cli_link import register
from netpatrol.link.hubs import HubList, HubRule, load_hub_rules
from netpatrol.link.stable import match_ids
from netpatrol.workspace import open_workspace


@pytest.fixture
def linked(workspace: Path, cli: CliRunner) -> Path:
    if not any(c.name == "link" for c in app.registered_commands):  # until cli.py does it
        from netpatrol.cli import workspace as cli_workspace

        register(app, cli_workspace)
    ws = open_workspace(workspace)
    try:
        write_ads(ws.store, ws.evidence_dir, planted()[0])
    finally:
        ws.close()
    result = cli("--workspace", workspace, "link", "--max-holders", "8")
    assert result.code == 0, result.err
    assert "4 networks (4 new" in result.out
    return workspace


def test_networks_json_contract(linked: Path, cli: CliRunner) -> None:
    result = cli("--workspace", linked, "networks", "--json")
    assert result.code == 0, result.err
    found = result.json()
    assert isinstance(found, list) and len(found) == 4
    for network in found:
        assert {"id", "sites", "sellers", "identifiers", "evidence", "strength"} <= set(network)
    assert cli("--workspace", linked, "networks").out.startswith("N")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports(linked: Path, cli: CliRunner, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"networks.{fmt}"
    result = cli("--workspace", linked, "networks", "--format", fmt, "--out", target)
    assert result.code == 0, result.err
    if fmt == "graphml":
        graph = nx.read_graphml(target)
    elif fmt == "gexf":
        graph = nx.read_gexf(target)
    else:
        graph = nx.node_link_graph(__import__("json").loads(target.read_text()), edges="edges")
    assert "site:alpha-shop.com" in graph
    assert graph.nodes["seller:market-a.com/alpha1"]["type"] == "seller"
    assert any(d.get("kind") == "btc" for _, _, d in graph.edges(data=True))


def test_link_json_lists_hubs_and_reruns_keep_ids(linked: Path, cli: CliRunner) -> None:
    listed = cli("--workspace", linked, "networks", "--json").json()
    assert isinstance(listed, list)
    first = {n["id"] for n in listed}
    again = cli("--workspace", linked, "link", "--max-holders", "8", "--json").json()
    assert isinstance(again, dict) and again["kept"] == 4 and again["new"] == 0
    assert any(h["value"] == "support@market-a.com" for h in again["hubs"])
    listed = cli("--workspace", linked, "networks", "--json").json()
    assert isinstance(listed, list) and {n["id"] for n in listed} == first


def test_bad_export_options(linked: Path, cli: CliRunner) -> None:
    assert cli("--workspace", linked, "networks", "--format", "dot", "--out", "x").code == 2
    assert cli("--workspace", linked, "networks", "--format", "gexf").code == 2


def test_hub_list_shipped_and_globs() -> None:
    listed = HubList(load_hub_rules())
    assert listed.why("email", "Support@Some-Shop.fr")
    assert listed.why("domain", "t.me")
    assert listed.why("btc", "bc1qsomething") is None
    # Shared by unrelated shops of the extraction pages: a social network, a marketplace's
    # own sites, a carrier, a review service. A shop's own domain is no hub.
    for domain in ("linkedin.com", "amazon.co.uk", "ebay.de", "dhl.de", "trustedshops.de"):
        assert listed.why("domain", domain), domain
    assert listed.why("domain", "almedina.net") is None
    own = HubList([HubRule("*", "*@corp.example", "our own test addresses")])
    assert own.why("email", "a@corp.example") == "listed: our own test addresses"


def test_stable_ids_by_overlap() -> None:
    old = {1: ["a", "b"], 2: ["c", "d"], 3: ["e", "f"]}
    matching = match_ids([["a", "b", "c", "d", "x"], ["g", "h"], ["e"]], old)
    assert matching.ids == [1, None, 3]
    assert matching.merged == {2: 1}
    assert matching.gone == []
    assert match_ids([], old).gone == [1, 2, 3]
