"""The parts of a report read beside the findings: top sites, the networks the findings
are in, the referral packages and their takedown times."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from netpatrol.report.data import (
    Finding,
    NetworkEdgeSummary,
    NetworkSummary,
    ReferralSummary,
    SiteSummary,
)
from netpatrol.store.schema import (
    NetworkEdgeRow,
    NetworkMemberRow,
    NetworkRow,
    ReferralItemRow,
    ReferralRow,
)
from netpatrol.store.store import Store

GONE = ("removed", "seized")
SENT = ("sent", "acknowledged", "removed", "refused")
TOP = 20


def is_gone(finding: Finding) -> bool:
    return finding.status in GONE


def top_sites(findings: Iterable[Finding], limit: int = TOP) -> list[SiteSummary]:
    by_site: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.site:
            by_site[finding.site].append(finding)
    found = []
    for domain, items in by_site.items():
        countries = Counter(f.jurisdiction.country for f in items if f.jurisdiction.country)
        categories = Counter(f.category for f in items)
        found.append(
            SiteSummary(
                domain=domain,
                country=countries.most_common(1)[0][0] if countries else None,
                platform=next((f.platform for f in items if f.platform), None),
                listings=len(items),
                removed=sum(1 for f in items if is_gone(f)),
                categories=tuple(c for c, _ in categories.most_common()),
                value_eur=round(sum(f.price_eur or 0.0 for f in items), 2),
            )
        )
    found.sort(key=lambda s: (-s.listings, -s.value_eur, s.domain))
    return found[:limit]


def top_networks(
    store: Store, findings: Iterable[Finding], limit: int = TOP
) -> list[NetworkSummary]:
    """The active networks holding findings, most findings first, with their edges."""
    listings = Counter(name for f in findings for name in f.networks)
    if not listings:
        return []
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(NetworkRow.id, NetworkRow.name, NetworkRow.score).where(
                NetworkRow.status == "active", NetworkRow.name.in_(list(listings))
            )
        ).all()
        chosen = sorted(rows, key=lambda r: (-listings[r[1]], -float(r[2] or 0.0), r[0]))[:limit]
        ids = [row[0] for row in chosen]
        members: dict[int, list[str]] = defaultdict(list)
        for network_id, member in connection.execute(
            select(NetworkMemberRow.network_id, NetworkMemberRow.member)
            .where(NetworkMemberRow.network_id.in_(ids))
            .order_by(NetworkMemberRow.id)
        ):
            # Listings are counted, not listed; an identifier shows as "kind:value".
            if not member.startswith("listing:"):
                members[network_id].append(member.removeprefix("identifier:"))
        edges: dict[int, list[NetworkEdgeSummary]] = defaultdict(list)
        for network_id, a, b, kind, strength in connection.execute(
            select(
                NetworkEdgeRow.network_id,
                NetworkEdgeRow.a,
                NetworkEdgeRow.b,
                NetworkEdgeRow.kind,
                NetworkEdgeRow.strength,
            )
            .where(NetworkEdgeRow.network_id.in_(ids))
            .order_by(NetworkEdgeRow.id)
        ):
            edges[network_id].append(NetworkEdgeSummary(a, b, kind, float(strength)))
    return [
        NetworkSummary(
            name=name,
            score=float(score or 0.0),
            members=tuple(members[network_id]),
            edges=tuple(edges[network_id]),
            listings=listings[name],
        )
        for network_id, name, score in chosen
    ]


@dataclass(frozen=True)
class _Item:
    referral_id: int
    listing_id: int | None
    capture_id: int | None
    status: str
    removed_at: datetime | None


def referral_summaries(
    store: Store, operation_id: int | None, findings: Iterable[Finding]
) -> tuple[list[ReferralSummary], list[float]]:
    """Every referral (of the operation, when given) with its items' fate, and the hours
    from sending (else creating) a referral to each removal of its items. An item with no
    removal of its own takes its finding's (a recheck found it gone)."""
    removed_at = {f.listing_id: f.removed_at for f in findings if is_gone(f)}
    every: list[float] = []
    query = select(ReferralRow).order_by(ReferralRow.id)
    if operation_id is not None:
        query = query.where(ReferralRow.operation_id == operation_id)
    with store.session() as session:
        referrals = session.scalars(query).all()
        items: dict[int, list[_Item]] = defaultdict(list)
        ids = [r.id for r in referrals]
        for first in range(0, len(ids), 500):
            for row in session.execute(
                select(
                    ReferralItemRow.referral_id,
                    ReferralItemRow.listing_id,
                    ReferralItemRow.capture_id,
                    ReferralItemRow.status,
                    ReferralItemRow.removed_at,
                ).where(ReferralItemRow.referral_id.in_(ids[first : first + 500]))
            ):
                items[row[0]].append(_Item(*row))
    found = []
    for referral in referrals:
        start = referral.sent_at or referral.created_at
        hours: list[float] = []
        gone = 0
        for item in items[referral.id]:
            when = item.removed_at or removed_at.get(item.listing_id or -1)
            if item.status in GONE or (item.listing_id in removed_at):
                gone += 1
                if when is not None and when >= start:
                    hours.append((when - start).total_seconds() / 3600)
        found.append(
            ReferralSummary(
                id=referral.id,
                recipient=referral.recipient,
                recipient_kind=referral.recipient_kind,
                country=referral.country,
                status=referral.status,
                items=len(items[referral.id]),
                removed=gone,
                created_at=referral.created_at,
                sent_at=referral.sent_at,
                takedown_hours=round(statistics.median(hours), 2) if hours else None,
                package=referral.package_path,
            )
        )
        every.extend(hours)
    return found, every
