"""Language detection: the function-word vote answers only where lingua would agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netpatrol.extract.function_words import FUNCTION_WORDS
from netpatrol.extract.language import EU_LANGUAGES, detect_language, function_word_vote

# The same offer ("a pair of shoes, almost new...") written for this project in each EU
# language lingua knows.
PARAGRAPHS: dict[str, str] = json.loads(
    (Path(__file__).parent / "data" / "language-paragraphs.json").read_text(encoding="utf-8")
)


def test_every_eu_language_has_function_words_and_a_paragraph() -> None:
    codes = {language.iso_code_639_1.name.lower() for language in EU_LANGUAGES}
    assert set(FUNCTION_WORDS) == codes
    assert set(PARAGRAPHS) == codes


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_each_language_is_detected(code: str) -> None:
    assert detect_language(PARAGRAPHS[code]) == code


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_the_vote_never_contradicts_the_language(code: str) -> None:
    assert function_word_vote(PARAGRAPHS[code]) in (code, None)


def test_the_vote_settles_most_paragraphs() -> None:
    settled = [code for code, text in PARAGRAPHS.items() if function_word_vote(text) == code]
    assert len(settled) >= 15, settled


def test_close_languages_are_left_to_lingua() -> None:
    # Danish and Swedish share most function words: no clear margin, lingua decides.
    assert function_word_vote(PARAGRAPHS["da"]) is None
    assert detect_language(PARAGRAPHS["da"]) == "da"


def test_a_repeated_word_is_one_voice() -> None:
    # leboncoin cards end in "(pro)" one after another: not Czech "pro" six times over.
    cards = " ".join(f"Renault Laguna {n} 000 € Colomiers (pro)" for n in range(8))
    assert function_word_vote(cards) is None


def test_too_few_function_words_is_no_vote() -> None:
    assert function_word_vote("Nike Air Max 90 white size 42 the box") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Продаю велосипед в хорошем состоянии, почти не использовался. Самовывоз из "
            "центра Москвы, возможна доставка по городу за отдельную плату.",
            "ru",
        ),
        (
            "Продам павербанк у гарному стані, є всі кабелі та коробка. Відправлю Новою "
            "поштою по всій Україні, оплата при отриманні.",
            "uk",
        ),
        (
            "Erkek spor ayakkabı, beyaz renk, çok rahat ve hafif. Kargo ücretsiz, iki gün "
            "içinde teslim edilir. Değişim ve iade mümkündür.",
            "tr",
        ),
        # Bulgarian stays Bulgarian.
        (
            "Продавам велосипед в отлично състояние, използван съвсем малко. Може да се "
            "вземе от центъра на София или да се изпрати с куриер.",
            "bg",
        ),
    ],
)
def test_the_languages_of_neighbouring_markets(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("title", ["50x pfizer Xanax 2mg", "1k pfizer 2mg Xanax", "UK CC DEBIT"])
def test_short_titles_without_turkish_letters_are_not_turkish(title: str) -> None:
    # Asked of every text, lingua read these Agora titles as Turkish.
    assert detect_language(title) != "tr"
