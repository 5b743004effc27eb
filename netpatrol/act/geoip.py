"""Hosting country and network (AS name) of an IP address stored at capture time.

The shipped database is geoip2fast's GeoLite2 country + ASN file (IPv4 and IPv6); its
date is part of every answer's ``source`` because a country read from a 2024 database
is a 2024 fact. A newer file can replace it: a MaxMind / DB-IP ``.mmdb``, a DB-IP
"lite" country CSV (``ip_start,ip_end,country``, optionally gzipped) or another
geoip2fast ``.dat.gz``. Adding a kind of database: subclass ``GeoIPDatabase``
and list it in ``KINDS``.

Every database loads lazily and once (the shipped one takes ~0.25 s). Addresses that
are not globally routable (private, loopback, link-local, CGNAT, reserved) get no
country: a database answer for them would be a guess about someone's LAN.
"""

from __future__ import annotations

import csv
import gzip
import ipaddress
import re
import threading
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from netpatrol.errors import ConfigError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
SHIPPED_FILE = "geoip2fast-asn-ipv6.dat.gz"
# Region codes some databases use that name no single country.
_NOT_COUNTRIES = frozenset({"EU", "AP", "ZZ", "A1", "A2", "O1", "--"})
_CODE = re.compile(r"^[A-Z]{2}$")


class GeoIPError(ConfigError):
    """A GeoIP database file that cannot be used (names the file and what was expected)."""


@dataclass(frozen=True)
class IpFacts:
    """What a database says of one address; all None when it says nothing."""

    country: str | None = None  # ISO 3166 alpha-2
    network: str | None = None  # AS name (organisation)


NOTHING = IpFacts()


