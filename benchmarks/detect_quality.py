"""Detection quality on the real datasets, per split: the figures of the issue's goals.

    .venv/bin/python benchmarks/detect_quality.py [--split dev|test] [--cv]

Splits are whole vendors / sellers / ads (``netpatrol.detect.training``); ``test`` was
never looked at while tuning: run ``--split test`` once, after the last choice.
``--cv``: grouped 5-fold cross-validation over train + dev (``netpatrol.detect.crossval``),
the figures rules and hyper-parameters are chosen by (a model fitted per fold: minutes).
Look-alikes: benign rows in which a detector found a cue of
its category (a drug word, a brand, a species name) — the rows a keyword filter flags.
Calibration: for rows binned by the score of the chosen category, the share that was right.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netpatrol.detect import crossval
from netpatrol.detect.classify import classify_subjects, findings_of
from netpatrol.detect.evaluate import evaluate, format_report
from netpatrol.detect.train import DARKNET, subjects_of
from netpatrol.detect.training import examples, split_examples

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BINS = (0.5, 0.7, 0.9, 1.01)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--cv", action="store_true", help="grouped CV over train + dev")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} not found", file=sys.stderr)
        return 1
    if args.cv:
        return cross_validate()
    rows = split_examples(list(examples(DATA)))[args.split]
    subjects = subjects_of(rows)
    found = classify_subjects(subjects)
    expected = [r.category for r in rows]
    predicted = [f.category for f in found]
    print(f"== {args.split} split, {len(rows)} rows")
    print(format_report(evaluate(expected, predicted)))
    for source in sorted({r.source for r in rows}):
        pairs = [
            (e, p) for e, p, r in zip(expected, predicted, rows, strict=True) if r.source == source
        ]
        report = evaluate([e for e, _ in pairs], [p for _, p in pairs])
        scores = " ".join(
            f"{c} F1 {s.f1:.3f} (n={s.support})" for c, s in report.per_category.items()
        )
        print(f"{source:<7} accuracy {report.accuracy:.3f}  {scores}")
        if source == "agora":
            print(
                f"        darknet macro-F1 over {'/'.join(DARKNET)}: {report.macro_f1(DARKNET):.3f}"
            )
    lookalikes = [
        (e, p)
        for e, p, s in zip(expected, predicted, subjects, strict=True)
        if e == "benign" and crossval.is_lookalike(findings_of(s))
    ]
    flagged = sum(1 for _, p in lookalikes if p != "benign")
    print(f"look-alikes (benign rows with a category cue): {flagged}/{len(lookalikes)} flagged "
          f"= {flagged / max(len(lookalikes), 1):.3f}")  # fmt: skip
    low = 0.0
    for high in BINS:
        chosen = [(f, e) for f, e in zip(found, expected, strict=True) if low <= f.score < high]
        right = sum(1 for f, e in chosen if f.category == e)
        if chosen:
            share = right / len(chosen)
            print(
                f"score {low:.1f}-{min(high, 1.0):.1f}: {right}/{len(chosen)} right = {share:.3f}"
            )
        low = high
    return 0


def cross_validate() -> int:
    splits = split_examples(list(examples(DATA)))
    pool = splits["train"] + splits["dev"]
    prepared = crossval.prepare(pool, subjects_of(pool))
    predicted = crossval.predictions(prepared, crossval.fold_probabilities(prepared))
    figures = crossval.scores(prepared, predicted)
    print(f"== grouped {crossval.FOLDS}-fold cross-validation over train + dev, {len(pool)} rows")
    for fold, f in enumerate(figures):
        name = f"fold {fold}" if fold < crossval.FOLDS else "pooled"
        per = " ".join(f"{c} {v:.3f}" for c, v in f.per_category.items())
        print(f"{name:<7} darknet macro-F1 {f.darknet_macro_f1:.3f} ({per})  "
              f"look-alikes flagged {f.lookalikes_flagged:.3f} of {f.lookalikes}  "
              f"wildlife F1 {f.wildlife_f1:.3f}  bat recall {f.bat_recall:.3f}")  # fmt: skip
    print(crossval.summary(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
