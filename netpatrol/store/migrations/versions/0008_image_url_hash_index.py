"""Image URLs indexed by hash on PostgreSQL: a btree entry is limited to ~2.7 kB.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite has no such limit (and no hash index): its btree index stays.
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_images_url", table_name="images")
    op.create_index("ix_images_url", "images", ["url"], postgresql_using="hash")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_images_url", table_name="images")
    op.create_index("ix_images_url", "images", ["url"])
