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

from pathlib import Path
from typing import Any

from stix2 import v21

from netpatrol.report.cti_common import report_key
from netpatrol.report.data import ReportData
from netpatrol.report.files import write_atomic
from netpatrol.report.stix_builder import Builder
from netpatrol.report.stix_ext import (
    DEFINED,
    IDENTITY_ID,
    REPORT_EXT,
    extension_definitions,
    report_properties,
    stable_id,
)

__all__ = ["StixWriter", "build_bundle", "write_atomic"]

_FIRST = ("identity", "extension-definition", "grouping", "indicator", "observed-data")


def build_bundle(data: ReportData) -> tuple[Any, list[str]]:
    """The bundle (a stix2 object) and the warnings: what could not be expressed."""
    builder = Builder(data)
    builder.add(_producer())
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
    report = _report(data, sorted(builder.objects))
    ordered = [report, *(builder.objects[i] for i in _order(builder.objects))]
    bundle = v21.Bundle(
        id=stable_id("bundle", f"{report.id}:{data.generated_at.isoformat()}"),
        objects=ordered,
    )
    return bundle, builder.warnings


def _producer() -> Any:
    return v21.Identity(
        id=IDENTITY_ID,
        created=DEFINED,
        modified=DEFINED,
        name="netpatrol",
        identity_class="system",
        description="netpatrol, an open cyber-patrol platform against illicit online trade",
    )


def _report(data: ReportData, refs: list[str]) -> Any:
    """The report object: its id is stable per operation, a later export a new version."""
    key = report_key(data)
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
    return v21.Report(
        id=stable_id("report", key),
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
