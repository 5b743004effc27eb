"""Firearms by make and model, ammunition, explosives, silencers, conversion parts, and
the weapons most member states prohibit or license outside the Firearms Directive (stun
guns, knuckle dusters, flick knives, batons, irritant sprays)."""

from __future__ import annotations

from netpatrol.detect.base import Subject
from netpatrol.detect.lexical import LexiconDetector, title_names_weight
from netpatrol.detect.matcher import Hit

# Cannabis strains carry rifle names ("AK-47 Indoor 2.5 gram", "1 oz AK-47"): a firearm
# model sold by weight is a strain. Explosives are sold by weight too, so only models.
STRAIN_KINDS = frozenset({"model"})
WEIGHT_UNIT = "weight_unit"
# "Self-defence" strengthens a weapon cue but names no weapon alone (classes, kubotan
# shops, books). The word "weapon(s)" itself was tried too and dropped (grouped CV:
# darknet macro-F1 0.924 -> 0.926 without it; weapon books flagged, and its Italian
# "armi" is the stem of "army" in the bird ads).
SUPPORTING = frozenset({"weapon_context"})


class WeaponsDetector(LexiconDetector):
    category = "weapons"
    supporting = SUPPORTING
    support_needs_cue = True

    def positives(self, subject: Subject, hits: list[Hit]) -> list[Hit]:
        found = super().positives(subject, hits)
        by_weight = title_names_weight(subject.title) or any(
            h.entry.kind == "drug_unit" and h.entry.label == WEIGHT_UNIT for h in subject.hits
        )
        if not by_weight:
            return found
        return [h for h in found if h.entry.kind not in STRAIN_KINDS]
