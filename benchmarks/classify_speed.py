"""Quality and speed of ``classify`` on the Agora titles, beside a TF-IDF + logistic
regression baseline trained in the same run on the same training split.

    .venv/bin/python benchmarks/classify_speed.py [--rounds 3] [--split dev|test]

Both are scored on the Agora dev split by default (vendors hashed out of training: see
``netpatrol.detect.training``), over drugs / medicine / counterfeit / weapons / benign;
``--split test`` only once, at the end (docs/model-card.md): a figure printed at every run
is one more thing tuned on. Speed is listings per second on one core, batches of 512,
best of the rounds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from netpatrol.detect.classify import classify_subjects, subject
from netpatrol.detect.evaluate import evaluate
from netpatrol.detect.train import DARKNET
from netpatrol.detect.training import examples, split_examples

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "agora-darknet-2014"
BATCH = 512


def ours(titles: list[str]) -> list[str]:
    found: list[str] = []
    for start in range(0, len(titles), BATCH):
        chunk = [subject(t, "") for t in titles[start : start + BATCH]]
        found.extend(c.category for c in classify_subjects(chunk))
    return found


def best_of(rounds: int, work: object) -> tuple[float, list[str]]:
    best, result = float("inf"), []
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} not found", file=sys.stderr)
        return 1
    # The splits of `netpatrol train` (dealt over every dataset), then the Agora rows.
    splits = split_examples(list(examples(DATA.parent)))
    train, scored = ([r for r in splits[s] if r.source == "agora"] for s in ("train", args.split))
    titles = [r.title for r in scored]
    expected = [r.category for r in scored]
    ours(titles[:10])  # load lexicons, checklist and model once, as a long run does

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    baseline = LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced")
    baseline.fit(vectorizer.fit_transform([r.title for r in train]), [r.category for r in train])

    def base() -> list[str]:
        return [str(c) for c in baseline.predict(vectorizer.transform(titles))]

    ours_time, ours_found = best_of(args.rounds, lambda: ours(titles))
    base_time, base_found = best_of(args.rounds, base)
    print(
        f"Agora {args.split} split: {len(scored)} titles ({len(train)} in training), "
        f"best of {args.rounds}"
    )
    for name, seconds, found in (
        ("netpatrol classify", ours_time, ours_found),
        ("TF-IDF + logistic regression", base_time, base_found),
    ):
        report = evaluate(expected, found)
        print(
            f"  {name:<30} macro-F1 {report.macro_f1(DARKNET):.3f}  "
            f"accuracy {report.accuracy:.3f}  {len(titles) / seconds:9.0f} listings/s"
        )
    print(f"  speed ratio: netpatrol at {base_time / ours_time:.2f}x the baseline's speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
