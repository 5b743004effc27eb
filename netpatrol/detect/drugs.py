"""Controlled substances: DEA and French lists, street names, darknet units."""

from __future__ import annotations

from netpatrol.detect.base import Subject
from netpatrol.detect.lexical import LexiconDetector
from netpatrol.detect.matcher import Hit


class DrugsDetector(LexiconDetector):
    category = "drugs"
    supporting = frozenset({"drug_unit"})

    def labels(self, subject: Subject, positives: list[Hit]) -> tuple[str, ...]:
        found: list[str] = []
        for hit in positives:
            found.append(f"substance:{hit.entry.label}")
            term = hit.entry.term
            schedule = term.extra_value("schedule") if term else None
            if schedule:
                found.append(f"schedule:{hit.entry.label}:DEA {schedule}")
            annexe = term.extra_value("annexe") if term else None
            if annexe and term is not None:
                found.append(
                    f"schedule:{hit.entry.label}:FR {term.extra_value('fr_list')} {annexe}"
                )
        return tuple(dict.fromkeys(found))
