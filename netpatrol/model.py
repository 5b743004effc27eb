"""The domain records that stages pass to each other. Plain data, no I/O."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Literal

Category = Literal["wildlife", "medicine", "counterfeit", "drugs", "weapons", "benign"]
CATEGORIES: tuple[Category, ...] = (
    "wildlife",
    "medicine",
    "counterfeit",
    "drugs",
    "weapons",
    "benign",
)

RecordType = Literal["response", "resource", "revisit", "ad", "quarantined"]


@dataclass(frozen=True)
class EvidenceRef:
    """Where a capture's bytes live: one record of a WARC file under the evidence folder."""

    file: str  # relative to the evidence folder, POSIX separators
    offset: int
    length: int


@dataclass
class Capture:
    """One fetched or imported document, kept as evidence.

    ``payload`` is the body (HTML, JSON of an ad row); it is not kept in the database,
    only in the WARC evidence that ``evidence`` points to.
    """

    url: str | None
    record_type: RecordType
    payload: bytes
    captured_at: datetime | None = None
    content_type: str | None = None
    http_status: int | None = None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    warc_record_id: str | None = None
    declared_digest: str | None = None
    evidence: EvidenceRef | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    payload_sha256: str = ""

    def __post_init__(self) -> None:
        if not self.payload_sha256:
            self.payload_sha256 = hashlib.sha256(self.payload).hexdigest()

    @cached_property
    def key(self) -> str:
        """Identity: the same URL, capture time and payload is the same capture."""
        when = self.captured_at.isoformat() if self.captured_at else ""
        raw = f"{self.record_type}\x1f{self.url or ''}\x1f{when}\x1f{self.payload_sha256}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Identifier:
    """A normalised identifier that can tie listings together (e-mail, wallet, phone...)."""

    kind: str
    value: str


@dataclass(frozen=True)
class IdentifierMention:
    """An identifier as found: its raw text and character span in the text searched."""

    identifier: Identifier
    raw: str
    start: int
    end: int


@dataclass(frozen=True)
class Listing:
    """An offer found in a capture: one ad, one product page, one card of a result page."""

    title: str | None
    text: str | None
    url: str | None = None
    language: str | None = None
    price: float | None = None
    currency: str | None = None
    price_eur: float | None = None
    quantity: float | None = None
    unit: str | None = None
    seller: str | None = None
    location: str | None = None
    images: tuple[str, ...] = ()
    identifiers: tuple[IdentifierMention, ...] = ()
    structured: dict[str, Any] = field(default_factory=dict)
    position: int = 0


@dataclass(frozen=True)
class EvidenceSpan:
    """A piece of matched evidence for a detection."""

    kind: str
    text: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Detection:
    """What a detector decided about a listing, and why."""

    detector: str
    category: Category
    score: float
    labels: tuple[str, ...] = ()
    evidence: tuple[EvidenceSpan, ...] = ()
    version: str = ""


@dataclass(frozen=True)
class Site:
    """A registered domain (or onion service) that hosts captures."""

    domain: str
    host: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class NetworkEdge:
    """A link between two members, of one kind, with its evidence."""

    a: str
    b: str
    kind: str
    strength: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Network:
    """Sites, sellers and accounts joined by shared identifiers, images or text."""

    name: str
    members: tuple[str, ...]
    edges: tuple[NetworkEdge, ...] = ()
    score: float = 0.0


@dataclass(frozen=True)
class Operation:
    """A named patrol operation (e.g. a Pangea week) and its time frame."""

    name: str
    description: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Referral:
    """A package of findings sent to one recipient who can act on them."""

    operation: str
    recipient: str
    recipient_kind: str
    country: str | None = None
    status: str = "draft"


@dataclass(frozen=True)
class HashBank:
    """A named list of image hashes; sensitive banks quarantine what they match."""

    name: str
    hash_type: str
    sensitive: bool = False
    source: str | None = None


@dataclass(frozen=True)
class Match:
    """An image that matched a hash bank entry."""

    bank: str
    hash_type: str
    hash_value: str
    image_url: str | None
    distance: int
    quarantined: bool
