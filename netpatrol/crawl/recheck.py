"""``netpatrol crawl --recheck``: is each known listing and site still online?

The basis of takedown tracking. Targets are the listings' URLs (the listing's own URL,
else the page it was found on) and the seed pages of earlier crawls. Each is fetched
again like any crawled page (new WARC evidence and capture), then judged: HTTP status,
content changed or not (payload SHA-256 against the last capture of that URL before this
run), a removal notice, a seizure banner. The judgement goes three places, so a later
reader needs no new table: the new capture's ``meta["recheck"]``, one ``crawl.recheck``
event per listing (subject ``listing``) or per seed page (subject ``capture``: its
previous capture), and the JSON lines the command prints.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from netpatrol.crawl.patterns import find_notice
from netpatrol.crawl.sites import registrable_domain
from netpatrol.store import Store
from netpatrol.store.schema import CaptureRow, EventRow, ListingRow, SourceRow

OUTCOMES = ("online", "changed", "removed", "seized", "unreachable", "not checked")
GONE = {404, 410}
EVENT = "crawl.recheck"


@dataclass
class Target:
    url: str
    listing_ids: list[int] = field(default_factory=list)
    seed: bool = False
    previous_capture_id: int | None = None
    previous_sha256: str | None = None


@dataclass
class Outcome:
    url: str
    outcome: str
    reason: str = ""
    http_status: int | None = None
    final_url: str | None = None
    sha256: str | None = None
    previous_sha256: str | None = None
    previous_capture_id: int | None = None
    changed: bool | None = None
    capture_key: str | None = None
    capture_id: int | None = None
    listing_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def judge(target: Target, status: int, body: bytes, text: str | None) -> Outcome:
    """The verdict on one re-fetched page (``text``: decoded HTML, None when not text)."""
    sha = hashlib.sha256(body).hexdigest()
    changed = None if target.previous_sha256 is None else sha != target.previous_sha256
    found = Outcome(target.url, "online", http_status=status, sha256=sha, changed=changed,
                    previous_sha256=target.previous_sha256,
                    previous_capture_id=target.previous_capture_id,
                    listing_ids=list(target.listing_ids))  # fmt: skip
    notice = find_notice(text) if text else None
    if notice is not None and notice.kind == "seized":
        found.outcome, found.reason = "seized", notice.phrase
    elif status in GONE:
        found.outcome, found.reason = "removed", f"http {status}"
    elif notice is not None:
        found.outcome, found.reason = "removed", notice.phrase
    elif status >= 400:
        found.outcome, found.reason = "unreachable", f"http {status}"
    elif changed:
        found.outcome = "changed"
    return found


def failed(target: Target, kind: str, fetched: bool) -> Outcome:
    """No response: the site is unreachable, or the crawl chose not to fetch (robots...)."""
    return Outcome(target.url, "unreachable" if fetched else "not checked", reason=kind,
                   previous_sha256=target.previous_sha256,
                   previous_capture_id=target.previous_capture_id,
                   listing_ids=list(target.listing_ids))  # fmt: skip


def _in_sites(url: str, sites: set[str]) -> bool:
    if not sites:
        return True
    host = (urlsplit(url).hostname or "").lower()
    return host in sites or registrable_domain(url) in sites


def _absolute(url: str | None) -> bool:
    return bool(url) and urlsplit(url or "").scheme in {"http", "https"}


def load_targets(store: Store, sites: set[str]) -> dict[str, Target]:
    """Every known listing URL and crawl seed page, optionally only on ``sites``."""
    targets: dict[str, Target] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(ListingRow.id, ListingRow.url, CaptureRow.url)
            .join(CaptureRow, CaptureRow.id == ListingRow.capture_id)
            .order_by(ListingRow.id)
        )
        for listing_id, own, page in rows:
            url = str(own if _absolute(own) else page)
            if _absolute(url) and _in_sites(url, sites):
                targets.setdefault(url, Target(url)).listing_ids.append(int(listing_id))
        for url in _seed_urls(connection):
            if _in_sites(url, sites):
                targets.setdefault(url, Target(url)).seed = True
    return targets


def _seed_urls(connection: Any) -> list[str]:
    """Seeds of earlier crawls: from their finish events, else from the job's label."""
    seeds: list[str] = []
    events = connection.execute(
        select(EventRow.detail).where(EventRow.action == "crawl.finish").order_by(EventRow.id)
    )
    for (detail,) in events:
        seeds.extend(str(u) for u in (detail or {}).get("seeds", []) if _absolute(str(u)))
    labels = connection.execute(select(SourceRow.path).where(SourceRow.importer == "crawl"))
    for (label,) in labels:
        # "crawl URL URL..." cut at 200 characters: a cut label's last word is not a URL.
        words = str(label).split()
        if words and words[0] == "crawl":
            complete = len(label) < 200
            seeds.extend(w for w in words[1:] if _absolute(w) and (complete or w != words[-1]))
    return list(dict.fromkeys(seeds))


def attach_previous(store: Store, targets: dict[str, Target], own_source: int) -> None:
    """The last capture of each target URL made before this recheck job."""
    urls = list(targets)
    with store.engine.connect() as connection:
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            latest = (
                select(func.max(CaptureRow.id))
                .where(CaptureRow.url.in_(chunk), CaptureRow.record_type == "response")
                .where((CaptureRow.source_id != own_source) | CaptureRow.source_id.is_(None))
                .group_by(CaptureRow.url)
            )
            rows = connection.execute(
                select(CaptureRow.id, CaptureRow.url, CaptureRow.payload_sha256).where(
                    CaptureRow.id.in_(latest)
                )
            )
            for capture_id, url, sha in rows:
                targets[str(url)].previous_capture_id = int(capture_id)
                targets[str(url)].previous_sha256 = str(sha)


def record(store: Store, job_id: str, outcomes: list[Outcome]) -> None:
    """Store each verdict as events, with the id of the capture it was judged on."""
    keys = [o.capture_key for o in outcomes if o.capture_key]
    ids: dict[str, int] = {}
    with store.engine.connect() as connection:
        for start in range(0, len(keys), 500):
            rows = connection.execute(
                select(CaptureRow.key, CaptureRow.id).where(
                    CaptureRow.key.in_(keys[start : start + 500])
                )
            )
            ids.update({str(k): int(i) for k, i in rows})
    for outcome in outcomes:
        outcome.capture_id = ids.get(outcome.capture_key or "")
    with store.session() as session, session.begin():
        for outcome in outcomes:
            detail = {**outcome.as_dict(), "job": job_id[:16]}
            subjects: list[tuple[str, int | None]] = [("listing", i) for i in outcome.listing_ids]
            if not subjects:
                subjects = [("capture", outcome.previous_capture_id)]
            for kind, subject_id in subjects:
                # One transaction for the whole run (Store.log_event opens one per event).
                store._event(session, EVENT, kind, subject_id, detail)


@dataclass
class RecheckState:
    """What the recheck spider and the capture middleware share during the run."""

    targets: dict[str, Target]
    results: dict[str, Outcome] = field(default_factory=dict)


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    found = Counter(o.outcome for o in outcomes)
    return {name: found[name] for name in OUTCOMES if name != "not checked" or found[name]}
