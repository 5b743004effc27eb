"""STIX 2.1 export of a report (``.stix.json``): one bundle, the same ids for the same
findings (SCOs by stix2's id-contributing properties, SDOs/SROs by uuid5 of a stable key).

What each record becomes:

- the producer: an ``identity`` (netpatrol, class ``system``), ``created_by_ref`` everywhere;
- the report: a ``report`` (name = title, published = generated_at, description = operation
  description + sources + caveats) with the ``netpatrol-report`` extension (figures,
  offline log, referrals); its id is stable per operation: a later export is a new version;
- each finding: an ``observed-data`` (first/last observed = capture time) carrying the
  ``netpatrol-finding`` extension, over the listing's ``url``, its site's ``domain-name``
  (onion services too), the seller's ``user-account`` and every identifier's SCO; an
  ``indicator`` on the URL, ``based-on`` the observed-data, with ``labels`` = category +
  detection labels and ``confidence`` = score x 100; ``related-to`` relationships from the
  URL to the site and to each identifier found on the page;
- identifiers: e-mail -> ``email-addr``; phone / WhatsApp -> ``phone-number`` (declared SCO,
  WhatsApp in ``services``); btc/eth/xmr/ltc -> ``cryptocurrency-wallet`` (declared);
  IBAN -> ``bank-account`` (declared); analytics and ad ids -> ``tracking-id`` (declared);
  Telegram / PayPal handles -> ``user-account`` (account_type telegram / paypal); Telegram
  invites -> ``url`` (https://t.me/+HASH); domain / onion -> ``domain-name``; ip -> ``ipv4-addr``
  / ``ipv6-addr``. Indicators too for shop and onion domains, e-mails, phones, wallets and
  IBANs (not for marketplaces: their domain says nothing, nor for outbound domains);
- each network: a ``grouping`` (context ``suspicious-activity``) over its members' SCOs and
  its edges, which are ``related-to`` relationships with the ``netpatrol-link`` extension.

Not expressed, and so returned as warnings: identifiers with no STIX object (``image_pdq``:
a PDQ hash is a perceptual hash of an image, not a file hash; plugin kinds); they stay in the
finding extension's ``identifiers``. Breakdown tables and top lists are not exported: they are
derived from the findings, which all are.
"""

from __future__ import annotations

import ipaddress
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import phonenumbers
from stix2 import v21

from netpatrol.report.data import Finding, NetworkSummary, ReportData
from netpatrol.report.stix_ext import (
    DEFINED,
    FINDING_EXT,
    IDENTITY_ID,
    LINK_EXT,
    NETWORK_EXT,
    REPORT_EXT,
    BankAccount,
    CryptocurrencyWallet,
    PhoneNumber,
    TrackingId,
    extension_definitions,
    finding_properties,
    report_properties,
    stable_id,
)

WALLETS = {"btc": "BTC", "eth": "ETH", "xmr": "XMR", "ltc": "LTC"}
TRACKERS = {
    "google_analytics": "google-analytics",
    "gtm": "google-tag-manager",
    "adsense": "google-adsense",
    "facebook_pixel": "facebook-pixel",
}
ACCOUNTS = {"telegram": "telegram", "paypal": "paypal"}
PHONES = {"phone": None, "whatsapp": "whatsapp"}  # kind -> messenger service
IPS = ("ip", "ipv4", "ipv6", "hosting_ip")
# Identifier kinds whose SCO gets an indicator: values one operator controls.
INDICATED = {"email", "phone", "whatsapp", "iban", "onion", *WALLETS}
# A relationship from a listing's URL to what the page shows.
SHOWN = "shown on the listing page"


