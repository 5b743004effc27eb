"""The finders' and patterns' shortcuts (class strings, literal anchors, word tries) find
exactly what the plain patterns find over the whole text."""

from __future__ import annotations

import heapq
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from netpatrol.extract.dom import clean
from netpatrol.extract.identifiers.base import matches_at
from netpatrol.extract.identifiers.base58 import base58_runs
from netpatrol.extract.identifiers.bitcoin import BitcoinFinder
from netpatrol.extract.identifiers.charclass import CAPITALS_DIGITS, class_string
from netpatrol.extract.identifiers.domains import _WWW, _www_pattern
from netpatrol.extract.identifiers.email import _BRACKETED_AT, _BRACKETED_ATS, _start
from netpatrol.extract.identifiers.iban import _CANDIDATE, _START, _search
from netpatrol.extract.identifiers.litecoin import LitecoinFinder
from netpatrol.extract.identifiers.monero import _CANDIDATE as MONERO
from netpatrol.extract.identifiers.monero import SHORTEST
from netpatrol.extract.identifiers.payment import _DOT, DOT_AT
from netpatrol.extract.identifiers.payment import _LINK as PAYPAL_LINK
from netpatrol.extract.identifiers.phone import _RUN, _WHATSAPP, _whatsapp_starts, digit_runs
from netpatrol.extract.identifiers.telegram import _INVITE, _LINK, _link_starts
from netpatrol.extract.quantity import NUMBER_WORDS
from netpatrol.extract.wordtrie import word_trie

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
PIECES = [
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9",
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9",
    "DE89 3704 0044 0532 0130 00",
    "GB82\u00a0WEST\u00a01234\u00a05698\u00a07654\u00a032",
    "DE\u0668\u0669370400440532013000",  # Arabic-Indic digits are \d too
    "+33 6 12 34 56 78",
    "0049 (0)30 1234567",
    "\uff10\uff16 12 34 56 78",  # fullwidth digits
    "www.shop.example",
    "WWW.SHOP.EXAMPLE",
    "name [at] shop [dot] com",
    "x ( AT ) y.de",
    "{@}",
    "<arobase>",
    "paypal.me/Foo",
    "PayPal.com/paypalme/bar",
    "paypal.me/paypal.me/x",
    "wa.me/33612345678",
    "api.whatsapp.com/send?phone=33612345678",
    "whatsapp://send?phone=+33612345678",
    "t.me/somebody",
    "T.ME/joinchat/AAAAAAAAAAAAAAAAAAAA",
    "t.me/+ABCDEFGHIJKLMNOP",
    "tg://resolve?domain=someone",
    "telegram.dog/xyzab",
]
TEXTS = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(alphabet=B58, min_size=1, max_size=110),
        st.text(alphabet="0123456789 +-./()\t\u00a0\u0663\uff13AZ0Ol_\u0131\u00e9", max_size=30),
        st.text(max_size=8),
    ),
    max_size=12,
).map("".join)


def spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_digit_runs_are_the_run_pattern(text: str) -> None:
    assert list(digit_runs(text)) == spans(_RUN.finditer(text))


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(min_value=0, max_value=40))
def test_iban_search_is_the_candidate_search(text: str, position: int) -> None:
    starts = [m.start() for m in _START.finditer(class_string(text, CAPITALS_DIGITS))]
    found, expected = _search(text, starts, position), _CANDIDATE.search(text, position)
    assert (found and found.span()) == (expected and expected.span())


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_coin_candidates_are_the_patterns_over_the_whole_text(text: str) -> None:
    for finder in (BitcoinFinder(), LitecoinFinder()):
        whole = [*finder.base58.finditer(text)]
        whole += [m for p in finder.segwit for m in p.finditer(text)]
        assert spans(finder._candidates(text)) == spans(whole)
    runs = base58_runs(text, SHORTEST)
    assert [m.span() for s, e in runs for m in MONERO.finditer(text, s, e + 1)] == spans(
        MONERO.finditer(text)
    )


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_link_anchors_find_what_the_patterns_find(text: str) -> None:
    paypal = [dot.start() - DOT_AT for dot in _DOT.finditer(text)]
    assert spans(matches_at(PAYPAL_LINK, text, paypal)) == spans(PAYPAL_LINK.finditer(text))
    for pattern in (_LINK, _INVITE):
        assert spans(matches_at(pattern, text, _link_starts(text))) == spans(pattern.finditer(text))
    assert spans(matches_at(_WHATSAPP, text, _whatsapp_starts(text))) == spans(
        _WHATSAPP.finditer(text)
    )


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_bracketed_at_merge_is_the_class_pattern(text: str) -> None:
    merged = heapq.merge(*(p.finditer(text) for p in _BRACKETED_ATS), key=_start)
    assert spans(merged) == spans(_BRACKETED_AT.finditer(text))


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_www_pattern_finds_what_the_both_case_pattern_finds(text: str) -> None:
    pattern = _www_pattern(text)
    assert spans(pattern.finditer(text) if pattern else []) == spans(_WWW.finditer(text))


WORDS = st.lists(st.text(alphabet="abcdeé", min_size=1, max_size=5), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(WORDS, st.text(alphabet="abcdeÉé -", max_size=40))
def test_word_trie_matches_as_the_longest_first_alternation(words: list[str], text: str) -> None:
    flat = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    for suffix in ("", r"\b", "-"):
        plain = re.compile(f"(?:{flat}){suffix}", re.IGNORECASE)
        trie = re.compile(f"{word_trie(words)}{suffix}", re.IGNORECASE)
        assert spans(trie.finditer(text)) == spans(plain.finditer(text))


def test_number_words_trie_matches_every_number_word_whole() -> None:
    pattern = re.compile(f"{word_trie(list(NUMBER_WORDS))}\\b", re.IGNORECASE)
    for word in NUMBER_WORDS:
        for written in (word, word.upper(), word.capitalize()):
            match = pattern.match(written + " x")
            assert match is not None and match.group(0) == written


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n\r\f\v\x1c\x85\xa0\u2009\u3000\u200bab", max_size=40))
def test_clean_collapses_as_the_whitespace_pattern(text: str) -> None:
    assert clean(text) == (re.sub(r"\s+", " ", text).strip() or None)


def test_class_string_keeps_positions_and_other_scripts_digits() -> None:
    # Cyrillic letters, a euro sign, Arabic-Indic and fullwidth digits, a lone surrogate
    # (a byte that was not UTF-8, kept by surrogateescape): one byte per character, and
    # only the digits read as digits.
    text = "Тел \u0660\u0661 €5 \uff10\udce9 +33"
    classes = class_string(text, CAPITALS_DIGITS)
    assert len(classes) == len(text)
    assert classes == b"...sDDs.DsD.s+DD"
