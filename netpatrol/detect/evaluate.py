"""Precision, recall and F1 per category, and the confusion matrix, of labelled rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from netpatrol.detect.model import LABELS


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    per_category: dict[str, Scores]
    confusion: dict[tuple[str, str], int]  # (expected, predicted) -> rows
    total: int
    accuracy: float

    def macro_f1(self, categories: Iterable[str]) -> float:
        chosen = [self.per_category[c].f1 for c in categories if c in self.per_category]
        return sum(chosen) / len(chosen) if chosen else 0.0

    def flagged_share(self, expected: str = "benign") -> float:
        """Share of rows labelled ``expected`` that were put in another category."""
        rows = sum(n for (e, _), n in self.confusion.items() if e == expected)
        wrong = sum(n for (e, p), n in self.confusion.items() if e == expected and p != e)
        return wrong / rows if rows else 0.0


def evaluate(expected: Sequence[str], predicted: Sequence[str]) -> Report:
    confusion = Counter(zip(expected, predicted, strict=True))
    categories = [c for c in LABELS if c in set(expected) | set(predicted)]
    per_category = {}
    for category in categories:
        true_positive = confusion[(category, category)]
        predicted_n = sum(n for (_, p), n in confusion.items() if p == category)
        expected_n = sum(n for (e, _), n in confusion.items() if e == category)
        precision = true_positive / predicted_n if predicted_n else 0.0
        recall = true_positive / expected_n if expected_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_category[category] = Scores(precision, recall, f1, expected_n)
    total = len(expected)
    right = sum(n for (e, p), n in confusion.items() if e == p)
    return Report(per_category, dict(confusion), total, right / total if total else 0.0)


def format_report(report: Report) -> str:
    lines = [f"{'category':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'rows':>6}"]
    for category, s in report.per_category.items():
        lines.append(
            f"{category:<12} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.support:6d}"
        )
    lines.append(f"accuracy {report.accuracy:.3f} over {report.total} rows")
    categories = list(report.per_category)
    lines.append("")
    lines.append("confusion (rows: expected, columns: predicted)")
    lines.append(" " * 12 + "".join(f"{c[:10]:>11}" for c in categories))
    for expected in categories:
        counts = "".join(f"{report.confusion.get((expected, p), 0):>11}" for p in categories)
        lines.append(f"{expected:<12}{counts}")
    return "\n".join(lines)