def _escape(value: str) -> str:
    """A STIX pattern string literal's content: backslash and quote escaped."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


class _Builder:
    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.when = data.generated_at
        self.objects: dict[str, Any] = {}
        self.warnings: list[str] = []
        self.unexpressed: dict[str, int] = {}
        # pattern -> (valid_from, name, labels, confidence)
        self.indicators: dict[str, tuple[datetime, str, set[str], int]] = {}
        self.services: dict[str, set[str]] = {}
        for finding in data.findings:
            for kind, value in finding.identifiers:
                if kind in PHONES:
                    found = self.services.setdefault(value, set())
                    if PHONES[kind]:
                        found.add(str(PHONES[kind]))
        self.url_of_listing: dict[int, str] = {}
        self.sellers: dict[str, str] = {}  # "platform/handle" and "handle" -> SCO id
        self.based_on: dict[str, str] = {}  # URL pattern -> the observed-data it rests on

    def add(self, obj: Any) -> str:
        found: str = obj.id
        self.objects.setdefault(found, obj)
        return found

    def relate(
        self, source: str, target: str, description: str, extensions: dict[str, Any] | None = None
    ) -> str:
        key = f"{source}|related-to|{target}|{description}"
        return self.add(
            v21.Relationship(
                id=stable_id("relationship", key),
                created_by_ref=IDENTITY_ID,
                created=self.when,
                modified=self.when,
                relationship_type="related-to",
                source_ref=source,
                target_ref=target,
                description=description,
                **({"extensions": extensions} if extensions else {}),
            )
        )

    def indicate(
        self, pattern: str, seen: datetime, name: str, labels: Iterable[str], score: float
    ) -> None:
        old = self.indicators.get(pattern)
        confidence = round(score * 100)
        if old is None:
            self.indicators[pattern] = (seen, name, set(labels), confidence)
        else:
            self.indicators[pattern] = (
                min(old[0], seen),
                old[1],
                old[2] | set(labels),
                max(old[3], confidence),
            )

    # -- observables --------------------------------------------------------------------

    def domain(self, value: str) -> str:
        return self.add(v21.DomainName(value=value))

    def identifier(self, kind: str, value: str) -> str | None:
        """The SCO id for one identifier; None (counted as unexpressed) when STIX has none."""
        if kind == "email":
            return self.add(v21.EmailAddress(value=value))
        if kind in PHONES:
            return self.add(
                PhoneNumber(
                    value=value,
                    services=sorted(self.services.get(value, ())) or None,
                    country=_phone_country(value),
                )
            )
        if kind in WALLETS:
            return self.add(CryptocurrencyWallet(address=value, currency=WALLETS[kind]))
        if kind == "iban":
            return self.add(BankAccount(iban=value, country=value[:2].upper()))
        if kind in TRACKERS:
            return self.add(TrackingId(tracker=TRACKERS[kind], value=value))
        if kind in ACCOUNTS:
            return self.add(
                v21.UserAccount(account_type=ACCOUNTS[kind], account_login=value, user_id=value)
            )
        if kind == "telegram_invite":
            return self.add(v21.URL(value=f"https://t.me/+{value}"))
        if kind in ("domain", "onion"):
            return self.domain(value)
        if kind in IPS:
            try:
                address = ipaddress.ip_address(value)
            except ValueError:
                self._unexpressed(kind)
                return None
            cls = v21.IPv4Address if address.version == 4 else v21.IPv6Address
            return self.add(cls(value=str(address)))
        self._unexpressed(kind)
        return None

    def _unexpressed(self, kind: str) -> None:
        self.unexpressed[kind] = self.unexpressed.get(kind, 0) + 1

    def seller(self, finding: Finding) -> str | None:
        if not finding.seller:
            return None
        handle = finding.seller.strip()
        platform = finding.site or "-"
        key = f"{platform}/{handle.casefold()}"
        found = self.add(v21.UserAccount(user_id=key, account_login=handle, display_name=handle))
        self.sellers.setdefault(key, found)
        self.sellers.setdefault(handle.casefold(), found)
        return found

    # -- findings -----------------------------------------------------------------------

    def finding(self, finding: Finding) -> str | None:
        seen = finding.captured_at or self.when
        labels = [finding.category, *finding.labels]
        refs: list[str] = []
        url_id = site_id = None
        if finding.url:
            url_id = self.add(v21.URL(value=finding.url))
            self.url_of_listing[finding.listing_id] = url_id
            refs.append(url_id)
            self.indicate(
                f"[url:value = '{_escape(finding.url)}']",
                seen,
                finding.title or finding.url,
                labels,
                finding.score,
            )
        if finding.site:
            site_id = self.domain(finding.site)
            refs.append(site_id)
            if not finding.platform:  # a marketplace's domain indicates nothing
                self.indicate(
                    f"[domain-name:value = '{_escape(finding.site)}']",
                    seen,
                    finding.site,
                    labels,
                    finding.score,
                )
            if url_id:
                self.relate(url_id, site_id, "the listing's site")
        seller = self.seller(finding)
        if seller:
            refs.append(seller)
        source = url_id or site_id
        for kind, value in finding.identifiers:
            found = self.identifier(kind, value)
            if found is None:
                continue
            refs.append(found)
            if source and found != source:
                self.relate(source, found, f"{kind} {SHOWN}")
            if kind in INDICATED:
                pattern = _pattern(self.objects[found])
                if pattern:
                    self.indicate(pattern, seen, f"{kind} {value}", labels, finding.score)
        if not refs:
            self.warnings.append(
                f"STIX: finding {finding.listing_id} has no URL, site or identifier: "
                "no observable to attach it to"
            )
            return None
        observed = self.add(
            v21.ObservedData(
                id=stable_id("observed-data", f"{finding.listing_id}:{finding.capture_id}"),
                created_by_ref=IDENTITY_ID,
                created=self.when,
                modified=self.when,
                first_observed=seen,
                last_observed=seen,
                number_observed=1,
                object_refs=list(dict.fromkeys(refs)),
                extensions={FINDING_EXT: finding_properties(finding)},
            )
        )
        if finding.url:
            self.based_on[f"[url:value = '{_escape(finding.url)}']"] = observed
        return observed

    def materialize_indicators(self) -> None:
        for pattern, (seen, name, labels, confidence) in sorted(self.indicators.items()):
            indicator = self.add(
                v21.Indicator(
                    id=stable_id("indicator", pattern),
                    created_by_ref=IDENTITY_ID,
                    created=self.when,
                    modified=self.when,
                    name=name,
                    indicator_types=["malicious-activity"],
                    pattern=pattern,
                    pattern_type="stix",
                    valid_from=seen,
                    labels=sorted(labels),
                    confidence=max(0, min(100, confidence)),
                )
            )
            observed = self.based_on.get(pattern)
            if observed:
                self.add(
                    v21.Relationship(
                        id=stable_id("relationship", f"{indicator}|based-on|{observed}"),
                        created_by_ref=IDENTITY_ID,
                        created=self.when,
                        modified=self.when,
                        relationship_type="based-on",
                        source_ref=indicator,
                        target_ref=observed,
                    )
                )

    # -- networks -----------------------------------------------------------------------

    def member(self, member: str) -> str | None:
        kind, _, value = member.partition(":")
        if kind == "site":
            return self.domain(value)
        if kind == "seller":
            found = self.sellers.get(value.casefold())
            if found is None:
                platform, _, handle = value.rpartition("/")
                found = self.add(
                    v21.UserAccount(
                        user_id=value.casefold() if platform else f"-/{value.casefold()}",
                        account_login=handle,
                        display_name=handle,
                    )
                )
            return found
        if kind == "listing" and value.isdigit():
            return self.url_of_listing.get(int(value))
        return self.identifier(kind, value) if value else None

    def network(self, network: NetworkSummary) -> None:
        members: dict[str, str] = {}
        for member in network.members:
            found = self.member(member)
            if found is None:
                self.warnings.append(
                    f"STIX: member {member!r} of network {network.name!r} has no STIX object"
                )
            else:
                members[member] = found
        refs = list(dict.fromkeys(members.values()))
        for edge in network.edges:
            a = members.get(edge.a) or self.member(edge.a)
            b = members.get(edge.b) or self.member(edge.b)
            if a is None or b is None or a == b:
                self.warnings.append(
                    f"STIX: edge {edge.a} - {edge.b} ({edge.kind}) of network "
                    f"{network.name!r} has no STIX objects at both ends"
                )
                continue
            ext = {"kind": edge.kind, "strength": edge.strength, "network": network.name}
            refs.append(self.relate(a, b, f"shared {edge.kind} ({network.name})", {LINK_EXT: ext}))
        if not refs:
            self.warnings.append(f"STIX: network {network.name!r} has no member to group")
            return
        self.add(
            v21.Grouping(
                id=stable_id("grouping", f"network:{network.name}"),
                created_by_ref=IDENTITY_ID,
                created=self.when,
                modified=self.when,
                name=network.name,
                description=f"{len(network.members)} sites / accounts linked by shared "
                f"evidence; {network.listings} listings",
                context="suspicious-activity",
                object_refs=list(dict.fromkeys(refs)),
                extensions={NETWORK_EXT: {"score": network.score, "listings": network.listings}},
            )
        )


def _phone_country(value: str) -> str | None:
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(value))
    except phonenumbers.NumberParseException:
        return None
    return str(region) if region and region != "ZZ" else None


def _pattern(obj: Any) -> str | None:
    """The STIX pattern that matches one SCO, for the kinds that get indicators."""
    props = {
        "email-addr": "value",
        "domain-name": "value",
        "phone-number": "value",
        "cryptocurrency-wallet": "address",
        "bank-account": "iban",
    }
    prop = props.get(obj.type)
    return f"[{obj.type}:{prop} = '{_escape(str(obj[prop]))}']" if prop else None


def build_bundle(data: ReportData) -> tuple[Any, list[str]]:
    """The bundle (a stix2 object) and the warnings: what could not be expressed."""
    builder = _Builder(data)
    builder.add(
        v21.Identity(
            id=IDENTITY_ID,
            created=DEFINED,
            modified=DEFINED,
            name="netpatrol",
            identity_class="system",
            description="netpatrol, an open cyber-patrol platform against illicit online trade",
        )
    )
    for definition in extension_definitions():
        builder.add(definition)
    for finding in data.findings:
        builder.finding(finding)
    builder.materialize_indicators()
    for network in data.top_networks:
        builder.network(network)
    for kind, count in sorted(builder.unexpressed.items()):
        builder.warnings.append(
            f"STIX: {count} {kind} identifier(s) have no STIX object; kept only in the "
            "netpatrol-finding extension's identifiers"
        )
    key = data.operation.name if data.operation else data.title
    started = data.operation.started_at if data.operation else None
    created = started if started and started <= data.generated_at else data.generated_at
    description = "\n\n".join(
        part
        for part in (
            data.operation.description if data.operation else None,
            data.sources_note,
            *data.notes,
        )
        if part
    )
    report_id = stable_id("report", key)
    refs = sorted(builder.objects)
    report = v21.Report(
        id=report_id,
        created_by_ref=IDENTITY_ID,
        created=created,
        modified=data.generated_at,
        name=data.title or key,
        description=description or None,
        report_types=["threat-report"],
        published=data.generated_at,
        object_refs=refs,
        extensions={REPORT_EXT: report_properties(data)},
    )
    ordered = [report, *(builder.objects[i] for i in _order(builder.objects))]
    bundle = v21.Bundle(
        id=stable_id("bundle", f"{report_id}:{data.generated_at.isoformat()}"),
        objects=ordered,
    )
    return bundle, builder.warnings


_FIRST = ("identity", "extension-definition", "grouping", "indicator", "observed-data")


def _order(objects: dict[str, Any]) -> list[str]:
    """Definitions first, then SDOs, relationships and SCOs, each by id: stable output."""

    def rank(stix_id: str) -> tuple[int, str]:
        kind = stix_id.split("--")[0]
        if kind in _FIRST:
            return _FIRST.index(kind), stix_id
        return (len(_FIRST), stix_id) if kind == "relationship" else (len(_FIRST) + 1, stix_id)

    return sorted(objects, key=rank)


class StixWriter:
    """``netpatrol report --out FILE.stix.json``."""

    suffix = ".stix.json"

    def write(self, data: ReportData, path: Path) -> list[str]:
        bundle, warnings = build_bundle(data)
        write_atomic(path, bundle.serialize(pretty=True, ensure_ascii=False) + "\n")
        return warnings


def write_atomic(path: Path, text: str) -> None:
    """Temp file beside the target, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
