"""Who can act on a finding, and the packages that follow: pure, no I/O.

The rules, in the order packages are listed:

* **platform**: a listing on a known marketplace goes to its operator (notice URL from
  ``knowledge.platforms``). Its host and registrar are not asked: the platform is.
* **host** and **registrar**: a listing on a stand-alone site goes to the network that
  hosted it at capture time (its AS name) and to the registrar of its domain (with the
  RDAP abuse address, when an RDAP record was imported).
* **payment**: a ``paypal`` identifier goes to PayPal; an ``iban`` to the banks of the
  IBAN's country (the bank itself cannot be named offline). Crypto wallets go nowhere:
  an unhosted wallet has no intermediary, and the exchange behind a hosted one is not
  known offline; they are listed in every notice instead.
* **authorities**: for each country of the finding (platform operator's, ccTLD's, the
  seller's declared one, and the hosting country of a stand-alone site), every row of
  the recipients table of that country that names the finding's category; when none
  does, the rows of that country that take every category; when there are none, a
  generic "competent authority" of that country for the category (police, customs,
  medicines regulator or wildlife authority), with no contact.

A table row of kind host / registrar / platform / payment replaces the generic one when
its key or name matches (so contacts entered once are used from then on).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from netpatrol.act.jurisdiction import SiteFacts
from netpatrol.act.recipients import AUTHORITY_KINDS, Recipient
from netpatrol.report.data import Finding

# The kind of authority a category goes to when the table has no row for the country.
CATEGORY_AUTHORITY = {
    "wildlife": "wildlife_authority",
    "medicine": "medicines_regulator",
    "counterfeit": "customs",
    "drugs": "police",
    "weapons": "police",
}
KIND_LABELS = {
    "police": "police",
    "customs": "customs",
    "medicines_regulator": "medicines regulator",
    "wildlife_authority": "wildlife / CITES authority",
}
ORDER = ("platform", "host", "registrar", "payment", *AUTHORITY_KINDS)
# Countries whose generic recipients get French notices (the templates are en and fr).
FRENCH = {"FR", "MC"}


class PlatformLike(Protocol):
    """What routing reads of ``knowledge.platforms.Platform``."""

    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str | None: ...
    @property
    def notice_url(self) -> str | None: ...


PlatformLookup = Callable[[str], PlatformLike | None]


@dataclass(frozen=True)
class Route:
    recipient: Recipient
    reason: str  # why this recipient can act: "hosting country", "platform operator"...


@dataclass
class PackagePlan:
    """The findings one recipient receives, and why each was routed there."""

    recipient: Recipient
    findings: list[Finding] = field(default_factory=list)
    reasons: dict[int, list[str]] = field(default_factory=dict)  # listing id -> reasons


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "recipient"


def no_platforms(_domain: str) -> PlatformLike | None:
    return None


def shipped_platforms(domain: str) -> PlatformLike | None:
    """The shipped table of marketplaces (``knowledge.platforms``)."""
    from netpatrol.knowledge.platforms import platform_of

    return platform_of(domain)


def route_finding(
    finding: Finding,
    facts: SiteFacts | None,
    table: Sequence[Recipient],
    platforms: PlatformLookup = no_platforms,
) -> list[Route]:
    """Every recipient that can act on one finding (one route per recipient)."""
    routes: list[Route] = []
    domain = finding.site or (facts.domain if facts else None)
    platform_name = finding.platform or (facts.platform if facts else None)
    if platform_name:
        known = platforms(domain) if domain else None
        country = (known.country if known else None) or (facts.platform_country if facts else None)
        generic = Recipient(
            key=f"platform-{slug(platform_name)}",
            kind="platform",
            name=f"platform: {platform_name}",
            country=country,
            language=_language(country),
            contact=known.notice_url if known else None,
            generic=True,
        )
        routes.append(Route(_known(generic, table, platform_name), "platform operator"))
    elif facts is not None:
        routes.extend(_infrastructure(facts, table))
    routes.extend(_payments(finding, table))
    routes.extend(_authorities(finding, table, on_platform=bool(platform_name)))
    unique: dict[str, Route] = {}
    for route in routes:
        unique.setdefault(route.recipient.key, route)
    return list(unique.values())


def plan_packages(
    findings: Iterable[Finding],
    facts: Mapping[str, SiteFacts],
    table: Sequence[Recipient],
    platforms: PlatformLookup = no_platforms,
) -> list[PackagePlan]:
    """Findings grouped per recipient; ``facts``: by domain. Platforms, hosts, registrars
    and payment providers first, then authorities, each by country and name."""
    plans: dict[str, PackagePlan] = {}
    for finding in findings:
        for route in route_finding(finding, facts.get(finding.site or ""), table, platforms):
            plan = plans.setdefault(route.recipient.key, PackagePlan(route.recipient))
            if finding.listing_id not in plan.reasons:
                plan.findings.append(finding)
            plan.reasons.setdefault(finding.listing_id, []).append(route.reason)
    return sorted(
        plans.values(),
        key=lambda p: (ORDER.index(p.recipient.kind), p.recipient.country or "", p.recipient.name),
    )


def _infrastructure(facts: SiteFacts, table: Sequence[Recipient]) -> list[Route]:
    routes = []
    if facts.hosting_network:
        where = f" ({facts.hosting_country})" if facts.hosting_country else ""
        host = Recipient(
            key=f"host-{slug(facts.hosting_network)}",
            kind="host",
            name=f"host: {facts.hosting_network}{where}",
            country=facts.hosting_country,
            language=_language(facts.hosting_country),
            generic=True,
        )
        routes.append(Route(_known(host, table, facts.hosting_network), "hosting network"))
    if facts.registrar:
        registrar = Recipient(
            key=f"registrar-{slug(facts.registrar)}",
            kind="registrar",
            name=f"registrar: {facts.registrar}",
            country=facts.registrar_country,
            language=_language(facts.registrar_country),
            contact=facts.registrar_abuse_email,
            generic=True,
        )
        routes.append(Route(_known(registrar, table, facts.registrar), "domain registrar"))
    return routes


def _payments(finding: Finding, table: Sequence[Recipient]) -> list[Route]:
    routes = []
    for kind, value in finding.identifiers:
        if kind == "paypal":
            paypal = Recipient(
                key="payment-paypal", kind="payment", name="payment: PayPal", country=None,
                generic=True,
            )  # fmt: skip
            routes.append(Route(_known(paypal, table, "PayPal"), f"PayPal account {value}"))
        elif kind == "iban" and len(value) > 2 and value[:2].isalpha():
            country = value[:2].upper()
            bank = Recipient(
                key=f"payment-iban-{country.lower()}",
                kind="payment",
                name=f"payment: banks holding IBAN accounts of {country}",
                country=country,
                language=_language(country),
                generic=True,
            )
            routes.append(Route(_known(bank, table, bank.name), f"bank account {value}"))
    return routes


def _authorities(finding: Finding, table: Sequence[Recipient], on_platform: bool) -> list[Route]:
    where = finding.jurisdiction
    countries: dict[str, list[str]] = {}
    named = [
        (where.platform, "platform operator's country"),
        (where.cctld, "country of the domain (ccTLD)"),
        (where.seller, "seller's declared country"),
        (None if on_platform else where.hosting, "hosting country"),
    ]
    for country, why in named:
        if country:
            countries.setdefault(country.upper(), []).append(why)
    routes = []
    for country, whys in countries.items():
        reason = ", ".join(whys)
        for recipient in _authorities_of(country, finding.category, table):
            routes.append(Route(recipient, reason))
    return routes


def _authorities_of(country: str, category: str, table: Sequence[Recipient]) -> list[Recipient]:
    rows = [r for r in table if r.kind in AUTHORITY_KINDS and r.country == country]
    specific = [r for r in rows if category in r.categories]
    if specific:
        return specific
    catch_all = [r for r in rows if not r.categories]
    if catch_all:
        return catch_all
    kind = CATEGORY_AUTHORITY.get(category, "police")
    return [
        Recipient(
            key=f"authority-{country.lower()}-{kind.replace('_', '-')}",
            kind=kind,
            name=f"competent {KIND_LABELS[kind]} of {country}",
            country=country,
            categories=(category,),
            language=_language(country),
            generic=True,
        )
    ]


def _known(generic: Recipient, table: Sequence[Recipient], name: str) -> Recipient:
    """The table's row for a generic recipient (same key, or same kind and name)."""
    wanted = {generic.key, name.casefold(), generic.name.casefold()}
    for row in table:
        if row.kind == generic.kind and (row.key in wanted or row.name.casefold() in wanted):
            return row
    return generic


def _language(country: str | None) -> str:
    return "fr" if country in FRENCH else "en"
