"""The texts that may state an offer's price, in the order they are tried.

Declared prices (itemprop, product:price meta) first; then price-like elements whose
class or id says "price"; then the other price-like elements; then those marked as an
old price ("was", "rrp", "uvp") or that begin with a shipping label ("Shipping: £4.95",
"Livraison gratuite dès 50 €"); last, prices in the page's furniture: a mini-cart
("Basket 0,00 €"), the header, the footer, related products. Struck-through
prices (del, s, strike) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.currency import resolve_currency
from netpatrol.extract.dom import element_markers
from netpatrol.extract.furniture import Verdicts, in_furniture
from netpatrol.extract.price import parse_price
from netpatrol.extract.price_elements import (
    PRICE_MARKER,
    PRICE_MARKERS,
    STRUCK_TAGS,
    price_elements,
    price_text,
)
from netpatrol.extract.price_labels import (
    BEFORE_TAX_LABEL,
    BID_MARKER,
    CART_LABEL,
    FROM_LABEL,
    LOWEST_BEFORE,
    NOT_CURRENT_MARKER,
    OLD_MARKER,
    PROMOTION,
    RATE,
    SHIPPING_LABEL,
    SURCHARGE,
    is_old,
)


def _parent_label(node: LexborNode) -> str:
    """The text the element's parent writes around it ("<li>Brez DDV: <span>36.53€</span>
    </li>", OpenCart's "Ex Tax:", "<a>Kosár (1) – <b>8 490 Ft</b></a>")."""
    parent = node.parent
    return parent.text(deep=False, strip=True) if parent is not None else ""


@dataclass(frozen=True)
class PriceCandidates:
    texts: list[str]  # in the order they are tried
    currency: str | None  # the page's declared currency (itemprop, product:price meta)
    # (old price, current price) shown side by side in one price box: a sale.
    sales: tuple[tuple[str, str], ...] = ()
    # Every price the page shows as current (not struck through, not marked old).
    current: tuple[str, ...] = ()
    # The prices it shows as not current: old, before tax, shipping, a rate, an estimate.
    stale: tuple[str, ...] = ()
    # The prices in a drop-down's selected options ("12 kg - 1 890 Kč"): a variant chosen.
    selected: tuple[str, ...] = ()


_DECLARED = (
    "[itemprop=price], meta[property='product:price:amount'], [itemprop=priceCurrency], "
    "meta[property='product:price:currency'], meta[property='og:price:currency']"
)
Priced = tuple[LexborNode, str]  # a price-like element and the price text it shows
_HEADINGS = frozenset({"h1", "h2", "h3"})


@dataclass
class _Sorted:
    # An auction's current bid, or the option a buyer has selected (a pack of 60 pills).
    chosen: list[Priced] = field(default_factory=list)
    headings: list[Priced] = field(default_factory=list)  # a heading that is a price
    marked: list[Priced] = field(default_factory=list)  # class or id says "price"
    others: list[Priced] = field(default_factory=list)
    starting: list[Priced] = field(default_factory=list)  # "from" prices
    stale: list[Priced] = field(default_factory=list)  # old, shipping, before tax
    furniture: list[Priced] = field(default_factory=list)
    old: list[Priced] = field(default_factory=list)  # struck through or marked old


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
    found = _sort(
        price_elements(root) if prices is None else prices,
        page=isinstance(root, LexborHTMLParser),
        options=root.css_first(_CHECKED) is not None,
    )
    alone: list[Priced] = [(node, price_text(node) or "") for node in bare or ()]
    shown = [*found.chosen, *found.headings, *found.marked, *found.others, *found.starting]
    for node, text in alone:
        old = node.tag in STRUCK_TAGS or OLD_MARKER.search(element_markers(node)) is not None
        (found.old if old else shown).append((node, text))
    ordered = (
        *found.chosen,
        *found.headings,
        *found.marked,
        *found.others,
        *found.starting,
        *alone,
        *found.stale,
    )
    texts = [t for t in (*declared, *(t for _, t in ordered)) if t]
    if not declared and not shown and (free := _free_of_charge(root)) is not None:
        # "Zu verschenken" where the price stands: before the old, shipping and
        # furniture prices, the only ones such a page shows.
        texts.insert(0, free)
    texts += [t for _, t in found.furniture if t]
    current = tuple(t for _, t in shown if t)
    stale = tuple(dict.fromkeys(t for _, t in (*found.stale, *found.old) if t))
    selected = tuple(t for n, t in shown if n.tag == "option" and "selected" in n.attributes)
    return PriceCandidates(texts, currency, _sales(found.old, shown), current, stale, selected)


