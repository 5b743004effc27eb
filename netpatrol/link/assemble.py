"""Networks from the joined graph: members, evidence, hubs, weak links, figures."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from netpatrol.link.facts import HANDLE, LOCATION, LinkInput, LinkSettings, Tier
from netpatrol.link.graph import (
    SELLER,
    SITE,
    Evidence,
    Graph,
    build_graph,
    site_of_principal,
    weight,
)
from netpatrol.link.handles import similar_handles
from netpatrol.link.hubs import HubList, load_hub_rules

_SPACE = re.compile(r"\s+")


@dataclass
class Network:
    """One network, JSON-ready (``as_json``); ``principals`` are the keys that make it
    (accounts, shops), by which ``netpatrol link`` keeps its id from run to run."""

    principals: list[str]
    summary: dict[str, Any] = field(default_factory=dict)

    def as_json(self, network_id: int) -> dict[str, Any]:
        return {"id": network_id, **self.summary}


@dataclass
class LinkResult:
    networks: list[Network]
    hubs: list[dict[str, Any]]
    listings: int
    principals: int


def assemble(data: LinkInput, graph: Graph, settings: LinkSettings) -> LinkResult:
    principals = graph.principals
    sets = graph.sets
    components = {root: members for root, members in sets.groups().items()}
    by_principal: dict[int, list[int]] = {}
    for index, principal in enumerate(principals.of_listing):
        if sets.size[sets.find(principal)] > 1:
            by_principal.setdefault(principal, []).append(index)
    evidence: dict[int, list[Evidence]] = {}
    for item in graph.evidence:
        evidence.setdefault(sets.find(item.principals[0]), []).append(item)
    weak_links = _handles(data, graph, settings, evidence)
    _weak_shared(graph, evidence, weak_links)
    mentions: dict[int, list[int]] = {}
    for listing, identifier in data.mentions:
        if sets.size[sets.find(principals.of_listing[listing])] > 1:
            mentions.setdefault(listing, []).append(identifier)
    networks = []
    for root, members in components.items():
        listings = sorted(i for m in members for i in by_principal.get(m, []))
        found = evidence.setdefault(root, [])
        found.extend(_locations(data, graph, members, by_principal))
        network = Network(sorted(principals.keys[m] for m in members))
        network.summary = _summary(data, graph, settings, network, listings, found, mentions)
        network.summary["weak_links"] = weak_links.get(root, [])
        networks.append(network)
    networks.sort(key=lambda n: (-len(n.principals), n.principals[0]))
    # The widest-held first; a fixed order whatever order the evidence was met in.
    ordered = sorted(graph.hubs, key=lambda hub: (-hub.holders, hub.kind, hub.value))
    hubs = [vars(hub) for hub in ordered]
    return LinkResult(networks, hubs, len(data.listings), len(principals.keys))


def _summary(
    data: LinkInput,
    graph: Graph,
    settings: LinkSettings,
    network: Network,
    listings: list[int],
    evidence: list[Evidence],
    mentions: dict[int, list[int]],
) -> dict[str, Any]:
    facts = [data.listings[i] for i in listings]
    seen = [f.seen for f in facts if f.seen is not None]
    identifiers = sorted({i for x in listings for i in mentions.get(x, [])})
    hubs = [graph.hub_identifiers[i] for i in identifiers if i in graph.hub_identifiers]
    strength = 1.0
    for item in evidence:
        strength *= 1.0 - item.weight
    keys = network.principals
    return {
        "size": len(keys),
        "strength": round(1.0 - strength, 3),
        "sites": sorted({f.site for f in facts if f.site}),
        "sellers": [k[len(SELLER) + 1 :] for k in keys if k.startswith(SELLER + ":")],
        "shops": [k[len(SITE) + 1 :] for k in keys if k.startswith(SITE + ":")],
        "members": keys,
        "platforms": sorted(
            {k[len(SELLER) + 1 :].split("/")[0] for k in keys if k.startswith(SELLER + ":")}
        ),
        "identifiers": [
            {"kind": data.identifiers[i][0], "value": data.identifiers[i][1]}
            for i in identifiers
            if i not in graph.hub_identifiers
        ],
        "listings": [f.listing_id for f in facts],
        "evidence": [_evidence_json(data, graph, item, settings) for item in evidence],
        "hubs": [
            {"kind": h.kind, "value": h.value, "why": h.why, "holders": h.holders} for h in hubs
        ],
        "categories": dict(Counter(f.category for f in facts if f.category).most_common()),
        "countries": sorted({f.country for f in facts if f.country}),
        "locations": sorted({_location(f.location) for f in facts if f.location} - {""}),
        "first_seen": min(seen).isoformat() if seen else None,
        "last_seen": max(seen).isoformat() if seen else None,
    }


def _evidence_json(
    data: LinkInput, graph: Graph, item: Evidence, settings: LinkSettings
) -> dict[str, Any]:
    shown = []
    for index in item.listings[: settings.evidence_examples]:
        fact = data.listings[index]
        shown.append(
            {
                "listing": fact.listing_id,
                "capture": fact.capture_id,
                "seen": fact.seen.isoformat() if fact.seen else None,
            }
        )
    return {
        "kind": item.kind,
        "tier": item.tier.value,
        "value": item.value,
        "members": [graph.principals.keys[p] for p in item.principals],
        "weight": round(item.weight, 3),
        "listings": shown,
        "listings_count": len(item.listings),
        **(_sites_json(graph, item, settings) if item.sites else {}),
    }


def _sites_json(graph: Graph, item: Evidence, settings: LinkSettings) -> dict[str, Any]:
    """Site-level evidence: the sites that show it, each with the capture that did."""
    captures = [
        {"site": site, "capture": capture, "seen": seen.isoformat() if seen else None}
        for site, (capture, seen) in zip(item.sites, item.captures, strict=True)
    ]
    return {
        "sites": item.sites,
        "captures": captures[: max(settings.evidence_examples, len(item.principals))],
    }


def _weak_shared(
    graph: Graph, evidence: dict[int, list[Evidence]], links: dict[int, list[dict[str, Any]]]
) -> None:
    """Weak evidence sites share (a hosting address): corroborating inside a network,
    a weak link shown between a network and others, never a merge."""
    principals, sets = graph.principals, graph.sets
    keys = principals.keys
    for item in graph.weak:
        by_root: dict[int, list[int]] = {}
        for principal in item.principals:
            by_root.setdefault(sets.find(principal), []).append(principal)
        for root, inside in by_root.items():
            if len(inside) > 1:
                evidence.setdefault(root, []).append(_part(graph, item, inside))
            if sets.size[root] < 2 or len(by_root) < 2:
                continue
            for other in (p for r, ps in by_root.items() if r != root for p in ps):
                links.setdefault(root, []).append(
                    {
                        "kind": item.kind,
                        "tier": item.tier.value,
                        "value": item.value,
                        "member": keys[inside[0]],
                        "other": keys[other],
                        "merged": False,
                        "why": "weak evidence alone never joins networks",
                    }
                )


def _part(graph: Graph, item: Evidence, inside: list[int]) -> Evidence:
    """``item`` as shown by some of its holders only."""
    sites = {site_of_principal(graph.principals, p) for p in inside}
    kept = [i for i, site in enumerate(item.sites) if site in sites]
    holders = set(inside)
    return Evidence(
        item.kind,
        item.tier,
        item.value,
        inside,
        [i for i in item.listings if graph.principals.of_listing[i] in holders],
        weight(item.tier, len(inside)),
        [item.sites[i] for i in kept],
        [item.captures[i] for i in kept],
    )


def _location(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _locations(
    data: LinkInput, graph: Graph, members: list[int], by_principal: dict[int, list[int]]
) -> list[Evidence]:
    """Weak, corroborating only: members that ship from the same place."""
    places: dict[str, dict[int, list[int]]] = {}
    for member in members:
        for index in by_principal.get(member, []):
            place = _location(data.listings[index].location or "")
            if place:
                places.setdefault(place, {}).setdefault(member, []).append(index)
    return [
        Evidence(
            LOCATION,
            Tier.WEAK,
            place,
            sorted(holders),
            sorted(i for x in holders.values() for i in x),
            weight(Tier.WEAK, len(holders)),
        )
        for place, holders in sorted(places.items())
        if len(holders) > 1
    ]


def _handles(
    data: LinkInput, graph: Graph, settings: LinkSettings, evidence: dict[int, list[Evidence]]
) -> dict[int, list[dict[str, Any]]]:
    """Similar handles on two platforms: corroborating evidence inside a network; between
    two others, a weak link shown, never a merge."""
    keys, sets = graph.principals.keys, graph.sets
    links: dict[int, list[dict[str, Any]]] = {}
    for a, b, score in similar_handles(graph.principals, settings.handle_similarity):
        root_a, root_b = sets.find(a), sets.find(b)
        if root_a == root_b:
            item = Evidence(
                HANDLE,
                Tier.WEAK,
                f"{keys[a]} ~ {keys[b]} ({score:.0f})",
                [a, b],
                [],
                weight(Tier.WEAK, 2),
            )
            evidence.setdefault(root_a, []).append(item)
            continue
        for here, there, root in ((a, b, root_a), (b, a, root_b)):
            if sets.size[root] > 1:
                links.setdefault(root, []).append(
                    {
                        "kind": HANDLE,
                        "tier": Tier.WEAK.value,
                        "member": keys[here],
                        "other": keys[there],
                        "score": round(score, 1),
                        "merged": False,
                        "why": "weak evidence alone never joins networks",
                    }
                )
    return links


def link_networks(
    data: LinkInput, listed: HubList | None = None, settings: LinkSettings | None = None
) -> LinkResult:
    """The networks in ``data``: the whole Link stage, pure."""
    settings = settings or LinkSettings()
    listed = listed if listed is not None else HubList(load_hub_rules())
    return assemble(data, build_graph(data, listed, settings), settings)
