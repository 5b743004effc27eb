"""Who sells, as a market page labels it in its text ("Vendor: BalkanSupply [112 sales]",
"Sold by ShopX"): on dark-web markets and bare classified pages the label, not the
markup, says which name is the seller's.
"""

from __future__ import annotations

import re

from netpatrol.extract.shipping import label_near_start, words_before_next_label

# The label (any case), then the name as written. After a role word and its colon, a
# handle ("saigon_green", "Dutch.Quality"), and more words only joined by "&"; German
# capitalises its nouns ("Verkäufer: Amazon Spar-Abo"). After "sold by" in the languages
# that do not, up to three capitalised words more ("Sold by John Lewis & Partners").
_NAME = r"[^\W_][\w.'’-]{0,39}:?"
_SELLER_LABEL = re.compile(
    r"(?i:\b(?:vendor|seller|vendeur|verk[äa]ufer|anbieter|vendedor|venditore|verkoper|"
    r"sprzedawca|sprzedaj[aą]cy|prodejce|prodávající|säljare|myyjä|eladó|vânzător|"
    r"продавец|verkauft\s+von|verkauf\s+durch)\s*:\s*)"
    rf"(?P<name>{_NAME}(?:\s+&\s+[A-ZÀ-Ý][\w.'’-]*:?)?)"
    # A result card's shop line: "From shop SilverLetterCo", "Ad by MothAndMetamorph".
    rf"|(?i:\b(?:from\s+shop|ad\s+by)\s*:?\s*)(?P<shop>{_NAME})"
    r"|(?i:\b(?:sold\s+by|vendu\s+par|vendido\s+por|venduto\s+da|verkocht\s+door)\s*:?\s*)"
    rf"(?P<words>{_NAME}(?:\s+(?:&\s+)?[A-ZÀ-Ý][\w.'’-]*:?){{0,3}})"
)
# Words after the name that begin the next field, not part of it.
_NEXT_FIELD = frozenset(
    {"ships", "ship", "shipping", "escrow", "price", "level", "trust", "sales", "rating"}
)
# A label followed by words, not a name: "Seller: please contact us", "Vendor: the best".
_NOT_A_NAME = frozenset(
    {
        "a",
        "an",
        "the",
        "this",
        "our",
        "your",
        "not",
        "no",
        "none",
        "n/a",
        "please",
        "contact",
        "information",
        "info",
        "details",
        "profile",
        "rating",
        "feedback",
        "le",
        "la",
        "les",
        "un",
        "une",
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "el",
        "il",
        "de",
    }
)


def seller_by_label(text: str | None) -> str | None:
    """The name a seller label ("Vendor:", "Sold by", "Verkäufer:") gives in ``text``."""
    match = label_near_start(_SELLER_LABEL, text)
    if match is None:
        return None
    value = match.group("name") or match.group("shop") or match.group("words")
    kept = words_before_next_label(value, _NEXT_FIELD)
    if not kept:
        return None
    name = " ".join(kept).strip(" &")
    if not name or name.lower() in _NOT_A_NAME or kept[0].lower() in _NOT_A_NAME:
        return None
    return name
