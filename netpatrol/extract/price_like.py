"""Whether a short text reads as a price: a number next to a currency sign or code.

``PRICE_LIKE`` states the rule; ``price_like`` answers the same question several times
faster, as cards ask it of thousands of element texts per page. Under ``re.IGNORECASE``
the engine enters every one of the ~50 currency-code branches at every position of the
text (about 15 us for a 40-character text that holds no price); on a lower-cased copy,
case-sensitive branches that start with a literal are skipped at a glance. Each half of
the rule is also written to start with a digit (the sign-first half on the reversed text),
so the engine only stops at digits.
"""

from __future__ import annotations

import re

SIGNS = "€£$¥￥₹₽₺₴₸₩₪₫฿₱₦₿"
CODES = (
    r"EUR|USD|GBP|CHF|PLN|CZK|SEK|NOK|DKK|HUF|RON|BGN|HRK|RSD|TRY|UAH|RUB|KZT|ISK|CAD|AUD|NZD"
    r"|BRL|ARS|MXN|INR|PKR|ZAR|JPY|CNY|KRW|SAR|AED|BTC|XMR|ETH|LTC|USDT"
    r"|BAM|MKD|PEN"
    r"|zł|Kč|Ft|kr|kn|lei|лв|дин|din|руб|грн|тг|Rs|R\$|euros?|S?Fr\.?|TL|Rp|RM|Lek|ден|S/\.?"
    # Arabic: dinar, riyal, dirham, pound.
    r"|دينار|ريال|درهم|جنيه"
)
# Bosnia's convertible mark is "KM"; in any other case it is a distance ("120 000 km").
MARKA = r"(?-i:\d\s?KM(?![A-Za-z])|(?<![A-Za-z])KM\s?\d)"
_MARKA = re.compile(MARKA)
# Marks written right after the amount with no space or letter rule: Korean, Japanese,
# Chinese.
_EAST_ASIAN = "원|円|元"
# Central European and Swiss shops write a whole amount "4 699,-" or "250.–" with no
# currency: the dash where the cents would be says it is a price.
NO_CENTS = r"\d[.,][-\u2013\u2014](?!\d)"
# South Africa's rand is "R" before the amount ("R4,200.00", "R 1 299"); written with cents
# or thousands, since "R18" and "R2" name ratings and models.
RAND = r"(?-i:(?<![A-Za-z])R\s?(?:\d{1,3}(?:[,\s\u00a0]\d{3})+(?:\.\d{2})?|\d+\.\d{2})(?![\w-]))"
_RAND = re.compile(RAND)
PRICE_LIKE = re.compile(
    rf"(?:[{SIGNS}]|\b(?:{CODES})(?![a-zà-ÿ]))\s?\d"
    rf"|\d[\d\s.,'\u00a0\u202f]*\s?(?:[{SIGNS}]|(?:{CODES})(?![a-zà-ÿ])|{_EAST_ASIAN})"
    rf"|{NO_CENTS}|{MARKA}|{RAND}",
    re.IGNORECASE,
)
_NO_CENTS = re.compile(NO_CENTS)

_CODES_LOWER = CODES.lower().split("|")
# The second half of PRICE_LIKE, as is, on lower-cased text.
_NUMBER_FIRST = re.compile(
    rf"\d[\d\s.,'\u00a0\u202f]*\s?(?:[{SIGNS}]|(?:{'|'.join(_CODES_LOWER)})(?![a-zà-ÿ])"
    rf"|{_EAST_ASIAN})"
)


def _reversed_code(code: str) -> str:
    # The codes written as patterns.
    special = {r"r\$": r"\$r", "euros?": "s?orue", r"s?fr\.?": r"\.?rfs?", r"s/\.?": r"\.?/s"}
    return special.get(code, code[::-1])


# The first half, "€ 12" or "EUR12", on the reversed lower-cased text: "21 €", "21rue".
# Its "(?![a-zà-ÿ])" after the code is dropped: a space or a digit always follows there.
_SIGN_FIRST_REVERSED = re.compile(
    rf"\d\s?(?:[{SIGNS}]|(?:{'|'.join(_reversed_code(c) for c in _CODES_LOWER)})\b)"
)
# The only characters whose match under re.IGNORECASE differs from a match of their
# str.lower() against the lower-cased pattern (dotted/dotless i, long s, old Cyrillic
# letter forms): a text holding one is asked of PRICE_LIKE itself. A test derives them.
UNSAFE_CASE = "\u0130\u0131\u017f\u1c80\u1c81\u1c84\u1c85"
_UNSAFE = re.compile(f"[{UNSAFE_CASE}]")


def price_like(text: str) -> bool:
    """``PRICE_LIKE.search(text) is not None``, faster."""
    if not text.isascii() and _UNSAFE.search(text) is not None:
        return PRICE_LIKE.search(text) is not None
    lower = text.lower()
    return (
        _NUMBER_FIRST.search(lower) is not None
        or _SIGN_FIRST_REVERSED.search(lower[::-1]) is not None
        or _NO_CENTS.search(text) is not None
        or ("KM" in text and _MARKA.search(text) is not None)
        or ("R" in text and _RAND.search(text) is not None)
    )
