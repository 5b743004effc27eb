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
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.currency import resolve_currency
from netpatrol.extract.dom import element_markers
from netpatrol.extract.furniture import Verdicts, in_furniture
from netpatrol.extract.price import NUMBER_RE, OLD_PRICE_LABEL, OLD_PRICE_RE, parse_price
from netpatrol.extract.price_elements import (
    PRICE_MARKER,
    PRICE_MARKERS,
    STRUCK_TAGS,
    price_elements,
    price_text,
)

# Class or id words of a price the shop asked before (struck through on screen).
_OLD = (
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
    # Wix stores: the crossed-out price before the sale one.
    "secondary-price",
    # BigCommerce: the price before a sale ("price--non-sale").
    "non-sale",
    # Depop: "discountedFullPrice" beside "discountedPrice".
    "fullprice",
    "full-price",
    # Trendyol: "prc-org" (the original price) beside "prc-dsc" (the discounted one).
    "prc-org",
    # Zen Cart: "normalprice" beside "productSpecialPrice".
    "normalprice",
    # ASOS: data-testid="previous-price"; struck prices by name in French, Italian,
    # Spanish, German, Dutch and Polish shops (Darty's "darty_prix_barre").
    "previous",
    "prix_barre",
    "prix-barre",
    "prixbarre",
    "barrato",
    "tachado",
    "streichpreis",
    "durchgestrichen",
    "doorgestreept",
    "przekreslon",
)
_NOT_CURRENT = (
    *_OLD,
    # B2B shops show the price before tax first (Magento's "price-excluding-tax",
    # PrestaShop's "without-taxes"); a consumer pays the one with tax.
    "excluding-tax",
    "excl-tax",
    "tax-excl",
    "without-tax",
    "excl-vat",
    # An amount saved beside the price ("Instant savings -$150.00").
    "savings",
    "you-save",
    "ex-vat",
    "net-price",
    # A price one may not pay: with a coupon ("estimated-price", Shein's "Cena
    # szacunkowa"), an expert's estimate, a members' club price.
    "estimate",
    "club-price",
    "member-price",
    "memberprice",
)
# One search per marker string, not one substring test per word.
# "old" and "was" only where a word starts ("price--old", "oldPrice"), not inside one:
# Tailwind's "font-bold" is on many a current price, "placeholder" beside one.
_WORD_START = frozenset({"old", "was"})


def _marker_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        "|".join(rf"(?<![a-z]){w}" if w in _WORD_START else re.escape(w) for w in words)
    )


_OLD_MARKER = _marker_pattern(_OLD)
_NOT_CURRENT_MARKER = _marker_pattern(_NOT_CURRENT)
# A price text that begins by saying it is a shipping cost or a free-shipping threshold.
SHIPPING_LABEL = re.compile(
    r"\W*(?:(?:free|gratis|kostenloser?|gratuite?|gratuita|darmowa|bezp[łl]atna|ingyenes|"
    r"gratuit[ăa]|ilmainen|fri|δωρεάν|brezpla[čc]na|besplatna|nemokamas|bezmaksas|tasuta)\s+)?"
    r"(?:shipping|delivery|postage|p\s?&\s?p\b|"
    r"livraison|frais\s+de\s+port|exp[ée]dition|versand\w*|liefer\w*|porto\b|env[íi]o|"
    r"gastos\s+de\s+env[íi]o|spedizion\w*|verzend\w*|bezorg\w*|portes\b|dostaw\w*|"
    r"doprava|po[šs]tovn[ée]|sz[áa]ll[íi]t[áa]s\w*|livrare|frakt\w*|fragt\w*|toimitus\w*|"
    r"po[šs]tnin\w*|dostava|доставка|μεταφορικά|αποστολή|pristatym\w*|pieg[āa]de|tarne)",
    re.IGNORECASE,
)

