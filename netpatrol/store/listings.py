"""Listings and identifiers in the store: what ``scan`` reads and writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from netpatrol.model import Detection, EvidenceRef, Identifier, Listing
from netpatrol.store.images import HashedImage, listing_image_rows, save_images
from netpatrol.store.schema import (
    CaptureRow,
    DetectionRow,
    IdentifierMentionRow,
    IdentifierRow,
    ListingImageRow,
    ListingRow,
)
from netpatrol.store.store import Store, now


@dataclass(frozen=True)
class PendingCapture:
    """A capture not yet scanned: what the extractors need to read it."""

    id: int
    record_type: str
    content_type: str | None
    url: str | None
    evidence: EvidenceRef


def count_unscanned(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(
            connection.scalar(
                select(func.count()).select_from(CaptureRow).where(CaptureRow.scanned_at.is_(None))
            )
            or 0
        )


def unscanned(store: Store, after_id: int, limit: int) -> list[PendingCapture]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(
                CaptureRow.id,
                CaptureRow.record_type,
                CaptureRow.content_type,
                CaptureRow.url,
                CaptureRow.evidence_file,
                CaptureRow.evidence_offset,
                CaptureRow.evidence_length,
            )
            .where(CaptureRow.scanned_at.is_(None), CaptureRow.id > after_id)
            .order_by(CaptureRow.id)
            .limit(limit)
        ).all()
    return [PendingCapture(r[0], r[1], r[2], r[3], EvidenceRef(r[4], r[5], r[6])) for r in rows]


def save_scan(
    store: Store,
    results: Sequence[tuple[int, list[Listing]]],
    detections: Sequence[Sequence[Detection]] | None = None,
    images: Sequence[HashedImage] = (),
) -> int:
    """Listings, their identifier mentions and detections (``detections[i][j]`` for the
    j-th listing of ``results[i]``), and the captures marked scanned, in one transaction
    (a crash re-scans the whole batch, nothing twice)."""
    scanned_at = now()
    with store.session() as session, session.begin():
        save_images(session, images)
        identifier_ids = _identifier_ids(session, results)
        stored = 0
        shown: list[dict[str, object]] = []
        for index, (capture_id, listings) in enumerate(results):
            for position, listing in enumerate(listings):
                row = _add_listing(session, capture_id, listing, identifier_ids)
                if detections is not None:
                    _add_detection(session, row.id, detections[index][position], scanned_at)
                shown += listing_image_rows(row.id, listing.images)
                stored += 1
        if shown:  # one statement for the whole batch, not a round trip a listing
            session.execute(insert(ListingImageRow), shown)
        session.execute(
            update(CaptureRow)
            .where(CaptureRow.id.in_([capture_id for capture_id, _ in results]))
            .values(scanned_at=scanned_at)
        )
    return stored


def _add_detection(
    session: Session, listing_id: int, detection: Detection, created_at: datetime
) -> None:
    session.add(
        DetectionRow(
            listing_id=listing_id,
            detector=detection.detector,
            category=detection.category,
            score=detection.score,
            labels=list(detection.labels) or None,
            evidence=[
                {"kind": e.kind, "text": e.text, "start": e.start, "end": e.end}
                for e in detection.evidence
            ]
            or None,
            version=detection.version or None,
            created_at=created_at,
        )
    )


def _add_listing(
    session: Session, capture_id: int, listing: Listing, identifier_ids: dict[Identifier, int]
) -> ListingRow:
    row = ListingRow(
        capture_id=capture_id,
        position=listing.position,
        url=listing.url,
        title=listing.title,
        text=listing.text,
        language=listing.language,
        price=listing.price,
        currency=listing.currency,
        price_eur=listing.price_eur,
        quantity=listing.quantity,
        unit=listing.unit,
        seller=listing.seller,
        location=listing.location,
        images=list(listing.images) or None,
        structured=listing.structured or None,
    )
    session.add(row)
    session.flush()
    seen: set[tuple[int, int]] = set()
    mentions = []
    for mention in listing.identifiers:
        key = (identifier_ids[mention.identifier], mention.start)
        if key in seen:
            continue
        seen.add(key)
        mentions.append(
            {
                "identifier_id": key[0],
                "listing_id": row.id,
                "start": mention.start,
                "end": mention.end,
                "context": mention.raw,
            }
        )
    if mentions:
        session.execute(insert(IdentifierMentionRow), mentions)
    return row


def _identifier_ids(
    session: Session, results: Sequence[tuple[int, list[Listing]]]
) -> dict[Identifier, int]:
    wanted = {
        m.identifier for _, listings in results for listing in listings for m in listing.identifiers
    }
    ids: dict[Identifier, int] = {}
    for kind in {i.kind for i in wanted}:
        values = [i.value for i in wanted if i.kind == kind]
        for row_id, value in session.execute(
            select(IdentifierRow.id, IdentifierRow.value).where(
                IdentifierRow.kind == kind, IdentifierRow.value.in_(values)
            )
        ):
            ids[Identifier(kind, value)] = row_id
    for identifier in wanted - ids.keys():
        row = IdentifierRow(kind=identifier.kind, value=identifier.value)
        session.add(row)
        session.flush()
        ids[identifier] = row.id
    return ids


def last_scan(store: Store) -> datetime | None:
    with store.engine.connect() as connection:
        value = connection.scalar(select(func.max(CaptureRow.scanned_at)))
    return value if isinstance(value, datetime) else None
