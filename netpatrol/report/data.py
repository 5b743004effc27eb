"""What a report holds: plain records built from the store by ``report.collect`` and
written by one writer per format (HTML, CSV, JSON, STIX 2.1, MISP). No I/O here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

SPECIMEN_UNITS = {"specimen", "item", None}  # quantities that count specimens


def specimens_of(quantity: float | None, unit: str | None) -> int | None:
    """The specimens a listing states ("3 pcs", "a pair"); None when it states no count of
    items ("100 tablets" is one listing of a medicine, "1 kg" one lot of scales)."""
    if quantity is not None and quantity >= 1 and unit in SPECIMEN_UNITS:
        return int(quantity)
    return None


UNKNOWN = "unknown"  # the key of a breakdown row for findings with no value (no country...)


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of matched evidence of a detection (a cue word, a taxon, a brand...)."""

    kind: str
    text: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Jurisdiction:
    """The countries (ISO 3166 alpha-2) that can act on a finding, and why."""

    country: str | None  # the one the finding is counted under (first known below)
    hosting: str | None = None  # IP stored at capture time -> country (GeoIP)
    hosting_network: str | None = None  # AS name of that IP
    cctld: str | None = None
    seller: str | None = None  # seller-declared location / ships-from
    platform: str | None = None  # the marketplace operator's country
    registrar: str | None = None  # from imported RDAP / WHOIS


@dataclass(frozen=True)
class Finding:
    """A listing detected as illicit trade (category other than benign), with its evidence."""

    listing_id: int
    capture_id: int
    url: str | None
    site: str | None  # registered domain (or onion service)
    platform: str | None  # marketplace name when the site is a known platform
    title: str | None
    category: str
    score: float
    labels: tuple[str, ...]
    evidence: tuple[EvidenceItem, ...]
    price: float | None
    currency: str | None
    price_eur: float | None
    quantity: float | None  # specimens / items; None when the listing does not say
    unit: str | None
    seller: str | None
    location: str | None
    jurisdiction: Jurisdiction
    species: tuple[str, ...]  # CITES taxa named by the wildlife labels
    appendices: tuple[str, ...]  # "I", "II", "III" of those taxa (2013 checklist)
    captured_at: datetime | None
    sha256: str  # payload SHA-256 of the capture: the evidence's digest
    evidence_file: str  # WARC file (relative to the workspace's evidence folder)
    evidence_offset: int
    warc_record_id: str | None
    status: str  # "online", "removed" or "seized" (crawl --recheck, referral status)
    removed_at: datetime | None
    referrals: tuple[int, ...]  # referral ids holding this finding
    identifiers: tuple[tuple[str, str], ...]  # (kind, value) found in the listing
    networks: tuple[str, ...]  # names of the networks the listing's site/seller is in

    @property
    def specimens(self) -> float:
        """Specimens counted for the figures, as ``stats --wildlife`` counts them: the
        stated quantity when it counts items ("3 pcs", "a pair"), else one ("100 tablets"
        is one listing of a medicine, "1 kg" one lot of scales)."""
        return float(specimens_of(self.quantity, self.unit) or 1)


@dataclass(frozen=True)
class BreakdownRow:
    """One row of a "by country / category / platform / species / appendix" table."""

    key: str
    listings: int
    sites: int
    removed: int
    specimens: float
    value_eur: float


@dataclass(frozen=True)
class SiteSummary:
    domain: str
    country: str | None
    platform: str | None
    listings: int
    removed: int
    categories: tuple[str, ...]
    value_eur: float


@dataclass(frozen=True)
class NetworkEdgeSummary:
    a: str
    b: str
    kind: str  # the kind of link: shared e-mail, wallet, phone, image, template...
    strength: float


@dataclass(frozen=True)
class NetworkSummary:
    name: str
    score: float
    members: tuple[str, ...]  # "site:example.com", "seller:...", "email:..."
    edges: tuple[NetworkEdgeSummary, ...]
    listings: int  # findings whose site or seller is a member


@dataclass(frozen=True)
class ReferralSummary:
    id: int
    recipient: str
    recipient_kind: str  # police, customs, regulator, registrar, host, platform, payment
    country: str | None
    status: str  # draft, sent, acknowledged, removed, refused
    items: int
    removed: int
    created_at: datetime
    sent_at: datetime | None
    takedown_hours: float | None  # median, over the removed items, from sent (else created)
    package: str | None


@dataclass(frozen=True)
class OfflineEntry:
    """A line of the operation's offline findings log (parcels, seizures, arrests...)."""

    kind: str
    count: float | None
    value_eur: float | None
    country: str | None
    category: str | None
    note: str | None
    at: datetime


@dataclass(frozen=True)
class OperationInfo:
    name: str
    description: str | None
    started_at: datetime | None
    ended_at: datetime | None
    countries: tuple[str, ...]  # empty: every country


@dataclass
class ReportData:
    """Everything a report shows; every figure is derived from ``findings`` and the log."""

    title: str
    generated_at: datetime
    version: str  # netpatrol's version
    operation: OperationInfo | None
    sources_note: str  # dates of the reference data: CITES checklist, GeoIP, rates
    totals: dict[str, float]  # sites_identified, listings, listings_removed, specimens,
    # value_eur, referrals, referrals_sent, takedown_median_hours (when known), ...
    by_country: list[BreakdownRow]
    by_category: list[BreakdownRow]
    by_platform: list[BreakdownRow]
    by_species: list[BreakdownRow]
    by_appendix: list[BreakdownRow]
    top_sites: list[SiteSummary]
    top_networks: list[NetworkSummary]
    referrals: list[ReferralSummary]
    offline: list[OfflineEntry]
    offline_totals: dict[str, float]  # kind -> sum of counts
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)  # caveats the reader must see

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (datetimes as ISO 8601 strings)."""
        found: dict[str, Any] = _jsonable(asdict(self))
        return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
