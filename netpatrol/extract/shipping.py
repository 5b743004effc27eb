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
_NEXT_LABEL = frozenset({"ships", "ship", "shipping", "escrow", "vendor", "price"})
_TRAILING_SMALL = re.compile(r"(?:\s+(?:of|the|and|de|del|la|do|da))+$")


def ships_from(text: str | None) -> str | None:
    """The place a "ships from" label names in ``text``, or None."""
    if not text:
        return None
    match = _SHIPS_FROM.search(text, 0, LABEL_SCAN)
    if match is None:
        return None
    # "Ships from: Netherlands Ships to: Worldwide": the next label is not the place.
    kept = words_before_next_label(match.group("place"), _NEXT_LABEL)
    place = _TRAILING_SMALL.sub("", " ".join(kept))
    return place or None


def words_before_next_label(value: str, next_labels: frozenset[str]) -> list[str]:
    """The words of a labelled value up to the next field's label ("Ships to:",
    "Escrow") or a sentence's end ("United States of America. Escrow")."""
    kept: list[str] = []
    for word in value.split():
        if kept and (word.endswith(":") or word.lower() in next_labels):
            break
        kept.append(word.rstrip(".,;:"))
        if word[-1] in ".,;":
            break
    return kept
