"""The findings of a patrol (or of one operation): every listing whose decided category is
not benign, with what a report needs about it, read from the store in a fixed number of
queries whatever the number of listings.

The decided category is the ``classifier`` detection that ``netpatrol scan`` stores for
every listing (the combined decision of the detectors). Status: the listing's latest
``crawl --recheck`` verdict, else what its referral items say; a recheck that finds the
listing online again after a removal puts it back online.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select

from netpatrol.act.jurisdiction import jurisdiction_of
from netpatrol.report.data import EvidenceItem, Finding, OperationInfo
from netpatrol.store.jurisdictions import load_site_facts
from netpatrol.store.schema import (
    CaptureRow,
    DetectionRow,
    EventRow,
    IdentifierMentionRow,
    IdentifierRow,
    ListingRow,
    NetworkMemberRow,
    NetworkRow,
    ReferralItemRow,
    SiteRow,
)
from netpatrol.store.store import Store
from netpatrol.store.wildlife import _label_keys

DECIDED = "classifier"  # the detector whose detection is the listing's decided category
RECHECK = "crawl.recheck"
GONE = ("removed", "seized")
BACK = ("online", "changed")  # a recheck that saw the listing (again)
BATCH = 10_000


def finding_ids(operation: OperationInfo | None = None) -> Select[int]:
    """The ids of the listings that are findings, within the operation's time window."""
    query: Select[int] = (
        select(DetectionRow.listing_id)
        .where(DetectionRow.detector == DECIDED, DetectionRow.category != "benign")
        .join(ListingRow, ListingRow.id == DetectionRow.listing_id)
        .join(CaptureRow, CaptureRow.id == ListingRow.capture_id)
        .where(*in_window(operation))
    )
    return query


def in_window(operation: OperationInfo | None) -> list[ColumnElement[bool]]:
    """Capture time within the window (stored time when the source gave none)."""
    clauses: list[ColumnElement[bool]] = []
    if operation is not None and operation.started_at is not None:
        start = operation.started_at
        clauses.append(
            or_(
                CaptureRow.captured_at >= start,
                CaptureRow.captured_at.is_(None) & (CaptureRow.stored_at >= start),
            )
        )
    if operation is not None and operation.ended_at is not None:
        end = operation.ended_at
        clauses.append(
            or_(
                CaptureRow.captured_at <= end,
                CaptureRow.captured_at.is_(None) & (CaptureRow.stored_at <= end),
            )
        )
    return clauses


