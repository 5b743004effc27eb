"""What linking reads: listings with their seller account and site, identifier mentions,
near-duplicate groups. Plain data; the store fills it (``netpatrol.store.networks``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class Tier(Enum):
    """How much one shared piece of evidence says: strong and medium evidence join
    networks, weak evidence only corroborates members already joined."""

    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


# Identifier kinds by tier. A wallet, bank account, phone, e-mail, payment handle or
# analytics/ad account is controlled by one operator; a reused photo or a link to a
# domain can be copied by anyone, so it counts less.
KIND_TIER: dict[str, Tier] = {
    **{
        k: Tier.STRONG
        for k in (
            "btc",
            "ltc",
            "eth",
            "xmr",
            "iban",
            "paypal",
            "phone",
            "whatsapp",
            "telegram",
            "telegram_invite",
            "email",
            "google_analytics",
            "gtm",
            "adsense",
            "facebook_pixel",
        )
    },
    **{k: Tier.MEDIUM for k in ("image_pdq", "domain", "onion")},
}
# Evidence that is not an identifier of the extraction stage.
TEXT, TEMPLATE, LOCATION, HANDLE = "near_duplicate_text", "site_template", "location", "handle"
KIND_TIER |= {TEXT: Tier.MEDIUM, TEMPLATE: Tier.MEDIUM, LOCATION: Tier.WEAK, HANDLE: Tier.WEAK}
# What sites share as infrastructure, from their captures: a TLS certificate (one issued
# for several domains, or copied between servers) or a favicon says one operator; a
# hosting address says little (shared hosting puts thousands of sites on one).
CERTIFICATE, FAVICON, HOSTING_IP = "tls_certificate", "favicon", "hosting_ip"
KIND_TIER |= {CERTIFICATE: Tier.MEDIUM, FAVICON: Tier.MEDIUM, HOSTING_IP: Tier.WEAK}
# What one piece of evidence of a tier adds to a network's strength (noisy-or).
TIER_WEIGHT = {Tier.STRONG: 0.9, Tier.MEDIUM: 0.6, Tier.WEAK: 0.15}


def tier_of(kind: str) -> Tier:
    """Unknown identifier kinds (plugins) are medium: they join, but weigh less."""
    return KIND_TIER.get(kind, Tier.MEDIUM)


@dataclass(slots=True)
class ListingFact:
    """One stored listing as linking sees it."""

    listing_id: int
    capture_id: int
    site: str | None  # registrable domain (or onion) of the capture
    seller: str | None  # the handle shown on the listing
    location: str | None = None  # ships-from / location as written
    seen: datetime | None = None  # capture time (else when it was stored)
    category: str | None = None  # from detections
    country: str | None = None  # of the site (ccTLD or the sites table)


@dataclass(slots=True)
class SiteShared:
    """A value that several sites show in their captures (a hosting address, a TLS
    certificate, a favicon): ``sites`` (registrable domains, sorted) and, for each, the
    first capture that showed it (capture id, when)."""

    kind: str
    value: str
    sites: list[str]
    captures: list[tuple[int, datetime | None]]


@dataclass
class LinkInput:
    listings: list[ListingFact] = field(default_factory=list)
    # (kind, value) of each identifier; mentions index into it.
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    # (listing index, identifier index) pairs.
    mentions: list[tuple[int, int]] = field(default_factory=list)
    # Groups of listing indexes with near-duplicate text (netpatrol.link.neardup).
    text_groups: list[list[int]] = field(default_factory=list)
    # Groups of sites built on the same page template (netpatrol.link.template).
    template_groups: list[list[str]] = field(default_factory=list)
    # Values shared by two or more sites (netpatrol.store.networks.site_shared).
    site_shared: list[SiteShared] = field(default_factory=list)


@dataclass(frozen=True)
class LinkSettings:
    """``max_holders``: an identifier shared by more principals (accounts, shops) than
    this is a hub. ``platform_share``: one held by this share of a platform's sellers
    (on a platform with at least ``platform_min`` sellers) is the platform's own."""

    max_holders: int = 50
    platform_share: float = 0.3
    platform_min: int = 10
    handle_similarity: float = 90.0  # rapidfuzz ratio of two handles on two platforms
    evidence_examples: int = 5  # listings kept per piece of evidence
