"""``netpatrol classify`` and ``netpatrol eval``: JSON lines in, detections out, in batches
(the model scores a batch in one matrix product)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from netpatrol.detect.base import Subject
from netpatrol.detect.classify import Classification, classify_subjects, subject
from netpatrol.errors import InputError
from netpatrol.extract.jsonl import input_objects, listings_of
from netpatrol.extract.record import extract_record
from netpatrol.model import Listing

BATCH = 512


@dataclass(frozen=True)
class Row:
    number: int
    obj: dict[str, Any]
    listings: list[Listing]


def detection_fields(found: Classification) -> dict[str, Any]:
    return {
        "category": found.category,
        "score": found.score,
        "labels": list(found.labels),
        "evidence": [
            {"kind": e.kind, "text": e.text, "start": e.start, "end": e.end} for e in found.evidence
        ],
        "probabilities": found.probabilities,
    }


def listing_subject(listing: Listing | None) -> Subject:
    if listing is None:
        return subject("", "")
    return subject(
        listing.title,
        listing.text,
        listing.price_eur,
        listing.quantity,
        listing.language,
        listing.unit,
    )


def classify_lines(
    lines: Iterable[str], name: str, rules_only: bool = False
) -> Iterator[tuple[Row, dict[str, Any]] | InputError]:
    """(row, output record) per input line, or an InputError for a bad line."""
    batch: list[Row] = []
    for item in _rows(lines, name):
        if isinstance(item, InputError):
            yield item
            continue
        batch.append(item)
        if len(batch) >= BATCH:
            yield from _classified(batch, rules_only)
            batch = []
    yield from _classified(batch, rules_only)


def _classified(batch: list[Row], rules_only: bool) -> Iterator[tuple[Row, dict[str, Any]]]:
    everyone: list[Listing | None] = [x for row in batch for x in _or_none(row.listings)]
    results = iter(classify_subjects([listing_subject(x) for x in everyone], None, rules_only))
    for row in batch:
        record = extract_record(row.obj["id"], row.listings)
        found = [next(results) for _ in _or_none(row.listings)]
        record.update(detection_fields(found[0]))
        for listing_record, detection in zip(record.get("listings", []), found, strict=False):
            listing_record.update(detection_fields(detection))
        yield row, record


def _or_none(listings: list[Listing]) -> list[Listing | None]:
    """An input whose page held no listing still gets its line (all fields empty)."""
    return list(listings) if listings else [None]


def _rows(lines: Iterable[str], name: str) -> Iterator[Row | InputError]:
    for item in input_objects(lines, name):
        yield item if isinstance(item, InputError) else Row(item[0], item[1], listings_of(item[1]))
