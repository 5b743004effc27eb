"""A result card's place when its markup does not name it: a short text that is a place.

Result cards show where the item is in an element their markup calls nothing ("<div
class="inzeratylok">Brno<br>602 00</div>", willhaben's styled span "8010 Graz"). A card's
own short text that is a known city or country (GeoNames, ``knowledge/places.tsv.gz``),
with a postcode, a district or a region beside it, is taken for its place.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from netpatrol.act.places import country_named, country_of_city
from netpatrol.extract.dom import clean
from netpatrol.extract.field_values import place
from netpatrol.extract.price_like import price_like

MAX_PLACE_TEXT = 48
MAX_DISTRICT_WORDS = 2  # "Köln Altstadt-Nord", "Warszawa Mokotów Dolny"
# Words of a card's badges and labels that GeoNames also knows as towns.
_NOT_PLACES = frozenset(
    {
        "sale",
        "gold",
        "silver",
        "best",
        "deal",
        "nice",
        "split",
        "mobile",
        "reading",
        "bath",
        "nord",
        "sud",
        "mitte",
        "top",
        "new",
        "hot",
        "free",
        "pro",
        "premium",
        "express",
        "classic",
        "vintage",
        "plus",
        "mini",
        "max",
        "prime",
        "sport",
        "home",
        "garden",
        "video",
        "promo",
        "outlet",
    }
)
# Segments of a card's line ("Spain → EU · Escrow"); parts of a place ("Warszawa,
# Mokotów", "Roma (RM)").
_SEGMENTS = re.compile(r"\s*[·|•→]\s*|\s+-\s+")
_PARTS = re.compile(r"\s*[,()/]\s*")
MIN_CITY_LETTERS = 4  # "Ad", "No", "Buy" are towns too
_ACCOUNT_WORDS = frozenset({"privat", "private", "händler", "pro", "particulier", "business"})


def card_place(card: LexborNode, title: str | None) -> str | None:
    """The first short text of the card that is a place, else None."""
    for node in card.traverse(include_text=False):
        # Outer elements first: "Brno<br>602 00" is read whole, in its <div>.
        text = clean(node.text(separator=" "))
        if not text or len(text) > MAX_PLACE_TEXT or text == title or price_like(text):
            continue
        for segment in _SEGMENTS.split(text):
            value = place(segment)
            if value is not None and is_place(value):
                return value
    return None


def is_place(text: str) -> bool:
    """Whether every part of ``text`` is a place, a postcode, a short region code or a
    district after its city, and one part names a city or country ("Brno 602 00",
    "Warszawa, Mokotów", "Roma (RM)")."""
    named = False
    for part in (p for p in _PARTS.split(text) if p.strip()):
        words = [w for w in part.split() if not any(c.isdigit() for c in w)]
        if not words or (len(words) == 1 and len(words[0]) <= 3 and words[0].isupper()):
            continue  # a postcode, "MI", "ON"
        if not all(_proper(w) for w in words):
            return False  # "From shop X", "No reserve price": words, not names
        if _names_place(words):
            named = True
            continue
        if named and len(words) <= MAX_DISTRICT_WORDS:
            continue  # a district after its city: "Warszawa, Mokotów"
        return False
    return named


def _proper(word: str) -> bool:
    """A word of a place's name: capitalised (or "am", "de", "sur" between), not a kind of
    seller account."""
    if word.casefold() in _ACCOUNT_WORDS:
        return False
    return word[0].isupper() or word in {"am", "an", "de", "del", "la", "le", "sur", "upon"}


def _names_place(words: list[str]) -> bool:
    """Whether the words begin with a city or country, the rest a district at most."""
    for size in range(len(words), 0, -1):
        if len(words) - size > MAX_DISTRICT_WORDS:
            break
        name = " ".join(words[:size])
        if name.casefold() in _NOT_PLACES or (len(name) < MIN_CITY_LETTERS and size == 1):
            continue
        if country_of_city(name) or country_named(name):
            return True
    return False
