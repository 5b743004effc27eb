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

MIN_CARDS = 3
MAX_DEPTH = 8
# A number next to a currency sign or code, in either order.
_SIGNS = "€£$¥₹₽₺₴₸₩₪₫฿₱₦₿"
_CODES = (
    r"EUR|USD|GBP|CHF|PLN|CZK|SEK|NOK|DKK|HUF|RON|BGN|HRK|RSD|TRY|UAH|RUB|KZT|ISK|CAD|AUD|NZD"
    r"|BRL|ARS|MXN|INR|PKR|ZAR|JPY|CNY|KRW|SAR|AED|BTC|XMR|ETH|LTC|USDT"
    r"|zł|Kč|Ft|kr|kn|lei|лв|дин|din|руб|грн|тг|Rs|R\$|euros?"
)
PRICE_LIKE = re.compile(
    rf"(?:[{_SIGNS}]|\b(?:{_CODES})(?![a-zà-ÿ]))\s?\d"
    rf"|\d[\d\s.,'\u00a0\u202f]*\s?(?:[{_SIGNS}]|(?:{_CODES})(?![a-zà-ÿ])|원)",
    re.IGNORECASE,
)
MAX_PRICE_TEXT = 80
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
        if node.tag in {"script", "style", "noscript", "template"}:
            continue
        own = node.text(deep=False, strip=True)
        if own and len(own) <= MAX_PRICE_TEXT and PRICE_LIKE.search(own):
            found.append(node)
        elif own and _DIGIT.search(own):
            # "30,000<sub>원</sub>": the number here, its currency in a child element.
            deep = node.text(deep=True, strip=True)
            if len(deep) <= MAX_PRICE_TEXT // 2 and PRICE_LIKE.search(deep):
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