def _sort(nodes: list[LexborNode], page: bool, options: bool = False) -> _Sorted:
    """The price-like elements by what their markup and label say they are (``options``:
    the page has a checked option, whose row's price is the one selected)."""
    found = _Sorted()
    verdicts: Verdicts = {}  # candidates share ancestors: each is judged once
    for node in nodes:
        text = price_text(node) or ""
        priced = (node, text)
        if node.tag in STRUCK_TAGS or _inside_struck(node) or _styled_struck(node):
            found.old.append(priced)
            continue
        marker = _marker(node)
        label = _parent_label(node)
        shipping = SHIPPING_LABEL.match(text) is not None
        if page and (
            in_furniture(node, verdicts) or CART_LABEL.match(text) or CART_LABEL.match(label)
        ):
            found.furniture.append(priced)
        elif not shipping and is_old(text, marker):
            # A shop may mark its only price "old": kept as a last resort.
            found.stale.append(priced)
            found.old.append(priced)
        elif (
            NOT_CURRENT_MARKER.search(marker) is not None
            or shipping
            or BEFORE_TAX_LABEL.search(text)
            or BEFORE_TAX_LABEL.search(label)
            or RATE.search(text)
            or PROMOTION.match(text)
            or LOWEST_BEFORE.search(text)
            or SURCHARGE.match(text)
        ):
            # Kept as a last resort too: a shipping cost or threshold, a price before tax,
            # an exchange rate, an amount off, the Omnibus reference, an estimate, an
            # add-on's extra cost.
            found.stale.append(priced)
        elif page and (FROM_LABEL.match(text) or FROM_LABEL.fullmatch(label)):
            # A "from" price gives way to any price the page shows as it is (a list's
            # card advertises its cheapest).
            found.starting.append(priced)
        elif BID_MARKER.search(marker) is not None or (options and _selected(node)):
            # An auction's current bid is its price, before a "buy now" one beside it;
            # a selected option's before the other options'.
            found.chosen.append(priced)
        elif node.tag in _HEADINGS:
            # OpenCart's default theme shows the product's price as an <h2> of its own,
            # and the related products' below it in elements classed "price".
            found.headings.append(priced)
        elif PRICE_MARKER.search(marker) is not None:
            found.marked.append(priced)
        else:
            found.others.append(priced)
    # In a selected row, the amount called a price before its per-pill or saving amounts.
    found.chosen.sort(key=lambda priced: PRICE_MARKER.search(_marker(priced[0])) is None)
    return found


STRUCK_DEPTH = 2  # WooCommerce's sale: "<del><span class="amount"><bdi>29,90 €</bdi>"
_CHECKED = "input[type=radio][checked]"
_RADIO = "input[type=radio]"
_OPTION_ROWS = frozenset({"tr", "li", "label"})
OPTION_DEPTH = 3


def _inside_struck(node: LexborNode) -> bool:
    """Whether a struck-through element holds the price."""
    return _nearest(node, STRUCK_TAGS, STRUCK_DEPTH) is not None


def _styled_struck(node: LexborNode) -> bool:
    """Whether the element is struck through by its own style (Nike's "initial price",
    OpenCart's old price: ``style="text-decoration:line-through"``)."""
    style = node.attributes.get("style")
    return style is not None and "line-through" in style


def _selected(node: LexborNode) -> bool:
    """Whether the element stands in an option's row whose radio button is checked: inside
    the row, or beside its label as the only radio button of the label's parent (Samsung:
    ``<li><input type=radio checked><label>512 GB <span>£1,199.00</span></label></li>``)."""
    row = _nearest(node, _OPTION_ROWS, OPTION_DEPTH)
    if row is None:
        return False
    if row.css_first(_CHECKED) is not None:
        return True
    around = row.parent if row.tag == "label" else None
    return (
        around is not None
        and around.css_first(_CHECKED) is not None
        and len(around.css(_RADIO)) == 1
    )


def _nearest(node: LexborNode, tags: frozenset[str], depth: int) -> LexborNode | None:
    """The nearest of the element's ``depth`` closest ancestors with one of ``tags``."""
    current = node.parent
    for _ in range(depth):
        if current is None:
            return None
        if current.tag in tags:
            return current
        current = current.parent
    return None


def _sales(old: list[Priced], current: list[Priced]) -> tuple[tuple[str, str], ...]:
    """Each old price with the first current price of its price box (sharing a parent or
    a grandparent with it). The page's only old price outside every box with a current
    price ("MRP ₹1,12,990.00" under the product's name) pairs with the page's first; a
    carousel's struck prices, whose current ones are furniture, pair with none."""
    if not old:
        return ()
    boxes = [(_box(n), t) for n, t in current if t]
    pairs = []
    apart = []
    for node, text in old:
        around = _box(node)
        beside = next((t for box, t in boxes if around & box), None)
        if text and beside is not None:
            pairs.append((text, beside))
        elif text:
            apart.append(text)
    if len(apart) == 1 and boxes:
        pairs.append((apart[0], boxes[0][1]))
    return tuple(pairs)


def _box(node: LexborNode) -> set[int]:
    parent = node.parent
    if parent is None:
        return set()
    grand = parent.parent
    return {parent.mem_id} if grand is None else {parent.mem_id, grand.mem_id}


_PRICE_CLASS = ", ".join(
    f"[{attribute}*={m} i]" for m in PRICE_MARKERS for attribute in ("class", "data-testid")
)
MAX_FREE_TEXT = 40
MAX_FREE_WORDS = 3  # "Gratis", "Gives væk", "Atdodu par velti"
# The elements of a card that may say so on their own ("<span>Gis bort</span>").
_CARD_TEXTS = "span, div, p, strong, b, em, li, dd, td"


def _free_of_charge(root: LexborHTMLParser | LexborNode) -> str | None:
    """The text of an element classed a price that says the item is given away
    ("Zu verschenken", "Gratuit", "Free"), on a page that shows no price of its own. On
    a card, any element whose whole text says so ("<span>Gis bort</span>")."""
    card = not isinstance(root, LexborHTMLParser)
    for node in root.css(_CARD_TEXTS if card else _PRICE_CLASS):
        text = node.text(deep=True, strip=True)
        if card and len(text.split()) > MAX_FREE_WORDS:
            continue  # a title that names a free thing ("Free Spirit boho dress")
        if 0 < len(text) <= MAX_FREE_TEXT:
            found = parse_price(text)
            if found is not None and found.amount == 0:
                return text
    return None


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
    """The element's markers (class, id, test ids) and its parent's, lower-cased. Magento
    marks the old price on the amount's parent only: "<span id="old-price-4812"
    data-price-type="oldPrice" class="price-wrapper"><span class="price">"."""
    parent = node.parent
    around = element_markers(parent) if parent is not None else ""
    return f"{element_markers(node)} {around}"
