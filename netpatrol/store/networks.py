"""Link stage I/O: what ``netpatrol link`` reads from the store, and the networks it writes.

Reading streams the listings once (texts are MinHashed as they pass, never kept), so a
million listings take a few hundred MB. Page-template fingerprints need the pages'
bytes from the evidence: they are computed once per page and kept (``store.page_templates``).
"""

from __future__ import annotations

import ipaddress
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select, update

from netpatrol.extract.country import country_of
from netpatrol.link.assemble import LinkResult
from netpatrol.link.facts import (
    CERTIFICATE,
    FAVICON,
    HOSTING_IP,
    LinkInput,
    ListingFact,
    SiteShared,
)
from netpatrol.link.neardup import NearDuplicates, text_shingles
from netpatrol.link.stable import match_ids
from netpatrol.store.page_templates import template_groups
from netpatrol.store.schema import (
    CaptureRow,
    DetectionRow,
    IdentifierMentionRow,
    IdentifierRow,
    ImageRow,
    ListingRow,
    NetworkEdgeRow,
    NetworkMemberRow,
    NetworkRow,
    SiteRow,
)
from netpatrol.store.store import Store, now

BATCH = 10_000
Progress = Callable[[str, int], None]


def read_link_input(
    store: Store, evidence_dir: Path, on_progress: Progress | None = None
) -> LinkInput:
    """Everything linking needs, from the store (and, for new pages, the evidence)."""
    progress = on_progress or (lambda _stage, _done: None)
    data = LinkInput()
    categories = _categories(store)
    texts = NearDuplicates()
    position: dict[int, int] = {}
    with store.engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(
                ListingRow.id,
                ListingRow.capture_id,
                ListingRow.seller,
                ListingRow.location,
                ListingRow.title,
                ListingRow.text,
                SiteRow.domain,
                SiteRow.country,
                CaptureRow.captured_at,
                CaptureRow.stored_at,
                CaptureRow.url,
            )
            .join(CaptureRow, CaptureRow.id == ListingRow.capture_id)
            .outerjoin(SiteRow, SiteRow.id == CaptureRow.site_id)
            .order_by(ListingRow.id)
        )
        for row in rows:
            index = len(data.listings)
            position[row[0]] = index
            data.listings.append(
                ListingFact(
                    row[0],
                    row[1],
                    row[6],
                    row[2],
                    row[3],
                    row[8] or row[9],
                    categories.get(row[0]),
                    row[7] or country_of(row[10]),
                )
            )
            texts.add(index, text_shingles(" ".join(t for t in (row[4], row[5]) if t)))
            if index % BATCH == 0:
                progress("listings", index)
    del categories
    _mentions(store, data, position)
    progress("near-duplicate texts", len(data.listings))
    data.text_groups = texts.groups()
    progress("templates", 0)
    data.template_groups = template_groups(store, evidence_dir)
    progress("hosting, certificates, favicons", 0)
    data.site_shared = site_shared(store)
    return data


def _categories(store: Store) -> dict[int, str]:
    """Each listing's category: its most confident detection that is not benign."""
    found: dict[int, tuple[float, str]] = {}
    with store.engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(DetectionRow.listing_id, DetectionRow.category, DetectionRow.score)
        )
        for listing_id, category, score in rows:
            if category != "benign" and score > found.get(listing_id, (-1.0, ""))[0]:
                found[listing_id] = (score, sys.intern(category))
    return {listing_id: category for listing_id, (_, category) in found.items()}


def _mentions(store: Store, data: LinkInput, position: dict[int, int]) -> None:
    identifier_index: dict[int, int] = {}
    with store.engine.connect() as connection:
        for row_id, kind, value in connection.execution_options(yield_per=BATCH).execute(
            select(IdentifierRow.id, IdentifierRow.kind, IdentifierRow.value)
        ):
            identifier_index[row_id] = len(data.identifiers)
            data.identifiers.append((sys.intern(kind), value))
        pairs = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(IdentifierMentionRow.listing_id, IdentifierMentionRow.identifier_id).distinct()
        )
        for listing_id, identifier_id in pairs:
            listing = position.get(listing_id)
            if listing is not None:
                data.mentions.append((listing, identifier_index[identifier_id]))


# --- what sites share: hosting address, TLS certificate, favicon -----------------------

# A favicon by its file name (``/favicon.ico``, ``/static/favicon-32x32.png``); one
# declared under another name by ``<link rel="icon">`` is not recognised yet.
_FAVICON = re.compile(r"(?:^|/)favicon[^/]*\.(?:ico|png|gif|svg|jpe?g|webp)$", re.IGNORECASE)
Seen = dict[tuple[str, str], dict[str, tuple[int, datetime | None]]]


