"""Item cards of a list or search-result page: the repeated blocks that each hold a price.

Every element whose own text looks like a price votes for its ancestors, grouped by
(parent, tag, class). The group with the most distinct members that each hold a price is
the card list; among groups of equal size, the one nearest the prices wins (the cards
themselves, not the page column around them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.price_like import price_like

MIN_CARDS = 3
MAX_DEPTH = 8
MAX_PRICE_TEXT = 80
_SKIP = frozenset({"script", "style", "noscript", "template"})
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class CardGroup:
    cards: tuple[LexborNode, ...]
    price_nodes: int  # prices on the whole page, for the share the cards cover


def price_elements(root: LexborHTMLParser | LexborNode) -> list[LexborNode]:
    """Elements (under a page's body, or a card) whose own short text reads as a price."""
    top = root.body if isinstance(root, LexborHTMLParser) else root
    if top is None:
        return []
    found = []
    for node in top.traverse(include_text=False):
        own = node.text(deep=False, strip=True)
        # Both tests below need a digit in the element's own text: most elements have
        # none, and looking for one costs a fraction of the price pattern.
        if not own or _DIGIT.search(own) is None or node.tag in _SKIP:
            continue
        if len(own) <= MAX_PRICE_TEXT and price_like(own):
            found.append(node)
        elif len(own) <= MAX_PRICE_TEXT // 2:  # the whole text is at least as long
            # "30,000<sub>원</sub>": the number here, its currency in a child element.
            deep = node.text(deep=True, strip=True)
            if len(deep) <= MAX_PRICE_TEXT // 2 and price_like(deep):
                found.append(node)
    return found


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
