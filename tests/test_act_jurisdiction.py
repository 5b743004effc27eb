"""Jurisdiction: GeoIP (shipped, .mmdb, DB-IP CSV), city names, platforms, RDAP / WHOIS,
and the ``jurisdiction`` command on a workspace built from a WARC with WARC-IP-Address."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import CliRunner
from mmdb_writer import write_mmdb
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from netpatrol.act.geoip import (
    DbIpCsvDatabase,
    GeoIPError,
    IpFacts,
    MaxMindDatabase,
    open_geoip,
    shipped_geoip,
)
from netpatrol.act.jurisdiction import jurisdiction_of
from netpatrol.act.places import country_named, country_of_city, country_of_place
from netpatrol.act.rdap import (
    RegistrarRecord,
    read_registrar_file,
    registrar_from_rdap,
    registrar_from_whois,
)
from netpatrol.errors import InputError
from netpatrol.knowledge.platforms import platform_of
from netpatrol.store.jurisdictions import load_site_facts, refresh_jurisdictions
from netpatrol.workspace import open_workspace

RDAP = Path(__file__).parent / "data" / "rdap"
RIPE_V6 = "2001:67c:2e8:22::c100:68b"

# --- GeoIP -------------------------------------------------------------------------------


def test_shipped_database_knows_public_addresses_and_its_date() -> None:
    geoip = shipped_geoip()
    assert geoip.lookup("8.8.8.8") == IpFacts("US", "GOOGLE")
    ripe = geoip.lookup("193.0.6.139")
    assert ripe.country == "NL" and ripe.network and "RIPE" in ripe.network
    assert geoip.lookup(RIPE_V6).country == "NL"  # IPv6 too
    assert geoip.lookup("::ffff:8.8.8.8").country == "US"  # IPv4-mapped
    assert geoip.source == "GeoLite2 Country + ASN 2024-06-18 (geoip2fast)"
    assert open_geoip("") is geoip and open_geoip(None) is geoip  # loaded once


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "192.168.1.20", "127.0.0.1", "::1", "fe80::1", "100.64.0.1", "203.0.113.9",
     "0.0.0.0", "not an ip", "", None],
)  # fmt: skip
def test_private_reserved_and_bad_addresses_get_no_country(address: str | None) -> None:
    assert shipped_geoip().lookup(address) == IpFacts()


def test_a_newer_mmdb_is_read_with_its_type_and_build_date(tmp_path: Path) -> None:
    path = tmp_path / "GeoLite2-Country.mmdb"
    networks: dict[str, dict[str, Any]] = {
        "51.38.0.0/16": {
            "country": {"iso_code": "FR"},
            "autonomous_system_organization": "OVH SAS",
        },
        "8.8.8.0/24": {"registered_country": {"iso_code": "US"}},  # no located country
        "10.0.0.0/8": {"country": {"iso_code": "DE"}},  # never asked: private
    }  # fmt: skip
    write_mmdb(path, networks, "GeoLite2-Country", 1782000000)  # 2026-06-21
    geoip = open_geoip(path)
    assert isinstance(geoip, MaxMindDatabase)
    assert geoip.lookup("51.38.1.2") == IpFacts("FR", "OVH SAS")
    assert geoip.lookup("8.8.8.8") == IpFacts("US", None)
    assert geoip.lookup("10.1.1.1") == IpFacts()
    assert geoip.lookup("1.2.3.4") == IpFacts()  # not in this database
    assert geoip.lookup(RIPE_V6) == IpFacts()  # IPv6 in an IPv4-only tree
    assert geoip.source == "GeoLite2-Country 2026-06-21 (GeoLite2-Country.mmdb)"


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_dbip_lite_csv_is_read(tmp_path: Path, gzipped: bool) -> None:
    text = (
        "1.0.0.0,1.0.0.255,AU\n"
        "51.38.0.0,51.38.255.255,FR\n"
        "193.0.0.0,193.0.15.255,NL\n"
        "2001:67c:2e8::,2001:67c:2e8:ffff:ffff:ffff:ffff:ffff,NL\n"
        "8.8.8.0,8.8.8.255,ZZ\n"
    )
    name = "dbip-country-lite-2026-11.csv"
    path = tmp_path / (name + (".gz" if gzipped else ""))
    path.write_bytes(gzip.compress(text.encode()) if gzipped else text.encode())
    geoip = open_geoip(path)
    assert isinstance(geoip, DbIpCsvDatabase)
    assert geoip.lookup("51.38.200.1") == IpFacts("FR")
    assert geoip.lookup("193.0.6.139") == IpFacts("NL")
    assert geoip.lookup(RIPE_V6) == IpFacts("NL")
    assert geoip.lookup("8.8.8.8") == IpFacts()  # ZZ: unknown, not a country
    assert geoip.lookup("51.39.0.1") == IpFacts()  # between ranges
    assert geoip.source == f"DB-IP Country Lite 2026-11 ({path.name})"


def test_bad_database_files_name_the_file_and_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(GeoIPError, match=r"countries\.txt: unknown kind .*\.mmdb"):
        open_geoip(tmp_path / "countries.txt")
    with pytest.raises(GeoIPError, match=r"missing\.mmdb: GeoIP database file not found"):
        open_geoip(tmp_path / "missing.mmdb")
    junk = tmp_path / "junk.mmdb"
    junk.write_bytes(b"not a database" * 10)
    with pytest.raises(GeoIPError, match=r"junk\.mmdb: not a usable GeoIP database.*MaxMind"):
        open_geoip(junk).lookup("8.8.8.8")
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("1.0.0.0,1.0.0.255,AU\n2.0.0.0,banana,FR\n")
    with pytest.raises(GeoIPError, match=r"bad\.csv: .*DB-IP country CSV.*line 2: bad range"):
        open_geoip(csv_file).lookup("8.8.8.8")


# --- places, platforms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("Lyon", "FR"), ("München", "DE"), ("Munich", "DE"), ("Muenchen", "DE"),
        ("Bruxelles", "BE"), ("Brussel", "BE"), ("Marseille", "FR"), ("Berlin", "DE"),
        ("Wien", "AT"), ("Vienna", "AT"), ("Milano", "IT"), ("Milan", "IT"), ("Köln", "DE"),
        ("Warszawa", "PL"), ("Praha", "CZ"), ("75001 Paris", "FR"), ("Lyon 3e", "FR"),
        ("Ships from: Germany", "DE"), ("Bruxelles, BE", "BE"), ("Lyon, Belgique", "BE"),
        ("Valencia", None),  # Spain and Venezuela: neither ten times the other
        ("Worldwide", None), ("Nowhere Town", None),
    ],
)  # fmt: skip
def test_declared_places_with_cities_in_their_languages(location: str, country: str | None) -> None:
    assert country_of_place(location) == country


def test_country_names_never_take_a_city() -> None:
    assert country_named("UNITED STATES") == "US" and country_named("Deutschland") == "DE"
    assert country_named("de") == "DE" and country_named("Berlin") is None
    assert country_of_city("Bruxelles") == "BE"


@pytest.mark.parametrize(
    ("domain", "name", "country"),
    [
        ("leboncoin.fr", "leboncoin", "FR"), ("www.ebay.fr", "eBay", "US"),
        ("ebay.co.uk", "eBay", "US"), ("m.kleinanzeigen.de", "Kleinanzeigen", "DE"),
        ("www.vinted.fr", "Vinted", "LT"), ("olx.pl", "OLX", "PL"), ("olx.ro", "OLX", "RO"),
        ("allegro.pl", "Allegro", "PL"), ("amazon.de", "Amazon", "LU"),
        ("amazon.com", "Amazon", "US"), ("t.me", "Telegram", "AE"),
        ("aliexpress.com", "AliExpress", "CN"), ("marktplaats.nl", "Marktplaats", "NL"),
    ],
)  # fmt: skip
def test_platforms(domain: str, name: str, country: str) -> None:
    found = platform_of(domain)
    assert found is not None and (found.name, found.country) == (name, country)


@pytest.mark.parametrize(
    "domain", ["example.com", "ebay-deals.com", "ebay", "ebay.com.evil.ru", ""]
)
def test_not_platforms(domain: str) -> None:
    assert platform_of(domain) is None


# --- RDAP / WHOIS ------------------------------------------------------------------------


def test_rdap_domain_response() -> None:
    import json

    record = json.loads((RDAP / "shop-example.rdap.json").read_text())
    assert registrar_from_rdap(record) == RegistrarRecord(
        domain="pills-example.com",
        registrar="Test Registrar GmbH",
        iana_id="1068",
        abuse_email="abuse@test-registrar.example",
        country="DE",
        registrant_country="FR",
    )


def test_whois_records_and_bad_records_in_json_lines() -> None:
    path = RDAP / "whois-export.jsonl"
    found = list(read_registrar_file(path))
    assert found[0] == RegistrarRecord(
        "ivory-example.fr", "Registrar Exemple SAS", "9999",
        "abuse@registrar-exemple.example", "FR", "BE",
    )  # fmt: skip
    assert found[1] == RegistrarRecord(
        "kleinanzeigen-clone.de", "Beispiel Registrar AG", "8888", registrant_country="DE"
    )
    errors = [str(e) for e in found[2:]]
    assert all(isinstance(e, InputError) for e in found[2:])
    assert "whois-export.jsonl" in errors[0] and "record 3: no domain name" in errors[0]
    assert "line 4: not JSON" in errors[1]


def test_a_list_with_a_record_that_is_no_domain() -> None:
    (error,) = read_registrar_file(RDAP / "not-a-domain.rdap.json")
    assert isinstance(error, InputError)
    assert "not-a-domain.rdap.json" in str(error) and "'nameserver'" in str(error)


def test_whois_without_domain_raises() -> None:
    with pytest.raises(ValueError, match="no domain name"):
        registrar_from_whois({"registrar": "X"})


# --- the command, end to end -------------------------------------------------------------


def _write_warc(path: Path, records: list[tuple[str, str | None, str]]) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, address, date in records:
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            body = f"<html><head><title>{url}</title></head><body>ad</body></html>".encode()
            headers = {"WARC-Date": date}
            if address:
                headers["WARC-IP-Address"] = address
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict=headers,
            )  # fmt: skip
            writer.write_record(record)


@pytest.fixture
def cli_with_jurisdiction(cli: CliRunner) -> CliRunner:
    return cli


def _sites(result: Any) -> dict[str, dict[str, Any]]:
    return {site["domain"]: site for site in result["sites"]}


def test_jurisdiction_command_on_a_workspace(
    workspace: Path, cli_with_jurisdiction: CliRunner, tmp_path: Path
) -> None:
    cli = cli_with_jurisdiction
    warc = tmp_path / "patrol.warc.gz"
    _write_warc(
        warc,
        [
            ("https://www.pills-example.com/p/1", "8.8.8.8", "2026-10-01T10:00:00Z"),
            # The most recent capture's address counts: the site moved to the Netherlands.
            ("https://shop.pills-example.com/p/2", "193.0.6.139", "2026-11-01T10:00:00Z"),
            ("https://www.pills-example.com/p/3", None, "2026-11-20T10:00:00Z"),
            ("https://ivory-example.fr/ad/7", "10.0.0.1", "2026-11-02T10:00:00Z"),
            ("https://www.ebay.de/itm/123", RIPE_V6, "2026-11-03T10:00:00Z"),
            ("http://" + "a" * 56 + ".onion/item", "127.0.0.1", "2026-11-04T10:00:00Z"),
        ],
    )
    assert cli("--workspace", workspace, "ingest", warc).code == 0
    assert cli("--workspace", workspace, "scan").code in (0, 1)
    ws = open_workspace(workspace)
    try:  # the scan refreshed them already
        assert {f.domain: f.hosting_country for f in load_site_facts(ws.store).values()}[
            "pills-example.com"
        ] == "NL"
    finally:
        ws.close()

    result = cli("--workspace", workspace, "jurisdiction", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict)
    assert data["geoip_source"] == "GeoLite2 Country + ASN 2024-06-18 (geoip2fast)"
    assert data["changed"] == 0  # nothing new since the scan
    sites = _sites(data)
    pills = sites["pills-example.com"]
    assert (pills["ip_address"], pills["hosting_country"], pills["cctld_country"]) == (
        "193.0.6.139", "NL", None,
    )  # fmt: skip
    assert "RIPE" in pills["hosting_network"]
    ivory = sites["ivory-example.fr"]
    assert (ivory["ip_address"], ivory["hosting_country"], ivory["cctld_country"]) == (
        "10.0.0.1", None, "FR",
    )  # fmt: skip
    ebay = sites["ebay.de"]
    assert (ebay["hosting_country"], ebay["cctld_country"]) == ("NL", "DE")
    assert (ebay["platform"], ebay["platform_country"]) == ("eBay", "US")
    onion = sites["a" * 56 + ".onion"]
    assert onion["hosting_country"] is None and onion["cctld_country"] is None

    imported = cli(
        "--workspace", workspace, "jurisdiction", "import-rdap",
        RDAP / "shop-example.rdap.json", RDAP / "whois-export.jsonl", "--json",
    )  # fmt: skip
    assert imported.code == 1  # some records could not be used, each named
    outcome = imported.json()
    assert isinstance(outcome, dict) and outcome["imported"] == 2
    assert any("kleinanzeigen-clone.de: no such site" in e for e in outcome["errors"])
    assert any("line 4: not JSON" in e for e in outcome["errors"])

    again = cli("--workspace", workspace, "jurisdiction", "--json")
    sites = _sites(again.json())
    pills = sites["pills-example.com"]
    assert (pills["registrar"], pills["registrar_country"]) == ("Test Registrar GmbH", "DE")
    assert pills["registrar_abuse_email"] == "abuse@test-registrar.example"
    assert pills["hosting_country"] == "NL"  # the refresh kept both
    assert sites["ivory-example.fr"]["registrar_country"] == "FR"

    table = cli("--workspace", workspace, "jurisdiction")
    assert table.code == 0 and "GeoLite2 Country + ASN 2024-06-18" in table.out
    assert "Test Registrar GmbH (DE)" in table.out

    ws = open_workspace(workspace)
    try:
        facts = load_site_facts(ws.store)
        assert refresh_jurisdictions(ws.store, shipped_geoip()) == 0  # idempotent
        by_domain = {f.domain: f for f in facts.values()}
        found = jurisdiction_of(by_domain["ebay.de"], "https://www.ebay.de/itm/123", "Lyon")
        assert (found.country, found.seller, found.hosting) == ("US", "FR", "NL")
    finally:
        ws.close()
