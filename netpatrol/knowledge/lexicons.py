"""The shipped detection lexicons (``knowledge/lexicons/*.tsv``) and their loader.

Each file is UTF-8 TSV with the header ``term category label kind lang weight extra``
(see ``knowledge/SOURCES.md`` for where every file comes from). The detectors fold both
the terms and the text with :func:`fold` and match them in one pass; since folding may
change the length of the text, :func:`fold_with_offsets` maps every folded character back
to the character of the original text it comes from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from netpatrol.errors import InputError

COLUMNS = ("term", "category", "label", "kind", "lang", "weight", "extra")
CATEGORIES = frozenset({"drugs", "medicine", "counterfeit", "weapons", "wildlife", "context"})
LANGS = frozenset({"en", "fr", "es", "de", "it", "nl", "pt", "*"})
KINDS = frozenset(
    {
        # drugs
        "substance",  # a controlled substance by its (chemical or common) name
        "synonym",  # another name of a substance: code, abbreviation, old brand
        "slang",  # street name; often an ordinary word, hence a low weight
        # medicine
        "inn",  # International Nonproprietary Name (or its national spelling)
        "brand_drug",  # a medicine's brand name
        "street_name",  # a street name of a pharmaceutical pill ("xannies", "roxies")
        "medicine_class",  # a class of medicines ("benzodiazepine", "anabolic steroid")
        "pharmacy_cue",  # "no prescription", "online pharmacy"
        # counterfeit
        "brand",  # a brand that is often counterfeited; extra price_floor_eur
        "counterfeit_cue",  # "replica", "AAA+", "1:1"
        # weapons
        "firearm",  # a generic firearm word ("pistol", "Gewehr")
        "model",  # a make and model ("Glock 17"); label is the weapon type
        "ammunition",
        "explosive",
        "silencer",
        "conversion",  # parts that make a weapon automatic or untraceable
        "prohibited_weapon",  # stun guns, knuckle dusters, flick knives, batons, irritant sprays
        "weapon_context",  # "self-defence": supports a weapon cue, names none alone
        # wildlife
        "product",  # a wildlife product or form ("ivory", "pelt", "live")
        # cues shared by several categories
        "sale_intent",
        "non_sale",  # news, conservation, wanted / looking-for: counts against a sale
        "lookalike",  # negating context ("faux", "ivory white"): counts against the label
        "work_about",  # a work about the topic ("guide", "e-book", "PDF"): sells no product
        "drug_unit",  # "1g", "oz", "tabs": quantities as drug listings write them
        "darknet_cue",  # "stealth shipping", "vacuum sealed"
    }
)
# Kinds whose weight says how strongly the term counts AGAINST its category.
NEGATIVE_KINDS = frozenset({"non_sale", "lookalike", "work_about"})
SHIPPED = ("drugs", "medicine", "counterfeit", "weapons", "wildlife", "context")

Extra = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry."""

    term: str
    category: str
    label: str
    kind: str
    lang: str
    weight: float
    extra: Extra = ()

    def extra_value(self, key: str) -> str | None:
        """The value of ``key`` in the ``extra`` column, or None."""
        for name, value in self.extra:
            if name == key:
                return value
        return None


def parse_extra(text: str) -> Extra:
    """``"a=1;b=x y"`` -> ``(("a", "1"), ("b", "x y"))``; raises ValueError when malformed."""
    if not text.strip():
        return ()
    pairs: list[tuple[str, str]] = []
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or key != key.strip():
            raise ValueError(f"expected key=value pairs separated by ';', got {part!r}")
        pairs.append((key, value.strip()))
    return tuple(pairs)


def format_extra(extra: Extra) -> str:
    """The inverse of :func:`parse_extra`."""
    return ";".join(f"{key}={value}" for key, value in extra)


