"""Page-template fingerprints for ``netpatrol link``: sites whose pages share a template.

A page's tag paths are MinHashed once, from its evidence bytes, and kept
(``page_templates``); a site's template is every path seen on up to
``TEMPLATE_PAGES`` of its pages with listings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select

from netpatrol.errors import EvidenceError
from netpatrol.link.neardup import NearDuplicates
from netpatrol.link.template import template_shingles
from netpatrol.model import EvidenceRef
from netpatrol.store.evidence import read_record
from netpatrol.store.schema import CaptureRow, ListingRow, PageTemplateRow, SiteRow
from netpatrol.store.store import Store

BATCH = 10_000
TEMPLATE_PAGES = 3  # pages read per site: a template shows on any of them


def template_groups(store: Store, evidence_dir: Path) -> list[list[str]]:
    """Sites whose pages share a template (near-duplicate tag-path fingerprints)."""
    _fingerprint_new_pages(store, evidence_dir)
    per_site: dict[str, np.ndarray[Any, np.dtype[np.uint32]]] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(SiteRow.domain, PageTemplateRow.signature)
            .join(SiteRow, SiteRow.id == PageTemplateRow.site_id)
            .where(PageTemplateRow.signature.is_not(None))
        )
        for domain, signature in rows:
            if domain is None or signature is None:
                continue
            values = np.frombuffer(signature, dtype=np.uint32)
            # The MinHash of a union is the element-wise minimum: the site's template is
            # every path seen on any of its pages.
            known = per_site.get(domain)
            per_site[domain] = values if known is None else np.minimum(known, values)
    sites = sorted(per_site)
    found = NearDuplicates()
    for index, site in enumerate(sites):
        found.add_signature(index, per_site[site])
    return [[sites[i] for i in group] for group in found.groups()]


def _fingerprint_new_pages(store: Store, evidence_dir: Path) -> None:
    done: dict[int, int] = {}
    with store.engine.connect() as connection:
        for (site_id,) in connection.execute(select(PageTemplateRow.site_id)):
            done[site_id] = done.get(site_id, 0) + 1
        with_listings = select(ListingRow.capture_id).distinct().scalar_subquery()
        pages = (
            connection.execution_options(stream_results=True, yield_per=BATCH)
            .execute(
                select(
                    CaptureRow.id,
                    CaptureRow.site_id,
                    CaptureRow.evidence_file,
                    CaptureRow.evidence_offset,
                    CaptureRow.evidence_length,
                )
                .where(
                    CaptureRow.record_type.in_(("response", "resource")),
                    CaptureRow.site_id.is_not(None),
                    CaptureRow.id.in_(with_listings),
                    CaptureRow.id.not_in(select(PageTemplateRow.capture_id)),
                )
                .order_by(CaptureRow.id)
            )
            .all()
        )
    rows = []
    for capture_id, page_site, file, offset, length in pages:
        site = int(page_site or 0)
        if not site or done.get(site, 0) >= TEMPLATE_PAGES:
            continue
        done[site] = done.get(site, 0) + 1
        rows.append(
            {
                "capture_id": capture_id,
                "site_id": site,
                "signature": _signature(evidence_dir, EvidenceRef(file, offset, length)),
            }
        )
    if rows:
        with store.session() as session, session.begin():
            session.execute(insert(PageTemplateRow), rows)


def _signature(evidence_dir: Path, ref: EvidenceRef) -> bytes | None:
    try:
        payload = read_record(evidence_dir, ref).payload
    except EvidenceError:
        return None  # ``netpatrol verify`` reports damaged evidence; here it tells nothing
    shingles = template_shingles(payload)
    if not shingles:
        return None
    return NearDuplicates.signature(shingles).tobytes()
