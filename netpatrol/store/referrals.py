"""Referrals and their items in the store: creation, statuses, listing, takedown time.

A referral is one package sent to one recipient. Its life: draft (written, not sent) ->
sent -> acknowledged -> removed | refused; a status may skip ahead (an answer that says
"removed" straight away) but never go back, and removed / refused are final. Every change
is an event (action ``referral.status``) with the previous status, the time and the note.
An item (one finding) is "online" until a recheck or the analyst finds it "removed" or
"seized"; its takedown time runs from the referral's sending (else its creation).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netpatrol.act.recipients import Recipient
from netpatrol.errors import NetpatrolError
from netpatrol.model import EvidenceRef
from netpatrol.report.data import Finding, OperationInfo, ReferralSummary
from netpatrol.store.schema import (
    CaptureRow,
    ReferralItemRow,
    ReferralRow,
)
from netpatrol.store.store import Store

STATUSES = ("draft", "sent", "acknowledged", "removed", "refused")
FINAL = ("removed", "refused")
GONE = ("removed", "seized")
_RANK = {"draft": 0, "sent": 1, "acknowledged": 2, "removed": 3, "refused": 3}
CHUNK = 500


class ReferralError(NetpatrolError):
    """An unknown operation or referral, or a status change that is not allowed."""


def operation_by_name(store: Store, name: str) -> tuple[int, OperationInfo]:
    """The operation's id and record; an unknown name is an OperationError naming the known."""
    from netpatrol.store.operations import get_operation, operation_id

    info = get_operation(store, name)
    return operation_id(store, name), info


def referred_urls(store: Store, operation_id: int) -> dict[str, set[str]]:
    """Recipient key -> the URLs already in one of its packages of this operation."""
    found: dict[str, set[str]] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(ReferralRow.recipient_key, ReferralRow.recipient, ReferralItemRow.url)
            .join(ReferralItemRow, ReferralItemRow.referral_id == ReferralRow.id)
            .where(ReferralRow.operation_id == operation_id)
        )
        for key, recipient, url in rows:
            found.setdefault(str(key or recipient), set()).add(str(url))
    return found


def add_referral(
    session: Session,
    operation_id: int,
    recipient: Recipient,
    language: str,
    created_at: datetime,
) -> ReferralRow:
    """A draft referral (flushed: its id is known); its package is written next."""
    row = ReferralRow(
        operation_id=operation_id,
        recipient=recipient.name,
        recipient_kind=recipient.kind,
        recipient_key=recipient.key,
        country=recipient.country,
        contact=recipient.contact,
        language=language,
        status="draft",
        created_at=created_at,
    )
    session.add(row)
    session.flush()
    return row


def add_items(session: Session, referral_id: int, findings: Iterable[Finding]) -> int:
    count = 0
    for finding in findings:
        session.add(
            ReferralItemRow(
                referral_id=referral_id,
                listing_id=finding.listing_id,
                capture_id=finding.capture_id,
                url=finding.url or "",
                url_sha256=hashlib.sha256((finding.url or "").encode("utf-8")).hexdigest(),
                category=finding.category,
                status="online",
            )
        )
        count += 1
    return count


def evidence_refs(store: Store, capture_ids: Sequence[int]) -> dict[int, EvidenceRef]:
    """Where each capture's WARC record is: file, offset and length."""
    found: dict[int, EvidenceRef] = {}
    ids = list(dict.fromkeys(capture_ids))
    with store.engine.connect() as connection:
        for start in range(0, len(ids), CHUNK):
            rows = connection.execute(
                select(
                    CaptureRow.id,
                    CaptureRow.evidence_file,
                    CaptureRow.evidence_offset,
                    CaptureRow.evidence_length,
                ).where(CaptureRow.id.in_(ids[start : start + CHUNK]))
            )
            for capture_id, file, offset, length in rows:
                found[int(capture_id)] = EvidenceRef(str(file), int(offset), int(length))
    return found


def set_status(
    store: Store,
    referral_id: int,
    status: str,
    at: datetime | None = None,
    note: str | None = None,
    actor_detail: dict[str, Any] | None = None,
) -> ReferralSummary:
    """Move a referral forward; record when, and an event. ``at``: default now (UTC)."""
    if status not in STATUSES:
        raise ReferralError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    when = (at or datetime.now(UTC)).astimezone(UTC)
    with store.session() as session, session.begin():
        row = session.get(ReferralRow, referral_id)
        if row is None:
            raise ReferralError(f"no referral with id {referral_id}")
        previous = row.status
        if previous in FINAL or _RANK[status] <= _RANK[previous]:
            raise ReferralError(
                f"referral {referral_id} is {previous}: it cannot become {status} "
                "(statuses only move forward: draft, sent, acknowledged, removed or refused)"
            )
        if when < row.created_at:
            raise ReferralError(
                f"{when.isoformat()} is before the referral was created "
                f"({row.created_at.isoformat()})"
            )
        row.status = status
        if status == "sent":
            row.sent_at = when
        elif status == "acknowledged":
            row.acknowledged_at = when
        elif status in FINAL:
            row.resolved_at = when
        detail = {"from": previous, "to": status, "at": when.isoformat(), "note": note}
        store._event(session, "referral.status", "referral", referral_id,
                     {**detail, **(actor_detail or {})})  # fmt: skip
    return list_referrals(store, referral_ids=[referral_id])[0]


def list_referrals(
    store: Store, operation_id: int | None = None, referral_ids: Sequence[int] | None = None
) -> list[ReferralSummary]:
    """The referrals (of one operation, or given ids, or all) with their items' fate."""
    query = select(ReferralRow).order_by(ReferralRow.id)
    if operation_id is not None:
        query = query.where(ReferralRow.operation_id == operation_id)
    if referral_ids is not None:
        query = query.where(ReferralRow.id.in_(list(referral_ids)))
    with store.session() as session:
        rows = session.scalars(query).all()
        items: dict[int, list[ReferralItemRow]] = {}
        ids = [r.id for r in rows]
        for start in range(0, len(ids), CHUNK):
            for item in session.scalars(
                select(ReferralItemRow).where(
                    ReferralItemRow.referral_id.in_(ids[start : start + CHUNK])
                )
            ):
                items.setdefault(item.referral_id, []).append(item)
    return [_summary(row, items.get(row.id, [])) for row in rows]


def takedown_hours(row: ReferralRow, item: ReferralItemRow) -> float | None:
    """Hours from sending (else creation) to the item's removal; None while online."""
    if item.status not in GONE or item.removed_at is None:
        return None
    start = row.sent_at or row.created_at
    return max(0.0, (item.removed_at - start).total_seconds() / 3600)


def _summary(row: ReferralRow, items: list[ReferralItemRow]) -> ReferralSummary:
    hours = [h for h in (takedown_hours(row, i) for i in items) if h is not None]
    return ReferralSummary(
        id=row.id,
        recipient=row.recipient,
        recipient_kind=row.recipient_kind,
        country=row.country,
        status=row.status,
        items=len(items),
        removed=sum(1 for i in items if i.status in GONE),
        created_at=row.created_at,
        sent_at=row.sent_at,
        takedown_hours=round(median(hours), 2) if hours else None,
        package=row.package_path,
    )
