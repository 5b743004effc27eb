"""The texts that may state an offer's price, in the order they are tried.

Declared prices (itemprop, product:price meta) first; then price-like elements whose
class or id says "price"; then the other price-like elements; then those marked as an
old price ("was", "rrp", "uvp") or that begin with a shipping label ("Shipping: £4.95",
"Livraison gratuite dès 50 €"); last, prices in the page's furniture: a mini-cart
("Basket 0,00 €"), the header, the footer, related products. Struck-through
prices (del, s, strike) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.currency import resolve_currency
from netpatrol.extract.dom import class_and_id
from netpatrol.extract.furniture import Verdicts, in_furniture
from netpatrol.extract.price_elements import (
    PRICE_MARKERS,
    STRUCK_TAGS,
    price_elements,
    price_text,
)

_NOT_CURRENT = (
    "old",
    "was",
    "before",
    "regular",
    "strike",
    "crossed",
    "list-price",
    "rrp",
    "uvp",
    "compare",
    "original",
    # B2B shops show the price before tax first (Magento's "price-excluding-tax",
    # PrestaShop's "without-taxes"); a consumer pays the one with tax.
    "excluding-tax",
    "excl-tax",
    "tax-excl",
    "without-tax",
    "excl-vat",
    "ex-vat",
    "net-price",
    # Wix stores: the crossed-out price before the sale one.
    "secondary-price",
)
# A price text that begins by saying it is a shipping cost or a free-shipping threshold.
SHIPPING_LABEL = re.compile(
    r"\W*(?:free\s+|gratis\s+|kostenloser?\s+)?(?:shipping|delivery|postage|p\s?&\s?p\b|"
    r"livraison|frais\s+de\s+port|exp[ée]dition|versand\w*|liefer\w*|porto\b|env[íi]o|"
    r"gastos\s+de\s+env[íi]o|spedizion\w*|verzend\w*|bezorg\w*|portes\b|dostaw\w*|"
    r"doprava|po[šs]tovn[ée])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PriceCandidates:
    texts: list[str]  # in the order they are tried
    currency: str | None  # the page's declared currency (itemprop, product:price meta)


_DECLARED = (
    "[itemprop=price], meta[property='product:price:amount'], [itemprop=priceCurrency], "
    "meta[property='product:price:currency'], meta[property='og:price:currency']"
)


def price_candidates(
    root: LexborHTMLParser | LexborNode,
    prices: list[LexborNode] | None = None,
    bare: list[LexborNode] | None = None,
) -> PriceCandidates:
    """Candidate price texts of a page or of a card, in the order they are tried.

    ``prices``: the page's price-like elements, when known; ``bare``: its amounts shown
    alone in elements called a price, tried after every price shown with its currency."""
    declared, currency = _declared(root)
    # A card is furniture-free by its own definition: only a page's prices are sorted out.
    page = isinstance(root, LexborHTMLParser)
    marked: list[str] = []
    others: list[str] = []
    stale: list[str] = []
    furniture: list[str] = []
    verdicts: Verdicts = {}  # candidates share ancestors: each is judged once
    for node in price_elements(root) if prices is None else prices:
        if node.tag in STRUCK_TAGS:
            continue
        text = price_text(node) or ""
        marker = _marker(node)
        if page and in_furniture(node, verdicts):
            furniture.append(text)
        elif any(m in marker for m in _NOT_CURRENT) or SHIPPING_LABEL.match(text):
            # A shop may mark its only price "old": kept as a last resort, with the
            # texts that give a shipping cost or threshold.
            stale.append(text)
        else:
            (marked if any(m in marker for m in PRICE_MARKERS) else others).append(text)
    alone = [price_text(node) or "" for node in bare or ()]
    texts = [t for t in (*declared, *marked, *others, *stale, *alone, *furniture) if t]
    return PriceCandidates(texts, currency)


def _declared(root: LexborHTMLParser | LexborNode) -> tuple[list[str], str | None]:
    """Prices declared by itemprop or product meta, and the currency declared beside them."""
    prices: list[str] = []
    currency: str | None = None
    for node in root.css(_DECLARED):
        value = node.attributes.get("content") or price_text(node) or ""
        if node.attributes.get("itemprop") == "price" or (
            node.attributes.get("property") == "product:price:amount"
        ):
            prices.append(value)
        elif currency is None:
            currency = resolve_currency(value)
    return prices, currency


def _marker(node: LexborNode) -> str:
    """The element's class and id and its parent's class, lower-cased."""
    parent = node.parent
    around = (parent.attributes.get("class") or "") if parent is not None else ""
    return f"{class_and_id(node)} {around.lower()}"
