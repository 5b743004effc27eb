"""Hashed images, their bank matches and their ``image_pdq`` identifiers, stored."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from netpatrol.store.schema import (
    IdentifierMentionRow,
    IdentifierRow,
    ImageRow,
    ListingImageRow,
    MatchRow,
)
from netpatrol.store.store import Store, now

if TYPE_CHECKING:  # the store stays importable without the imaging libraries loaded
    from netpatrol.media.hashing import ImageHashes
    from netpatrol.media.matching import MatchResult

IMAGE_PDQ = "image_pdq"
MIN_PDQ_QUALITY = 50  # below, a near-uniform image: its PDQ matches too much to cluster
LOOKUP_BATCH = 500  # image URLs looked up at once: well under the backends' bound parameters


@dataclass(frozen=True)
class HashedImage:
    capture_id: int
    url: str | None
    md5: str
    sha256: str
    hashes: ImageHashes | None  # None: the bytes are no image we can decode
    error: str | None
    cluster: str | None
    matches: tuple[MatchResult, ...] = ()


def clustered_images(store: Store) -> list[tuple[str, str]]:
    """(pdq, cluster) of every image already clustered, oldest first."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(ImageRow.pdq, ImageRow.pdq_cluster)
            .where(ImageRow.pdq_cluster.is_not(None))
            .order_by(ImageRow.id)
        ).all()
    return [(str(p), str(c)) for p, c in rows]


def save_images(session: Session, images: Sequence[HashedImage]) -> None:
    """Images and their matches, in the caller's transaction; an image already stored (a
    batch re-scanned after a crash) is left as it is."""
    if not images:
        return
    present = set(
        session.scalars(
            select(ImageRow.capture_id).where(
                ImageRow.capture_id.in_([i.capture_id for i in images])
            )
        )
    )
    created = now()
    for image in images:
        if image.capture_id in present:
            continue
        found = image.hashes
        session.add(
            ImageRow(
                capture_id=image.capture_id,
                url=image.url,
                md5=image.md5,
                sha256=image.sha256,
                pdq=found.pdq if found else None,
                pdq_quality=found.pdq_quality if found else None,
                phash=found.phash if found else None,
                width=found.width if found else None,
                height=found.height if found else None,
                pdq_cluster=image.cluster,
                error=image.error,
                quarantined=False,
                created_at=created,
            )
        )
        for match in image.matches:
            session.add(
                MatchRow(
                    bank_hash_id=match.hash_id,
                    capture_id=image.capture_id,
                    image_url=image.url,
                    image_sha256=image.sha256,
                    distance=match.distance,
                    quarantined=match.sensitive,
                    created_at=created,
                )
            )


def listing_image_rows(listing_id: int, images: Iterable[object]) -> list[dict[str, object]]:
    """``listing_images`` rows for a listing's image URLs, each URL once."""
    urls = dict.fromkeys(u for u in images if isinstance(u, str) and u)
    return [{"listing_id": listing_id, "url_sha256": url_key(url), "url": url} for url in urls]


def url_key(url: str) -> str:
    """What ``listing_images`` indexes a URL by (see ``ListingImageRow``)."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def attach_image_identifiers(store: Store, clusters_by_url: dict[str, str]) -> int:
    """``image_pdq`` identifiers for every listing that shows one of these image URLs,
    whenever it was scanned; returns the mentions added."""
    added = 0
    items = list(clusters_by_url.items())
    with store.session() as session, session.begin():
        for start in range(0, len(items), LOOKUP_BATCH):
            added += _attach_batch(session, dict(items[start : start + LOOKUP_BATCH]))
    return added


def _attach_batch(session: Session, clusters_by_url: dict[str, str]) -> int:
    identifier_ids = _identifier_ids(session, set(clusters_by_url.values()))
    wanted = [
        (identifier_ids[clusters_by_url[url]], listing_id, url)
        for listing_id, url in _listings_showing(session, list(clusters_by_url))
    ]
    if not wanted:
        return 0
    # Image mentions have no position: one a (identifier, listing, URL), whatever the scan.
    rows = session.execute(
        select(
            IdentifierMentionRow.identifier_id,
            IdentifierMentionRow.listing_id,
            IdentifierMentionRow.context,
        ).where(IdentifierMentionRow.identifier_id.in_({w[0] for w in wanted}))
    )
    present = {(int(i), int(listing), context) for i, listing, context in rows}
    new = [w for w in dict.fromkeys(wanted) if w not in present]
    if new:
        session.execute(
            insert(IdentifierMentionRow),
            [
                {"identifier_id": i, "listing_id": listing, "context": url}
                for i, listing, url in new
            ],
        )
    return len(new)


def image_clusters_for(store: Store, urls: Iterable[str]) -> dict[str, str]:
    """The cluster of each URL's image, for the URLs that were captured and clustered."""
    wanted = list(dict.fromkeys(urls))
    found: dict[str, str] = {}
    with store.engine.connect() as connection:
        for start in range(0, len(wanted), 500):
            rows = connection.execute(
                select(ImageRow.url, ImageRow.pdq_cluster).where(
                    ImageRow.url.in_(wanted[start : start + 500]),
                    ImageRow.pdq_cluster.is_not(None),
                )
            )
            found.update({str(u): str(c) for u, c in rows})
    return found


def _identifier_ids(session: Session, clusters: set[str]) -> dict[str, int]:
    """The ``image_pdq`` identifier of each cluster, created where missing."""
    ids = _existing_identifiers(session, clusters)
    missing = clusters - ids.keys()
    if missing:
        session.execute(
            insert(IdentifierRow), [{"kind": IMAGE_PDQ, "value": v} for v in sorted(missing)]
        )
        ids.update(_existing_identifiers(session, missing))
    return ids


def _existing_identifiers(session: Session, clusters: set[str]) -> dict[str, int]:
    rows = session.execute(
        select(IdentifierRow.value, IdentifierRow.id).where(
            IdentifierRow.kind == IMAGE_PDQ, IdentifierRow.value.in_(clusters)
        )
    )
    return {str(value): int(row_id) for value, row_id in rows}


def _listings_showing(session: Session, urls: list[str]) -> list[tuple[int, str]]:
    """(listing, URL) for every listing that shows one of ``urls``, by the URL index."""
    by_key = {url_key(url): url for url in urls}
    rows = session.execute(
        select(ListingImageRow.listing_id, ListingImageRow.url_sha256, ListingImageRow.url)
        .where(ListingImageRow.url_sha256.in_(by_key))
        .order_by(ListingImageRow.listing_id)
    )
    # The key found the row; the URL itself is compared too, so the answer never rests on
    # the hash alone.
    return [(int(listing), url) for listing, key, url in rows if by_key.get(key) == url]