# An exchange rate, not a price: "Rates: 1 XMR = $172.90", "1 BTC = 65 418 USD".
_RATE = re.compile(
    r"\b(?:exchange\s+)?rates?\s*:|\b(?:wechsel)?kurs\s*:|\btaux\s*:|"
    r"\b1\s*(?:BTC|XMR|ETH|LTC|EUR|USD|GBP)\s*=",
    re.IGNORECASE,
)
# An amount given off or as credit: "5,00€ Guthaben bei Verspätung", "€5 off", "3,00€ Rabatt".
_PROMOTION = re.compile(
    r"\W*\S*\d\S*\s*(?:€|eur|\$|usd|£|gbp|zł|kč|ft|kr|lei)?\s*(?:guthaben|rabatt|credit|off|"
    r"coupon|discount|r[ée]duction|remise|sconto|descuento|desconto|korting|rabat|sleva|"
    r"kedvezm[ée]ny|zni[żz]k\w*|reducere)\b|"
    # "SAVE $30", "Sie sparen 5 €", "-$150.00": an amount saved or taken off.
    r"\W*(?:you\s+)?(?:save|saving|sparen|sie\s+sparen|[ée]conomisez|risparmi|ahorra|"
    r"bespaar|oszcz[ęe]dzasz|u[šs]et[řr][íi]te)\b|\s*[-\u2212\u2013]\s?\D{0,3}\d",
    re.IGNORECASE,
)
# The EU's Omnibus rule makes a shop show its lowest price of the 30 days before a
# reduction beside the reduced one: a reference, never the price.
_LOWEST_BEFORE = re.compile(
    r"\b(?:lowest|niedrigster|prix\s+le\s+plus\s+bas|najni[żz]sz\w*|nejni[žz]\w*|laagste|"
    r"prezzo\s+pi[ùu]\s+basso|precio\s+m[áa]s\s+bajo|pre[çc]o\s+mais\s+baixo|"
    r"legalacsonyabb|cel\s+mai\s+mic|l[äa]gsta|laveste|alin|najni[žz]j\w*|en\s+d[üu][şs][üu]k|"
    r"najni[žz]a|zemākā|[žz]emiausia|madalaim)\b[^\d]{0,60}\b30\b",
    re.IGNORECASE,
)
# The element of an auction's current (highest) bid.
_BID_MARKER = re.compile(r"(?:current|highest|actual|aktuell)[-_]?bid|bid[-_]?(?:price|amount)")

