"""Every lexicon and every CITES name matched in one pass (Aho-Corasick), on folded text.

Text and terms are folded alike (case, accents, ß, œ, dashes: ``knowledge.lexicons.fold``);
a match must start and end at a word boundary of the folded text, and its offsets are
mapped back to the original text for the evidence. A match inside a longer one is dropped,
so "faux ivoire" (a look-alike) hides the "ivoire" (a product) it contains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from netpatrol.knowledge.cites import CitesChecklist, Taxon, load_cites
from netpatrol.knowledge.lexicons import Term, fold, fold_with_offsets, load_all

# Scientific names of higher taxa are written in capitals in the checklist
# ("PSITTACIFORMES"); folded like any term. Terms shorter than this are never matched.
MIN_TERM = 3


@dataclass(frozen=True, slots=True)
class Entry:
    """What a matched term means: a lexicon term, or a name of a CITES taxon."""

    category: str
    label: str
    kind: str
    weight: float
    term: Term | None = None
    taxon: Taxon | None = None
    ambiguous: bool = False  # "python", "jaguar": needs other wildlife evidence beside it


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    text: str  # as written in the listing
    start: int
    end: int


class LexiconMatcher:
    """One automaton over all terms; ``find`` returns the hits of a text."""

    def __init__(self, entries: Iterable[tuple[str, Entry]]) -> None:
        table: dict[str, list[Entry]] = {}
        listed = list(entries)
        for term, entry in listed:
            key = fold(term).strip()
            if (len(key) >= MIN_TERM or _symbol(key)) and entry not in table.setdefault(key, []):
                table[key].append(entry)
        # Another spelling of a lexicon term counts only where no term is written so.
        for term, entry in listed:
            if entry.term is None:
                continue
            for variant in spellings(fold(term).strip(), entry.kind):
                if len(variant) >= MIN_TERM and variant not in table:
                    table[variant] = [entry]
        self._automaton = ahocorasick.Automaton()
        for key, found in table.items():
            self._automaton.add_word(key, (len(key), tuple(found)))
        self._automaton.make_automaton()
        self.size = len(table)

    def find(self, text: str) -> list[Hit]:
        if not text or self.size == 0:
            return []
        folded, offsets = fold_with_offsets(text)
        spans: list[tuple[int, int, tuple[Entry, ...]]] = []
        for last, (length, found) in self._automaton.iter(folded):
            first = last - length + 1
            if (folded[first] > "\x7f" and _symbol(folded[first : last + 1])) or (
                (_boundary(folded, first - 1) or _after_count(folded, first))
                and _boundary(folded, last + 1)
                and not _inside_number(folded, first)
            ):
                spans.append((first, last + 1, found))
        hits: list[Hit] = []
        for first, end, found in _outermost(spans):
            start, stop = offsets[first], offsets[end - 1] + 1
            hits.extend(Hit(entry, text[start:stop], start, stop) for entry in found)
        return hits


# Vendors write a model or a calibre joined, hyphenated or spaced as it comes: "Hi Point",
# "Hi-Point", "HiPoint"; "Tec 9", "Tec-9", "TEC9"; "12 gauge", "12-gauge", "12gauge".
_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")
# A word beside a number: "cz 75", "glock 19", "12 gauge", ".22 lr".
_WORD_NUMBER = re.compile(r"(?<=[^\W\d_]) (?=\d)|(?<=\d) (?=[^\W\d_])")
JOINED_KINDS = frozenset({"model", "ammunition", "conversion"})
MIN_PART = 2


def spellings(key: str, kind: str) -> set[str]:
    """The other ways a folded lexicon term is written: a hyphen as a space, and for makes,
    models and calibres, a hyphen or a space beside a number dropped or turned into the
    other ("cz 75" -> "cz75", "cz-75")."""
    found = set()
    if min(len(part) for part in key.split("-")) >= MIN_PART:  # "c-4" is no "c 4"
        found.add(_HYPHEN.sub(" ", key))
    if kind in JOINED_KINDS:
        found.add(_HYPHEN.sub("", key))
        found.add(_WORD_NUMBER.sub("", key))
        found.add(_WORD_NUMBER.sub("-", key))
    elif any(c.isdigit() for c in key):
        found.add(_HYPHEN.sub("", key))
    found.discard(key)
    return found


def _symbol(key: str) -> bool:
    """An emoji or another symbol with no letter or digit ("🌿", "❄️"): one character is a
    word of its own, where a one-letter term would match inside every abbreviation."""
    return bool(key) and not key.isascii() and not any(ch.isalnum() for ch in key)


def _boundary(folded: str, index: int) -> bool:
    return index < 0 or index >= len(folded) or not folded[index].isalnum()


def _after_count(folded: str, index: int) -> bool:
    """A word glued to the number before it: "30rd mag", "100tabs"."""
    if not folded[index].isalpha():
        return False
    before = index - 1
    while before >= 0 and folded[before].isdigit():
        before -= 1
    return before < index - 1 and _boundary(folded, before)


def _inside_number(folded: str, index: int) -> bool:
    """A term starting with a digit after a decimal point ("88.9 mm" holds no "9 mm")."""
    return (
        index >= 2
        and folded[index].isdigit()
        and folded[index - 1] in ".,"
        and folded[index - 2].isdigit()
    )


def _outermost(
    spans: list[tuple[int, int, tuple[Entry, ...]]],
) -> list[tuple[int, int, tuple[Entry, ...]]]:
    """Spans not inside a longer span (overlapping ones are all kept)."""
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, tuple[Entry, ...]]] = []
    reach = -1
    for span in spans:
        if span[1] <= reach:
            continue  # inside an earlier, longer span
        kept.append(span)
        reach = max(reach, span[1])
    return kept


def lexicon_entries(terms: Iterable[Term]) -> Iterable[tuple[str, Entry]]:
    for term in terms:
        yield term.term, Entry(term.category, term.label, term.kind, term.weight, term=term)


def cites_entries() -> Iterable[tuple[str, Entry]]:
    """Scientific names, synonyms and common names of the listed taxa, as wildlife terms.

    A scientific binomial is near-certain; a common name slightly less (many are also
    names of breeds, brands or colours); an ambiguous one counts only beside other
    wildlife evidence (the detector decides)."""
    for name in checklist().names():
        weight = 0.9 if name.lang == "la" and " " in name.name else 0.7
        if name.taxon.rank in {"FAMILY", "ORDER"}:
            weight = 0.5
        if name.ambiguous:
            weight = 0.2
        entry = Entry(
            "wildlife",
            name.taxon.scientific_name,
            "taxon",
            weight,
            taxon=name.taxon,
            ambiguous=name.ambiguous,
        )
        yield name.name, entry


_checklist: list[Path] = []


def use_checklist(path: Path | None) -> None:
    """Match the taxa of this checklist file (an imported Species+ export) from now on;
    None: the shipped one again."""
    _checklist[:] = [path] if path is not None else []
    default_matcher.cache_clear()


def checklist() -> CitesChecklist:
    return load_cites(_checklist[0] if _checklist else None)


@lru_cache(maxsize=1)
def default_matcher() -> LexiconMatcher:
    """The shipped lexicons and the checklist in use, built once per process."""
    return LexiconMatcher([*lexicon_entries(load_all()), *cites_entries()])
