"""The entity graph, reduced to what joins: principals and the evidence they share.

A *principal* is who acts: a seller account (platform + handle) on a marketplace, the
site itself for a web shop (a listing with no seller handle), or the listing alone when
it has neither. Listings hang off their principal; identifiers, copied texts and page
templates are evidence shared by principals. Strong and medium evidence (not a hub)
joins principals in a union-find; weak evidence never does. Components of two or more
principals are the networks (``netpatrol.link.assemble``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from netpatrol.link.facts import (
    TEMPLATE,
    TEXT,
    TIER_WEIGHT,
    LinkInput,
    LinkSettings,
    Tier,
    tier_of,
)
from netpatrol.link.hubs import Hub, HubJudge, HubList
from netpatrol.link.unionfind import UnionFind

SELLER, SITE, LISTING = "seller", "site", "listing"
SITE_KINDS = ("domain", "onion")  # identifiers that name a site: the site holds them


@dataclass
class Evidence:
    """One piece of linking evidence: what is shared, by whom, shown where."""

    kind: str
    tier: Tier
    value: str
    principals: list[int]
    listings: list[int]  # listing indexes that show it (the site itself when empty)
    weight: float
    # Evidence that sites show in their captures (``LinkInput.site_shared``): the sites,
    # and for each the first capture that showed it (capture id, when).
    sites: list[str] = field(default_factory=list)
    captures: list[tuple[int, datetime | None]] = field(default_factory=list)


@dataclass
class Principals:
    keys: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    platforms: list[str | None] = field(default_factory=list)  # of seller accounts
    index: dict[str, int] = field(default_factory=dict)
    of_listing: list[int] = field(default_factory=list)

    def get(self, key: str, kind: str, platform: str | None) -> int:
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.kinds.append(kind)
            self.platforms.append(platform)
        return found


def principals_of(data: LinkInput) -> Principals:
    found = Principals()
    for listing in data.listings:
        handle = (listing.seller or "").strip()
        if handle:
            platform = listing.site or "-"
            key = f"{SELLER}:{platform}/{handle.casefold()}"
            found.of_listing.append(found.get(key, SELLER, platform))
        elif listing.site:
            found.of_listing.append(found.get(f"{SITE}:{listing.site}", SITE, None))
        else:
            found.of_listing.append(found.get(f"{LISTING}:{listing.listing_id}", LISTING, None))
    return found


@dataclass
class Graph:
    principals: Principals
    sets: UnionFind
    evidence: list[Evidence]
    hubs: list[Hub]
    hub_identifiers: dict[int, Hub]  # identifier index -> its hub decision
    # Weak evidence (not a hub) shared by principals: it never joins; ``assemble`` shows
    # it inside the networks it corroborates and as weak links between others.
    weak: list[Evidence] = field(default_factory=list)


def build_graph(data: LinkInput, listed: HubList, settings: LinkSettings) -> Graph:
    principals = principals_of(data)
    sellers = Counter(
        p for p, k in zip(principals.platforms, principals.kinds, strict=True) if k == SELLER
    )
    judge = HubJudge(listed, settings, Counter({str(k): v for k, v in sellers.items()}))
    graph = Graph(principals, UnionFind(len(principals.keys)), [], [], {})
    _identifiers(data, graph, judge)
    for group in data.text_groups:
        _join(graph, judge, TEXT, f"same text in listings {_ids(data, group)}", group, [])
    if data.template_groups or data.site_shared:
        by_site = _sellers_by_site(principals)
        for sites in data.template_groups:
            holders = _site_holders(principals, by_site, sites)
            _join(graph, judge, TEMPLATE, " ".join(sorted(sites)), [], holders)
        for shared in data.site_shared:
            holders = _site_holders(principals, by_site, shared.sites)
            _join(
                graph,
                judge,
                shared.kind,
                shared.value,
                [],
                holders,
                # A hosting address or certificate is a hub when many *sites* show it,
                # whether or not they have listings (a CDN's edge in front of them all).
                count=len(shared.sites),
                shared=(shared.sites, shared.captures),
            )
    return graph


def _identifiers(data: LinkInput, graph: Graph, judge: HubJudge) -> None:
    """Join the principals that share an identifier, unless it is a hub."""
    shown: dict[int, list[int]] = {}
    for listing, identifier in data.mentions:
        shown.setdefault(identifier, []).append(listing)
    site_principal = {
        key[len(SITE) + 1 :]: i for key, i in graph.principals.index.items() if key.startswith(SITE)
    }
    for identifier, listings in shown.items():
        kind, value = data.identifiers[identifier]
        # A shop's own domain, mentioned elsewhere, joins the shop itself.
        own = site_principal.get(value) if kind in SITE_KINDS else None
        if len(listings) < 2 and own is None:
            continue
        hub = _join(
            graph, judge, kind, value, sorted(set(listings)), [own] if own is not None else []
        )
        if hub is not None:
            graph.hub_identifiers[identifier] = hub


def _join(
    graph: Graph,
    judge: HubJudge,
    kind: str,
    value: str,
    listings: list[int],
    extra: list[int],
    count: int | None = None,
    shared: tuple[list[str], list[tuple[int, datetime | None]]] | None = None,
) -> Hub | None:
    """``count``: holders for the frequency rule, when not the principals (sites)."""
    principals = graph.principals
    holders = sorted({principals.of_listing[i] for i in listings} | set(extra))
    if len(holders) < 2:
        return None
    platforms = Counter(
        str(principals.platforms[h]) for h in holders if principals.kinds[h] == SELLER
    )
    holding = max(count or 0, len(holders))
    why = judge.why(kind, value, holding, platforms)
    if why is not None:
        hub = Hub(kind, value, why, holding)
        graph.hubs.append(hub)
        return hub
    tier = tier_of(kind)
    item = Evidence(kind, tier, value, holders, listings, weight(tier, len(holders)))
    if shared is not None:
        item.sites, item.captures = shared
    if tier is Tier.WEAK:
        graph.weak.append(item)
        return None
    for holder in holders[1:]:
        graph.sets.union(holders[0], holder)
    graph.evidence.append(item)
    return None


def site_of_principal(principals: Principals, index: int) -> str | None:
    """The site a principal stands for: a shop's own, a seller's platform."""
    if principals.kinds[index] == SITE:
        return principals.keys[index][len(SITE) + 1 :]
    return principals.platforms[index] if principals.kinds[index] == SELLER else None


def weight(tier: Tier, holders: int) -> float:
    """What one piece of evidence adds to a network's strength: less when widely shared."""
    return TIER_WEIGHT[tier] / (1.0 + math.log10(max(holders, 2) / 2))


def _sellers_by_site(principals: Principals) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for i, (kind, platform) in enumerate(zip(principals.kinds, principals.platforms, strict=True)):
        if kind == SELLER and platform:
            found.setdefault(platform, []).append(i)
    return found


def _site_holders(
    principals: Principals, sellers_by_site: dict[str, list[int]], sites: list[str]
) -> list[int]:
    """Who a site template stands for: the shop itself, or a site's only seller; a
    marketplace's template says nothing about its many sellers."""
    holders = []
    for site in sites:
        own = principals.index.get(f"{SITE}:{site}")
        sellers = sellers_by_site.get(site, [])
        if own is not None:
            holders.append(own)
        elif len(sellers) == 1:
            holders.append(sellers[0])
    return holders


def _ids(data: LinkInput, group: list[int]) -> str:
    shown = ", ".join(str(data.listings[i].listing_id) for i in group[:5])
    return shown + (f" and {len(group) - 5} more" if len(group) > 5 else "")
