"""The quantity shortcuts give what the patterns alone give."""

from __future__ import annotations

import pytest

from netpatrol.extract.price_like import UNSAFE_CASE
from netpatrol.extract.quantity import (
    _DOZEN_RE,
    _DOZEN_WORDS,
    _PAIR_RE,
    _PAIR_WORDS,
    _may_hold,
    count_specimens,
    parse_quantity,
)

SAMPLES = [
    "a pair of mounted bats",
    "A PAIR OF earrings",
    "une paire de chaussures",
    "Une Paire De gants",
    "ein Paar Schuhe",
    "Ein Paar Socken",
    "un par de zapatos",
    "UN PAR DE botas",
    "un paio di scarpe",
    "3 pairs of socks",
    "drei Paar Socken",
    "dos pares",
    "tre paia di calze",
    "deux paires",
    "half a dozen eggs",
    "une douzaine d'œufs",
    "ein halbes Dutzend",
    "media docena",
    "mezza dozzina",
    "tuzin jajek",
    "tucet vajec",
    "compare prices, spare parts",
    "no count here at all",
    "3 x 30 tablets",
    "lot de 3",
    "3 framed butterflies",
    "pack of 12 pcs",
    "10x",
    "",
    # the characters where lower-casing and re.IGNORECASE part ways
    *(f"a pa{c}r of" for c in UNSAFE_CASE),
    *(f"do{c}en" for c in UNSAFE_CASE),
]


@pytest.mark.parametrize("text", SAMPLES)
def test_prefilter_never_hides_a_match(text: str) -> None:
    if _PAIR_RE.search(text) is not None:
        assert _may_hold(text, _PAIR_WORDS)
    if _DOZEN_RE.search(text) is not None:
        assert _may_hold(text, _DOZEN_WORDS)


def test_prefilter_skips_texts_without_the_words() -> None:
    assert not _may_hold("30 tablets, 500 mg", _PAIR_WORDS)
    assert not _may_hold("30 tablets, 500 mg", _DOZEN_WORDS)
    assert _may_hold("\u0130 30 tablets", _PAIR_WORDS)  # unsafe case: always searched


@pytest.mark.parametrize("text", SAMPLES)
def test_counts_checked_gives_the_same_specimens(text: str) -> None:
    title = text
    body = f"Beautiful specimen. {text}. Shipping worldwide."
    if parse_quantity(title) is None and parse_quantity(body) is None:
        assert count_specimens(title, body, counts_checked=True) == count_specimens(title, body)
