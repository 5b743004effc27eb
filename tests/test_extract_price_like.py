"""price_like answers as PRICE_LIKE does, on every kind of text cards ask it of."""

from __future__ import annotations

import re
import sys

import pytest

from netpatrol.extract.price_like import CODES, PRICE_LIKE, SIGNS, UNSAFE_CASE, price_like

SAMPLES = [
    "€ 12,99",
    "12,99 €",
    "12.99 EUR",
    "EUR12",
    "eur 5x",
    "Cena: 120 zł",
    "120 ZŁ",
    "1 200 Kč",
    "KČ 200",
    "abc 5 ft",
    "5 FT",
    "USD5",
    "USDT 5",
    "5 USDT",
    "usdt5",
    "xusd 5",
    "usdx 5",
    "5 usdx",
    "5 eurosx",
    "5 euros",
    "5 Euro",
    "R$ 10",
    "10 R$",
    "Rs. 500",
    "Rs 500",
    "500 Rs",
    "30,000원",
    "300 руб",
    "300 РУБ.",
    "ДИН 40",
    "40 лв",
    "5 000 тг",
    "1'000.50 CHF",
    "1\u00a0000\u202f€",
    "Only 3 left in stock, order within 12 hours",
    "no digits here at all",
    "",
    "12",
    "$",
    "5 kröner",
    "5 krone",
    "5 kr.",
    "5 ürün",
    "5 eurà",
    "5 eurÀ",
    "5 eurÿ",
    "5 eurŸ",
    "5 eur÷",
    "5 eur×",
    "ISK 3",
    "3 \u0130SK",  # dotted capital I: asked of PRICE_LIKE itself
    "\u0131sk 3",
    "u\u017fd 3",
    "3 \u212aZT",  # Kelvin sign lower-cases to k
    "3 \u1c84г",
    "٣ €",  # Arabic-Indic digit
    "€ ٣",
    "Price: 12 GBP (incl. VAT)",
    "SKU 4006381333931",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_price_like_agrees_with_the_pattern(text: str) -> None:
    assert price_like(text) == (PRICE_LIKE.search(text) is not None)


def test_price_like_agrees_on_every_token_in_every_case() -> None:
    tokens = [*SIGNS, "원", *CODES.replace("\\", "").replace("?", "").split("|"), "euros"]
    for token in tokens:
        for word in {token, token.upper(), token.lower(), token.title()}:
            for text in (
                f"{word} 5",
                f"{word}5",
                f"5 {word}",
                f"5{word}",
                f"x{word} 5",
                f"5 {word}x",
                f"5 {word}é",
                f"5 {word}É",
                f"5 {word}.",
                f"({word}) 5",
                f"_{word} 5",
            ):
                assert price_like(text) == (PRICE_LIKE.search(text) is not None), text


def test_unsafe_characters_are_all_those_lower_case_does_not_cover() -> None:
    """Every character whose match under re.IGNORECASE, against any letter or class of
    the pattern, differs from a plain match of its str.lower()."""
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    lowered = {c: c.lower() for c in every if c.lower() != c}
    found = {c for c, low in lowered.items() if len(low) != 1}
    atoms = set(CODES.replace("\\", "").replace("|", "").replace("?", "").lower()) | {"원"}
    for atom in sorted(atoms):
        ignore_case = set(re.findall(re.escape(atom), every, re.IGNORECASE))
        plain = {atom} | {c for c, low in lowered.items() if low == atom}
        found |= ignore_case ^ plain
    letters = re.compile("[a-zà-ÿ]")
    ignore_case = set(re.findall(letters.pattern, every, re.IGNORECASE))
    plain = set(letters.findall(every)) | {
        c for c, low in lowered.items() if letters.fullmatch(low)
    }
    found |= ignore_case ^ plain
    for category in (r"\d", r"\s", r"\w"):
        pattern = re.compile(category)
        found |= {
            c
            for c, low in lowered.items()
            if len(low) == 1 and bool(pattern.match(c)) != bool(pattern.match(low))
        }
    assert found == set(UNSAFE_CASE)
