"""Registrar of a domain from imported RDAP (RFC 9083) or WHOIS JSON: pure parsing.

Patrols export these records with their own tools (``rdap``, ``whois``, python-whois,
WhoisXML); netpatrol never queries a registry itself. A file holds one JSON object, a
list of them, or one object a line (JSON lines); each is read as RDAP when it looks
like an RDAP domain response, else as a flat WHOIS record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpatrol.act.places import country_named
from netpatrol.errors import InputError


@dataclass(frozen=True)
class RegistrarRecord:
    """Who registered a domain for whom: what a referral to the registrar needs."""

    domain: str
    registrar: str | None = None
    iana_id: str | None = None
    abuse_email: str | None = None
    country: str | None = None  # the registrar's country (ISO alpha-2)
    registrant_country: str | None = None  # the domain holder's, when the record says


class RecordError(ValueError):
    """A record that is not a domain registration (the caller adds file and number)."""


def is_rdap(record: Mapping[str, Any]) -> bool:
    return "objectClassName" in record or ("ldhName" in record and "entities" in record)


def registrar_from_rdap(record: Mapping[str, Any]) -> RegistrarRecord:
    """An RFC 9083 domain response -> its registrar, IANA id, abuse e-mail, country."""
    if record.get("objectClassName", "domain") != "domain":
        raise RecordError(f"objectClassName {record.get('objectClassName')!r}, not 'domain'")
    domain = _domain(record.get("ldhName") or record.get("unicodeName"))
    if domain is None:
        raise RecordError("no ldhName: not an RDAP domain response")
    registrar = _entity_with_role(record.get("entities"), "registrar")
    if registrar is None:
        return RegistrarRecord(domain, registrant_country=_registrant_country(record))
    card = _vcard(registrar)
    name = _text(card.get("fn")) or _text(registrar.get("handle"))
    abuse = _entity_with_role(registrar.get("entities"), "abuse") or _entity_with_role(
        record.get("entities"), "abuse"
    )
    return RegistrarRecord(
        domain=domain,
        registrar=name,
        iana_id=_iana_id(registrar),
        abuse_email=_email(_vcard(abuse).get("email")) if abuse else None,
        country=_adr_country(card.get("adr")),
        registrant_country=_registrant_country(record),
    )


# Keys of the common flat WHOIS exports, in order of preference: python-whois
# (snake_case), WhoisXML API (camelCase), hand-made spreadsheets.
_WHOIS_KEYS = {
    "domain": ("domain_name", "domainName", "domain"),
    "registrar": ("registrar", "registrarName", "registrar_name"),
    "iana_id": ("registrar_iana_id", "registrarIANAID", "registrar_id", "iana_id"),
    "abuse_email": (
        "registrar_abuse_contact_email",
        "registrarAbuseContactEmail",
        "abuse_email",
        "abuse_contact_email",
    ),
    "country": ("registrar_country", "registrarCountry"),
    "registrant_country": ("registrant_country", "registrantCountry", "country"),
}


def registrar_from_whois(record: Mapping[str, Any]) -> RegistrarRecord:
    """A flat WHOIS JSON record (python-whois, WhoisXML "WhoisRecord") -> its registrar."""
    if isinstance(record.get("WhoisRecord"), Mapping):
        record = record["WhoisRecord"]

    def first(field: str) -> Any:
        for key in _WHOIS_KEYS[field]:
            value = record.get(key)
            if isinstance(value, list):  # python-whois lists every spelling it saw
                value = next((v for v in value if v), None)
            if value not in (None, ""):
                return value
        return None

    domain = _domain(first("domain"))
    if domain is None:
        raise RecordError(f"no domain name (expected one of {', '.join(_WHOIS_KEYS['domain'])})")
    registrant = first("registrant_country")
    if registrant is None and isinstance(record.get("registrant"), Mapping):
        registrant = record["registrant"].get("countryCode") or record["registrant"].get("country")
    iana = first("iana_id")
    return RegistrarRecord(
        domain=domain,
        registrar=_text(first("registrar")),
        iana_id=str(iana).strip() if iana not in (None, "") else None,
        abuse_email=_email(first("abuse_email")),
        country=_country(first("country")),
        registrant_country=_country(registrant),
    )


def registrar_of(record: Mapping[str, Any]) -> RegistrarRecord:
    """Either format, told apart by the record's shape."""
    return registrar_from_rdap(record) if is_rdap(record) else registrar_from_whois(record)


