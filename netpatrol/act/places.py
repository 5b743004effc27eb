"""A seller's declared location ("Lyon", "Ships from: Germany", "Bruxelles, BE") -> country.

Country names and codes in the patrol's languages come from pycountry (ISO 3166 with its
translations); city names from the shipped ``knowledge/places.tsv.gz`` (GeoNames, built
by ``scripts/build_places.py``: a name shared by cities of several countries is there
only when one of them is ten times more populous). The last comma-separated part is
tried first, as ads write "City, Country"; a country name wins over a city's.
"""

from __future__ import annotations

import gettext
import gzip
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pycountry

PLACES_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "places.tsv.gz"
LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")
_LEAD = re.compile(
    r"^(ships? from|shipping from|versand aus|envoi depuis|expédié depuis|location|lieu|"
    r"standort|ubicación|from|de|aus)\s*:?\s*",
    re.IGNORECASE,
)


# Letters that carry no combining accent to drop, spelled as GeoNames' ASCII names do.
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "þ": "th",
                          "œ": "oe", "ı": "i"})  # fmt: skip


def fold(text: str) -> str:
    """Lower case without accents, single spaces: "  Bruxelles " and "bruxelles" meet, as
    "Lillestrøm" and "lillestrom" do."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().translate(_LETTERS).split())


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Folded country name (every language above, official and common) -> alpha-2."""
    names: dict[str, str] = {}
    for language in LANGUAGES:
        translate = _translator(language).gettext
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(country, attribute, None)
                if value:
                    names.setdefault(fold(translate(value)), country.alpha_2)
                    names.setdefault(fold(value), country.alpha_2)
    names.update({"uk": "GB", "united kingdom": "GB", "england": "GB", "usa": "US"})
    return names


def _translator(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_of_place(location: str) -> str | None:
    """ISO 3166 alpha-2 of a declared location, None when it names no known place."""
    text = _LEAD.sub("", location.strip())
    parts = [fold(p) for p in re.split(r"[,/;()|]", text) if p.strip()]
    for part in reversed(parts):
        found = _lookup(part)
        if found:
            return found
    return None


def _lookup(part: str) -> str | None:
    if len(part) == 2 and part.isalpha():
        country = pycountry.countries.get(alpha_2=part.upper())
        return country.alpha_2 if country else None
    found = _country_names().get(part) or _city_names().get(part)
    if found is None:
        # "75001 Paris", "Lyon 3e": postcodes and district numbers around the name.
        words = " ".join(w for w in part.split() if not any(c.isdigit() for c in w))
        if words and words != part:
            found = _country_names().get(words) or _city_names().get(words)
    return found


def country_named(text: str) -> str | None:
    """ISO alpha-2 of a country code or country name ("DE", "Deutschland"), never a city."""
    part = fold(text)
    if len(part) == 2 and part.isalpha():
        country = pycountry.countries.get(alpha_2=part.upper())
        return country.alpha_2 if country else None
    return _country_names().get(part)


def country_of_city(name: str) -> str | None:
    """ISO alpha-2 of a city name in any Latin-script form ("München", "Munich")."""
    return _city_names().get(fold(name))


@lru_cache(maxsize=1)
def _city_names() -> dict[str, str]:
    """Folded city name -> alpha-2 (~90,000 names, read once: ~0.1 s)."""
    names: dict[str, str] = {}
    with gzip.open(PLACES_FILE, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                name, _, country = line.rstrip("\n").partition("\t")
                names[name] = country
    return names
