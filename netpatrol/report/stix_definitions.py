"""The declarations of netpatrol's STIX 2.1 extensions: the fixed ids every netpatrol STIX
object derives from, and the ``extension-definition`` objects (with their JSON schemas) put
in every bundle. What the extensions hold, and their registration with ``stix2``, is in
:mod:`netpatrol.report.stix_ext`.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from stix2 import v21

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
