"""Link: networks get their summary, size, time span and life; page templates cached.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column("size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="active", nullable=False)
        )
        batch_op.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
    op.create_table(
        "page_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_page_templates_capture_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_page_templates_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_templates")),
        sa.UniqueConstraint("capture_id", name=op.f("uq_page_templates_capture_id")),
    )
    with op.batch_alter_table("page_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_templates_site_id"), ["site_id"], unique=False)


def downgrade() -> None:
    op.drop_table("page_templates")
    with op.batch_alter_table("networks", schema=None) as batch_op:
        for column in (
            "merged_into",
            "status",
            "updated_at",
            "last_seen",
            "first_seen",
            "size",
            "summary",
        ):
            batch_op.drop_column(column)
