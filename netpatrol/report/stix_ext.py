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

import json
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
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

from netpatrol.report.data import Finding, ReportData

# Fixed forever: every netpatrol STIX id derives from it (uuid5), so a report exported twice,
# or by two teams from the same findings, gives the same ids and deduplicates on import.
NAMESPACE = uuid.UUID("a6f5853d-b475-4294-b297-6b0b2c12125a")
# A fixed date for the producer identity and the definitions: their content never changes
# between reports, so neither must their timestamps (same id + same modified = same object).
DEFINED = datetime(2026, 1, 1, tzinfo=UTC)
SCHEMA_VERSION = "1.0.0"


def stable_id(stix_type: str, key: str) -> str:
    """A STIX id for an SDO/SRO from a stable key (SCOs get theirs from stix2)."""
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, f'{stix_type}:{key}')}"


IDENTITY_ID = stable_id("identity", "netpatrol")


def _ext_id(name: str) -> str:
    return stable_id("extension-definition", f"{name}:{SCHEMA_VERSION}")


WALLET_EXT = _ext_id("cryptocurrency-wallet")
PHONE_EXT = _ext_id("phone-number")
BANK_EXT = _ext_id("bank-account")
TRACKING_EXT = _ext_id("tracking-id")
FINDING_EXT = _ext_id("netpatrol-finding")
NETWORK_EXT = _ext_id("netpatrol-network")
LINK_EXT = _ext_id("netpatrol-link")
REPORT_EXT = _ext_id("netpatrol-report")

_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}
_NUM = {"type": "number"}
_TIME = {"type": "string", "format": "date-time"}


def _schema(title: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": props,
        "required": required,
    }


# name -> (id, extension type, description, JSON schema of the properties)
DEFINITIONS: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "cryptocurrency-wallet": (
        WALLET_EXT,
        "new-sco",
        "A cryptocurrency address advertised for payment (checksum-validated by netpatrol).",
        _schema(
            "cryptocurrency-wallet",
            {"address": _STR, "currency": {"type": "string", "pattern": "^[A-Z0-9]{2,10}$"}},
            ["address"],
        ),
    ),
    "phone-number": (
        PHONE_EXT,
        "new-sco",
        "A telephone number in E.164 form, with the messengers it was advertised on.",
        _schema(
            "phone-number",
            {
                "value": {"type": "string", "pattern": "^\\+[1-9][0-9]{6,14}$"},
                "country": _STR,
                "services": _STRS,
            },
            ["value"],
        ),
    ),
    "bank-account": (
        BANK_EXT,
        "new-sco",
        "A bank account named by its IBAN (checksum-validated by netpatrol).",
        _schema("bank-account", {"iban": _STR, "country": _STR}, ["iban"]),
    ),
    "tracking-id": (
        TRACKING_EXT,
        "new-sco",
        "An analytics or ad-network account id embedded in web pages: shared ids tie sites "
        "to one operator. tracker: google-analytics, google-tag-manager, google-adsense, "
        "facebook-pixel.",
        _schema("tracking-id", {"tracker": _STR, "value": _STR}, ["tracker", "value"]),
    ),
    "netpatrol-finding": (
        FINDING_EXT,
        "property-extension",
        "On observed-data: a listing netpatrol detected as illicit trade, with its evidence. "
        "category: wildlife, medicine, counterfeit, drugs, weapons; status: online, removed, "
        "seized; evidence_sha256: SHA-256 of the captured payload kept in the WARC file.",
        _schema(
            "netpatrol-finding",
            {
                "listing_id": {"type": "integer"},
                "capture_id": {"type": "integer"},
                "title": _STR,
                "category": _STR,
                "score": _NUM,
                "labels": _STRS,
                "evidence": {"type": "array", "items": {"type": "object"}},
                "price": _NUM,
                "currency": _STR,
                "price_eur": _NUM,
                "quantity": _NUM,
                "unit": _STR,
                "seller": _STR,
                "location": _STR,
                "platform": _STR,
                "jurisdiction": {"type": "object"},
                "species": _STRS,
                "cites_appendices": _STRS,
                "evidence_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "evidence_file": _STR,
                "evidence_offset": {"type": "integer"},
                "warc_record_id": _STR,
                "status": {"enum": ["online", "removed", "seized"]},
                "removed_at": _TIME,
                "referrals": {"type": "array", "items": {"type": "integer"}},
                "identifiers": _STRS,
                "networks": _STRS,
            },
            ["listing_id", "category", "score", "evidence_sha256", "status"],
        ),
    ),
    "netpatrol-network": (
        NETWORK_EXT,
        "property-extension",
        "On grouping: a network of sites and accounts netpatrol linked by shared evidence.",
        _schema("netpatrol-network", {"score": _NUM, "listings": {"type": "integer"}}, []),
    ),
    "netpatrol-link": (
        LINK_EXT,
        "property-extension",
        "On relationship: one edge of a network; kind is the shared evidence (e-mail, wallet, "
        "phone, image, template...), strength its weight in [0, 1].",
        _schema("netpatrol-link", {"kind": _STR, "strength": _NUM, "network": _STR}, ["kind"]),
    ),
    "netpatrol-report": (
        REPORT_EXT,
        "property-extension",
        "On report: the operation, its headline figures and offline log, referrals.",
        _schema(
            "netpatrol-report",
            {
                "version": _STR,
                "operation": {"type": "object"},
                "totals": {"type": "object"},
                "offline_totals": {"type": "object"},
                "offline": {"type": "array", "items": {"type": "object"}},
                "referrals": {"type": "array", "items": {"type": "object"}},
                "sources": _STR,
                "notes": _STRS,
            },
            [],
        ),
    ),
}


def extension_definitions() -> list[Any]:
    return [
        v21.ExtensionDefinition(
            id=ext_id,
            created_by_ref=IDENTITY_ID,
            created=DEFINED,
            modified=DEFINED,
            name=name,
            description=description,
            schema=json.dumps(schema, sort_keys=True),
            version=SCHEMA_VERSION,
            extension_types=[ext_type],
        )
        for name, (ext_id, ext_type, description, schema) in DEFINITIONS.items()
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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


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
                    "started_at": _iso(operation.started_at),
                    "ended_at": _iso(operation.ended_at),
                    "countries": list(operation.countries),
                }
            )
            if operation
            else None,
            "totals": {k: float(v) for k, v in data.totals.items()},
            "offline_totals": {k: float(v) for k, v in data.offline_totals.items()},
            "offline": [_drop_none({**asdict(e), "at": _iso(e.at)}) for e in data.offline],
            "referrals": [
                _drop_none(
                    {
                        **asdict(r),
                        "created_at": _iso(r.created_at),
                        "sent_at": _iso(r.sent_at),
                    }
                )
                for r in data.referrals
            ],
            "sources": data.sources_note or None,
            "notes": list(data.notes),
        }
    )
