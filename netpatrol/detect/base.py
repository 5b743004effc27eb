"""The detector contract: one class per category, registered by name.

A detector reads the lexicon hits of a listing (found once, for all detectors) and its
fields, and says how strongly the listing belongs to its category, with the labels
(taxon and appendix, substance and schedule, brand…) and the evidence spans behind it.
Its score is a feature of the trained model, which makes the final decision
(``detect.classify``); used alone, it is a readable rule.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from netpatrol.detect.matcher import Hit

SALE_KINDS = frozenset({"sale_intent"})


MAX_LOT = 20  # pieces in a lot or pack that a price per piece is read for


@dataclass(frozen=True)
class Subject:
    """What detectors read about one listing."""

    title: str
    text: str
    hits: tuple[Hit, ...]  # over ``title + "\n" + text``; offsets into that string
    price_eur: float | None = None
    quantity: float | None = None
    language: str | None = None  # ISO 639-1, None when unknown
    unit: str | None = None  # of ``quantity``: "item" for a count of pieces

    @property
    def price_per_item(self) -> float | None:
        """The price of one piece of a lot or pack ("10 pcs for $180", "3 por 40 €"). A
        larger count is the parts of one thing ("474 piezas" of a Lego set), not a lot."""
        count = self.quantity or 0
        if (
            self.price_eur is not None
            and self.unit == "item"
            and 2 <= count <= MAX_LOT
            and re.search(rf"(?<![\d.,]){count:g}(?![\d.,]\d)", self.title)
        ):
            # The title counts the lot; a count in the text is stock ("90 € per piece, 10
            # pcs in stock") and the price already one piece's.
            return self.price_eur / count
        return self.price_eur

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.text else self.title

    def kinds(self, category: str, kinds: frozenset[str]) -> list[Hit]:
        return [h for h in self.hits if h.entry.category == category and h.entry.kind in kinds]

    def context(self, kinds: frozenset[str]) -> list[Hit]:
        """Hits of context cues (sale intent, news, wanted), whatever their category."""
        return [h for h in self.hits if h.entry.kind in kinds]


@dataclass(frozen=True)
class Evidence:
    kind: str  # the lexicon kind: substance, brand, taxon, counterfeit_cue, sale_intent…
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    """A detector's reading of one listing."""

    category: str
    score: float  # 0..1, the rule's own strength (not calibrated; the model's is)
    labels: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    features: dict[str, float] = field(default_factory=dict)


def evidence_of(hits: list[Hit]) -> tuple[Evidence, ...]:
    seen: set[tuple[int, int, str]] = set()
    found = []
    for hit in sorted(hits, key=lambda h: h.start):
        key = (hit.start, hit.end, hit.entry.kind)
        if key not in seen:
            seen.add(key)
            found.append(Evidence(hit.entry.kind, hit.text, hit.start, hit.end))
    return tuple(found)


def combine(weights: list[float]) -> float:
    """Noisy-or of independent cues: two 0.5 cues make 0.75, never above 1."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - max(0.0, min(1.0, weight))
    return 1.0 - remaining


def strongest_per_label(hits: list[Hit]) -> list[float]:
    """One weight per distinct label: a word repeated ten times is one cue."""
    best: dict[str, float] = {}
    for hit in hits:
        best[hit.entry.label] = max(best.get(hit.entry.label, 0.0), hit.entry.weight)
    return list(best.values())


class Detector(ABC):
    category: str

    @abstractmethod
    def detect(self, subject: Subject) -> Finding:
        """This category's reading of a listing (score 0 when nothing points to it)."""
