"""Hashed images, their bank matches and their ``image_pdq`` identifiers, stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from netpatrol.store.schema import (
    IdentifierMentionRow,
    IdentifierRow,
    ImageRow,
    ListingRow,
    MatchRow,
)
from netpatrol.store.store import Store, now

if TYPE_CHECKING:  # the store stays importable without the imaging libraries loaded
    from netpatrol.media.hashing import ImageHashes
    from netpatrol.media.matching import MatchResult

IMAGE_PDQ = "image_pdq"
MIN_PDQ_QUALITY = 50  # below, a near-uniform image: its PDQ matches too much to cluster


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


def attach_image_identifiers(store: Store, clusters_by_url: dict[str, str]) -> int:
    """``image_pdq`` identifiers for every listing that shows one of these image URLs,
    whenever it was scanned; returns the mentions added."""
    added = 0
    with store.session() as session, session.begin():
        for url, cluster in clusters_by_url.items():
            identifier_id = _identifier_id(session, cluster)
            for listing_id in _listings_showing(session, url):
                exists = session.scalar(
                    select(IdentifierMentionRow.id).where(
                        IdentifierMentionRow.identifier_id == identifier_id,
                        IdentifierMentionRow.listing_id == listing_id,
                        IdentifierMentionRow.context == url,
                    )
                )
                if exists is None:
                    session.add(
                        IdentifierMentionRow(
                            identifier_id=identifier_id, listing_id=listing_id, context=url
                        )
                    )
                    added += 1
    return added


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


def _identifier_id(session: Session, cluster: str) -> int:
    row_id = session.scalar(
        select(IdentifierRow.id).where(
            IdentifierRow.kind == IMAGE_PDQ, IdentifierRow.value == cluster
        )
    )
    if row_id is not None:
        return int(row_id)
    row = IdentifierRow(kind=IMAGE_PDQ, value=cluster)
    session.add(row)
    session.flush()
    return row.id


def _listings_showing(session: Session, url: str) -> list[int]:
    # The images column is a JSON list of URLs: a text search, then an exact check.
    candidates = session.execute(
        select(ListingRow.id, ListingRow.images).where(
            cast(ListingRow.images, String).contains(url)
        )
    )
    return [int(i) for i, images in candidates if isinstance(images, list) and url in images]
