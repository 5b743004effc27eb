"""Controlled substances: DEA and French lists, street names, darknet units."""

from __future__ import annotations

from netpatrol.detect.base import Subject
from netpatrol.detect.lexical import LexiconDetector
from netpatrol.detect.matcher import Hit

MEDICINE_KINDS = frozenset({"inn", "brand_drug", "street_name"})


def medicine_spans(subject: Subject) -> set[tuple[int, int]]:
    return {
        (h.start, h.end)
        for h in subject.hits
        if h.entry.category == "medicine" and h.entry.kind in MEDICINE_KINDS
    }


def schedules(hit: Hit) -> list[str]:
    """The DEA and French schedules of a substance's lexicon entry."""
    found: list[str] = []
    term = hit.entry.term
    schedule = term.extra_value("schedule") if term else None
    if schedule:
        found.append(f"schedule:{hit.entry.label}:DEA {schedule}")
    annexe = term.extra_value("annexe") if term else None
    if annexe and term is not None:
        found.append(f"schedule:{hit.entry.label}:FR {term.extra_value('fr_list')} {annexe}")
    return found


class DrugsDetector(LexiconDetector):
    category = "drugs"
    supporting = frozenset({"drug_unit"})

    def positives(self, subject: Subject, hits: list[Hit]) -> list[Hit]:
        # A scheduled substance that is also a medicine's INN or brand (oxycodone,
        # alprazolam, Adderall) is the medicine category's: the task sets prescription
        # medicines sold without control apart from street drugs, and both lexicons name
        # them. The medicine detector reports its schedule.
        medicine = medicine_spans(subject)
        found = super().positives(subject, hits)
        return [h for h in found if (h.start, h.end) not in medicine]

    def labels(
        self, subject: Subject, positives: list[Hit], standing: list[Hit]
    ) -> tuple[str, ...]:
        del standing
        found: list[str] = []
        for hit in positives:
            found.append(f"substance:{hit.entry.label}")
            found.extend(schedules(hit))
        return tuple(dict.fromkeys(found))
