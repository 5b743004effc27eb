"""Listing images: the image URLs of every listing in an indexed table, for linking.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 1000  # listings read, and rows inserted, at a time: memory stays flat on any store

# Frozen copies of the two tables as this revision knows them (the models move on).
LISTINGS = sa.table("listings", sa.column("id", sa.Integer()), sa.column("images", sa.JSON()))
LISTING_IMAGES = sa.table(
    "listing_images",
    sa.column("listing_id", sa.Integer()),
    sa.column("url_sha256", sa.String(64)),
    sa.column("url", sa.Text()),
)


def upgrade() -> None:
    op.create_table(
        "listing_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name=op.f("fk_listing_images_listing_id_listings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_images")),
        sa.UniqueConstraint("listing_id", "url_sha256", name=op.f("uq_listing_images_listing_id")),
    )
    with op.batch_alter_table("listing_images", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_listing_images_url_sha256"), ["url_sha256"], unique=False
        )
    _backfill(op.get_bind())


def _backfill(connection: sa.Connection) -> None:
    """Every stored listing's images, read by id ranges (keyset, no offset: each batch
    costs the same however far in) and inserted a batch at a time."""
    last = 0
    while True:
        batch = connection.execute(
            sa.select(LISTINGS.c.id, LISTINGS.c.images)
            .where(LISTINGS.c.id > last, LISTINGS.c.images.is_not(None))
            .order_by(LISTINGS.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        rows = [row for listing_id, images in batch for row in _rows(listing_id, images)]
        if rows:
            connection.execute(sa.insert(LISTING_IMAGES), rows)
        last = batch[-1][0]


def _rows(listing_id: int, images: Any) -> list[dict[str, Any]]:
    # The same rows ``netpatrol.store.images.listing_image_rows`` writes; copied, not
    # imported, so that this revision keeps doing what it did when the code moves on.
    if not isinstance(images, list):
        return []
    urls = dict.fromkeys(u for u in images if isinstance(u, str) and u)
    return [
        {
            "listing_id": listing_id,
            "url_sha256": hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest(),
            "url": url,
        }
        for url in urls
    ]


def downgrade() -> None:
    op.drop_table("listing_images")
