"""Hash banks get a match threshold and a negative flag; bank hashes keep metadata.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hash_banks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("threshold", sa.Integer(), nullable=True))
        # A server default so that banks created before this migration read as positive.
        batch_op.add_column(
            sa.Column("negative", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("bank_hashes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meta", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bank_hashes", schema=None) as batch_op:
        batch_op.drop_column("meta")
    with op.batch_alter_table("hash_banks", schema=None) as batch_op:
        batch_op.drop_column("negative")
        batch_op.drop_column("threshold")
