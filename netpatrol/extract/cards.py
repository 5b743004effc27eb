"""Item cards of a list or search-result page: the repeated blocks that each hold a price.

Every element whose own text looks like a price votes for its ancestors, grouped by
(parent, tag, class without the words that tell one card from the next). The group with
the most distinct members that each hold a price is the card list; among groups of equal
size, the one nearest the prices wins (the cards
themselves, not the page column around them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.furniture import Verdicts, in_furniture
from netpatrol.extract.price_elements import price_elements

MIN_CARDS = 3
MAX_DEPTH = 12
# A list page: cards hold nearly all prices of the page's content.
LIST_COVERAGE = 0.9
LIST_COVERAGE_MANY = 0.75
MANY_CARDS = 8


@dataclass(frozen=True)
class CardGroup:
    cards: tuple[LexborNode, ...]  # in page order, with the cards that show no price
    price_nodes: int  # prices on the whole page, for the share the cards cover
    # The cards that hold a price: whether the page is a list is judged on these alone
    # (the siblings added to them would make a product page's grid of links a list).
    priced: tuple[LexborNode, ...]


def find_cards(tree: LexborHTMLParser, prices: list[LexborNode] | None = None) -> CardGroup | None:
    """The card group of a list page, or None when the page is not a list.

    ``prices``: the page's price elements, when the caller has them already."""
    prices = price_elements(tree) if prices is None else prices
    groups: dict[tuple[int, str, str], dict[int, LexborNode]] = {}
    depth_of: dict[tuple[int, str, str], int] = {}
    for price in prices:
        for depth, (ancestor, parent) in enumerate(_ancestors(price)):
            key = (parent.mem_id, ancestor.tag or "", _kind_of(ancestor))
            groups.setdefault(key, {})[ancestor.mem_id] = ancestor
            depth_of[key] = min(depth_of.get(key, depth), depth)
    best = max(
        groups,
        key=lambda k: (len(groups[k]), -depth_of[k]),
        default=None,
    )
    if best is None or len(groups[best]) < MIN_CARDS:
        return None
    members = groups[best]
    return CardGroup(_completed(members), len(prices), tuple(members.values()))


def _completed(members: dict[int, LexborNode]) -> tuple[LexborNode, ...]:
    """The cards in page order, with their siblings of the same kind that show no price
    (an ad with no price, a swap, "Oddam") or that a variant class sets apart ("s-card
    s-card--sponsored" beside "s-card"): same tag, same first class word, a link and text."""
    first = next(iter(members.values()))
    parent = first.parent
    if parent is None:
        return tuple(members.values())
    tag, word = first.tag, _first_word(first)
    cards = []
    for child in parent.iter(include_text=False):
        if child.mem_id in members or (
            child.tag == tag and word and _first_word(child) == word and _card_like(child)
        ):
            cards.append(child)
    return tuple(cards)


# Class words that set one card apart from its siblings, not a kind of element: WooCommerce
# writes "product type-product post-4137 status-publish first instock product_cat-horn
# sale purchasable" on each card, with its own post id, row position and stock state.
_CARD_STATE = frozenset(
    {
        "first",
        "last",
        "odd",
        "even",
        "instock",
        "outofstock",
        "onbackorder",
        "sale",
        "featured",
        "downloadable",
        "virtual",
        "taxable",
        "shipping-taxable",
        "purchasable",
        "has-post-thumbnail",
    }
)
_CARD_STATE_PREFIXES = ("product_cat-", "product_tag-", "product-type-", "pa_")
# A card's own id in its class ("post-4137"); not every word with a digit ("css-1mavfq0"
# names a kind of element, "col-6" a column).
_POST_ID = re.compile(r"(?:post|product|item|entry)-\d+")
# A card's position as a BEM modifier ("EntityList-item--n1" on Njuškalo).
_NUMBERED = re.compile(r"[\w-]+--[a-z]?\d+")


