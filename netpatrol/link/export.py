"""Networks as a graph file: GraphML, GEXF (Gephi) or node-link JSON (networkx).

Nodes: seller accounts, shops / sites, identifiers and other shared evidence (copied
texts, templates), and the listings that showed it; edges carry their kind, tier,
weight and, as JSON text, the listings, captures and times that are their evidence.
Every attribute is a string or a number: GraphML and GEXF allow nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

FORMATS = ("graphml", "gexf", "json")


def network_graph(networks: Iterable[dict[str, Any]]) -> nx.Graph:
    graph = nx.Graph()
    for network in networks:
        tag = {"network": int(network["id"])}
        for member in network["members"]:
            kind, _, name = member.partition(":")
            graph.add_node(member, type=kind, label=name, **tag)
        for seller in network["sellers"]:
            platform = seller.split("/", 1)[0]
            graph.add_node(f"site:{platform}", type="site", label=platform, **tag)
            graph.add_edge(f"seller:{seller}", f"site:{platform}", kind="account_on", **tag)
        for item in network["evidence"]:
            node = _evidence_node(item)
            graph.add_node(
                node, type=item["kind"], label=str(item["value"]), tier=item["tier"], **tag
            )
            for member in item["members"]:
                graph.add_edge(
                    member,
                    node,
                    kind=item["kind"],
                    tier=item["tier"],
                    weight=float(item["weight"]),
                    evidence=json.dumps(item["listings"] or item.get("captures", [])),
                    **tag,
                )
            for shown in item["listings"]:
                listing = f"listing:{shown['listing']}"
                graph.add_node(listing, type="listing", label=str(shown["listing"]), **tag)
                graph.add_edge(
                    listing,
                    node,
                    kind="shows",
                    capture=int(shown["capture"]),
                    seen=shown["seen"] or "",
                    **tag,
                )
    return graph


def _evidence_node(item: dict[str, Any]) -> str:
    prefix = "weak" if item["tier"] == "weak" else "identifier"
    return f"{prefix}:{item['kind']}:{item['value']}"


def write_graph(networks: Iterable[dict[str, Any]], path: Path, fmt: str) -> nx.Graph:
    graph = network_graph(networks)
    if fmt == "graphml":
        nx.write_graphml(graph, path)
    elif fmt == "gexf":
        nx.write_gexf(graph, path)
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {fmt!r}: expected one of {', '.join(FORMATS)}")
    return graph
