"""Language of a listing, among the EU's official languages and three of the markets
beside them: Russian, Ukrainian and Turkish (lingua, offline models).

Low-accuracy mode: bulk scanning needs speed, and listings are short texts where the
high-accuracy models gain little. The detector is built once, on first use. Before it,
a vote of function words settles texts that plainly are one language
(``function_words.py``): on the Zyte pages 45 of 65, at a twentieth of lingua's cost.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from netpatrol.extract.function_words import VOTERS

# The EU's official languages that lingua knows (it has no Maltese model).
EU_LANGUAGES = (
    Language.BULGARIAN,
    Language.CROATIAN,
    Language.CZECH,
    Language.DANISH,
    Language.DUTCH,
    Language.ENGLISH,
    Language.ESTONIAN,
    Language.FINNISH,
    Language.FRENCH,
    Language.GERMAN,
    Language.GREEK,
    Language.HUNGARIAN,
    Language.IRISH,
    Language.ITALIAN,
    Language.LATVIAN,
    Language.LITHUANIAN,
    Language.POLISH,
    Language.PORTUGUESE,
    Language.ROMANIAN,
    Language.SLOVAK,
    Language.SLOVENE,
    Language.SPANISH,
    Language.SWEDISH,
)
# lingua's time grows with the sample (about linearly: 800 characters cost 80 % of 1,000).
# On the pages of ../shared/data (71 texts: product pages, the leboncoin lists' cards) the
# first 800 characters give the same language as 1,000 and 2,000 did (600 too; 500 changed
# one page): 800 keeps a margin.
SAMPLE_CHARS = 800
MIN_LETTERS = 12
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
# A language's function words settle the text when there are enough of them and they
# outnumber the runner-up's this many times (function_words.py says why and how checked).
MIN_VOTES = 6
_NOT_BULGARIAN = re.compile("[ыэёіїєґЫЭЁІЇЄҐ]")
VOTE_MARGIN = 2


# Languages of markets beside the EU's: without them lingua reads Russian and Ukrainian as
# Bulgarian (the only Cyrillic language left), and Turkish as Swedish or Hungarian.
# Turkish is asked only of a text with its letters: short English titles ("50x pfizer
# Xanax 2mg") were read as Turkish.
NEIGHBOUR_LANGUAGES = (Language.RUSSIAN, Language.UKRAINIAN)
_TURKISH_LETTERS = re.compile("[ğıİĞ]")


@lru_cache(maxsize=2)
def _detector(turkish: bool = False) -> LanguageDetector:
    languages = (*EU_LANGUAGES, *NEIGHBOUR_LANGUAGES, *([Language.TURKISH] if turkish else []))
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code, or None when the text is too short to tell."""
    if not text:
        return None
    sample = text[:SAMPLE_CHARS]
    if len(_LETTERS.findall(sample)) < MIN_LETTERS:
        return None
    voted = function_word_vote(sample)
    # Bulgarian's function words are Russian's and Ukrainian's too; letters Bulgarian
    # lacks send the text to lingua, which knows those languages.
    if voted is not None and not (voted == "bg" and _NOT_BULGARIAN.search(sample)):
        return voted
    turkish = _TURKISH_LETTERS.search(sample) is not None
    language = _detector(turkish).detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language is not None else None


def function_word_vote(sample: str) -> str | None:
    """The language whose function words clearly dominate the sample, else None."""
    votes: Counter[str] = Counter()
    # Each word once: a word repeated down a list ("(pro)" on every card) is one voice.
    for word in set(_WORDS.findall(sample.lower())):
        votes.update(VOTERS.get(word, ()))
    ranked = votes.most_common(2)
    if not ranked:
        return None
    (top, count), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0)
    return top if count >= MIN_VOTES and count >= VOTE_MARGIN * runner_up else None