def load_findings(store: Store, operation: OperationInfo | None = None) -> list[Finding]:
    """Every finding (of the operation's window and countries when given), by listing id."""
    facts = load_site_facts(store)
    ids = finding_ids(operation)
    identifiers = _identifiers(store, ids)
    status = _status(store, ids)
    networks = _network_names(store)
    query = (
        select(
            ListingRow.id,
            ListingRow.capture_id,
            ListingRow.url,
            ListingRow.title,
            ListingRow.price,
            ListingRow.currency,
            ListingRow.price_eur,
            ListingRow.quantity,
            ListingRow.unit,
            ListingRow.seller,
            ListingRow.location,
            DetectionRow.category,
            DetectionRow.score,
            DetectionRow.labels,
            DetectionRow.evidence,
            CaptureRow.url,
            CaptureRow.captured_at,
            CaptureRow.stored_at,
            CaptureRow.payload_sha256,
            CaptureRow.evidence_file,
            CaptureRow.evidence_offset,
            CaptureRow.warc_record_id,
            CaptureRow.site_id,
            SiteRow.domain,
        )
        .join(DetectionRow, DetectionRow.listing_id == ListingRow.id)
        .join(CaptureRow, CaptureRow.id == ListingRow.capture_id)
        .outerjoin(SiteRow, SiteRow.id == CaptureRow.site_id)
        .where(DetectionRow.detector == DECIDED, DetectionRow.category != "benign")
        .where(*in_window(operation))
        .order_by(ListingRow.id)
    )
    countries = set(operation.countries) if operation else set()
    found: list[Finding] = []
    with store.engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for row in rows:
            (listing_id, capture_id, url, title, price, currency, price_eur, quantity, unit,
             seller, location, category, score, labels, evidence, page, captured, stored,
             sha, file, offset, record_id, site_id, domain) = row  # fmt: skip
            site_facts = facts.get(site_id) if site_id is not None else None
            where = url or page
            jurisdiction = jurisdiction_of(site_facts, where, location)
            if countries and jurisdiction.country not in countries:
                continue
            state = status.get(listing_id, _State())
            names = _networks_of(networks, listing_id, domain, seller)
            found.append(
                Finding(
                    listing_id=listing_id,
                    capture_id=capture_id,
                    url=where,
                    site=domain,
                    platform=site_facts.platform if site_facts else None,
                    title=title,
                    category=category,
                    score=float(score),
                    labels=tuple(str(x) for x in labels or ()),
                    evidence=tuple(_evidence(evidence)),
                    price=price,
                    currency=currency,
                    price_eur=price_eur,
                    quantity=quantity,
                    unit=unit,
                    seller=seller,
                    location=location,
                    jurisdiction=jurisdiction,
                    species=species_of(labels or ()),
                    appendices=appendices_of(labels or ()),
                    captured_at=captured or stored,
                    sha256=sha,
                    evidence_file=file,
                    evidence_offset=int(offset),
                    warc_record_id=record_id,
                    status=state.status,
                    removed_at=state.removed_at,
                    referrals=tuple(sorted(state.referrals)),
                    identifiers=tuple(identifiers.get(listing_id, ())),
                    networks=names,
                )
            )
    return found


