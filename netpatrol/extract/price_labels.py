"""What a price's markup and label say it is: the price asked before, a price before tax,
a shipping cost, an amount saved, an exchange rate, the Omnibus reference, a mini-cart's
total, an auction's current bid. Class or id words and text labels in the shops'
languages, read by ``price_candidates`` to order a page's price texts."""

from __future__ import annotations

import re

from netpatrol.extract.currency import resolve_currency
from netpatrol.extract.price import NUMBER_RE, OLD_PRICE_LABEL, OLD_PRICE_RE

_DIGIT = re.compile(r"\d")

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
    # Romanian shops: "PRP" (preț recomandat de producător), the maker's list price.
    "prp",
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


OLD_MARKER = _marker_pattern(_OLD)
NOT_CURRENT_MARKER = _marker_pattern(_NOT_CURRENT)
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
RATE = re.compile(
    r"\b(?:exchange\s+)?rates?\s*:|\b(?:wechsel)?kurs\s*:|\btaux\s*:|"
    r"\b1\s*(?:BTC|XMR|ETH|LTC|EUR|USD|GBP)\s*=",
    re.IGNORECASE,
)
# An amount given off or as credit: "5,00€ Guthaben bei Verspätung", "€5 off", "3,00€ Rabatt".
PROMOTION = re.compile(
    r"\W*\S*\d\S*\s*(?:€|eur|\$|usd|£|gbp|zł|kč|ft|kr|lei)?\s*(?:guthaben|rabatt|credit|off|"
    r"coupon|discount|r[ée]duction|remise|sconto|descuento|desconto|korting|rabat|sleva|"
    r"kedvezm[ée]ny|zni[żz]k\w*|reducere)\b|"
    # "SAVE $30", "Sie sparen 5 €", "-$150.00": an amount saved or taken off.
    r"\W*(?:you\s+)?(?:save|saving|sparen|sie\s+sparen|[ée]conomisez|risparmi|ahorra|"
    r"bespaar|oszcz[ęe]dzasz|u[šs]et[řr][íi]te)\b|\s*[-\u2212\u2013]\s?\D{0,3}\d",
    re.IGNORECASE,
)
# An option's or an add-on's extra cost: "+ € 250" beside a configurator's choice,
# "[+39,00 €]" beside a warranty (nopCommerce), "+$649.00".
SURCHARGE = re.compile(r"\W{0,2}\+\s?\D{0,4}\d")
# A "from" price: the cheapest configuration's, where the page may also show the chosen
# one's ("Vanaf € 1.899" over "Totaalprijs € 2.149,00", "Desde $3,499.00").
FROM_LABEL = re.compile(
    r"\W*(?:from|starting\s+(?:at|from)|as\s+low\s+as|ab|vanaf|[àa]\s+partir\s+de|desde|"
    r"a\s+partire\s+da|od|fr[åa]n|fra|alkaen|από|начиная\s+с|от|nuo|alates)\b\s*:?",
    re.IGNORECASE,
)
# The EU's Omnibus rule makes a shop show its lowest price of the 30 days before a
# reduction beside the reduced one: a reference, never the price.
LOWEST_BEFORE = re.compile(
    r"\b(?:lowest|niedrigster|prix\s+le\s+plus\s+bas|najni[żz]sz\w*|nejni[žz]\w*|laagste|"
    r"prezzo\s+pi[ùu]\s+basso|precio\s+m[áa]s\s+bajo|pre[çc]o\s+mais\s+baixo|"
    r"legalacsonyabb|cel\s+mai\s+mic|l[äa]gsta|laveste|alin|najni[žz]j\w*|en\s+d[üu][şs][üu]k|"
    r"najni[žz]a|zemākā|[žz]emiausia|madalaim)\b[^\d]{0,60}\b30\b",
    re.IGNORECASE,
)
# The element of an auction's current (highest) bid.
BID_MARKER = re.compile(r"(?:current|highest|actual|aktuell)[-_]?bid|bid[-_]?(?:price|amount)")

# A price text that begins with the mini-cart's name: "Cart (0) £0.00", "Kosár: 0 Ft".
CART_LABEL = re.compile(
    r"\W*(?:cart|basket|panier|warenkorb|carrito|carrello|cesta|winkelwagen|winkelmand|"
    r"koszyk|ko[šs][íi]k|kos[áa]r|kurv|varukorg|handlekurv|ostoskori|co[șş]ul)\b",
    re.IGNORECASE,
)
# A price text that says it is before tax: "Nettó ár: 11.905 Ft", "€ 1.073,55 excl. BTW".
BEFORE_TAX_LABEL = re.compile(
    r"\bnett[oó]\b|\bex(?:cl|kl)?\.?\s*(?:btw|vat|tax|mwst|iva|tva|moms)\b|\bzzgl\.?\s*mwst\b|"
    r"\bbez\s+dph\b|\bhors\s+taxes?\b|(?-i:\bHT\b)|\bplus\s+vat\b|\bsin\s+iva\b|"
    r"\báfa\s+nélkül\b|\+\s*\d+\s*%\s*(?:áfa|vat|mwst|btw|tva|iva|dph|moms)\b|"
    r"\b(?:brez\s+ddv|bez\s+pdv|f[ăa]r[ăa]\s+tva|ohne\s+mwst|sans\s+tva|senza\s+iva|"
    r"uden\s+moms|utan\s+moms|uten\s+mva|ilman\s+alv|without\s+(?:vat|tax))\b",
    re.IGNORECASE,
)


def is_old(text: str, marker: str) -> bool:
    """A price the shop asked before: marked so ("old-price"), or labelled so in a text
    that holds no other number ("Régi ár: 14.900 Ft", not "Was £29.99 Now £19.99").
    The caller has left out the texts that begin with a shipping label."""
    if OLD_MARKER.search(marker) is not None:
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
