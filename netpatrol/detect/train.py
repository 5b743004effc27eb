"""``netpatrol train``: the detection model rebuilt from the documented datasets."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from netpatrol.detect.base import Subject
from netpatrol.detect.classify import classify_subjects, findings_of, subject
from netpatrol.detect.crossval import is_lookalike
from netpatrol.detect.evaluate import Report, evaluate
from netpatrol.detect.model import MODEL_VERSION, Model, featurize, train_model
from netpatrol.detect.training import Example, examples, split_examples
from netpatrol.extract.fields import rates

DARKNET = ("drugs", "medicine", "counterfeit", "weapons")
LOOKALIKES = "look-alikes"  # the reports' key of the benign rows holding a category cue


@dataclass(frozen=True)
class TrainingRun:
    model: Model
    reports: dict[str, dict[str, Report]]  # split -> source ("all", "agora", …) -> report
    counts: dict[str, dict[str, int]]  # split -> category -> examples


def price_eur(example: Example) -> float | None:
    if example.price is None or example.currency is None:
        return None
    converted: float | None = rates().to_eur(example.price, example.currency)
    return converted


def subjects_of(rows: Sequence[Example]) -> list[Subject]:
    return [subject(e.title, e.text, price_eur(e)) for e in rows]


def train(
    data: Path, progress: Callable[[str], None] = print, report_test: bool = False
) -> TrainingRun:
    """Fit on the train split; report train and dev, and the test split only when asked:
    a test figure seen at every run becomes one more thing tuned on (docs/model-card.md:
    run it once, at the end)."""
    rows = list(examples(data))
    by_split = split_examples(rows)
    counts = {s: dict(Counter(e.category for e in r)) for s, r in by_split.items()}
    progress(f"examples: {json.dumps(counts)}")
    train_rows = by_split["train"]
    subjects = subjects_of(train_rows)
    features = featurize(subjects, [findings_of(s) for s in subjects])
    about: dict[str, object] = {
        "version": MODEL_VERSION,
        "trained_on": counts["train"],
        "sources": sorted({e.source for e in rows}),
    }
    model = train_model(features, [e.category for e in train_rows], about)
    shown = ("train", "dev", "test") if report_test else ("train", "dev")
    reports = {s: evaluate_rows(model, by_split[s]) for s in shown}
    return TrainingRun(model, reports, counts)


def evaluate_rows(model: Model | None, rows: Sequence[Example]) -> dict[str, Report]:
    """Reports over all rows and per source, with the shipped model when ``model`` is None."""
    subjects = subjects_of(rows)
    predicted = [c.category for c in classify_subjects(subjects, model)]
    reports = {"all": evaluate([e.category for e in rows], predicted)}
    # Benign rows holding a cue of some category: what a keyword filter would flag.
    look = [
        p
        for e, p, s in zip(rows, predicted, subjects, strict=True)
        if e.category == "benign" and is_lookalike(findings_of(s))
    ]
    reports[LOOKALIKES] = evaluate(["benign"] * len(look), look)
    for source in sorted({e.source for e in rows} - {LOOKALIKES}):
        pairs = [
            (e.category, p) for e, p in zip(rows, predicted, strict=True) if e.source == source
        ]
        reports[source] = evaluate([a for a, _ in pairs], [b for _, b in pairs])
    return reports


def figures(reports: dict[str, Report]) -> dict[str, float]:
    """The figures the issue sets goals for, from one split's reports."""
    agora = reports.get("agora")
    wildlife = reports["all"].per_category.get("wildlife")
    bats = reports.get("bats")
    return {
        "darknet_macro_f1": round(agora.macro_f1(DARKNET), 4) if agora else 0.0,
        "wildlife_f1": round(wildlife.f1, 4) if wildlife else 0.0,
        "bat_specimen_recall": round(bats.per_category["wildlife"].recall, 4)
        if bats and "wildlife" in bats.per_category
        else 0.0,
        "benign_flagged": round(reports["all"].flagged_share("benign"), 4),
        "lookalikes_flagged": round(reports[LOOKALIKES].flagged_share("benign"), 4)
        if LOOKALIKES in reports
        else 0.0,
    }
