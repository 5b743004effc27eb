"""Currencies: ISO 4217 codes, the symbols and words that stand for them, and the country
hint that settles an ambiguous symbol.

`resolve_currency` maps one symbol, abbreviation, word or code to an ISO 4217 code (crypto
assets by their ticker); `find_currency` finds the first currency mention in a short text.
An unknown symbol gives None, never a guess, except for these documented defaults when no
country hint (or a hint for an unrelated country) is given:

- ``$`` and ``dollar(s)`` -> USD (CA, AU, NZ, MX, AR, CL, CO, HK, SG, TW use their own);
- ``kr`` / ``kr.`` / ``krona`` ... -> SEK (NO -> NOK, DK/GL/FO -> DKK, IS -> ISK);
- ``¥`` -> JPY (CN -> CNY); ``元`` / ``yuan`` / ``RMB`` are always CNY;
- ``£`` -> GBP; ``Fr.`` / ``SFr.`` / ``franc(s)`` -> CHF (the only live European franc);
- ``Rs`` / ``₨`` / ``rupee(s)`` -> INR (PK -> PKR); ``lei`` -> RON (MD -> MDL);
- ``ريال`` (riyal) -> SAR (OM -> OMR, QA -> QAR); ``درهم`` (dirham) -> AED (MA -> MAD).

A currency hint (ISO code) that is one of an ambiguous symbol's candidates also settles it,
so ``kr`` with hint NOK is NOK.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ISO 4217 codes (and crypto tickers) this package knows; HRK and BGN are legacy (euro).
FIAT = frozenset([
    "EUR", "GBP", "USD", "CHF", "PLN", "CZK", "HUF", "RON", "BGN", "SEK", "NOK", "DKK", "ISK",
    "TRY", "RUB", "UAH", "BYN", "RSD", "MDL", "HRK", "CAD", "AUD", "NZD", "JPY", "CNY", "HKD",
    "TWD", "KRW", "SGD", "INR", "PKR", "IDR", "MYR", "PHP", "THB", "VND", "ILS", "BRL", "ARS",
    "MXN", "CLP", "COP", "ZAR", "NGN", "EGP", "MAD", "KZT", "SAR", "AED", "QAR", "OMR", "KWD",
    "GEL", "BAM", "MKD", "ALL", "PEN",
])  # fmt: skip
CRYPTO = frozenset(["BTC", "XMR", "ETH", "LTC", "USDT"])
CODES = FIAT | CRYPTO

# Ambiguous marks: the currency by country; key "" is the default (pesos have none).
_DOLLAR = {
    "": "USD",
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "MX": "MXN",
    "AR": "ARS",
    "CL": "CLP",
    "CO": "COP",
    "HK": "HKD",
    "SG": "SGD",
    "TW": "TWD",
}
_KRONA = {
    "": "SEK",
    "NO": "NOK",
    "DK": "DKK",
    "GL": "DKK",
    "FO": "DKK",
    "IS": "ISK",
}
_YEN = {"": "JPY", "CN": "CNY"}
_RUPEE = {"": "INR", "PK": "PKR"}
_LEU = {"": "RON", "MD": "MDL"}
_RIYAL = {"": "SAR", "OM": "OMR", "QA": "QAR"}
_DIRHAM = {"": "AED", "MA": "MAD"}
_PESO = {"MX": "MXN", "AR": "ARS", "CL": "CLP", "CO": "COP"}
# Arabic "dinar" and "pound" by the site's country; no default: too many countries.
_DINAR = {"JO": "JOD", "KW": "KWD", "BH": "BHD", "IQ": "IQD", "LY": "LYD", "TN": "TND", "DZ": "DZD"}
_POUND_AR = {"EG": "EGP", "SD": "SDG", "LB": "LBP", "SY": "SYP"}
_AMBIGUOUS: dict[str, dict[str, str]] = {
    "dollar": _DOLLAR,
    "krona": _KRONA,
    "yen": _YEN,
    "rupee": _RUPEE,
    "leu": _LEU,
    "riyal": _RIYAL,
    "dirham": _DIRHAM,
    "peso": _PESO,
    "dinar": _DINAR,
    "pound_ar": _POUND_AR,
}

# Symbols matched as written (case matters: "R" is a rand, "r" is not).
_SYMBOLS: dict[str, str] = {
    "€": "EUR", "£": "GBP", "$": "dollar", "US$": "USD", "USD$": "USD", "U$S": "USD",
    "C$": "CAD", "CA$": "CAD", "CAN$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
    "MX$": "MXN", "AR$": "ARS", "CL$": "CLP", "CO$": "COP", "R$": "BRL", "HK$": "HKD",
    "S$": "SGD", "SG$": "SGD", "NT$": "TWD", "Fr.": "CHF", "SFr.": "CHF", "Fr": "CHF",
    "zł": "PLN", "Zł": "PLN", "Kč": "CZK", "Ft": "HUF", "лв": "BGN", "лв.": "BGN",
    "₽": "RUB", "Р": "RUB", "р.": "RUB", "₴": "UAH", "₺": "TRY", "TL": "TRY", "¥": "yen",
    "￥": "yen", "CN¥": "CNY", "元": "CNY", "円": "JPY", "₹": "INR", "₨": "rupee",
    "Rs": "rupee", "Rs.": "rupee", "R": "ZAR", "₸": "KZT", "тг": "KZT", "тг.": "KZT",
    "тңг": "KZT", "ر.س": "SAR", "ر.س.": "SAR", "د.إ": "AED", "د.إ.": "AED",
    "ريال": "riyal", "درهم": "dirham", "دينار": "dinar", "د.ا": "JOD", "د.ك": "KWD",
    "د.ب": "BHD", "جنيه": "pound_ar", "ج.م": "EGP", "ج.م.": "EGP",
    "₿": "BTC", "Ƀ": "BTC", "Ξ": "ETH",
    "₩": "KRW", "원": "KRW", "₪": "ILS", "₫": "VND", "฿": "THB", "₱": "PHP", "₦": "NGN",
    "₾": "GEL", "Rp": "IDR", "RM": "MYR", "KD": "KWD", "Br": "BYN", "дин.": "RSD",
    "kr": "krona", "kr.": "krona", "Kr": "krona", "Kr.": "krona", "KR": "krona",
    "KM": "BAM", "ден": "MKD", "ден.": "MKD", "Lek": "ALL", "Lekë": "ALL", "S/": "PEN",
    "S/.": "PEN", "din.": "RSD", "Din.": "RSD",
}  # fmt: skip
# Words and abbreviations matched in any case.
_WORDS: dict[str, str] = {
    "euro": "EUR", "euros": "EUR", "eur": "EUR", "€uro": "EUR", "dollar": "dollar",
    "dollars": "dollar", "usd": "USD", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "gbp": "GBP", "chf": "CHF", "sfr": "CHF", "franc": "CHF", "francs": "CHF",
    "franken": "CHF", "zl": "PLN", "zloty": "PLN", "złoty": "PLN", "złotych": "PLN",
    "zlotys": "PLN", "pln": "PLN", "kc": "CZK", "korun": "CZK", "koruna": "CZK",
    "czk": "CZK", "forint": "HUF", "huf": "HUF", "lei": "leu", "leu": "leu", "ron": "RON",
    "leva": "BGN", "лева": "BGN", "bgn": "BGN", "krona": "krona", "kronor": "krona",
    "krone": "krona", "kroner": "krona", "kronur": "krona", "sek": "SEK", "nok": "NOK",
    "dkk": "DKK", "isk": "ISK", "lira": "TRY", "ytl": "TRY", "руб": "RUB", "руб.": "RUB",
    "рублей": "RUB", "rub": "RUB", "rubel": "RUB", "ruble": "RUB", "rubles": "RUB",
    "rouble": "RUB", "roubles": "RUB", "rur": "RUB", "грн": "UAH", "грн.": "UAH",
    "uah": "UAH", "hryvnia": "UAH", "cad": "CAD", "aud": "AUD", "nzd": "NZD",
    "yen": "JPY", "jpy": "JPY", "yuan": "CNY", "rmb": "CNY", "cny": "CNY", "rupee": "rupee",
    "rupees": "rupee", "inr": "INR", "reais": "BRL", "brl": "BRL", "ars": "ARS",
    "peso": "peso", "pesos": "peso", "mxn": "MXN", "rand": "ZAR", "zar": "ZAR",
    "tenge": "KZT", "kzt": "KZT", "riyal": "riyal", "sar": "SAR", "dirham": "dirham",
    "dirhams": "dirham", "dhs": "AED", "aed": "AED", "kuna": "HRK", "kn": "HRK", "hrk": "HRK",
    "btc": "BTC", "xbt": "BTC", "bitcoin": "BTC", "bitcoins": "BTC", "xmr": "XMR",
    "monero": "XMR", "eth": "ETH", "ether": "ETH", "ltc": "LTC", "litecoin": "LTC",
    "usdt": "USDT", "tether": "USDT", "pkr": "PKR", "rsd": "RSD", "byn": "BYN",
    "bam": "BAM", "mkd": "MKD", "denari": "MKD", "lekë": "ALL", "soles": "PEN", "pen": "PEN",
    "dinara": "RSD",
}  # fmt: skip

_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"


def _alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


# Codes written in capitals, and "SGD$"-style dollar codes, are symbols too.
_SYMBOLS.update({code: code for code in CODES})
_SYMBOLS.update({code + "$": code for code in _DOLLAR.values()})

# One mention: a symbol or word not glued to other letters (digits may touch it: "R250").
CURRENCY_RE = re.compile(
    _NOT_LETTER_BEFORE
    + "(?:"
    + _alternation(list(_SYMBOLS))
    + "|(?i:"
    + _alternation(list(_WORDS))
    + "))"
    + r"(?:(?<=[^\w.])|"
    + _NOT_LETTER_AFTER
    + ")"
)


_NEAR_DIGIT_RE = re.compile(r"\d")


def _country(country: str | None) -> str:
    return country.strip().upper() if country else ""


def _settle(kind: str, country: str | None, hint: str | None) -> str | None:
    table = _AMBIGUOUS.get(kind)
    if table is None:
        return kind
    code = _country(country)
    if code and table.get(code) is not None:
        return table[code]
    if hint is not None and hint in table.values():
        return hint
    return table.get("")


@lru_cache(maxsize=4096)
def resolve_currency(
    symbol_or_code: str | None, country: str | None = None, hint: str | None = None
) -> str | None:
    """ISO 4217 code (or crypto ticker) for a symbol, abbreviation, word or code; None if unknown.

    ``country`` (ISO 3166 alpha-2) and ``hint`` (an ISO code, e.g. the shop's currency)
    settle ambiguous marks such as ``$``, ``kr`` and ``¥``.
    """
    if not symbol_or_code:
        return None
    text = symbol_or_code.strip()
    if len(text) > 12:
        return None
    if text.upper() in CODES:
        return text.upper()
    kind = _SYMBOLS.get(text) or _WORDS.get(text.lower())
    if kind is None:
        return None
    return _settle(kind, country, resolve_hint(hint))


def resolve_hint(hint: str | None) -> str | None:
    """A hint that is already an ISO code, upper-cased; anything else gives None."""
    if hint and hint.strip().upper() in CODES:
        return hint.strip().upper()
    return None


def find_currency(
    text: str | None, country: str | None = None, hint: str | None = None
) -> str | None:
    """The first currency mentioned in ``text`` (searched in its first 200 characters).

    Short Latin marks such as "R", "TL" or "kr" count only next to a digit or alone.
    """
    if not text:
        return None
    head = text[:200]
    for match in CURRENCY_RE.finditer(head):
        alone = head.strip() == match.group(0)
        if (
            _weak(match.group(0))
            and not alone
            and not _NEAR_DIGIT_RE.search(head, max(0, match.start() - 3), match.end() + 3)
        ):
            continue
        code = resolve_currency(match.group(0), country, hint)
        if code is not None:
            return code
    return None


def _weak(mark: str) -> bool:
    """Short Latin marks ("R", "TL", "kr", "Fr.") are currencies only beside a number."""
    return len(mark.rstrip(".")) <= 2 and mark.isascii() and mark.rstrip(".").isalpha()