def parse_address(text: str | None) -> IPAddress | None:
    """A stored address as an ``ipaddress`` object; None when empty or malformed."""
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def country_code(value: Any) -> str | None:
    """A database's country value as ISO alpha-2, None for blanks and region codes."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return code if _CODE.match(code) and code not in _NOT_COUNTRIES else None


class GeoIPDatabase(ABC):
    """One IP database: ``lookup`` an address, ``source`` says which data and its date."""

    #: File name endings this kind reads (lower case), for ``open_geoip``.
    suffixes: ClassVar[tuple[str, ...]] = ()
    #: What such a file is, for error messages.
    description: ClassVar[str] = ""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._loaded = False

    def _ensure(self) -> None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self._load()
                    self._loaded = True

    @property
    def source(self) -> str:
        """Database name and date, e.g. ``GeoLite2 Country + ASN 2024-06-18 (geoip2fast)``."""
        self._ensure()
        return self._source()

    def lookup(self, ip: str | None) -> IpFacts:
        """Country and AS name of a public address; nothing for private or bad ones."""
        address = parse_address(ip)
        if address is None or not address.is_global:
            return NOTHING
        self._ensure()
        return self._lookup(address)

    def _fail(self, expected: str, detail: str = "") -> GeoIPError:
        where = str(self.path) if self.path else "the shipped GeoIP database"
        tail = f": {detail}" if detail else ""
        return GeoIPError(f"{where}: not a usable GeoIP database, expected {expected}{tail}")

    @abstractmethod
    def _load(self) -> None: ...

    @abstractmethod
    def _source(self) -> str: ...

    @abstractmethod
    def _lookup(self, address: IPAddress) -> IpFacts: ...


class GeoIP2FastDatabase(GeoIPDatabase):
    """geoip2fast ``.dat.gz``: the shipped one (None) or a newer file of that format."""

    suffixes = (".dat.gz",)
    description = "a geoip2fast .dat.gz file"

    def _load(self) -> None:
        from geoip2fast import GeoIP2Fast

        try:
            self._db = GeoIP2Fast(
                verbose=False, geoip2fast_data_file=str(self.path) if self.path else SHIPPED_FILE
            )
            info = self._db.get_database_info()
        except Exception as exc:  # geoip2fast raises bare Exceptions of many kinds
            raise self._fail(self.description, str(exc)) from None
        self._info = str(info.get("source_info", ""))
        self._has_asn = bool(self._db.asn)

    def _source(self) -> str:
        # 'MAXMIND:GeoLite2-CountryASN-IPv4IPv6-en-20240618'
        found = re.search(r"(GeoLite2)-(Country)?(ASN)?.*?(\d{4})(\d{2})(\d{2})", self._info)
        if not found:
            return f"{self._info or 'unknown'} (geoip2fast)"
        content = " + ".join(part for part in (found[2], found[3]) if part)
        date = f"{found[4]}-{found[5]}-{found[6]}"
        return f"{found[1]} {content} {date} (geoip2fast)"

    def _lookup(self, address: IPAddress) -> IpFacts:
        result = self._db.lookup(str(address))
        network = (getattr(result, "asn_name", "") or "").strip() if self._has_asn else ""
        if result.is_private or network == "IANA.ORG":
            return NOTHING
        return IpFacts(country_code(result.country_code), network or None)


class MaxMindDatabase(GeoIPDatabase):
    """A MaxMind DB (``.mmdb``): GeoLite2 / GeoIP2 Country, City or ASN, DB-IP lite."""

    suffixes = (".mmdb",)
    description = "a MaxMind DB (.mmdb) file such as GeoLite2-Country.mmdb or dbip-country-lite"

    def _load(self) -> None:
        import maxminddb

        try:
            self._reader = maxminddb.open_database(str(self.path))
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
            raise self._fail(self.description, str(exc)) from None
        meta = self._reader.metadata()
        built = datetime.fromtimestamp(meta.build_epoch, UTC).date().isoformat()
        name = self.path.name if self.path else ""
        self._label = f"{meta.database_type} {built} ({name})"

    def _source(self) -> str:
        return self._label

    def _lookup(self, address: IPAddress) -> IpFacts:
        try:
            record = self._reader.get(address)
        except ValueError:  # an IPv6 address in an IPv4-only database
            return NOTHING
        if not isinstance(record, dict):
            return NOTHING
        country = None
        # Where the server is, else the country the block is registered to.
        for key in ("country", "registered_country"):
            entry = record.get(key)
            if isinstance(entry, dict) and (country := country_code(entry.get("iso_code"))):
                break
        network = record.get("autonomous_system_organization")
        return IpFacts(country, network if isinstance(network, str) and network else None)


class DbIpCsvDatabase(GeoIPDatabase):
    """DB-IP "IP to Country Lite" CSV: ``ip_start,ip_end,country`` a line, .csv or .csv.gz."""

    suffixes = (".csv", ".csv.gz")
    description = "a DB-IP country CSV (ip_start,ip_end,country a line)"

    def _load(self) -> None:
        assert self.path is not None
        starts: dict[int, list[int]] = {4: [], 6: []}
        ends: dict[int, list[int]] = {4: [], 6: []}
        codes: dict[int, list[str | None]] = {4: [], 6: []}
        try:
            for line, row in self._rows():
                first, last, code = self._parse(line, row)
                starts[first.version].append(int(first))
                ends[first.version].append(int(last))
                codes[first.version].append(country_code(code))
        except (OSError, UnicodeDecodeError, csv.Error, EOFError) as exc:
            raise self._fail(self.description, str(exc)) from None
        if not starts[4] and not starts[6]:
            raise self._fail(self.description, "no rows")
        self._tables = {}
        for version in (4, 6):
            order = sorted(range(len(starts[version])), key=starts[version].__getitem__)
            self._tables[version] = (
                [starts[version][i] for i in order],
                [ends[version][i] for i in order],
                [codes[version][i] for i in order],
            )
        found = re.search(r"(\d{4}-\d{2}(?:-\d{2})?)", self.path.name)
        if found:
            self._label = f"DB-IP Country Lite {found[1]} ({self.path.name})"
        else:
            changed = datetime.fromtimestamp(self.path.stat().st_mtime, UTC).date()
            self._label = f"DB-IP country CSV ({self.path.name}, file of {changed.isoformat()})"

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        assert self.path is not None
        gzipped = self.path.name.lower().endswith(".gz")
        with (
            gzip.open(self.path, "rt", encoding="utf-8", newline="")
            if gzipped
            else self.path.open(encoding="utf-8", newline="")
        ) as text:
            for number, row in enumerate(csv.reader(text), 1):
                if row and not (number == 1 and not _looks_like_ip(row[0])):  # a header
                    yield number, row

    def _parse(self, line: int, row: list[str]) -> tuple[IPAddress, IPAddress, str]:
        if len(row) < 3:
            raise self._fail(self.description, f"line {line} has {len(row)} columns")
        first, last = parse_address(row[0]), parse_address(row[1])
        if first is None or last is None or first.version != last.version or int(first) > int(last):
            raise self._fail(self.description, f"line {line}: bad range {row[0]!r}..{row[1]!r}")
        return first, last, row[2]

    def _source(self) -> str:
        return self._label

    def _lookup(self, address: IPAddress) -> IpFacts:
        starts, ends, codes = self._tables[address.version]
        value = int(address)
        index = bisect_right(starts, value) - 1
        if index < 0 or value > ends[index]:
            return NOTHING
        return IpFacts(codes[index], None)


def _looks_like_ip(text: str) -> bool:
    return parse_address(text) is not None


#: The kinds of database ``open_geoip`` knows, tried in order by file name ending.
KINDS: tuple[type[GeoIPDatabase], ...] = (GeoIP2FastDatabase, MaxMindDatabase, DbIpCsvDatabase)


def open_geoip(path: Path | str | None = None) -> GeoIPDatabase:
    """The database of a file (by its name's ending), or the shipped one for None / ""."""
    if path is None or str(path).strip() == "":
        return shipped_geoip()
    file = Path(path).expanduser()
    name = file.name.lower()
    for kind in KINDS:
        if name.endswith(kind.suffixes):
            if not file.is_file():
                raise GeoIPError(f"{file}: GeoIP database file not found")
            return kind(file)
    expected = "; ".join(f"{k.description} ({', '.join(k.suffixes)})" for k in KINDS)
    raise GeoIPError(f"{file}: unknown kind of GeoIP database; expected {expected}")


_SHIPPED: list[GeoIPDatabase] = []


def shipped_geoip() -> GeoIPDatabase:
    """The process-wide shipped database (loaded on its first lookup, then kept)."""
    if not _SHIPPED:
        _SHIPPED.append(GeoIP2FastDatabase())
    return _SHIPPED[0]
