"""Prescription-only medicines sold without control, by INN and brand."""

from __future__ import annotations

from netpatrol.detect.base import Subject
from netpatrol.detect.drugs import schedules
from netpatrol.detect.lexical import LexiconDetector
from netpatrol.detect.matcher import Hit


class MedicineDetector(LexiconDetector):
    category = "medicine"
    supporting = frozenset({"pharmacy_cue"})

    def labels(
        self, subject: Subject, positives: list[Hit], standing: list[Hit]
    ) -> tuple[str, ...]:
        del standing
        found: list[str] = []
        # A controlled medicine keeps its schedule (the drugs lexicon's entry on its span).
        scheduled = {
            (h.start, h.end): h
            for h in subject.hits
            if h.entry.category == "drugs" and h.entry.kind in {"substance", "synonym", "slang"}
        }
        for hit in positives:
            found.append(f"medicine:{hit.entry.label}")
            term = hit.entry.term
            klass = term.extra_value("class") if term else None
            if klass:
                found.append(f"class:{klass}")
            substance = scheduled.get((hit.start, hit.end))
            if substance is not None:
                found.extend(schedules(substance))
        return tuple(dict.fromkeys(found))