def read_registrar_file(path: Path) -> Iterator[RegistrarRecord | InputError]:
    """Every record of a file; a bad one is yielded as an InputError naming file and record,
    so one bad line does not lose the others."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(path, f"cannot read: {exc}")
        return
    for number, record in _records(path, text):
        if isinstance(record, InputError):
            yield record
            continue
        if not isinstance(record, Mapping):
            yield InputError(path, f"record {number}: expected a JSON object", line=number)
            continue
        try:
            yield registrar_of(record)
        except RecordError as exc:
            yield InputError(path, f"record {number}: {exc}", line=number)


def _records(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    stripped = text.strip()
    if not stripped:
        yield 0, InputError(path, "empty file: expected RDAP or WHOIS JSON")
        return
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        whole = None
        lines = True
    else:
        lines = False
    if not lines:
        items = whole if isinstance(whole, list) else [whole]
        yield from enumerate(items, 1)
        return
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, InputError(path, f"not JSON: {exc.msg}", line=number)


def _entity_with_role(entities: Any, role: str) -> Mapping[str, Any] | None:
    if not isinstance(entities, list):
        return None
    for entity in entities:
        if isinstance(entity, Mapping) and role in (entity.get("roles") or []):
            return entity
    return None


def _vcard(entity: Mapping[str, Any] | None) -> dict[str, Any]:
    """jCard (RFC 7095) properties by name: ``["vcard", [[name, params, type, value]...]]``;
    for a name seen twice the first is kept, with its parameters."""
    properties: dict[str, Any] = {}
    card = entity.get("vcardArray") if entity else None
    if isinstance(card, list) and len(card) == 2 and isinstance(card[1], list):
        for item in card[1]:
            if isinstance(item, list) and len(item) >= 4 and isinstance(item[0], str):
                properties.setdefault(item[0].lower(), (item[1], item[3]))
    return properties


def _text(value: Any) -> str | None:
    if isinstance(value, tuple):
        value = value[1]
    if isinstance(value, str | int) and str(value).strip():
        return str(value).strip()
    return None


def _email(value: Any) -> str | None:
    text = _text(value)
    if text and text.lower().startswith("mailto:"):
        text = text[7:]
    return text.lower() if text and "@" in text else None


def _iana_id(entity: Mapping[str, Any]) -> str | None:
    for public in entity.get("publicIds") or []:
        if isinstance(public, Mapping) and "iana" in str(public.get("type", "")).lower():
            return _text(public.get("identifier"))
    return None


def _adr_country(value: Any) -> str | None:
    """Country of a jCard adr: the ``cc`` parameter (RFC 8605), else the address's last
    component (a name or code), else the ``label`` parameter's last line."""
    if not isinstance(value, tuple):
        return None
    params, address = value
    if isinstance(params, Mapping) and (code := _country(params.get("cc"))):
        return code
    last = address[-1] if isinstance(address, list) and address else None
    if isinstance(last, str) and (code := _country(last)):
        return code
    label = params.get("label") if isinstance(params, Mapping) else None
    if isinstance(label, str) and label.strip():
        return _country(label.strip().splitlines()[-1])
    return None


def _registrant_country(record: Mapping[str, Any]) -> str | None:
    registrant = _entity_with_role(record.get("entities"), "registrant")
    return _adr_country(_vcard(registrant).get("adr")) if registrant else None


def _country(value: Any) -> str | None:
    # A code or a country's name in a registry's words ("UNITED STATES"); never a city.
    text = _text(value)
    return country_named(text) if text else None


def _domain(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if not isinstance(value, str) or "." not in value.strip():
        return None
    return value.strip().rstrip(".").lower()
