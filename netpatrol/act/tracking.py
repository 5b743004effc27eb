"""Takedown tracking: referral items follow what ``crawl --recheck`` found.

A recheck records one ``crawl.recheck`` event per listing (subject ``listing``) or per
seed page (subject ``capture``, with the URL in its detail), whose ``outcome`` is online,
changed, removed, seized, unreachable or not checked. Only the events after the referral
was created count (a listing gone before it was referred is no takedown), and only the
conclusive outcomes: unreachable says nothing of the listing. The last conclusive outcome
decides: removed / seized (removed_at = the first recheck of that run of removals, so a
later recheck does not push the time back), or online again (a listing that reappeared).
A referral becomes "removed" when every item is gone; it does not go back by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from netpatrol.store.referrals import FINAL, GONE
from netpatrol.store.schema import EventRow, ReferralItemRow, ReferralRow
from netpatrol.store.store import Store

RECHECK = "crawl.recheck"
CONCLUSIVE = {"online", "changed", *GONE}


@dataclass(frozen=True)
class _Check:
    at: datetime
    outcome: str


def sync_from_rechecks(store: Store) -> int:
    """Update items and referrals from the recheck events; return how many items changed."""
    with store.session() as session, session.begin():
        items = session.execute(
            select(ReferralItemRow, ReferralRow.created_at)
            .join(ReferralRow, ReferralRow.id == ReferralItemRow.referral_id)
            .where(ReferralRow.status != "refused")
        ).all()
        if not items:
            return 0
        by_listing, by_url = _checks(session)
        changed = 0
        touched: set[int] = set()
        for item, created_at in items:
            checks = by_listing.get(item.listing_id or -1) or by_url.get(item.url, [])
            status, removed_at = _fate(item, [c for c in checks if c.at >= created_at])
            if (status, removed_at) == (item.status, item.removed_at):
                continue
            detail = {"from": item.status, "to": status, "referral": item.referral_id,
                      "removed_at": removed_at.isoformat() if removed_at else None}  # fmt: skip
            item.status, item.removed_at = status, removed_at
            store._event(session, "referral.item", "referral_item", item.id, detail)
            changed += 1
            touched.add(item.referral_id)
        for referral_id in sorted(touched):
            _close_if_all_gone(store, session, referral_id)
    return changed


def _checks(session: Any) -> tuple[dict[int, list[_Check]], dict[str, list[_Check]]]:
    by_listing: dict[int, list[_Check]] = {}
    by_url: dict[str, list[_Check]] = {}
    rows = session.execute(
        select(EventRow.at, EventRow.subject_kind, EventRow.subject_id, EventRow.detail)
        .where(EventRow.action == RECHECK)
        .order_by(EventRow.at, EventRow.id)
    )
    for at, kind, subject_id, detail in rows:
        outcome = str((detail or {}).get("outcome", ""))
        if outcome not in CONCLUSIVE:
            continue
        check = _Check(at, outcome)
        if kind == "listing" and subject_id is not None:
            by_listing.setdefault(int(subject_id), []).append(check)
        elif (detail or {}).get("url"):
            by_url.setdefault(str(detail["url"]), []).append(check)
    return by_listing, by_url


def _fate(item: ReferralItemRow, checks: list[_Check]) -> tuple[str, datetime | None]:
    """The item's status after these checks (in time order); none: unchanged."""
    if not checks:
        return item.status, item.removed_at
    status, removed_at = item.status, item.removed_at
    for check in checks:
        if check.outcome in GONE:
            if status not in GONE:
                status, removed_at = check.outcome, check.at
            elif check.outcome == "seized":
                status = "seized"  # a seizure banner after a 404 says more than the 404
        else:
            status, removed_at = "online", None
    return status, removed_at


def _close_if_all_gone(store: Store, session: Any, referral_id: int) -> None:
    referral = session.get(ReferralRow, referral_id)
    if referral is None or referral.status in FINAL:
        return
    items = session.scalars(
        select(ReferralItemRow).where(ReferralItemRow.referral_id == referral_id)
    ).all()
    if not items or any(i.status not in GONE for i in items):
        return
    resolved = max((i.removed_at for i in items if i.removed_at), default=datetime.now(UTC))
    detail = {"from": referral.status, "to": "removed", "at": resolved.isoformat(),
              "note": "every item found removed or seized by crawl --recheck"}  # fmt: skip
    referral.status, referral.resolved_at = "removed", resolved
    store._event(session, "referral.status", "referral", referral_id, detail)
