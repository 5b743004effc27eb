"""netpatrol's declared STIX 2.1 extensions (STIX 2.1 section 7.3): what STIX has no object
or property for, declared by ``extension-definition`` objects in every bundle and registered
with the ``stix2`` library, so that ``stix2.parse(bundle, allow_custom=False)`` validates
them instead of refusing them as custom content.

New SCOs (extension_types ``new-sco``), each with a deterministic id from the properties
named in ``ID_PROPS`` (STIX 2.1 section 2.9):

- ``cryptocurrency-wallet``: ``address`` (id), ``currency`` (ticker: BTC, ETH, XMR, LTC).
  Shaped like the OASIS cti-stix-common-objects wallet (an address plus its currency) but
  declared here: an offline tool cannot fetch or vouch for a remote schema.
- ``phone-number``: ``value`` (E.164, id), ``country`` (ISO 3166 alpha-2 of the number),
  ``services`` (messengers the number was advertised on, e.g. ``whatsapp``).
- ``bank-account``: ``iban`` (id), ``country`` (from the IBAN).
- ``tracking-id``: ``tracker`` and ``value`` (both id): analytics / ad-network account ids
  (Google Analytics, Tag Manager, AdSense, Facebook pixel) that tie one operator's shops.

Property extensions (extension_types ``property-extension``):

- ``netpatrol-finding`` on ``observed-data``: the finding as netpatrol recorded it
  (category, score, labels, matched evidence, the capture's SHA-256 and WARC location,
  status ``online``/``removed``/``seized`` with its time, referrals, every identifier).
- ``netpatrol-network`` on ``grouping``: the network's score and listing count.
- ``netpatrol-link`` on ``relationship``: the kind of shared evidence and its strength.
- ``netpatrol-report`` on ``report``: the operation, headline figures, offline log,
  referrals, sources and caveats.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from stix2 import v21
from stix2.properties import (
    DictionaryProperty,
    FloatProperty,
    IntegerProperty,
    ListProperty,
    StringProperty,
    TimestampProperty,
)

from netpatrol.report.cti_common import iso
from netpatrol.report.data import Finding, ReportData
from netpatrol.report.stix_definitions import (
    BANK_EXT,
    DEFINED,
    DEFINITIONS,
    FINDING_EXT,
    IDENTITY_ID,
    LINK_EXT,
    NAMESPACE,
    NETWORK_EXT,
    PHONE_EXT,
    REPORT_EXT,
    SCHEMA_VERSION,
    TRACKING_EXT,
    WALLET_EXT,
    extension_definitions,
    stable_id,
)

__all__ = [
    "BANK_EXT",
    "DEFINED",
    "DEFINITIONS",
    "FINDING_EXT",
    "IDENTITY_ID",
    "LINK_EXT",
    "NAMESPACE",
    "NETWORK_EXT",
    "PHONE_EXT",
    "REPORT_EXT",
    "SCHEMA_VERSION",
    "TRACKING_EXT",
    "WALLET_EXT",
    "BankAccount",
    "CryptocurrencyWallet",
    "FindingExtension",
    "LinkExtension",
    "NetworkExtension",
    "PhoneNumber",
    "ReportExtension",
    "TrackingId",
    "extension_definitions",
    "finding_properties",
    "report_properties",
    "stable_id",
]

# Registration with stix2 (process-wide, once at import). Called rather than used as
# decorators: what they return are stix2 classes, typed Any, not the plain classes given.


def _observable(name: str, props: list[tuple[str, Any]], id_props: list[str], ext: str) -> Any:
    plain = type(name.title().replace("-", ""), (), {})
    return v21.CustomObservable(name, props, id_props, ext)(plain)


def _property_extension(ext: str, name: str, props: list[tuple[str, Any]]) -> Any:
    plain = type(name, (), {"extension_type": "property-extension"})
    return v21.CustomExtension(ext, props)(plain)


CryptocurrencyWallet = _observable(
    "cryptocurrency-wallet",
    [("address", StringProperty(required=True)), ("currency", StringProperty())],
    ["address"],
    WALLET_EXT,
)
PhoneNumber = _observable(
    "phone-number",
    [
        ("value", StringProperty(required=True)),
        ("country", StringProperty()),
        ("services", ListProperty(StringProperty)),
    ],
    ["value"],
    PHONE_EXT,
)
BankAccount = _observable(
    "bank-account",
    [("iban", StringProperty(required=True)), ("country", StringProperty())],
    ["iban"],
    BANK_EXT,
)
TrackingId = _observable(
    "tracking-id",
    [("tracker", StringProperty(required=True)), ("value", StringProperty(required=True))],
    ["tracker", "value"],
    TRACKING_EXT,
)
FindingExtension = _property_extension(
    FINDING_EXT,
    "FindingExtension",
    [
        ("listing_id", IntegerProperty(required=True)),
        ("capture_id", IntegerProperty()),
        ("title", StringProperty()),
        ("category", StringProperty(required=True)),
        ("score", FloatProperty(required=True)),
        ("labels", ListProperty(StringProperty)),
        ("evidence", ListProperty(DictionaryProperty)),
        ("price", FloatProperty()),
        ("currency", StringProperty()),
        ("price_eur", FloatProperty()),
        ("quantity", FloatProperty()),
        ("unit", StringProperty()),
        ("seller", StringProperty()),
        ("location", StringProperty()),
        ("platform", StringProperty()),
        ("jurisdiction", DictionaryProperty()),
        ("species", ListProperty(StringProperty)),
        ("cites_appendices", ListProperty(StringProperty)),
        ("evidence_sha256", StringProperty(required=True)),
        ("evidence_file", StringProperty()),
        ("evidence_offset", IntegerProperty()),
        ("warc_record_id", StringProperty()),
        ("status", StringProperty(required=True)),
        ("removed_at", TimestampProperty()),
        ("referrals", ListProperty(IntegerProperty)),
        ("identifiers", ListProperty(StringProperty)),
        ("networks", ListProperty(StringProperty)),
    ],
)
NetworkExtension = _property_extension(
    NETWORK_EXT, "NetworkExtension", [("score", FloatProperty()), ("listings", IntegerProperty())]
)
LinkExtension = _property_extension(
    LINK_EXT,
    "LinkExtension",
    [
        ("kind", StringProperty(required=True)),
        ("strength", FloatProperty()),
        ("network", StringProperty()),
    ],
)
ReportExtension = _property_extension(
    REPORT_EXT,
    "ReportExtension",
    [
        ("version", StringProperty()),
        ("operation", DictionaryProperty()),
        ("totals", DictionaryProperty()),
        ("offline_totals", DictionaryProperty()),
        ("offline", ListProperty(DictionaryProperty)),
        ("referrals", ListProperty(DictionaryProperty)),
        ("sources", StringProperty()),
        ("notes", ListProperty(StringProperty)),
    ],
)


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != [] and v != {}}


def finding_properties(finding: Finding) -> dict[str, Any]:
    """The netpatrol-finding extension of a finding's observed-data."""
    return _drop_none(
        {
            "listing_id": finding.listing_id,
            "capture_id": finding.capture_id,
            "title": finding.title,
            "category": finding.category,
            "score": float(finding.score),
            "labels": list(finding.labels),
            "evidence": [_drop_none(asdict(e)) for e in finding.evidence],
            "price": finding.price,
            "currency": finding.currency,
            "price_eur": finding.price_eur,
            "quantity": finding.quantity,
            "unit": finding.unit,
            "seller": finding.seller,
            "location": finding.location,
            "platform": finding.platform,
            "jurisdiction": _drop_none(asdict(finding.jurisdiction)),
            "species": list(finding.species),
            "cites_appendices": list(finding.appendices),
            "evidence_sha256": finding.sha256,
            "evidence_file": finding.evidence_file,
            "evidence_offset": finding.evidence_offset,
            "warc_record_id": finding.warc_record_id,
            "status": finding.status,
            "removed_at": finding.removed_at,
            "referrals": list(finding.referrals),
            "identifiers": [f"{k}:{v}" for k, v in finding.identifiers],
            "networks": list(finding.networks),
        }
    )


def report_properties(data: ReportData) -> dict[str, Any]:
    """The netpatrol-report extension of the report."""
    operation = data.operation
    return _drop_none(
        {
            "version": data.version,
            "operation": _drop_none(
                {
                    "name": operation.name,
                    "started_at": iso(operation.started_at),
                    "ended_at": iso(operation.ended_at),
                    "countries": list(operation.countries),
                }
            )
            if operation
            else None,
            "totals": {k: float(v) for k, v in data.totals.items()},
            "offline_totals": {k: float(v) for k, v in data.offline_totals.items()},
            "offline": [_drop_none({**asdict(e), "at": iso(e.at)}) for e in data.offline],
            "referrals": [
                _drop_none(
                    {
                        **asdict(r),
                        "created_at": iso(r.created_at),
                        "sent_at": iso(r.sent_at),
                    }
                )
                for r in data.referrals
            ],
            "sources": data.sources_note or None,
            "notes": list(data.notes),
        }
    )