def site_shared(store: Store) -> list[SiteShared]:
    """Hosting addresses (``ip_address`` in capture meta: the crawler's peer, a WARC's
    ``WARC-IP-Address``), TLS certificates (``tls_certificate_sha256``, kept by the
    crawler) and favicons (hashed images named favicon.*: their near-duplicate cluster,
    else their MD5) that two or more sites show."""
    seen: Seen = {}
    ip = CaptureRow.meta["ip_address"].as_string()
    certificate = CaptureRow.meta["tls_certificate_sha256"].as_string()
    with store.engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(
                SiteRow.domain,
                CaptureRow.id,
                CaptureRow.captured_at,
                CaptureRow.stored_at,
                ip,
                certificate,
            )
            .join(SiteRow, SiteRow.id == CaptureRow.site_id)
            .where(CaptureRow.meta.is_not(None), (ip.is_not(None)) | (certificate.is_not(None)))
        )
        for site, capture_id, captured, stored, address, cert in rows:
            when = captured or stored
            # An onion service is reached through Tor: the address is the proxy's.
            if address and not site.endswith(".onion"):
                normal = _address(address)
                if normal:
                    _seen(seen, HOSTING_IP, normal, site, capture_id, when)
            if cert:
                _seen(seen, CERTIFICATE, cert.strip().lower(), site, capture_id, when)
        icons = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(
                SiteRow.domain,
                CaptureRow.id,
                CaptureRow.captured_at,
                CaptureRow.stored_at,
                ImageRow.url,
                CaptureRow.url,
                ImageRow.md5,
                ImageRow.pdq_cluster,
            )
            .join(CaptureRow, CaptureRow.id == ImageRow.capture_id)
            .join(SiteRow, SiteRow.id == CaptureRow.site_id)
            .where(
                ImageRow.url.ilike("%favicon%") | CaptureRow.url.ilike("%favicon%"),
                ImageRow.error.is_(None),
            )
        )
        for site, capture_id, captured, stored, url, capture_url, md5, cluster in icons:
            if _FAVICON.search(urlsplit(url or capture_url or "").path):
                value = f"pdq:{cluster}" if cluster else f"md5:{md5}"
                _seen(seen, FAVICON, value, site, capture_id, captured or stored)
    return [
        SiteShared(kind, value, sorted(by_site), [by_site[s] for s in sorted(by_site)])
        for (kind, value), by_site in sorted(seen.items())
        if len(by_site) > 1
    ]


def _seen(
    seen: Seen, kind: str, value: str, site: str, capture_id: int, when: datetime | None
) -> None:
    """Keep, per value and site, the first capture that showed it."""
    by_site = seen.setdefault((kind, sys.intern(value)), {})
    known = by_site.get(site)
    if known is None or (when is not None and (known[1] is None or when < known[1])):
        by_site[site] = (capture_id, when)


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip().strip("[]")))
    except ValueError:
        return None


# --- networks --------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveReport:
    networks: int
    new: int
    kept: int  # networks that kept the id of an earlier run's
    merged: int  # earlier networks merged into another
    gone: int  # earlier networks whose members no longer link


def save_networks(store: Store, result: LinkResult) -> SaveReport:
    """Replace the active networks by ``result``, keeping ids where members overlap."""
    old = _active_members(store)
    matching = match_ids([n.principals for n in result.networks], old)
    stamp = now()
    new = 0
    with store.session() as session, session.begin():
        if old:
            session.execute(delete(NetworkMemberRow).where(NetworkMemberRow.network_id.in_(old)))
            session.execute(delete(NetworkEdgeRow).where(NetworkEdgeRow.network_id.in_(old)))
        for old_id, kept in matching.merged.items():
            session.execute(
                update(NetworkRow)
                .where(NetworkRow.id == old_id)
                .values(status="merged", merged_into=kept, updated_at=stamp)
            )
        if matching.gone:
            session.execute(
                update(NetworkRow)
                .where(NetworkRow.id.in_(matching.gone))
                .values(status="gone", updated_at=stamp)
            )
        for network, network_id in zip(result.networks, matching.ids, strict=True):
            summary = network.summary
            values = {
                "score": summary["strength"],
                "size": summary["size"],
                "first_seen": _when(summary["first_seen"]),
                "last_seen": _when(summary["last_seen"]),
                "updated_at": stamp,
                "status": "active",
                "merged_into": None,
            }
            if network_id is None:
                row = NetworkRow(name=f"pending-{new}", created_at=stamp, **values)
                session.add(row)
                session.flush()
                network_id, row.name = row.id, f"N{row.id}"
                new += 1
            else:
                session.execute(
                    update(NetworkRow).where(NetworkRow.id == network_id).values(**values)
                )
            session.execute(
                update(NetworkRow)
                .where(NetworkRow.id == network_id)
                .values(summary=network.as_json(network_id))
            )
            _members_and_edges(session, network_id, summary)
    kept = sum(1 for i in matching.ids if i is not None)
    return SaveReport(len(result.networks), new, kept, len(matching.merged), len(matching.gone))


def _members_and_edges(session: Any, network_id: int, summary: dict[str, Any]) -> None:
    members = list(summary["members"])
    members += [f"identifier:{i['kind']}:{i['value']}" for i in summary["identifiers"]]
    members += [f"listing:{i}" for i in summary["listings"]]
    session.execute(
        insert(NetworkMemberRow),
        [{"network_id": network_id, "member": m[:512]} for m in dict.fromkeys(members)],
    )
    edges = [
        {
            "network_id": network_id,
            "a": member[:512],
            "b": f"{e['kind']}:{e['value']}"[:512],
            "kind": e["kind"],
            "strength": e["weight"],
            "evidence": e["listings"] or e.get("captures") or None,
        }
        for e in summary["evidence"]
        for member in e["members"]
    ]
    if edges:
        session.execute(insert(NetworkEdgeRow), edges)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _active_members(store: Store) -> dict[int, list[str]]:
    """Principal members (accounts, shops) of the networks of the last run."""
    found: dict[int, list[str]] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(NetworkMemberRow.network_id, NetworkMemberRow.member)
            .join(NetworkRow, NetworkRow.id == NetworkMemberRow.network_id)
            .where(NetworkRow.status == "active")
        )
        for network_id, member in rows:
            if not member.startswith("identifier:"):
                found.setdefault(network_id, []).append(member)
    return found


def load_networks(store: Store) -> Iterator[dict[str, Any]]:
    """The active networks, as ``networks --json`` shows them, largest first."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(NetworkRow.summary)
            .where(NetworkRow.status == "active", NetworkRow.summary.is_not(None))
            .order_by(NetworkRow.size.desc(), NetworkRow.id)
        )
        for (summary,) in rows:
            yield dict(summary)
