"""SQLAlchemy tables of the store. Changes go through an Alembic migration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite drops the zone, PostgreSQL keeps it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SourceRow(Base):
    """One imported file (or crawl run): progress and outcome, for resuming."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    importer: Mapped[str] = mapped_column(String(32))
    # Fingerprint of the importer and its options: the same file read with another
    # --format or --map is read again.
    options: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    evidence_file: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="running")
    records: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SiteRow(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    country: Mapped[str | None] = mapped_column(String(2))
    first_seen: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CaptureRow(Base):
    """A document kept as evidence; its bytes live in a WARC record."""

    __tablename__ = "captures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    record_type: Mapped[str] = mapped_column(String(16))
    captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    content_type: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    http_headers: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    request_headers: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    warc_record_id: Mapped[str | None] = mapped_column(Text)
    declared_digest: Mapped[str | None] = mapped_column(Text, index=True)
    payload_sha256: Mapped[str] = mapped_column(String(64), index=True)
    payload_length: Mapped[int] = mapped_column(BigInteger)
    evidence_file: Mapped[str] = mapped_column(Text)
    evidence_offset: Mapped[int] = mapped_column(BigInteger)
    evidence_length: Mapped[int] = mapped_column(BigInteger)
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime())
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ListingRow(Base):
    __tablename__ = "listings"
    __table_args__ = (UniqueConstraint("capture_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    price_eur: Mapped[float | None] = mapped_column(Float)
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(32))
    seller: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    images: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    structured: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class ListingImageRow(Base):
    """An image URL a listing shows (``listings.images`` unpacked): linking finds the
    listings that show an image by an index, not by reading every listing's JSON."""

    __tablename__ = "listing_images"
    __table_args__ = (UniqueConstraint("listing_id", "url_sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    # Indexed by the URL's SHA-256, never the URL: a PostgreSQL btree entry holds at most
    # ~2.7 kB and image URLs can be longer (data: URLs, signed CDN links). Readers compare
    # ``url`` itself too. SHA-256, not SHA-1: the unique key must not be forgeable.
    url_sha256: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)


class IdentifierRow(Base):
    __tablename__ = "identifiers"
    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(512))


class IdentifierMentionRow(Base):
    __tablename__ = "identifier_mentions"
    __table_args__ = (UniqueConstraint("identifier_id", "listing_id", "start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifier_id: Mapped[int] = mapped_column(ForeignKey("identifiers.id"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    context: Mapped[str | None] = mapped_column(Text)


class DetectionRow(Base):
    __tablename__ = "detections"
    __table_args__ = (UniqueConstraint("listing_id", "detector"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    detector: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(16), index=True)
    score: Mapped[float] = mapped_column(Float)
    labels: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    evidence: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NetworkRow(Base):
    __tablename__ = "networks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Written by ``netpatrol link`` (migration 0005): the network as ``networks --json``
    # shows it, and its life: "active", "merged" (into ``merged_into``) or "gone".
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    size: Mapped[int | None] = mapped_column(Integer)
    first_seen: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    merged_into: Mapped[int | None] = mapped_column(Integer)


class NetworkMemberRow(Base):
    __tablename__ = "network_members"
    __table_args__ = (UniqueConstraint("network_id", "member"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"), index=True)
    member: Mapped[str] = mapped_column(String(512))


class NetworkEdgeRow(Base):
    __tablename__ = "network_edges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"), index=True)
    a: Mapped[str] = mapped_column(String(512))
    b: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(32))
    strength: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))


class OperationRow(Base):
    __tablename__ = "operations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Migration 0006: the ISO 3166 alpha-2 countries taking part (None: all) and when the
    # operation was created.
    countries: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OperationLogRow(Base):
    """Offline findings of an operation: parcels inspected, seizures, arrests."""

    __tablename__ = "operation_log"
    # A CSV line is imported once, even by two imports racing (NULLs: rows typed by hand).
    __table_args__ = (UniqueConstraint("operation_id", "source_sha256", "source_line"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    count: Mapped[float | None] = mapped_column(Float)
    value_eur: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(2))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Migration 0006: the finding's category (drugs, wildlife...) and where the row came
    # from (the CSV's SHA-256 and line): importing the same file again adds nothing.
    category: Mapped[str | None] = mapped_column(String(16))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    source_line: Mapped[int | None] = mapped_column(Integer)


class ReferralRow(Base):
    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(255))
    recipient_kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))
    package_path: Mapped[str | None] = mapped_column(Text)
    package_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Migration 0006: the notice's language, when it was sent / acknowledged, the
    # recipient's key in the recipients table and its contact.
    language: Mapped[str | None] = mapped_column(String(8))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recipient_key: Mapped[str | None] = mapped_column(String(128), index=True)
    contact: Mapped[str | None] = mapped_column(Text)