@lru_cache(maxsize=4096)
def label_keys(labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(dimension, key) of a detection's labels as ``stats --wildlife`` counts them;
    cached: most listings share a few label sets."""
    return tuple(_label_keys(labels))


def species_of(labels: Sequence[str]) -> tuple[str, ...]:
    """The CITES taxa the labels name (the keys ``stats --wildlife`` counts under)."""
    if not any(str(label).startswith("taxon:") for label in labels):
        return ()
    return tuple(k for d, k in label_keys(tuple(labels)) if d == "species")


def appendices_of(labels: Sequence[str]) -> tuple[str, ...]:
    """``("I", "II")`` from ``cites:NAME:Appendix I (...)`` labels."""
    return tuple(
        k.removeprefix("Appendix ").strip()
        for d, k in label_keys(tuple(labels))
        if d == "appendix" and k.startswith("Appendix ")
    )


def _evidence(items: Iterable[Any] | None) -> Iterable[EvidenceItem]:
    for item in items or ():
        if isinstance(item, dict):
            yield EvidenceItem(
                str(item.get("kind", "")), str(item.get("text", "")), item.get("start"),
                item.get("end"),
            )  # fmt: skip


def _identifiers(store: Store, ids: Select[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    query = (
        select(IdentifierMentionRow.listing_id, IdentifierRow.kind, IdentifierRow.value)
        .join(IdentifierRow, IdentifierRow.id == IdentifierMentionRow.identifier_id)
        .where(IdentifierMentionRow.listing_id.in_(ids))
        .distinct()
        .order_by(IdentifierMentionRow.listing_id, IdentifierRow.kind, IdentifierRow.value)
    )
    with store.engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for listing_id, kind, value in rows:
            found[listing_id].append((kind, value))
    return found


@dataclass
class _State:
    status: str = "online"
    removed_at: datetime | None = None
    referrals: set[int] = field(default_factory=set)


def _status(store: Store, ids: Select[int]) -> dict[int, _State]:
    """Online / removed / seized of each finding, and the referrals holding it."""
    rechecks: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    referred: dict[int, list[tuple[int, str, datetime | None]]] = defaultdict(list)
    with store.engine.connect() as connection:
        events = connection.execution_options(yield_per=BATCH).execute(
            select(EventRow.subject_id, EventRow.at, EventRow.detail)
            .where(
                EventRow.action == RECHECK,
                EventRow.subject_kind == "listing",
                EventRow.subject_id.in_(ids),
            )
            .order_by(EventRow.at, EventRow.id)
        )
        for listing_id, at, detail in events:
            outcome = str((detail or {}).get("outcome", ""))
            if outcome in GONE or outcome in BACK:
                rechecks[listing_id].append((at, outcome))
        # Items name a listing, or a page (capture): the page's findings are all in it.
        by_listing = select(
            ReferralItemRow.listing_id, ReferralItemRow.referral_id, ReferralItemRow.status,
            ReferralItemRow.removed_at,
        ).where(ReferralItemRow.listing_id.in_(ids))  # fmt: skip
        by_page = (
            select(
                ListingRow.id,
                ReferralItemRow.referral_id,
                ReferralItemRow.status,
                ReferralItemRow.removed_at,
            )
            .join(ListingRow, ListingRow.capture_id == ReferralItemRow.capture_id)
            .where(ReferralItemRow.listing_id.is_(None), ListingRow.id.in_(ids))
        )
        for query in (by_listing, by_page):
            for listing_id, referral_id, item_status, removed_at in connection.execute(query):
                if listing_id is None:
                    continue
                referred[listing_id].append((referral_id, item_status, removed_at))
    states: dict[int, _State] = {}
    for listing_id in set(rechecks) | set(referred):
        states[listing_id] = _decide(rechecks.get(listing_id, []), referred.get(listing_id, []))
    return states


def _decide(
    rechecks: list[tuple[datetime, str]], items: list[tuple[int, str, datetime | None]]
) -> _State:
    state = _State(referrals={referral for referral, _, _ in items})
    gone: list[tuple[datetime | None, str]] = []
    last_seen: datetime | None = None
    # The current streak of "gone" verdicts: when it started is when it went.
    streak: list[tuple[datetime, str]] = []
    for at, outcome in rechecks:
        if outcome in GONE:
            streak.append((at, outcome))
        else:
            streak, last_seen = [], at
    if streak:
        gone.append(
            (streak[0][0], "seized" if any(o == "seized" for _, o in streak) else "removed")
        )
    for _, item_status, removed_at in items:
        if item_status in GONE and (
            last_seen is None or removed_at is None or removed_at > last_seen
        ):
            gone.append((removed_at, item_status))
    if gone:
        state.status = "seized" if any(s == "seized" for _, s in gone) else "removed"
        times = [at for at, _ in gone if at is not None]
        state.removed_at = min(times) if times else None
    return state


def _network_names(store: Store) -> dict[str, list[str]]:
    """Member -> names of the active networks holding it (listings, sites, sellers)."""
    found: dict[str, list[str]] = defaultdict(list)
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(NetworkMemberRow.member, NetworkRow.name)
            .join(NetworkRow, NetworkRow.id == NetworkMemberRow.network_id)
            .where(
                NetworkRow.status == "active",
                or_(
                    NetworkMemberRow.member.startswith("listing:"),
                    NetworkMemberRow.member.startswith("site:"),
                    NetworkMemberRow.member.startswith("seller:"),
                ),
            )
            .order_by(NetworkRow.id)
        )
        for member, name in rows:
            found[member].append(name)
    return found


def _networks_of(
    networks: dict[str, list[str]], listing_id: int, domain: str | None, seller: str | None
) -> tuple[str, ...]:
    # The member keys ``netpatrol link`` writes (netpatrol.link.graph.principals_of).
    keys = [f"listing:{listing_id}"]
    if domain:
        keys.append(f"site:{domain}")
    handle = (seller or "").strip()
    if handle:
        keys.append(f"seller:{domain or '-'}/{handle.casefold()}")
    return tuple(dict.fromkeys(name for key in keys for name in networks.get(key, ())))
