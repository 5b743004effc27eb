"""The page's furniture: what stands around its content on every page of a site.

The page header, navigation and footer, a mini-cart ("Basket 0,00 €") and boxes of other
products (related, recommended, recently viewed). Their prices are not the offer's, and
they do not make a product page a list.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from netpatrol.extract.dom import element_markers
from netpatrol.extract.wordtrie import word_trie

# <header> and <footer> inside an article, main or section head that block, not the page.
_PAGE_TAGS = frozenset({"header", "footer"})
_CONTENT_TAGS = frozenset({"article", "main", "section"})
_TOP = frozenset({"body", "html", "#document"})
# Class or id words of a mini-cart (not "cart" alone: "cart-wrapper", "add-to-cart" hold
# the buy box and its price) or of other products' boxes. An <aside> may hold the buy box
# itself: it is not furniture by its tag.
_MARKERS = (
    "minicart",
    "mini-cart",
    "mini_cart",
    "header-cart",
    "headercart",
    "top-cart",
    "topcart",
    "cart-total",
    "cart-summary",
    "basket-total",
    "basket-summary",
    "related",
    "recommend",
    "upsell",
    "up-sell",
    "cross-sell",
    "crosssell",
    "recently",
    "similar",
)

# One scan, one branch per letter (wordtrie), not a search per word.
_MARKER = re.compile(word_trie(list(_MARKERS)))
# Per element judged: (in the furniture, inside an article, main or section).
Verdicts = dict[int, tuple[bool, bool]]


def in_furniture(node: LexborNode, verdicts: Verdicts) -> bool:
    """Whether the element stands in the page's furniture (``verdicts``: the ancestors
    judged so far on this page; elements share them, each is judged once)."""
    chain: list[LexborNode] = []  # ancestors not judged yet, nearest first
    current = node.parent
    state = (False, False)
    while current is not None and current.tag not in _TOP:
        known = verdicts.get(current.mem_id)
        if known is not None:
            state = known
            break
        chain.append(current)
        current = current.parent
    for ancestor in reversed(chain):  # from the top down
        inside, in_content = state
        tag = ancestor.tag or ""
        inside = inside or _is_furniture(ancestor, tag, in_content)
        state = (inside, in_content or tag in _CONTENT_TAGS)
        verdicts[ancestor.mem_id] = state
    return state[0]


def _is_furniture(node: LexborNode, tag: str, in_content: bool) -> bool:
    if tag == "nav" or (tag in _PAGE_TAGS and not in_content):
        return True
    return _MARKER.search(element_markers(node)) is not None
