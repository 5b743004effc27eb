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

from pathlib import Path

from pymisp import MISPAttribute, MISPEvent, MISPObject

from netpatrol.report.cti_common import PHONES, iso, report_key
from netpatrol.report.data import Finding, NetworkSummary, ReportData
from netpatrol.report.files import write_atomic
from netpatrol.report.misp_objects import NAMESPACE, MispObjects
from netpatrol.report.misp_tags import finding_tags, tag_event, threat_level

__all__ = ["NAMESPACE", "MispWriter", "build_event"]

STATUS = {"online": "online", "removed": "offline", "seized": "takedown"}


class _Builder(MispObjects):
    def __init__(self, data: ReportData, distribution: int) -> None:
        super().__init__()
        self.data = data
        key = report_key(data)
        self.event.uuid = self.uuid("event", key)
        self.event.info = data.title or key
        self.event.set_date(data.generated_at.date())
        self.event.distribution = distribution
        ended = data.operation.ended_at if data.operation else None
        self.event.analysis = 2 if ended and ended <= data.generated_at else 1
        self.event.threat_level_id = threat_level(data.findings)
        self.listings: dict[int, MISPObject] = {}
        self.sites: dict[str, list[MISPObject]] = {}
        self.warnings: list[str] = []
        self.referrals = {r.id: r for r in data.referrals}

    # -- findings -----------------------------------------------------------------------

    def finding(self, finding: Finding) -> None:
        onion = bool(finding.site and finding.site.endswith(".onion"))
        obj, main = self._listing(finding, onion)
        if obj is not None:
            self.listings[finding.listing_id] = obj
            if finding.site:
                self.sites.setdefault(finding.site, []).append(obj)
            if onion and finding.site:
                self.reference(obj, self.onion(finding.site, finding.captured_at), "hosted-by")
        if main is not None:
            for tag in finding_tags(finding, self.referrals):
                main.add_tag(tag)
        seller = self.seller(finding)
        if seller is not None and obj is not None:
            self.reference(obj, seller, "authored-by")
        for kind, value in finding.identifiers:
            found = self.identifier(kind, value, finding)
            if found is not None and obj is not None:
                self.reference(obj, found, "mentions", kind)

    def _listing(
        self, finding: Finding, onion: bool
    ) -> tuple[MISPObject | None, MISPAttribute | None]:
        """The listing's object and the attribute its tags go on (None, None: neither)."""
        key = f"{finding.listing_id}:{finding.capture_id}"
        comment = _comment(finding)
        if finding.platform and not onion:
            obj = self.new("url", key, comment)
            main = self.attr(obj, "url", finding.url, to_ids=True) if finding.url else None
            if finding.site:
                self.attr(obj, "domain", finding.site, to_ids=False)
            return obj, main
        if finding.url or finding.site:
            obj = self.new("malicious-website", key, comment)
            main = self.attr(obj, "url", finding.url, to_ids=True) if finding.url else None
            if finding.site:
                site = self.attr(obj, "domain", finding.site, to_ids=True)
                main = main or site
            self.attr(obj, "reason", _reason(finding))
            self.attr(obj, "status", STATUS.get(finding.status, finding.status))
            self.attr(obj, "source", f"netpatrol {self.data.version}")
            return obj, main
        self.warnings.append(
            f"MISP: finding {finding.listing_id} has no URL or site; only its identifiers "
            "are exported"
        )
        return None, None

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
        if kind in PHONES:
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
                f"Operation {op.name}: {iso(op.started_at) or '?'} to {iso(op.ended_at) or '?'}"
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
        tag_event(self.event, self.data.findings)
        return self.warnings


def _comment(finding: Finding) -> str:
    """A listing object's comment: its title and evidence digest."""
    return "; ".join(
        part
        for part in (
            finding.title,
            f"netpatrol listing {finding.listing_id}, capture {finding.capture_id}",
            f"evidence sha256 {finding.sha256} in {finding.evidence_file}"
            f"@{finding.evidence_offset}",
            f"{finding.status} since {iso(finding.removed_at)}" if finding.removed_at else None,
        )
        if part
    )


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
        write_atomic(path, '{"Event": ' + event.to_json(indent=2) + "}\n")
        return warnings
