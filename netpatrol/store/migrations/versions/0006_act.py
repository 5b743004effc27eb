"""Act and report: referral items, jurisdictions, operation countries, findings-log origin.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("countries", sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column("created_at", DATETIME, nullable=True))
    with op.batch_alter_table("operation_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("source_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("source_line", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_operation_log_operation_id"),
            ["operation_id", "source_sha256", "source_line"],
        )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("sent_at", DATETIME, nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", DATETIME, nullable=True))
        batch_op.add_column(sa.Column("recipient_key", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("contact", sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_referrals_recipient_key"), ["recipient_key"], unique=False
        )
    _create_referral_items()
    _create_jurisdictions()


def _create_referral_items() -> None:
    op.create_table(
        "referral_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="online", nullable=False),
        sa.Column("removed_at", DATETIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name=op.f("fk_referral_items_referral_id_referrals")
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name=op.f("fk_referral_items_listing_id_listings")
        ),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_referral_items_capture_id_captures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_items")),
        sa.UniqueConstraint(
            "referral_id", "url_sha256", name=op.f("uq_referral_items_referral_id")
        ),
    )
    with op.batch_alter_table("referral_items", schema=None) as batch_op:
        for column in ("referral_id", "listing_id", "capture_id"):
            batch_op.create_index(batch_op.f(f"ix_referral_items_{column}"), [column])


def _create_jurisdictions() -> None:
    op.create_table(
        "jurisdictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("hosting_country", sa.String(length=2), nullable=True),
        sa.Column("hosting_network", sa.Text(), nullable=True),
        sa.Column("geoip_source", sa.Text(), nullable=True),
        sa.Column("cctld_country", sa.String(length=2), nullable=True),
        sa.Column("platform", sa.String(length=128), nullable=True),
        sa.Column("platform_country", sa.String(length=2), nullable=True),
        sa.Column("registrar", sa.Text(), nullable=True),
        sa.Column("registrar_country", sa.String(length=2), nullable=True),
        sa.Column("registrar_abuse_email", sa.Text(), nullable=True),
        sa.Column("registrar_source", sa.Text(), nullable=True),
        sa.Column("updated_at", DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_jurisdictions_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jurisdictions")),
        sa.UniqueConstraint("site_id", name=op.f("uq_jurisdictions_site_id")),
    )


def downgrade() -> None:
    op.drop_table("jurisdictions")
    op.drop_table("referral_items")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_recipient_key"))
        for column in ("contact", "recipient_key", "acknowledged_at", "sent_at", "language"):
            batch_op.drop_column(column)
    with op.batch_alter_table("operation_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_operation_log_operation_id"), type_="unique")
        for column in ("source_line", "source_sha256", "category"):
            batch_op.drop_column(column)
    with op.batch_alter_table("operations", schema=None) as batch_op:
        for column in ("created_at", "countries"):
            batch_op.drop_column(column)
