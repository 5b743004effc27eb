"""Specimens and products of wild animals and plants, with their CITES appendix.

A listed taxon named by its scientific or common name, a wildlife product (ivory, horn,
scales, taxidermy…). Names that are also ordinary words ("python", "jaguar", "coral")
count only beside other wildlife evidence. Every appendix label says which checklist it
comes from: the shipped one reflects 2013 (``knowledge.cites``)."""

from __future__ import annotations

import re
from dataclasses import replace

from netpatrol.detect.base import Subject
from netpatrol.detect.lexical import LexiconDetector
from netpatrol.detect.matcher import Hit, checklist

# The weight of an ambiguous name beside a clear cue: a common name's (matcher.py).
VOUCHED_NAME = 0.7
# Characters between an ambiguous species name and the clear cue that vouches for it.
AMBIGUOUS_REACH = 12
# What may stand between them: spaces or a hyphen ("python-skin", "Python Haut"), or the
# word that links a product to its animal in the patrolled languages, with an article
# ("cráneo de tigre", "peau de python", "pelle di pitone", "skull of a tiger").
_LINK = re.compile(
    r"[\s-]*(?:(?:de|di|da|do|du|des|del|della|dello|of|van|von)\s+"
    r"(?:(?:la|el|il|lo|a|an|the|un|une|uno|una|um|uma|een|einem|einer)\s+)?|d['’]\s*)?",
    re.IGNORECASE,
)


class WildlifeDetector(LexiconDetector):
    category = "wildlife"

    def positives(self, subject: Subject, hits: list[Hit]) -> list[Hit]:
        found = super().positives(subject, hits)
        clear = [h for h in found if not h.entry.ambiguous]
        # "Jaguar skin" is a jaguar; "taxidermy bat, once owned by" is no snow leopard
        # (French "once"): an ambiguous name counts only right beside a clear cue.
        text = subject.full_text
        # Vouched for, the name reads as the common name it is ("cráneo de tigre").
        return clear + [
            replace(h, entry=replace(h.entry, weight=VOUCHED_NAME))
            for h in found
            if h.entry.ambiguous and any(_beside(text, h, c) for c in clear)
        ]

    def labels(
        self, subject: Subject, positives: list[Hit], standing: list[Hit]
    ) -> tuple[str, ...]:
        del standing
        found: list[str] = []
        state = _checklist_year()
        for hit in positives:
            taxon = hit.entry.taxon
            if taxon is None:
                found.append(f"{hit.entry.kind}:{hit.entry.label}")
                continue
            found.append(f"taxon:{taxon.scientific_name}")
            if taxon.appendix:
                found.append(f"cites:{taxon.scientific_name}:Appendix {taxon.appendix} ({state})")
        return tuple(dict.fromkeys(found))


def _beside(text: str, a: Hit, b: Hit) -> bool:
    """Only spaces, a hyphen or a linking word between the two (``_LINK``)."""
    gap = text[min(a.end, b.end) : max(a.start, b.start)]
    return len(gap) <= AMBIGUOUS_REACH and _LINK.fullmatch(gap) is not None


def _checklist_year() -> str:
    state = checklist().state
    return "CITES checklist of 2013" if "2013" in state else state
