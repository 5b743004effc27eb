"""Column names of ad exports (English and French) and the ``--map`` override."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from netpatrol.errors import InputError, NetpatrolError

# Field -> accepted column names, compared after normalise(): lower case, no accents,
# only letters and digits.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "adid", "listingid", "itemid", "identifiant", "reference", "ref", "annonceid"),
    "title": (
        "title",
        "titre",
        "name",
        "nom",
        "subject",
        "sujet",
        "intitule",
        "headline",
        "product",
        "produit",
        "productname",
        "itemname",
        "objet",
    ),
    "description": (
        "description",
        "desc",
        "text",
        "texte",
        "body",
        "content",
        "contenu",
        "details",
        "detail",
        "annonce",
        "message",
        "corps",
    ),
    "price": (
        "price",
        "prix",
        "amount",
        "montant",
        "cost",
        "cout",
        "tarif",
        "meanprice",
        "askingprice",
    ),
    "currency": ("currency", "devise", "monnaie", "cur", "currencycode"),
    "seller": (
        "seller",
        "vendeur",
        "vendor",
        "user",
        "username",
        "utilisateur",
        "author",
        "auteur",
        "shop",
        "boutique",
        "annonceur",
        "poster",
        "sellername",
        "pseudo",
    ),
    "url": ("url", "link", "lien", "href", "permalink", "posturl", "adurl", "adresseweb"),
    "date": (
        "date",
        "posted",
        "published",
        "datepublication",
        "datedepublication",
        "created",
        "createdat",
        "timestamp",
        "postdate",
        "scrapedat",
        "datemiseenligne",
    ),
    "location": (
        "location",
        "lieu",
        "localisation",
        "ville",
        "city",
        "region",
        "place",
        "country",
        "pays",
        "codepostal",
        "zipcode",
        "shipcountry",
        "placement",
    ),
    "images": (
        "images",
        "image",
        "imageurls",
        "imageurl",
        "photos",
        "photo",
        "pictures",
        "picture",
        "thumbnail",
        "thumbnailsrc",
        "img",
    ),
}
FIELDS: tuple[str, ...] = tuple(FIELD_ALIASES)
_KNOWN: frozenset[str] = frozenset(a for aliases in FIELD_ALIASES.values() for a in aliases)


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def is_known_column(name: str) -> bool:
    """Whether a column name is an alias of some field: evidence that a row is a header."""
    return normalise(name) in _KNOWN


def parse_column_map(text: str) -> dict[str, str]:
    """``title=Titre,price=Prix`` -> {"title": "Titre", "price": "Prix"}."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        field, sep, column = part.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise NetpatrolError(f"--map {part!r}: expected FIELD=COLUMN")
        if field not in FIELD_ALIASES:
            raise NetpatrolError(
                f"--map {part!r}: unknown field {field!r}; fields: {', '.join(FIELDS)}"
            )
        mapping[field] = column.strip()
    return mapping


def resolve_columns(
    columns: Sequence[str], overrides: Mapping[str, str], where: str, *, strict: bool = True
) -> dict[str, str]:
    """Field -> column of this file: ``--map`` first, then the first known alias found.

    Raises when a column named by ``--map`` is not in the file. ``strict=False`` is for
    records whose keys vary (JSON): there a mapped column that is absent stays mapped,
    so the field is empty rather than silently taken from an alias.
    """
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise(column), column)
    resolved: dict[str, str] = {}
    for field, column in overrides.items():
        if column not in columns:
            found = by_norm.get(normalise(column))
            if found is None and not strict:
                found = column
            if found is None:
                raise InputError(
                    where,
                    f"--map {field}={column}: no such column; columns are: " + ", ".join(columns),
                )
            column = found
        resolved[field] = column
    taken = set(resolved.values())
    for field, aliases in FIELD_ALIASES.items():
        if field in resolved:
            continue
        for alias in aliases:
            candidate = by_norm.get(alias)
            if candidate is not None and candidate not in taken:
                resolved[field] = candidate
                taken.add(candidate)
                break
    return resolved
