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
    "basket-price",
    "basketprice",
    "basket-amount",
    "basketamount",
    "header-basket",
    "headerbasket",
    "hdrbasket",
    "basket-link",
    "basketlink",
    "related",
    "recommend",
    "upsell",
    "up-sell",
    "cross-sell",
    "crosssell",
    "recently",
    "similar",
    # Other sellers' paid boxes beside the offer ("merch-module-sponsored").
    "sponsored",
    # "People also searched", "also viewed" strips beside the results.
    "also-",
    # A search page's filters ("priceRefinements", "facets__price"): price ranges.
    "refinement",
    "facet",
    # osCommerce and Zen Cart side boxes: specials, best sellers, the cart's total.
    "leftboxcontainer",
    "rightboxcontainer",
    "sideboxcontent",
    "cartboxtotal",
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
    if _MARKER.search(element_markers(node)) is not None:
        return True
    return tag in _BOX_TAGS and _headed_as_others(node)


# The heading of a box of other offers, when its markup names it nothing ("More Lots From
# This Auction", "Související produkty", "Ähnliche Anzeigen"), or of buyers' feedback:
# at the heading's start.
_OTHERS_HEADING = re.compile(
    r"\s*(?:"
    r"(?:similar|related|other|more)\s+(?:sponsored\s+)?(?:items|ads|listings|products|lots|offers)|"
    r"more\s+(?:lots\s+|items\s+)?from\s+this|you\s+(?:may|might)\s+also\s+like|"
    r"customers\s+(?:also|who)|people\s+also|frequently\s+bought|recently\s+viewed|"
    r"recommended\s+for\s+you|sponsored\s+(?:items|listings|products)|"
    r"today.s\s+picks|(?:top\s+)?picks\s+for\s+you|"
    r"(?:annonces|produits|articles|objets)\s+(?:similaires|associ[ée]s)|autres\s+annonces|"
    r"vous\s+aimerez|du\s+m[êe]me\s+vendeur|r[ée]cemment\s+consult[ée]s|"
    r"(?:articles|produits|annonces)\s+consult[ée]s|"
    r"[äa]hnliche\s+\w+|weitere\s+(?:anzeigen|angebote|artikel|produkte|lose)|"
    r"das\s+k[öo]nnte\s+\w+\s+auch|kunden\s+kauften|zuletzt\s+angesehen|"
    r"(?:anuncios|productos|art[íi]culos)\s+(?:similares|relacionados)|otros\s+anuncios|"
    r"tambi[ée]n\s+te\s+puede|te\s+puede\s+interesar|vistos\s+recientemente|"
    r"(?:annunci|prodotti|articoli)\s+(?:simili|correlati)|altri\s+(?:annunci|prodotti|lotti)|"
    r"potrebbe\s+interessarti|visti\s+di\s+recente|"
    r"(?:vergelijkbare|gerelateerde)\s+\w+|andere\s+advertenties|(?:recent|laatst)\s+bekeken|"
    r"last\s+viewed|vistos\s+recentemente|ostatnio\s+ogl[ąa]dane|naposledy\s+prohl[íi]\w+|"
    r"senast\s+visade|sidst\s+sete|sist\s+sett|viimeksi\s+katsotut|"
    r"(?:an[úu]ncios|produtos)\s+(?:semelhantes|similares|relacionados)|outros\s+an[úu]ncios|"
    r"podobne\s+\w+|inne\s+og[łl]oszenia|souvisej[íi]c[íi]\s+\w+|podobn[ée]\s+\w+|"
    r"hasonl[óo]\s+\w+|ezek\s+is\s+[ée]rdekelhetnek|[ée]rdekelhet|(?:anun[țţt]uri|produse)\s+similare|"
    r"(?:liknande|lignende)\s+\w+|samankaltaisi\w*|sarnased\s+\w+|l[iī]dz[iī]gi\s+\w+|"
    # Buyers' feedback and reviews: the amounts in them are past orders, not offers (a
    # dark-web vendor's page lists more of them than items).
    r"(?:latest\s+|recent\s+|buyer\s+|customer\s+)?(?:feedback|reviews)\b|"
    r"(?:derniers\s+)?avis\b|(?:neueste\s+)?bewertungen|opiniones|valoraciones|recensioni|"
    r"beoordelingen|avalia[çc][õo]es|opinie|hodnocen[íi]|[ée]rt[ée]kel[ée]sek|recenzii"
    r")",
    re.IGNORECASE,
)
_BOX_HEADINGS = frozenset({"h2", "h3", "h4", "h5"})
_BOX_TAGS = frozenset({"section", "div", "aside"})
MAX_HEADING = 80


def _headed_as_others(node: LexborNode) -> bool:
    """Whether the element's first child is a heading that names a box of other offers."""
    first = node.first_child
    while first is not None and first.is_text_node:  # the whitespace before it
        first = first.next
    if first is None or first.tag not in _BOX_HEADINGS:
        return False
    heading = first.text(strip=True)
    return len(heading) <= MAX_HEADING and _OTHERS_HEADING.match(heading) is not None