# A price text that begins with the mini-cart's name: "Cart (0) £0.00", "Kosár: 0 Ft".
_CART_LABEL = re.compile(
    r"\W*(?:cart|basket|panier|warenkorb|carrito|carrello|cesta|winkelwagen|winkelmand|"
    r"koszyk|ko[šs][íi]k|kos[áa]r|kurv|varukorg|handlekurv|ostoskori|co[șş]ul)\b",
    re.IGNORECASE,
)
# A price text that says it is before tax: "Nettó ár: 11.905 Ft", "€ 1.073,55 excl. BTW".
_BEFORE_TAX_LABEL = re.compile(
    r"\bnett[oó]\b|\bex(?:cl|kl)?\.?\s*(?:btw|vat|tax|mwst|iva|tva|moms)\b|\bzzgl\.?\s*mwst\b|"
    r"\bbez\s+dph\b|\bhors\s+taxes?\b|(?-i:\bHT\b)|\bplus\s+vat\b|\bsin\s+iva\b|"
    r"\báfa\s+nélkül\b|\+\s*\d+\s*%\s*(?:áfa|vat|mwst|btw|tva|iva|dph|moms)\b|"
    r"\b(?:brez\s+ddv|bez\s+pdv|f[ăa]r[ăa]\s+tva|ohne\s+mwst|sans\s+tva|senza\s+iva|"
    r"uden\s+moms|utan\s+moms|uten\s+mva|ilman\s+alv|without\s+(?:vat|tax))\b",
    re.IGNORECASE,
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
_DIGIT = re.compile(r"\d")


@dataclass
class _Sorted:
    # An auction's current bid, or the option a buyer has selected (a pack of 60 pills).
    chosen: list[Priced] = field(default_factory=list)
    headings: list[Priced] = field(default_factory=list)  # a heading that is a price
    marked: list[Priced] = field(default_factory=list)  # class or id says "price"
    others: list[Priced] = field(default_factory=list)
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
    shown = [*found.chosen, *found.headings, *found.marked, *found.others]
    for node, text in alone:
        old = node.tag in STRUCK_TAGS or _OLD_MARKER.search(element_markers(node)) is not None
        (found.old if old else shown).append((node, text))
    ordered = (*found.chosen, *found.headings, *found.marked, *found.others, *alone, *found.stale)
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
            in_furniture(node, verdicts) or _CART_LABEL.match(text) or _CART_LABEL.match(label)
        ):
            found.furniture.append(priced)
        elif not shipping and _is_old(text, marker):
            # A shop may mark its only price "old": kept as a last resort.
            found.stale.append(priced)
            found.old.append(priced)
        elif (
            _NOT_CURRENT_MARKER.search(marker) is not None
            or shipping
            or _BEFORE_TAX_LABEL.search(text)
            or _BEFORE_TAX_LABEL.search(label)
            or _RATE.search(text)
            or _PROMOTION.match(text)
            or _LOWEST_BEFORE.search(text)
        ):
            # Kept as a last resort too: a shipping cost or threshold, a price before tax,
            # an exchange rate, an amount off, the Omnibus reference, an estimate.
            found.stale.append(priced)
        elif _BID_MARKER.search(marker) is not None or (options and _selected(node)):
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
    a grandparent with it)."""
    if not old:
        return ()
    boxes = [(_box(n), t) for n, t in current if t]
    pairs = []
    for node, text in old:
        around = _box(node)
        # The first current price of its box; else the page's first (an old price shown
        # apart from the buy box: "MRP ₹1,12,990.00" under the product's name).
        beside = next((t for box, t in boxes if around & box), boxes[0][1] if boxes else None)
        if text and beside is not None:
            pairs.append((text, beside))
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


def _free_of_charge(root: LexborHTMLParser | LexborNode) -> str | None:
    """The text of an element classed a price that says the item is given away
    ("Zu verschenken", "Gratuit", "Free"), on a page that shows no price of its own."""
    for node in root.css(_PRICE_CLASS):
        text = node.text(deep=True, strip=True)
        if 0 < len(text) <= MAX_FREE_TEXT:
            found = parse_price(text)
            if found is not None and found.amount == 0:
                return text
    return None


def _is_old(text: str, marker: str) -> bool:
    """A price the shop asked before: marked so ("old-price"), or labelled so in a text
    that holds no other number ("Régi ár: 14.900 Ft", not "Was £29.99 Now £19.99").
    The caller has left out the texts that begin with a shipping label."""
    if _OLD_MARKER.search(marker) is not None:
        return True
    digit = _DIGIT.search(text)
    # Most price texts begin with their amount or its sign: no label stands before it.
    if digit is None or not any(c.isalpha() for c in text[: digit.start()]):
        return False
    numbers = NUMBER_RE.findall(text)
    if len(numbers) != 1:
        return False
    end = _before_sign(text, text.find(numbers[0]))
    return OLD_PRICE_RE.search(text, max(0, end - OLD_PRICE_LABEL), end) is not None


def _before_sign(text: str, start: int) -> int:
    """Where the label before an amount ends: before its currency sign, if one stands
    there ("Original price was: R4,950.00", "was: $29.99")."""
    head = text[:start].rstrip()
    sign = head.rsplit(None, 1)[-1] if head else ""
    sign = sign.rsplit(":", 1)[-1]
    if sign and len(sign) <= MAX_SIGN and resolve_currency(sign) is not None:
        return len(head) - len(sign)
    return start


MAX_SIGN = 4  # "US$", "CHF", "zł"


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
