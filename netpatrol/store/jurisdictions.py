"""Jurisdiction of every site, computed from stored facts only and kept in ``jurisdictions``.

Hosting: the IP address of the site's most recent capture that has one (the crawler's
peer, a WARC's ``WARC-IP-Address``), looked up in a GeoIP database; never a DNS query,
so a report made a year later still says where the site was when it was captured. Onion
services have no hosting country: the address stored is the Tor proxy's. Registrar
fields come from imported RDAP / WHOIS files and survive every refresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from netpatrol.act.geoip import GeoIPDatabase, parse_address
from netpatrol.act.jurisdiction import SiteFacts
from netpatrol.act.rdap import RegistrarRecord, read_registrar_file
from netpatrol.extract.country import country_of
from netpatrol.knowledge.platforms import platform_of
from netpatrol.store.schema import CaptureRow, JurisdictionRow, SiteRow
from netpatrol.store.sites import site_of_host
from netpatrol.store.store import Store, now

BATCH = 5000
# Columns refresh computes; the registrar ones belong to import_registrars.
COMPUTED = (
    "ip_address",
    "hosting_country",
    "hosting_network",
    "geoip_source",
    "cctld_country",
    "platform",
    "platform_country",
)
REGISTRAR = ("registrar", "registrar_country", "registrar_abuse_email", "registrar_source")


@dataclass(frozen=True)
class ImportOutcome:
    imported: int
    errors: list[str]


def latest_addresses(store: Store) -> dict[int, str]:
    """Site id -> IP address of its most recent capture that stored one."""
    ip = CaptureRow.meta["ip_address"].as_string()
    best: dict[int, tuple[datetime, int, str]] = {}
    with store.engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(
                CaptureRow.site_id, CaptureRow.id, CaptureRow.captured_at, CaptureRow.stored_at, ip
            ).where(CaptureRow.site_id.is_not(None), CaptureRow.meta.is_not(None), ip.is_not(None))
        )
        for site_id, capture_id, captured, stored, address in rows:
            key = (captured or stored, capture_id)
            old = best.get(site_id)
            if (old is None or key > old[:2]) and (normal := parse_address(address)):
                best[site_id] = (key[0], key[1], str(normal))
    return {site: value[2] for site, value in best.items()}


def site_values(
    domain: str, address: str | None, geoip: GeoIPDatabase, known: Any = None
) -> dict[str, Any]:
    """The computed columns of one site; ``known``: its stored row, whose GeoIP answer is
    reused when the address and the database are the same (most sites, most runs)."""
    platform = platform_of(domain)
    onion = domain.endswith(".onion")
    hosting: tuple[str | None, str | None, str | None] = (None, None, None)
    if address and not onion:
        if known is not None and known.ip_address == address and known.geoip_source == geoip.source:
            hosting = (known.hosting_country, known.hosting_network, known.geoip_source)
        else:
            facts = geoip.lookup(address)
            hosting = (facts.country, facts.network, geoip.source)
    return {
        "ip_address": address,
        "hosting_country": hosting[0],
        "hosting_network": hosting[1],
        "geoip_source": hosting[2],
        "cctld_country": None if onion else country_of(f"https://{domain}/"),
        "platform": platform.name if platform else None,
        "platform_country": platform.country if platform else None,
    }


def refresh_jurisdictions(store: Store, geoip: GeoIPDatabase) -> int:
    """Compute every site's row; returns how many rows were created or changed (0 when
    nothing changed since the last run: safe to call after every scan)."""
    addresses = latest_addresses(store)
    with store.session() as session:
        sites = session.execute(select(SiteRow.id, SiteRow.domain)).all()
        existing = {
            row.site_id: row
            for row in session.execute(
                select(JurisdictionRow.id, JurisdictionRow.site_id, *_columns(COMPUTED))
            ).all()
        }
        stamp = now()
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for site_id, domain in sites:
            old = existing.get(site_id)
            values = site_values(domain, addresses.get(site_id), geoip, old)
            if old is None:
                inserts.append({"site_id": site_id, "updated_at": stamp, **values})
            elif any(getattr(old, name) != values[name] for name in COMPUTED):
                updates.append({"id": old.id, "updated_at": stamp, **values})
        _write(session, inserts, updates)
        session.commit()
    return len(inserts) + len(updates)


def import_registrars(store: Store, path: Path) -> tuple[int, list[str]]:
    """Registrar facts of an RDAP / WHOIS JSON file onto the workspace's sites.
    Returns (records imported, error messages); records of unknown domains are errors."""
    records: list[RegistrarRecord] = []
    errors: list[str] = []
    for item in read_registrar_file(path):
        if isinstance(item, RegistrarRecord):
            if item.registrar or item.abuse_email or item.iana_id:
                records.append(item)
            else:
                errors.append(f"{path}: {item.domain}: the record names no registrar")
        else:
            errors.append(str(item))
    imported = _save_registrars(store, records, path.name, errors)
    return imported, errors


def _save_registrars(
    store: Store, records: Iterable[RegistrarRecord], source: str, errors: list[str]
) -> int:
    with store.session() as session:
        site_ids: dict[str, int] = {
            domain: site_id
            for domain, site_id in session.execute(select(SiteRow.domain, SiteRow.id))
        }
        existing: dict[int, int] = {
            site_id: row_id
            for site_id, row_id in session.execute(
                select(JurisdictionRow.site_id, JurisdictionRow.id)
            )
        }
        stamp = now()
        by_site: dict[int, dict[str, Any]] = {}
        for record in records:
            site_id = site_ids.get(record.domain) or site_ids.get(site_of_host(record.domain))
            if site_id is None:
                errors.append(f"{source}: {record.domain}: no such site in the workspace")
                continue
            by_site[site_id] = {  # a later record of the same site wins
                # The IANA id has no column: a registrar named by its id only keeps that.
                "registrar": record.registrar or f"IANA registrar {record.iana_id}",
                "registrar_country": record.country,
                "registrar_abuse_email": record.abuse_email,
                "registrar_source": source,
                "updated_at": stamp,
            }
        inserts = [{"site_id": s, **v} for s, v in by_site.items() if s not in existing]
        updates = [{"id": existing[s], **v} for s, v in by_site.items() if s in existing]
        _write(session, inserts, updates)
        session.commit()
    return len(by_site)


def load_site_facts(store: Store) -> dict[int, SiteFacts]:
    """Site id -> what is known of it, for ``jurisdiction_of`` and the reports."""
    with store.session() as session:
        rows = session.execute(
            select(SiteRow.id, SiteRow.domain, *_columns(COMPUTED + REGISTRAR[:3])).join(
                SiteRow, SiteRow.id == JurisdictionRow.site_id
            )
        ).all()
    return {
        row.id: SiteFacts(
            domain=row.domain,
            **{name: getattr(row, name) for name in COMPUTED + REGISTRAR[:3]},
        )
        for row in rows
    }


def _columns(names: Iterable[str]) -> list[Any]:
    return [getattr(JurisdictionRow, name) for name in names]


def _write(session: Any, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
    # Executemany in both cases: one statement per batch, not one round trip per site.
    for start in range(0, len(inserts), BATCH):
        session.execute(insert(JurisdictionRow), inserts[start : start + BATCH])
    for start in range(0, len(updates), BATCH):
        session.execute(update(JurisdictionRow), updates[start : start + BATCH])
