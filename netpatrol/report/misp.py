"""MISP export of a report (``.misp.json``): one event, ``{"Event": {...}}`` as MISP imports
it (Add Event > Import from MISP JSON, or ``PyMISP.add_event``), with standard object
templates (pymisp's misp-objects) and deterministic uuids (uuid5), so re-importing an
updated report updates the same event, objects and attributes.

Mapping:

- event: info = title, date = generated_at, distribution 0 (your organisation only) unless
  asked otherwise: findings name suspects and an analyst widens sharing after review;
  threat level high when any finding is drugs, medicine or weapons (harm to health and
  life), medium for wildlife, low for counterfeits only; analysis completed once the
  operation has ended, else ongoing;
- a finding on a marketplace -> ``url`` (url to_ids, the platform's domain not: leboncoin.fr
  is no indicator); on its own shop or an onion service -> ``malicious-website`` (url,
  domain, reason = category, score, labels, evidence; status online / offline (removed) /
  takedown (seized)); the object's comment holds the evidence digest (capture SHA-256, WARC
  file and offset); an onion site also gets one ``tor-hiddenservice``, ``hosted-by``;
- identifiers, one object per value, ``mentions``-referenced by every listing showing it:
  email -> ``email`` (from), phone / WhatsApp -> ``phone-number``, btc / xmr / eth / ltc ->
  ``coin-address`` (address / address-xmr / address-crypto + symbol), IBAN ->
  ``bank-account``, Telegram -> ``telegram-account``, PayPal -> ``user-account``
  (account-type paypal), Telegram invite -> ``url``, analytics / ad ids -> ``tracking-id``,
  outbound domain / ip -> ``domain-ip`` (not to_ids: a link can point anywhere), onion ->
  ``tor-hiddenservice``; the seller -> ``user-account``, ``authored-by``;
- networks: an ``annotation`` per network (members and edges) ``annotates`` its members'
  objects; each edge a ``related-to`` reference between its ends, the kind in its comment;
- tags: ``netpatrol:category="..."`` always; the MISP ``dark-web`` taxonomy where it fits
  (``dark-web:topic="drugs-narcotics"`` for drugs and medicines sold without lawful access,
  ``dark-web:topic="weapons"``, ``dark-web:motivation="marketplace-for-sale"`` on the
  event, ``dark-web:structure="police-notice"`` on seized sites); actions taken, on each
  listing's url attribute: ``netpatrol:action="removed" / "seized" / "referred"`` (MISP's
  ``action-taken`` taxonomy only describes CSIRT notifications), plus
  ``action-taken:informed ISP/Hosting Service Provider`` / ``informed Registrar`` when the
  referral went to a host or a registrar;
- the figures, offline log and referrals -> an ``annotation`` (Executive Summary); what MISP
  cannot express (``image_pdq`` hashes, plugin identifier kinds, unresolvable network
  members) -> the warnings and an ``annotation`` listing them, never dropped silently.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import phonenumbers
from pymisp import MISPAttribute, MISPEvent, MISPObject

from netpatrol.report.data import Finding, NetworkSummary, ReportData

# Fixed forever: the uuids of events, objects and attributes derive from it.
NAMESPACE = uuid.UUID("5b0e8f5c-3c39-4b0a-9d0a-2a8f1a2c6e11")

WALLETS = {"btc": ("address", "BTC"), "xmr": ("address-xmr", "XMR")}
OTHER_COINS = {"eth": "ETH", "ltc": "LTC"}
TRACKERS = {
    "google_analytics": "Google Analytics",
    "gtm": "Google Tag Manager",
    "adsense": "Google AdSense",
    "facebook_pixel": "Facebook Pixel",
}
IPS = ("ip", "ipv4", "ipv6", "hosting_ip")
TOPICS = {
    "drugs": 'dark-web:topic="drugs-narcotics"',
    "medicine": 'dark-web:topic="drugs-narcotics"',
    "weapons": 'dark-web:topic="weapons"',
}
THREAT = {"drugs": 1, "medicine": 1, "weapons": 1, "wildlife": 2, "counterfeit": 3}
STATUS = {"online": "online", "removed": "offline", "seized": "takedown"}
INFORMED = {
    "host": "action-taken:informed ISP/Hosting Service Provider",
    "registrar": "action-taken:informed Registrar",
}


def _tag(namespace: str, predicate: str, value: str) -> str:
    # A machine tag's value is quoted; a quote inside would end it early.
    return f'{namespace}:{predicate}="{value.replace(chr(34), chr(39))}"'


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class _Builder:
    def __init__(self, data: ReportData, distribution: int) -> None:
        self.data = data
        key = data.operation.name if data.operation else data.title
        self.event = MISPEvent()
        self.event.uuid = self.uuid("event", key)
        self.event.info = data.title or key
        self.event.set_date(data.generated_at.date())
        self.event.distribution = distribution
        ended = data.operation.ended_at if data.operation else None
        self.event.analysis = 2 if ended and ended <= data.generated_at else 1
        levels = [THREAT.get(f.category, 2) for f in data.findings]
        self.event.threat_level_id = min(levels) if levels else 4
        self.objects: dict[tuple[str, str], MISPObject] = {}
        self.listings: dict[int, MISPObject] = {}
        self.sites: dict[str, list[MISPObject]] = {}
        self.sellers: dict[str, MISPObject] = {}
        self.unexpressed: dict[str, list[str]] = {}
        self.warnings: list[str] = []
        self.referrals = {r.id: r for r in data.referrals}

    def uuid(self, *parts: object) -> str:
        return str(uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)))

    def new(self, template: str, key: str, comment: str | None = None) -> MISPObject:
        obj = MISPObject(template, standalone=False, strict=True)
        obj.uuid = self.uuid("object", template, key)
        if comment:
            obj.comment = comment
        self.event.add_object(obj)
        return obj

    def attr(
        self, obj: MISPObject, relation: str, value: Any, to_ids: bool | None = None
    ) -> MISPAttribute:
        kwargs: dict[str, Any] = {} if to_ids is None else {"to_ids": to_ids}
        found = obj.add_attribute(relation, value=value, **kwargs)
        if found is None:  # pymisp returns None for an empty value
            raise ValueError(f"empty {relation} for {obj.name}")
        found.uuid = self.uuid("attribute", obj.uuid, relation, value)
        return found

    def reference(self, source: MISPObject, target: MISPObject, kind: str, note: str = "") -> None:
        if source is target:
            return
        ref = source.add_reference(target, kind, comment=note or None)
        ref.uuid = self.uuid("reference", source.uuid, kind, target.uuid, note)

    # -- identifiers --------------------------------------------------------------------

    def identifier(self, kind: str, value: str, finding: Finding) -> MISPObject | None:
        phone = kind in ("phone", "whatsapp")
        key = ("phone" if phone else kind, value)
        found = self.objects.get(key)
        if found is not None:
            if kind == "whatsapp" and not found.get_attributes_by_relation("text"):
                self.attr(found, "text", "WhatsApp")
            return found
        obj = self._identifier(kind, value, finding)
        if obj is not None:
            self.objects[key] = obj
        return obj

    def _identifier(self, kind: str, value: str, finding: Finding) -> MISPObject | None:
        seen = finding.captured_at
        if kind == "email":
            obj = self.new("email", value)
            self.attr(obj, "from", value, to_ids=True)
        elif kind in ("phone", "whatsapp"):
            obj = self.new("phone-number", value)
            self.attr(obj, "phone-number", value, to_ids=True)
            region = _region(value)
            if region:
                self.attr(obj, "country-code", region)
            if kind == "whatsapp":
                self.attr(obj, "text", "WhatsApp")
        elif kind in WALLETS or kind in OTHER_COINS:
            relation, symbol = WALLETS.get(kind) or ("address-crypto", OTHER_COINS[kind])
            obj = self.new("coin-address", f"{kind}:{value}")
            self.attr(obj, relation, value, to_ids=True)
            self.attr(obj, "symbol", symbol)
            if seen:
                self.attr(obj, "first-seen", seen)
        elif kind == "iban":
            obj = self.new("bank-account", value)
            self.attr(obj, "iban", value, to_ids=True)
        elif kind == "telegram":
            obj = self.new("telegram-account", value)
            self.attr(obj, "username", value, to_ids=False)
        elif kind == "paypal":
            obj = self.new("user-account", f"paypal:{value}")
            self.attr(obj, "username", value, to_ids=False)
            self.attr(obj, "account-type", "paypal")
            self.attr(obj, "link", f"https://paypal.me/{value}")
        elif kind == "telegram_invite":
            obj = self.new("url", f"telegram_invite:{value}")
            self.attr(obj, "url", f"https://t.me/+{value}", to_ids=True)
        elif kind in TRACKERS:
            obj = self.new("tracking-id", f"{kind}:{value}")
            self.attr(obj, "id", value, to_ids=False)
            self.attr(obj, "tracker", TRACKERS[kind])
        elif kind == "domain":
            obj = self.new("domain-ip", f"domain:{value}")
            self.attr(obj, "domain", value, to_ids=False)
        elif kind in IPS:
            obj = self.new("domain-ip", f"ip:{value}")
            self.attr(obj, "ip", value, to_ids=False)
        elif kind == "onion":
            obj = self.onion(value, seen)
        else:
            self.unexpressed.setdefault(kind, []).append(value)
            return None
        return obj

    def onion(self, address: str, seen: datetime | None) -> MISPObject:
        key = ("onion", address)
        found = self.objects.get(key)
        if found is None:
            found = self.objects[key] = self.new("tor-hiddenservice", address)
            self.attr(found, "address", address, to_ids=True)
            if seen:
                self.attr(found, "first-seen", seen)
        return found

    def seller(self, finding: Finding) -> MISPObject | None:
        if not finding.seller:
            return None
        handle = finding.seller.strip()
        key = f"{finding.site or '-'}/{handle.casefold()}"
        found = self.sellers.get(key)
        if found is None:
            found = self.new("user-account", f"seller:{key}", f"seller on {finding.site or '?'}")
            self.attr(found, "username", handle, to_ids=False)
            self.sellers[key] = found
            self.sellers.setdefault(handle.casefold(), found)
        return found

    # -- findings -----------------------------------------------------------------------

    def finding(self, finding: Finding) -> None:
        comment = "; ".join(
            part
            for part in (
                finding.title,
                f"netpatrol listing {finding.listing_id}, capture {finding.capture_id}",
                f"evidence sha256 {finding.sha256} in {finding.evidence_file}"
                f"@{finding.evidence_offset}",
                f"{finding.status} since {_iso(finding.removed_at)}"
                if finding.removed_at
                else None,
            )
            if part
        )
        key = f"{finding.listing_id}:{finding.capture_id}"
        onion = bool(finding.site and finding.site.endswith(".onion"))
        if finding.platform and not onion:
            obj = self.new("url", key, comment)
            main = self.attr(obj, "url", finding.url, to_ids=True) if finding.url else None
            if finding.site:
                self.attr(obj, "domain", finding.site, to_ids=False)
        elif finding.url or finding.site:
            obj = self.new("malicious-website", key, comment)
            main = self.attr(obj, "url", finding.url, to_ids=True) if finding.url else None
            if finding.site:
                site = self.attr(obj, "domain", finding.site, to_ids=True)
                main = main or site
            self.attr(obj, "reason", _reason(finding))
            self.attr(obj, "status", STATUS.get(finding.status, finding.status))
            self.attr(obj, "source", f"netpatrol {self.data.version}")
        else:
            self.warnings.append(
                f"MISP: finding {finding.listing_id} has no URL or site; only its identifiers "
                "are exported"
            )
            obj = None
            main = None
        if obj is not None:
            self.listings[finding.listing_id] = obj
            if finding.site:
                self.sites.setdefault(finding.site, []).append(obj)
            if onion and finding.site:
                self.reference(obj, self.onion(finding.site, finding.captured_at), "hosted-by")
        if main is not None:
            for tag in self.finding_tags(finding):
                main.add_tag(tag)
        seller = self.seller(finding)
        if seller is not None and obj is not None:
            self.reference(obj, seller, "authored-by")
        for kind, value in finding.identifiers:
            found = self.identifier(kind, value, finding)
            if found is not None and obj is not None:
                self.reference(obj, found, "mentions", kind)

    def finding_tags(self, finding: Finding) -> list[str]:
        tags = [_tag("netpatrol", "category", finding.category)]
        if finding.category in TOPICS:
            tags.append(TOPICS[finding.category])
        if finding.status in ("removed", "seized"):
            tags.append(_tag("netpatrol", "action", finding.status))
        if finding.status == "seized":
            tags.append('dark-web:structure="police-notice"')
        if finding.referrals:
            tags.append(_tag("netpatrol", "action", "referred"))
        for referral_id in finding.referrals:
            referral = self.referrals.get(referral_id)
            if referral and referral.recipient_kind in INFORMED:
                tags.append(INFORMED[referral.recipient_kind])
        return list(dict.fromkeys(tags))

    # -- networks -----------------------------------------------------------------------

    def members(self, member: str) -> list[MISPObject]:
        kind, _, value = member.partition(":")
        if kind == "site":
            return self.sites.get(value, [])
        if kind == "seller":
            found = self.sellers.get(value.casefold())
            return [found] if found else []
        if kind == "listing" and value.isdigit():
            listing = self.listings.get(int(value))
            return [listing] if listing else []
        if kind in ("phone", "whatsapp"):
            kind = "phone"
        found = self.objects.get((kind, value))
        return [found] if found else []

    def network(self, network: NetworkSummary) -> None:
        lines = [
            f"Network {network.name}: score {network.score:.2f}, {network.listings} listings.",
            "",
            "Members:",
            *(f"- {m}" for m in network.members),
            "",
            "Links:",
            *(f"- {e.a} — {e.b}: {e.kind} (strength {e.strength:.2f})" for e in network.edges),
        ]
        note = self.new("annotation", f"network:{network.name}")
        self.attr(note, "text", "\n".join(lines))
        self.attr(note, "type", "Other")
        self.attr(note, "format", "markdown")
        for member in network.members:
            found = self.members(member)
            if not found:
                self.warnings.append(
                    f"MISP: member {member!r} of network {network.name!r} has no object"
                )
            for obj in found:
                self.reference(note, obj, "annotates", network.name)
        for edge in network.edges:
            a, b = self.members(edge.a), self.members(edge.b)
            if not a or not b:
                self.warnings.append(
                    f"MISP: link {edge.a} - {edge.b} ({edge.kind}) of network "
                    f"{network.name!r} has no object at both ends; listed in its annotation only"
                )
                continue
            self.reference(
                a[0],
                b[0],
                "related-to",
                f"{network.name}: shared {edge.kind} (strength {edge.strength:.2f})",
            )

    # -- the event ----------------------------------------------------------------------

    def summary(self) -> None:
        data = self.data
        lines = [f"# {data.title}", ""]
        if data.operation:
            op = data.operation
            lines.append(
                f"Operation {op.name}: {_iso(op.started_at) or '?'} to {_iso(op.ended_at) or '?'}"
                + (f", countries {', '.join(op.countries)}" if op.countries else "")
            )
            if op.description:
                lines.append(op.description)
        lines += ["", "## Figures", *(f"- {k}: {v:g}" for k, v in data.totals.items())]
        if data.offline_totals:
            lines += ["", "## Offline", *(f"- {k}: {v:g}" for k, v in data.offline_totals.items())]
        if data.referrals:
            lines += ["", "## Referrals"] + [
                f"- {r.id} {r.recipient} ({r.recipient_kind}, {r.country or '?'}): {r.status}, "
                f"{r.items} items, {r.removed} removed"
                for r in data.referrals
            ]
        lines += ["", f"Sources: {data.sources_note}", *(f"Note: {n}" for n in data.notes)]
        note = self.new("annotation", "summary")
        self.attr(note, "text", "\n".join(lines))
        self.attr(note, "type", "Executive Summary")
        self.attr(note, "format", "markdown")

    def finish(self) -> list[str]:
        for kind, values in sorted(self.unexpressed.items()):
            unique = sorted(set(values))
            self.warnings.append(
                f"MISP: {len(unique)} {kind} identifier(s) have no MISP object or attribute "
                f"type: {', '.join(unique[:5])}{' ...' if len(unique) > 5 else ''}"
            )
        if self.warnings:
            note = self.new("annotation", "not-expressed", "What this export could not express")
            self.attr(
                note,
                "text",
                "\n".join(
                    [
                        *self.warnings,
                        *(
                            f"{kind}: {v}"
                            for kind, vs in sorted(self.unexpressed.items())
                            for v in sorted(set(vs))
                        ),
                    ]
                ),
            )
            self.attr(note, "type", "Other")
        self.event.add_tag('dark-web:motivation="marketplace-for-sale"')
        for category in sorted({f.category for f in self.data.findings}):
            self.event.add_tag(_tag("netpatrol", "category", category))
            if category in TOPICS:
                self.event.add_tag(TOPICS[category])
        return self.warnings


def _region(value: str) -> str | None:
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(value))
    except phonenumbers.NumberParseException:
        return None
    return str(region) if region and region != "ZZ" else None


def _reason(finding: Finding) -> str:
    parts = [f"{finding.category} (score {finding.score:.2f})"]
    if finding.labels:
        parts.append("labels: " + ", ".join(finding.labels))
    if finding.evidence:
        parts.append("evidence: " + ", ".join(f"{e.kind} {e.text!r}" for e in finding.evidence))
    return "; ".join(parts)


def build_event(data: ReportData, distribution: int = 0) -> tuple[MISPEvent, list[str]]:
    builder = _Builder(data, distribution)
    builder.summary()
    for finding in data.findings:
        builder.finding(finding)
    for network in data.top_networks:
        builder.network(network)
    return builder.event, builder.finish()


class MispWriter:
    """``netpatrol report --out FILE.misp.json``."""

    suffix = ".misp.json"

    def __init__(self, distribution: int = 0) -> None:
        # 0 = your organisation only: the analyst widens it in MISP after review.
        self.distribution = distribution

    def write(self, data: ReportData, path: Path) -> list[str]:
        event, warnings = build_event(data, self.distribution)
        text = '{"Event": ' + event.to_json(indent=2) + "}\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return warnings