def _kind_of(node: LexborNode) -> str:
    """The element's class without the words of one card's own (its id, row position and
    stock state)."""
    return " ".join(
        word
        for word in (node.attributes.get("class") or "").split()
        if word not in _CARD_STATE
        and not word.startswith(_CARD_STATE_PREFIXES)
        and _POST_ID.fullmatch(word) is None
        and _NUMBERED.fullmatch(word) is None
    )


def _first_word(node: LexborNode) -> str:
    words = (node.attributes.get("class") or "").split()
    return words[0] if words else ""


MIN_CARD_TEXT = 10


def _card_like(node: LexborNode) -> bool:
    """An offer's card rather than an ad slot or a banner: a link and some text."""
    return node.css_first("a[href]") is not None and len(node.text(strip=True)) >= MIN_CARD_TEXT


def _ancestors(node: LexborNode) -> Iterator[tuple[LexborNode, LexborNode]]:
    """(ancestor, its parent) from the node itself upwards, MAX_DEPTH levels."""
    current = node
    for _ in range(MAX_DEPTH):
        parent = current.parent
        if parent is None or parent.tag in {"html", "#document"}:
            return
        yield current, parent
        current = parent


def list_cards(tree: LexborHTMLParser, prices: list[LexborNode]) -> tuple[LexborNode, ...] | None:
    """The item cards of a list page, or None when the page is not a list.

    The cards must hold nearly every price of the page's content (prices in its header,
    footer, mini-cart or related-products boxes do not count), or, with a second list
    beside them (promoted ads in a sidebar), the two lists every one."""
    group = find_cards(tree, prices)
    if group is None:
        return None
    verdicts: Verdicts = {}
    content = [p for p in prices if not in_furniture(p, verdicts)]
    if not content:
        # Every price stands in the furniture: an ad page with no price of its own (a
        # gift, "price on request") and other ads beside it, not a list.
        return None
    inside = _members(group)
    if not any(p.mem_id in inside for p in content):
        # The most repeated prices stand in the furniture (a dark-web vendor's 30 feedback
        # rows beside 12 items): the cards are among the content's prices, if anywhere.
        group = find_cards(tree, content)
        if group is None:
            return None
        inside = _members(group)
    coverage = sum(1 for p in content if p.mem_id in inside) / len(content)
    if coverage >= LIST_COVERAGE or (
        coverage >= LIST_COVERAGE_MANY and len(group.priced) >= MANY_CARDS
    ):
        return _with_featured(tree, group.cards, {p.mem_id for p in content} - inside)
    rest = [p for p in content if p.mem_id not in inside]
    second = find_cards(tree, rest) if len(rest) >= MIN_CARDS else None
    if second is not None and {p.mem_id for p in rest} <= _members(second):
        return group.cards + second.cards
    return None


def _with_featured(
    tree: LexborHTMLParser, cards: tuple[LexborNode, ...], outside: set[int]
) -> tuple[LexborNode, ...]:
    """The cards, with the cards of the same kind that a featured block above the results
    holds (Jófogás's "kiemelt" ads, Njuškalo's "VauVau" list): same tag and first class
    word, each holding a price of the page's content that the cards do not hold; in page
    order."""
    word = _first_word(cards[0])
    if not outside or not word or '"' in word or "\\" in word:
        return cards
    own = {card.mem_id for card in cards}
    found = []
    for node in tree.css(f'{cards[0].tag}[class~="{word}"]'):
        if node.mem_id in own:
            found.append(node)
            continue
        inside = {n.mem_id for n in node.traverse(include_text=False)}
        if inside & outside and not inside & own and _card_like(node):
            found.append(node)
    return tuple(found) if own <= {n.mem_id for n in found} else cards


def _members(group: CardGroup) -> set[int]:
    """The elements inside the cards the verdict counts: the priced cards; with many of
    them, also their siblings of a variant class ("s-result-item AdHolder", sponsored
    results), which a product page's few priced boxes must not gain."""
    cards = group.cards if len(group.priced) >= MANY_CARDS else group.priced
    return {n.mem_id for card in cards for n in card.traverse(include_text=False)}
