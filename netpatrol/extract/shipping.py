"""Where an offer ships from, as a market page labels it in its text ("Ships from:
Netherlands", "Versand aus: Deutschland"): the location customs ask about first, and on
dark-web markets often the only one a listing gives.
"""

from __future__ import annotations

import re

LABEL_SCAN = 3000  # characters of a listing's text searched: the label is near the offer
# The label (any case), then the place as written: capitalised words and the small words
# between them ("United States of America"), up to five.
_PLACE_WORD = r"(?:[A-ZÀ-Ý][\w'’.-]*|of|the|and|de|del|la|do|da)"
_SHIPS_FROM = re.compile(
    r"(?i:\b(?:ships?\s+from|shipping\s+from|sent\s+from|dispatched\s+from|"
    r"exp[ée]di[ée]?\s+(?:de|depuis)|envoy[ée]\s+de|versand\s+(?:aus|von)|"
    r"env[íi]o\s+desde|enviado\s+(?:desde|de)|spedit[oa]\s+da|spedizione\s+da|"
    r"verzonden\s+(?:vanuit|uit)))\s*:\s*"
    rf"(?P<place>[A-ZÀ-Ý][\w'’.-]*(?:\s+{_PLACE_WORD}){{0,4}})"
)
# "Located in: Hexham, United Kingdom", "Standort: 10245 Berlin": where the item is, when
# the page says nothing of shipping. A comma may join the place's parts here.
_LOCATED = re.compile(
    r"(?i:\b(?:located\s+in|item\s+location|location|standort|lieu|localisation|"
    r"ubicaci[óo]n|localit[àa]|locatie|lokalizacja|umístění|sijainti))\s*:\s*"
    # A next label's colon is kept in the match, to stop the place there ("Returns:").
    rf"(?P<place>[A-ZÀ-Ý0-9][\w'’.-]*(?:,?\s+(?:{_PLACE_WORD}:?)){{0,4}})"
)
_NEXT_LABEL = frozenset({"ships", "ship", "shipping", "escrow", "vendor", "price"})
# What a market writes where no place is given.
NO_PLACE = re.compile(
    r"unspecified|unknown|not\s+specified|n/?a|worldwide|anywhere|keine\s+angabe|"
    r"nicht\s+angegeben|non\s+sp[ée]cifi[ée]|no\s+especificado|non\s+specificato",
    re.IGNORECASE,
)
# ... and the words that begin the next line of an item's facts ("Nürnberg, Germany May
# not ship to ...", "Returns accepted").
_LOCATED_NEXT = _NEXT_LABEL | {"may", "returns", "postage", "delivery", "see", "item", "free"}
MAX_PLACE_WORDS = 3
_TRAILING_SMALL = re.compile(r"(?:\s+(?:of|the|and|de|del|la|do|da))+$")


def label_near_start(label: re.Pattern[str], text: str | None) -> re.Match[str] | None:
    """The first match of a field's label in the part of ``text`` where labels stand."""
    return label.search(text, 0, LABEL_SCAN) if text else None


def ships_from(text: str | None) -> str | None:
    """The place a "ships from" label names in ``text``, or None."""
    match = label_near_start(_SHIPS_FROM, text)
    if match is None:
        return None
    # "Ships from: Netherlands Ships to: Worldwide": the next label is not the place.
    kept = words_before_next_label(match.group("place"), _NEXT_LABEL)
    place = _TRAILING_SMALL.sub("", " ".join(kept))
    return place if place and not NO_PLACE.fullmatch(place) else None


def located_in(text: str | None) -> str | None:
    """The place a location label ("Located in:", "Standort:") names in ``text``."""
    match = label_near_start(_LOCATED, text)
    if match is None:
        return None
    kept = words_before_next_label(match.group("place"), _LOCATED_NEXT, stops=".;")
    place = _TRAILING_SMALL.sub("", " ".join(kept))
    # Four capitalised words and no comma: a list of places (a site picker), not one.
    if len(kept) > MAX_PLACE_WORDS and "," not in place:
        return None
    return place if place and not NO_PLACE.fullmatch(place) else None


def words_before_next_label(
    value: str, next_labels: frozenset[str], stops: str = ".,;"
) -> list[str]:
    """The words of a labelled value up to the next field's label ("Ships to:",
    "Escrow") or a sentence's end ("United States of America. Escrow")."""
    kept: list[str] = []
    for word in value.split():
        if kept and (word.endswith(":") or word.lower() in next_labels):
            break
        kept.append(word.rstrip(".;:" if word[-1] not in stops else ".,;:"))
        if word[-1] in stops:
            break
    return kept
