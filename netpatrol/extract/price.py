"""Prices in ad and shop texts: amount, ISO 4217 currency, ranges, "on request" and "free".

`parse_price` reads European and other formats ("19 500 €" with (narrow) no-break spaces,
"1.234,56 €", "1,234.56", "CHF 1'234.50", "€ 9,-", "12€99", "0.0042 BTC"). Rules, in order:

1. The price is the first number with a currency mark right beside it (before or after,
   at most three spaces or a colon between): "3 x 20 €" is 20 €, "Lot de 3 pour 25€" 25 €.
2. An "on request" phrase (EN/FR/DE/ES/IT/NL/PL/CZ) before that number, or with no such
   number, gives ``on_request=True`` and no amount.
3. With no priced number, a "free" word (not "free shipping") near the start gives 0.
4. Else the first bare number of a short text (first 200 characters, not a percentage or a
   number glued to a unit) is the amount, in the currency mentioned there, else the hint.
5. Ranges: "10-20 €" and "€10 to €20" give low/high and amount = low; "from 15 €" and
   "à partir de 30 €" give low = amount; "up to 30 €" gives high = amount.

Separators: both "." and "," -> the last is decimal; one repeated -> thousands; one alone
before exactly three digits -> thousands ("1.500 €" is 1500), except after a leading 0, in
crypto and in three-decimal currencies (KWD, OMR). Only the first 20,000 characters are read.
price-parser (symbol detection) was measured against these rules and left out: see
tests/test_extract_price.py for the figures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from netpatrol.extract.currency import (
    CRYPTO,
    CURRENCY_RE,
    find_currency,
    resolve_currency,
    resolve_hint,
)

PRICE_SCAN = 20_000  # characters of a text searched for a price
BARE_SCAN = 200  # a number with no currency counts only this close to the start
FREE_SCAN = 60  # "free" counts only this close to the start
THREE_DECIMALS = frozenset({"KWD", "OMR", "BHD", "JOD", "TND", "LYD", "IQD"})


@dataclass(frozen=True)
class PriceResult:
    """A price read from text; ``amount`` None with ``on_request`` True for "price on request"."""

    amount: float | None
    currency: str | None
    low: float | None = None
    high: float | None = None
    on_request: bool = False


_SEP = r"[ \u00a0\u202f\u2009'’.,]"
# India groups by lakh and crore: "₹1,12,990.00" is 112,990.
_LAKH = r"\d{1,2}(?:,\d\d)+,\d{3}(?!,\d)"
_NUMBER = (
    r"(?<![\d.,])(?:" + _LAKH + r"|\d{1,3}(?:" + _SEP + r"\d{3}){1,5}|\d{1,15})"
    r"(?:[.,]\d{1,20}|\. \d\d)?"
    r"(?:[.,] ?[-–]{1,2}(?![\d-]))?(?!\d)|(?<![\w.,])\.\d{1,12}(?!\d)"
)
NUMBER_RE = re.compile(_NUMBER)
_CUR = CURRENCY_RE.pattern
_GAP = r"[\s:]{0,3}"
_CUR_BEFORE_RE = re.compile("(" + _CUR + ")" + _GAP + "$")
_CUR_AFTER_RE = re.compile(_GAP + "(" + _CUR + ")")
_MARK_CHAR_RE = re.compile(r"[^\d\s:,'’/\-–]")  # a currency mark has one of these within 4 chars
_EURO_CENTS_RE = re.compile(r"€ ?(\d{2})(?![\d.,]| ?€)")  # "12€99" is 12.99 €
_DASH_END_RE = re.compile(r"[.,] ?[-–]{1,2}$")  # "9,-" and "1.899,–": whole units
_GROUPING_RE = re.compile(r"[\s'’]")
_RANGE_WORD = r"(?:[-–—~]|(?i:to|à|a|bis|до|tot|al|y)\b)"
_RANGE_AFTER_RE = re.compile(r"\s{0,3}" + _RANGE_WORD + r"\s{0,3}(?:(?:" + _CUR + r")\s{0,3})?")
_RANGE_BEFORE_RE = re.compile(
    "(" + _NUMBER + r")\s{0,3}(?:(?:" + _CUR + r")\s{0,3})?" + _RANGE_WORD + r"\s{0,3}$"
)
_FROM_RE = re.compile(
    r"(?:\bfrom|\bstarting at|\bab|à partir de|\bdès|\bdesde|\ba partire da|\bda|\bod|"
    r"\bvanaf|\bот|\bsold from|\bprices from)\s{0,3}:?\s{0,3}$",
    re.IGNORECASE,
)
_UPTO_RE = re.compile(
    r"(?:\bup to|\bjusqu[’']à|\bbis zu|\bhasta|\bfino a|\bmax\.?|\bmaximum|\btot)\s{0,3}:?\s{0,3}$",
    re.IGNORECASE,
)
ON_REQUEST_RE = re.compile(
    r"\b(?:on|upon)\s+request\b|(?-i:\bP\.?O\.?A\b)|\b(?:call|contact|ask)\s+for\s+(?:a\s+)?price\b|"
    r"\bsur\s+demande\b|\bà\s+débattre\b|\bnous\s+consulter\b|\bauf\s+Anfrage\b|"
    r"\ba\s+consultar\b|\bsu\s+richiesta\b|\bop\s+aanvraag\b|\bn\.o\.t\.k\b|"
    r"\bna\s+zapytanie\b|\bna\s+dotaz\b|\bcena\s+dohodou\b|\bpo\s+dohodě\b",
    re.IGNORECASE,
)
# "Photos on request", "livraison sur demande": about something else than the price.
_NOT_PRICE_CONTEXT_RE = re.compile(
    r"\b(?:photos?|pictures?|images?|bilder?|fotos?|foto|info|details?|documents?|papers?|"
    r"certificates?|shipping|delivery|postage|livraison|envoi|versand|lieferung|envío|"
    r"spedizione|dostawa|doprava|verzending)\W{1,3}(?:\w+\W{1,3})?$",
    re.IGNORECASE,
)
# An auction's opening bid, as the page labels it: a lot's declared price is often this
# first bid rather than what the lot stands at now.
OPENING_BID_RE = re.compile(
    r"\b(?:starting|opening|minimum|start)\s+(?:price|bid)\b|\bstart(?:gebot|preis)\b|"
    r"\bmindestgebot\b|\bmise\s+à\s+prix\b|\bprix\s+de\s+départ\b|\benchère\s+de\s+départ\b|"
    r"\bbase\s+d[’']asta\b|\bprezzo\s+di\s+partenza\b|\bprecio\s+de\s+salida\b|"
    r"\bpuja\s+inicial\b|\bcena\s+wywoławcza\b|\bvyvolávací\s+cena\b|\bstartprijs\b|"
    r"\b(?:openings|start)bod\b",
    re.IGNORECASE,
)
# A price the shop no longer asks, labelled in the text: "Statt 29,99 € nur 19,99 €",
# "Was £29.99 Now £19.99", "RRP £29.99", "UVP 29,99 €", "Antes 29,99 €". Ambiguous short
# words ("before", "prima") count only with a colon.
OLD_PRICE_RE = re.compile(
    r"(?:\b(?:was|rrp|r\.r\.p\.?|msrp|list\s+price|regular\s+price|reg\.|originally|"
    r"compare\s+at|au\s+lieu\s+de|prix\s+barr[ée]|prix\s+conseill[ée]|ancien\s+prix|"
    r"prix\s+de\s+r[ée]f[ée]rence|statt|anstatt|uvp|vorher|alter\s+preis|streichpreis|"
    r"bisher|antes|precio\s+anterior|pvpr?|precio\s+original|invece\s+di|anzich[ée]|"
    r"prezzo\s+di\s+listino|prezzo\s+consigliato|adviesprijs|oude\s+prijs|"
    r"pre[çc]o\s+original|zamiast|stara\s+cena|poprzednia\s+cena|p[ůu]vodn[ěí](?:\s+cena)?|"
    r"r[ée]gi\s+[áa]r|eredeti\s+[áa]r|pre[țţt]\s+vechi|før|tidligere\s+pris|"
    r"ordinarie\s+pris|ord\.\s*pris|normalpris|ennen|alkuper[äa]inen\s+hinta|"
    r"neupreis(?:\s+war)?|(?-i:NP)|(?-i:PRP)|"
    # WooCommerce's screen-reader text beside a sale: "Original price was: 29,90 €."
    r"original\s+price\s+was|pre[çc]o\s+original\s+era|precio\s+original\s+era|"
    r"prezzo\s+originale\s+era|prix\s+(?:d.origine|initial)\s+[ée]tait|"
    r"urspr[üu]nglicher\s+preis\s+war|oorspronkelijke\s+prijs\s+was|"
    r"αρχική\s+τιμή\s+ήταν|pierwotna\s+cena\s+wynosi[łl]a|p[ůu]vodn[íi]\s+cena\s+byla|"
    r"(?:prvobitna|izvorna|originalna|prvotna|izvirna)\s+c(?:ij)?ena\s+je\s+bila|"
    r"p[ôo]vodn[áa]\s+cena\s+bola|pre[țţt]ul\s+(?:ini[țţt]ial|original)\s+a\s+fost|"
    r"(?:първоначалната|оригиналната)\s+цена\s+беше|(?:orijinal|ilk)\s+fiyat|"
    r"(?:ursprungligt|opprinnelig|oprindelig)\s+pris\s+var|pradin[ėe]\s+kaina\s+buvo|"
    r"s[āa]kotn[ēe]j[āa]\s+cena\s+bija|algne\s+hind\s+oli|первоначальная\s+цена|"
    r"початкова\s+ціна)|"
    r"\b(?:before|prima|avant|normaal|normal)\s*:)\s{0,3}:?\s{0,3}$",
    re.IGNORECASE,
)
OLD_PRICE_LABEL = 32  # characters before a price searched for its label
_FREE_RE = re.compile(
    r"\b(?:free|gratuit|gratuite|gratis|gratuito|gratuita|kostenlos|umsonst|zdarma|"
    r"za\s+darmo|à\s+donner|zu\s+verschenken|"
    # Classifieds' giveaways: "Gis bort", "Gives væk", "Skänkes", "Annetaan", "Poklanjam",
    # "Oddam", "Daruji", "Ingyen", "Atdodu par velti", "Dovanoju", "Te geef", "Regalo".
    r"gis\s+bort|gives\s+v(?:æ|ae)k|(?:bort)?sk(?:ä|a)nkes|annetaan|poklanjam|darujem|"
    r"oddam|daruji|ingyen(?:es)?|par\s+velti|dovanoju|te\s+geef|regalo|se\s+regala)\b",
    re.IGNORECASE,
)
_NOT_FREE_RE = re.compile(
    r"\b(?:shipping|delivery|postage|returns?|livraison|port|versand|versandkostenfrei|"
    r"lieferung|envío|envio|spedizione|dostawa|doprava|verzending|feel|gluten|sugar|tax|"
    r"duty|trial|cruelty|range|bpa)\b",
    re.IGNORECASE,
)
_UNIT_AFTER_RE = re.compile(
    r"\s?%|[^\W\d_]|\s?(?:x|cm|mm|m|kg|g|mg|ml|l|pcs|pieces|st|stk|jahre|ans|years|days|jours)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Hit:
    start: int  # of the number, or of the currency mark before it
    end: int  # of the number, or of the currency mark after it
    value: float
    currency: str | None


def to_number(raw: str, currency: str | None = None) -> float | None:
    """The value of a number as written ("1.234,56", "1'234.50", "9,-"); None if unreadable."""
    text = _DASH_END_RE.sub("", raw.strip())
    text = _GROUPING_RE.sub("", text)
    last = max(text.rfind("."), text.rfind(","))
    if last < 0:
        return _finite(text)
    mark = text[last]
    other = "," if mark == "." else "."
    if other in text or text.count(mark) > 1:
        decimal = other in text  # "1.234,56": the last mark; "1.234.567": none
        whole = text[:last] if decimal else text
        frac = text[last + 1 :] if decimal else ""
        digits = whole.replace(".", "").replace(",", "")
        return _finite(digits + ("." + frac if frac else ""))
    whole, frac = text[:last], text[last + 1 :]
    if len(frac) == 3 and whole not in ("", "0") and not _precise(currency):
        return _finite(whole + frac)
    return _finite((whole or "0") + "." + frac)


def _precise(currency: str | None) -> bool:
    return currency is not None and (currency in CRYPTO or currency in THREE_DECIMALS)


def _finite(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _currency_beside(
    text: str, start: int, end: int, country: str | None, hint: str | None
) -> tuple[str | None, int, int]:
    """The currency written right after or right before text[start:end], and the widened span."""
    after = None
    if _MARK_CHAR_RE.search(text, end, end + 4):  # cheap test before the long alternation
        after = _CUR_AFTER_RE.match(text, end, min(len(text), end + 16))
    if after is not None:
        code = resolve_currency(after.group(1), country, hint)
        if code is not None:
            return code, start, after.end()
    before = None
    if _MARK_CHAR_RE.search(text, max(0, start - 4), start):
        before = _CUR_BEFORE_RE.search(text, max(0, start - 16), start)
    if before is not None:
        code = resolve_currency(before.group(1), country, hint)
        if code is not None:
            return code, before.start(), end
    return None, start, end


def _priced(text: str, country: str | None, hint: str | None, pos: int = 0) -> _Hit | None:
    """The first number with a currency mark beside it, from ``pos`` on."""
    for match in NUMBER_RE.finditer(text, pos):
        code, start, end = _currency_beside(text, match.start(), match.end(), country, hint)
        if code is None:
            continue
        value = to_number(match.group(0), code)
        if value is None:
            continue
        cents = _EURO_CENTS_RE.match(text, match.end()) if code == "EUR" else None
        if cents is not None and value.is_integer():
            return _Hit(start, cents.end(), value + int(cents.group(1)) / 100, code)
        return _Hit(start, end, value, code)
    return None


def _bare(text: str, country: str | None, hint: str | None) -> _Hit | None:
    """The first plain number near the start, in the currency named there or the hint."""
    head = text[:BARE_SCAN]
    code = find_currency(head, country, hint) or hint
    for match in NUMBER_RE.finditer(head):
        if _UNIT_AFTER_RE.match(head, match.end()) or match.end() == BARE_SCAN:
            continue  # a unit follows, or the number is cut at the window's edge
        value = to_number(match.group(0), code)
        if value is not None:
            return _Hit(match.start(), match.end(), value, code)
    return None


def _is_free(text: str) -> bool:
    for match in _FREE_RE.finditer(text, 0, FREE_SCAN):
        context = text[max(0, match.start() - 25) : match.end() + 25]
        if not _NOT_FREE_RE.search(context):
            return True
    return False


def _on_request(text: str, end: int) -> bool:
    """An "on request" phrase before ``end`` that is about the price."""
    for match in ON_REQUEST_RE.finditer(text, 0, end):
        if not _NOT_PRICE_CONTEXT_RE.search(text, max(0, match.start() - 30), match.start()):
            return True
    return False


def _range(text: str, hit: _Hit) -> tuple[float | None, float | None]:
    """(low, high) around a price: a range, or "from" / "up to" before it."""
    sep = _RANGE_AFTER_RE.match(text, hit.end, min(len(text), hit.end + 24))
    if sep is not None:
        second = NUMBER_RE.match(text, sep.end())
        other = to_number(second.group(0), hit.currency) if second else None
        if other is not None and other > hit.value:
            return hit.value, other
    first = _RANGE_BEFORE_RE.search(text, max(0, hit.start - 48), hit.start)
    if first is not None:
        value = to_number(first.group(1), hit.currency)
        if value is not None and value < hit.value:
            return value, hit.value
    if _FROM_RE.search(text, max(0, hit.start - 24), hit.start):
        return hit.value, None
    if _UPTO_RE.search(text, max(0, hit.start - 24), hit.start):
        return None, hit.value
    return None, None


def parse_price(
    text: str, *, country: str | None = None, currency_hint: str | None = None
) -> PriceResult | None:
    """The price stated in ``text``, or None when it states none.

    ``country``: ISO 3166 alpha-2 of the site, to settle "$", "kr", "¥".
    ``currency_hint``: an ISO code (the shop's currency) or a short text near the price
    that names one; it is the currency of a bare number.
    """
    if not text:
        return None
    window = text[:PRICE_SCAN]
    hint = resolve_hint(currency_hint) or find_currency(currency_hint, country)
    hit = _priced(window, country, hint)
    if hit is not None and OLD_PRICE_RE.search(
        window, max(0, hit.start - OLD_PRICE_LABEL), hit.start
    ):
        # The price asked now follows the old one, when the text gives it.
        hit = _priced(window, country, hint, hit.end) or hit
    if _on_request(window, hit.start if hit else len(window)):
        return PriceResult(None, None, None, None, on_request=True)
    if hit is None:
        if _is_free(window):
            return PriceResult(0.0, find_currency(window[:BARE_SCAN], country, hint) or hint)
        hit = _bare(window, country, hint)
        if hit is None:
            return None
    low, high = _range(window, hit)
    amount = low if low is not None else hit.value
    return PriceResult(amount, hit.currency, low, high)
