"""How deep a discount a listing claims. Counterfeit web shops sell a brand at 70-90 % off
its usual price ("Statt 189,99 € nur 42,90 €", "was $330 now $45.99", "-80%"); a brand's
own outlet or a shop's sale rarely goes past half. The seven languages' ways of saying it.
"""

from __future__ import annotations

import re

from netpatrol.extract.price import NUMBER_RE, to_number

# An amount with its currency beside it ("€1.990", "189,99 €", "CHF 89", "$45.99"): a bare
# number is a year, a size or a stock count ("was purchased 2019", "only 2 left").
_CURRENCY = r"(?:[€£$]|eur|euros?|usd|gbp|chf)"
_AMOUNT = re.compile(
    rf"{_CURRENCY}\s?(?P<before>{NUMBER_RE.pattern})|(?P<after>{NUMBER_RE.pattern})\s?{_CURRENCY}(?!\w)",
    re.IGNORECASE,
)

# "-75%", "75% off", "75 % de réduction", "Rabatt 75%", "sconto del 75%".
_OFF_WORDS = (
    r"off|discount|korting|desconto|de\s+desconto|descuento|de\s+descuento|rabatt|"
    r"r[ée]duction|de\s+r[ée]duction|de\s+remise|remise|sconto|di\s+sconto|reduction"
)
_PERCENT_OFF = re.compile(
    r"(?<![\w%])-\s?(?P<minus>\d{2})\s?%"
    rf"|(?<![\d.,])(?P<after>\d{{2}})\s?%\s*(?:{_OFF_WORDS})\b"
    r"|\b(?:rabatt|korting|desconto|descuento|r[ée]duction|remise|sconto)\s+"
    r"(?:del\s+|de\s+|von\s+|van\s+|di\s+)?(?P<before>\d{2})\s?%",
    re.IGNORECASE,
)
# The usual price named after the one asked: "42,90 € statt 189,99 €", "€199 (was
# €1.990)", "£99 (RRP £479.99)", "44,99 € au lieu de 119,99 €", "€49,95 i.p.v. €189,99",
# "29 € em vez de 650 €", "29 € invece di 99 €", "35 € en lugar de 120 €".
_INSTEAD_OF = re.compile(
    r"\b(?:(?:statt|anstatt|anstelle\s+von|uvp|was|rrp|instead\s+of|au\s+lieu\s+de|"
    r"prix\s+conseill[ée]|in\s+plaats\s+van|em\s+vez\s+de|antes|invece\s+di|anzich[ée]|"
    r"en\s+lugar\s+de|en\s+vez\s+de|pvp)\b|i\.\s?p\.\s?v\.)",
    re.IGNORECASE,
)
# "was $330 now $45.99", "statt 189,99 € nur 42,90 €": the usual price first.
_NOW = re.compile(r"\b(?:now|nur|jetzt|only|nu|agora|ora|ahora|maintenant|seulement)\b", re.I)
NEAR = 40  # characters between a marker and the amounts it relates


# "Up to -80%" is a shop's banner over its whole sale (a genuine shop's "BLACK WEEK :
# jusqu'à -80%" on a Casio watch's page), not the item's own price.
_UP_TO = re.compile(
    r"\b(?:up\s+to|jusqu'?\s?[àa]|bis\s+zu|hasta|hasta\s+un|fino\s+al?|tot|at[ée]|até\s+aos?)\s*$",
    re.IGNORECASE,
)


def deepest_discount(text: str) -> float:
    """The largest share off the usual price the text claims for the item (0.8 for 80 %
    off), 0 when it claims none."""
    shares = [
        int(next(g for g in m.groups() if g)) / 100
        for m in _PERCENT_OFF.finditer(text)
        if not _UP_TO.search(text, max(0, m.start() - 16), m.start())
    ]
    amounts = _amounts(text)
    for marker in _INSTEAD_OF.finditer(text):
        usual = _first_amount(amounts, marker.end(), marker.end() + NEAR)
        if usual is None or usual <= 0:
            continue
        now_word = _NOW.search(text, marker.end(), marker.end() + 2 * NEAR)
        asked = (
            _first_amount(amounts, now_word.end(), now_word.end() + NEAR)
            if now_word is not None
            else None
        )
        if asked is None:
            asked = _last_amount(amounts, max(0, marker.start() - NEAR), marker.start())
        if asked is not None and 0 < asked < usual:
            shares.append(1 - asked / usual)
    return max(shares, default=0.0)


Amount = tuple[int, int, float]  # start, end, value


def _amounts(text: str) -> list[Amount]:
    """The currency-marked amounts of the whole text, read once: no number is cut at a
    window's edge."""
    found = []
    for match in _AMOUNT.finditer(text):
        value = to_number(match.group("before") or match.group("after"))
        if value is not None:
            found.append((match.start(), match.end(), value))
    return found


def _within(amounts: list[Amount], start: int, end: int) -> list[float]:
    # A currency sign may stand just past the window ("... statt 189,99 €").
    return [
        value
        for first, last, value in amounts
        if first >= start and last <= end + 4 and first < end
    ]


def _first_amount(amounts: list[Amount], start: int, end: int) -> float | None:
    found = _within(amounts, start, end)
    return found[0] if found else None


def _last_amount(amounts: list[Amount], start: int, end: int) -> float | None:
    found = _within(amounts, start, end)
    return found[-1] if found else None
