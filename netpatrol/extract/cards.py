"""Item cards of a list or search-result page: the repeated blocks that each hold a price.

Every element whose own text looks like a price votes for its ancestors, grouped by
(parent, tag, class). The group with the most distinct members that each hold a price is
the card list; among groups of equal size, the one nearest the prices wins (the cards
themselves, not the page column around them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.price_elements import price_elements

MIN_CARDS = 3
MAX_DEPTH = 8


@dataclass(frozen=True)
class CardGroup:
    cards: tuple[LexborNode, ...]
    price_nodes: int  # prices on the whole page, for the share the cards cover


def find_cards(tree: LexborHTMLParser, prices: list[LexborNode] | None = None) -> CardGroup | None:
    """The card group of a list page, or None when the page is not a list.

    ``prices``: the page's price elements, when the caller has them already."""
    prices = price_elements(tree) if prices is None else prices
    groups: dict[tuple[int, str, str], dict[int, LexborNode]] = {}
    depth_of: dict[tuple[int, str, str], int] = {}
    for price in prices:
        for depth, (ancestor, parent) in enumerate(_ancestors(price)):
            key = (parent.mem_id, ancestor.tag or "", ancestor.attributes.get("class") or "")
            groups.setdefault(key, {})[ancestor.mem_id] = ancestor
            depth_of[key] = min(depth_of.get(key, depth), depth)
    best = max(
        groups,
        key=lambda k: (len(groups[k]), -depth_of[k]),
        default=None,
    )
    if best is None or len(groups[best]) < MIN_CARDS:
        return None
    return CardGroup(tuple(groups[best].values()), len(prices))


def _ancestors(node: LexborNode) -> Iterator[tuple[LexborNode, LexborNode]]:
    """(ancestor, its parent) from the node itself upwards, MAX_DEPTH levels."""
    current = node
    for _ in range(MAX_DEPTH):
        parent = current.parent
        if parent is None or parent.tag in {"html", "#document"}:
            return
        yield current, parent
        current = parent