def _parse_line(fields: list[str], path: Path | str, line: int) -> Term:
    def bad(column: str, reason: str, value: str) -> InputError:
        return InputError(path, reason, line=line, column=column, value=value)

    if len(fields) != len(COLUMNS):
        raise InputError(
            path, f"expected {len(COLUMNS)} tab-separated fields, got {len(fields)}", line=line
        )
    term, category, label, kind, lang, weight_text, extra_text = fields
    if not term.strip() or term != term.strip():
        raise bad("term", "empty term or leading/trailing spaces", term)
    if category not in CATEGORIES:
        raise bad("category", "unknown category; one of " + ", ".join(sorted(CATEGORIES)), category)
    if not label.strip():
        raise bad("label", "empty label", label)
    if kind not in KINDS:
        raise bad("kind", "unknown kind; one of " + ", ".join(sorted(KINDS)), kind)
    if lang not in LANGS:
        raise bad("lang", "unknown language; one of " + ", ".join(sorted(LANGS)), lang)
    try:
        weight = float(weight_text)
    except ValueError:
        raise bad("weight", "not a number", weight_text) from None
    if not 0.0 <= weight <= 1.0:
        raise bad("weight", "weight must be between 0 and 1", weight_text)
    try:
        extra = parse_extra(extra_text)
    except ValueError as exc:
        raise bad("extra", str(exc), extra_text) from None
    return Term(term, category, label, kind, lang, weight, extra)


def parse_lexicon(text: str, path: Path | str) -> tuple[Term, ...]:
    """Parse lexicon text; ``path`` only names the source in errors.

    Blank lines and lines starting with ``#`` are skipped; the first other line must be
    the header.
    """
    terms: list[Term] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if not header_seen:
            if tuple(fields) != COLUMNS:
                raise InputError(
                    path, "the header must be: " + "\\t".join(COLUMNS), line=number, value=raw
                )
            header_seen = True
            continue
        terms.append(_parse_line(fields, path, number))
    if not header_seen:
        raise InputError(path, "empty lexicon: no header line")
    return tuple(terms)


def load_lexicon_file(path: Path | str) -> tuple[Term, ...]:
    """Load a lexicon TSV file (a user's own, in the shipped format)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, "not UTF-8 text", offset=exc.start) from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_lexicon(text, path)


def shipped_path(name: str) -> Path:
    """The path of a shipped lexicon, e.g. ``shipped_path("drugs")``."""
    if name not in SHIPPED:
        raise ValueError(f"unknown lexicon {name!r}; shipped: {', '.join(SHIPPED)}")
    return Path(str(resources.files("netpatrol.knowledge").joinpath("lexicons", f"{name}.tsv")))


@cache
def load_lexicon(name: str) -> tuple[Term, ...]:
    """One shipped lexicon by name (one of :data:`SHIPPED`)."""
    return load_lexicon_file(shipped_path(name))


@cache
def load_all() -> tuple[Term, ...]:
    """Every shipped lexicon, in :data:`SHIPPED` order."""
    return tuple(term for name in SHIPPED for term in load_lexicon(name))


# Folding -----------------------------------------------------------------------------
# Per character: casefold (ß -> ss, final sigma -> σ), then the letters below that NFKD
# does not decompose, then NFKD with combining marks dropped (é -> e, ﬁ -> fi, fullwidth
# -> ASCII). Length-changing mappings: ß -> ss, œ -> oe, æ -> ae, þ -> th, ĳ -> ij,
# ligatures and compatibility characters (ﬁ -> fi, ½ -> 1⁄2, ㎎ -> mg), İ -> i (its dot
# dropped) and marks alone -> nothing. Use fold_with_offsets() to map back.
_LETTERS = {
    "ø": "o",
    "œ": "oe",
    "æ": "ae",
    "ð": "d",
    "đ": "d",
    "ł": "l",
    "ı": "i",
    "þ": "th",
    "ħ": "h",
    "\u2018": "'",  # ‘
    "\u2019": "'",  # ’
    "\u02bc": "'",  # ʼ
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus sign
    # File names of e-books and dumps join words with underscores ("3rd_ed").
    "_": " ",
}


# Emoji variation selectors: "❄️" and "❄" are one snowflake, typed either way.
_VARIATION_SELECTORS = frozenset({"\ufe0e", "\ufe0f"})


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char in _VARIATION_SELECTORS:
        return ""
    out: list[str] = []
    for low in char.casefold():
        mapped = _LETTERS.get(low, low)
        for ch in unicodedata.normalize("NFKD", mapped):
            if not unicodedata.combining(ch):
                out.append(_LETTERS.get(ch, ch))
    return "".join(out)


def fold(text: str) -> str:
    """Lower-case, accent-free text for matching: ``fold("Cocaïne ß")== "cocaine ss"``."""
    if text.isascii():
        return text.lower().replace("_", " ")
    return "".join(_fold_char(ch) for ch in text)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`fold` and, for each folded character, the index of its source character."""
    if text.isascii():
        return text.lower().replace("_", " "), list(range(len(text)))
    parts: list[str] = []
    offsets: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        parts.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(parts), offsets