class ReferralItemRow(Base):
    """One finding (a listing, or a site's page) in a referral package, and its fate."""

    __tablename__ = "referral_items"
    # Keyed by the URL's SHA-256: PostgreSQL refuses index entries over ~2.7 kB, and a
    # listing URL with tracking parameters can be longer.
    __table_args__ = (UniqueConstraint("referral_id", "url_sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id"), index=True)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    url_sha256: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(16))
    # "online" until a recheck (or the analyst) finds it "removed" or "seized".
    status: Mapped[str] = mapped_column(String(16), default="online", server_default="online")
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class JurisdictionRow(Base):
    """Who can act on a site: hosting, ccTLD, platform operator and registrar countries.

    Computed from what was stored at capture time (the IP address the crawler connected
    to, the WARC-IP-Address of an import) and imported RDAP / WHOIS records; never from a
    DNS lookup at report time.
    """

    __tablename__ = "jurisdictions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), unique=True)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    hosting_country: Mapped[str | None] = mapped_column(String(2))
    hosting_network: Mapped[str | None] = mapped_column(Text)  # AS name of the IP
    geoip_source: Mapped[str | None] = mapped_column(Text)  # database and its date
    cctld_country: Mapped[str | None] = mapped_column(String(2))
    platform: Mapped[str | None] = mapped_column(String(128))
    platform_country: Mapped[str | None] = mapped_column(String(2))
    registrar: Mapped[str | None] = mapped_column(Text)
    registrar_country: Mapped[str | None] = mapped_column(String(2))
    registrar_abuse_email: Mapped[str | None] = mapped_column(Text)
    registrar_source: Mapped[str | None] = mapped_column(Text)  # file it was imported from
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HashBankRow(Base):
    __tablename__ = "hash_banks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    hash_type: Mapped[str] = mapped_column(String(16))
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Largest distance that is a match; NULL: the kind's default (netpatrol.store.banks).
    threshold: Mapped[int | None] = mapped_column(Integer)
    # Known false positives (stock photos, logos): their matches suppress other banks'.
    negative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class BankHashRow(Base):
    __tablename__ = "bank_hashes"
    __table_args__ = (UniqueConstraint("bank_id", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("hash_banks.id"), index=True)
    value: Mapped[str] = mapped_column(String(128))
    label: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class ImageRow(Base):
    """An image capture, hashed: the hashes, never the pixels (those stay in the evidence,
    or nowhere for a quarantined image)."""

    __tablename__ = "images"
    # A hash index on PostgreSQL (migration 0008): a btree entry is limited to ~2.7 kB and
    # an image URL can be longer; lookups by URL are equality only.
    __table_args__ = (Index("ix_images_url", "url", postgresql_using="hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    md5: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdq: Mapped[str | None] = mapped_column(String(64), index=True)
    pdq_quality: Mapped[int | None] = mapped_column(Integer)
    phash: Mapped[str | None] = mapped_column(String(16))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    # The cluster of near-duplicates (PDQ distance <= 31) it belongs to: the PDQ of the
    # first image of the cluster, the value of its ``image_pdq`` identifier.
    pdq_cluster: Mapped[str | None] = mapped_column(String(64), index=True)
    error: Mapped[str | None] = mapped_column(Text)  # why it could not be decoded
    quarantined: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MatchRow(Base):
    __tablename__ = "matches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_hash_id: Mapped[int] = mapped_column(ForeignKey("bank_hashes.id"), index=True)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"), index=True)
    image_url: Mapped[str | None] = mapped_column(Text)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    distance: Mapped[int] = mapped_column(Integer)
    quarantined: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventRow(Base):
    """Audit log: who did what to which record, when."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_subject", "subject_kind", "subject_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject_kind: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class PageTemplateRow(Base):
    """A page's template fingerprint (MinHash of its tag paths), computed once by
    ``netpatrol link`` from the evidence; NULL signature: no template to tell."""

    __tablename__ = "page_templates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
