"""Which countries can act on a finding: pure, from facts stored at capture / import time.

A site's facts (hosting IP and its country, ccTLD, platform operator, registrar) are
computed once per site by ``netpatrol.store.jurisdictions``; a listing adds its seller's
declared location. The country a finding is counted under, for the press-release figures:
the platform operator's country for a listing on a known marketplace (the IFAW surveys
count by platform), else the ccTLD's, else the seller's declared location, else the
hosting country.
"""

from __future__ import annotations

from dataclasses import dataclass

from netpatrol.act.places import country_of_place
from netpatrol.extract.country import country_of
from netpatrol.report.data import Jurisdiction


@dataclass(frozen=True)
class SiteFacts:
    """What is known of one site (registered domain) for routing and figures."""

    domain: str
    ip_address: str | None = None
    hosting_country: str | None = None
    hosting_network: str | None = None
    geoip_source: str | None = None
    cctld_country: str | None = None
    platform: str | None = None
    platform_country: str | None = None
    registrar: str | None = None
    registrar_country: str | None = None
    registrar_abuse_email: str | None = None


def jurisdiction_of(facts: SiteFacts | None, url: str | None, location: str | None) -> Jurisdiction:
    """The countries of one listing: its site's facts plus the seller's declared place."""
    cctld = (facts.cctld_country if facts else None) or country_of(url)
    seller = country_of_place(location) if location else None
    platform = facts.platform_country if facts else None
    hosting = facts.hosting_country if facts else None
    return Jurisdiction(
        country=platform or cctld or seller or hosting,
        hosting=hosting,
        hosting_network=facts.hosting_network if facts else None,
        cctld=cctld,
        seller=seller,
        platform=platform,
        registrar=facts.registrar_country if facts else None,
    )
