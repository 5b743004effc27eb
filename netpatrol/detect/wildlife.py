"""Specimens and products of wild animals and plants, with their CITES appendix.

A listed taxon named by its scientific or common name, a wildlife product (ivory, horn,
scales, taxidermy…). Names that are also ordinary words ("python", "jaguar", "coral")
count only beside other wildlife evidence. Every appendix label says which checklist it
comes from: the shipped one reflects 2013 (``knowledge.cites``)."""

from __future__ import annotations

from netpatrol.detect.base import Subject
from netpatrol.detect.lexical import LexiconDetector
from netpatrol.detect.matcher import Hit, checklist


class WildlifeDetector(LexiconDetector):
    category = "wildlife"

    def positives(self, subject: Subject, hits: list[Hit]) -> list[Hit]:
        found = super().positives(subject, hits)
        if all(h.entry.ambiguous for h in found):
            return []
        return found

    def labels(self, subject: Subject, positives: list[Hit]) -> tuple[str, ...]:
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


def _checklist_year() -> str:
    state = checklist().state
    return "CITES checklist of 2013" if "2013" in state else state
