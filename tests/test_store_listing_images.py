"""``listing_images``: the image URLs of stored listings, indexed, and the ``image_pdq``
identifiers linking finds through it, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime

from sqlalchemy import select
from store_fixtures import make_capture

from netpatrol.model import Listing
from netpatrol.store import Store
from netpatrol.store.images import IMAGE_PDQ, attach_image_identifiers, image_clusters_for
from netpatrol.store.listings import save_scan
from netpatrol.store.schema import (
    CaptureRow,
    IdentifierMentionRow,
    IdentifierRow,
    ImageRow,
    ListingImageRow,
    ListingRow,
)

PHOTO = "https://cdn.example.net/p/1.jpg"


def _long_url(length: int) -> str:
    # Random characters: PostgreSQL compresses an index entry first, so a repetitive URL
    # would fit in a btree entry and prove nothing.
    rng = random.Random(1)
    tail = "".join(rng.choices(string.ascii_letters + string.digits, k=length))
    return f"https://cdn.example.net/signed?token={tail}"


def _store_listings(store: Store, shown: list[tuple[str, ...]]) -> list[int]:
    """One listing a capture, showing these images; the listings' ids, in order."""
    captures = [make_capture(n) for n in range(len(shown))]
    store.add_captures(None, captures)
    with store.engine.connect() as connection:
        ids = dict(connection.execute(select(CaptureRow.key, CaptureRow.id)).all())
    save_scan(
        store,
        [
            (ids[c.key], [Listing("Stuffed hawk", "taxidermy", c.url, images=images)])
            for c, images in zip(captures, shown, strict=True)
        ],
    )
    with store.engine.connect() as connection:
        return list(connection.scalars(select(ListingRow.id).order_by(ListingRow.capture_id)))


def _mentioned(store: Store, cluster: str) -> set[tuple[int, str | None]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(IdentifierMentionRow.listing_id, IdentifierMentionRow.context)
            .join(IdentifierRow, IdentifierRow.id == IdentifierMentionRow.identifier_id)
            .where(IdentifierRow.kind == IMAGE_PDQ, IdentifierRow.value == cluster)
        )
        return {(int(listing), context) for listing, context in rows}


def test_a_stored_listing_is_found_by_its_image_url(store: Store) -> None:
    long = _long_url(3_500)
    first, second, third = _store_listings(
        store, [(PHOTO, long, PHOTO), (long,), (PHOTO + "?v=2",)]
    )
    with store.engine.connect() as connection:
        stored = connection.execute(
            select(ListingImageRow.listing_id, ListingImageRow.url).order_by(ListingImageRow.id)
        ).all()
    assert [tuple(r) for r in stored] == [
        (first, PHOTO),  # each URL once a listing
        (first, long),
        (second, long),
        (third, PHOTO + "?v=2"),
    ]

    assert attach_image_identifiers(store, {PHOTO: "a" * 64, long: "b" * 64}) == 3
    assert _mentioned(store, "a" * 64) == {(first, PHOTO)}  # not the URL it is a prefix of
    assert _mentioned(store, "b" * 64) == {(first, long), (second, long)}
    assert attach_image_identifiers(store, {PHOTO: "a" * 64, long: "b" * 64}) == 0


def test_an_image_no_listing_shows_links_nothing(store: Store) -> None:
    _store_listings(store, [(PHOTO,)])
    assert attach_image_identifiers(store, {"https://elsewhere.example/x.jpg": "c" * 64}) == 0


def test_an_image_with_a_very_long_url_is_stored_and_found(store: Store) -> None:
    """PostgreSQL indexes images.url by hash (migration 0008): a btree entry over ~2.7 kB
    would make the insert fail."""
    url = _long_url(3500)
    capture = make_capture(0)
    store.add_captures(None, [capture])
    with store.session() as session, session.begin():
        capture_id = session.scalar(select(CaptureRow.id))
        session.add(
            ImageRow(capture_id=capture_id, url=url, md5="0" * 32, sha256="1" * 64,
                     pdq_cluster="f" * 64, quarantined=False,
                     created_at=datetime.now(UTC))
        )  # fmt: skip
    assert image_clusters_for(store, [url, PHOTO]) == {url: "f" * 64}
