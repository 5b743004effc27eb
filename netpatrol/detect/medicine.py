"""Prescription-only medicines sold without control, by INN and brand."""

from __future__ import annotations

from netpatrol.detect.base import Subject
from netpatrol.detect.lexical import LexiconDetector
from netpatrol.detect.matcher import Hit


class MedicineDetector(LexiconDetector):
    category = "medicine"
    supporting = frozenset({"pharmacy_cue"})

    def labels(self, subject: Subject, positives: list[Hit]) -> tuple[str, ...]:
        found: list[str] = []
        for hit in positives:
            found.append(f"medicine:{hit.entry.label}")
            term = hit.entry.term
            klass = term.extra_value("class") if term else None
            if klass:
                found.append(f"class:{klass}")
        return tuple(dict.fromkeys(found))
