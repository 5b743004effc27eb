"""Known marketplaces and platforms: who operates a domain, from which country.

Shipped table ``knowledge/platforms.tsv`` (see its header and ``SOURCES.md``). A pattern is
a registered domain (``leboncoin.fr``) or ``NAME.*`` for every public suffix of a brand
(``ebay.*`` matches ebay.fr and ebay.co.uk); an exact row wins over a ``NAME.*`` one, so
``amazon.de`` can name the EU operator while ``amazon.*`` names the group.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from netpatrol.errors import InputError
from netpatrol.extract.country import country_of
from netpatrol.store.sites import registered_domain

PLATFORMS_FILE = Path(__file__).resolve().parent / "platforms.tsv"
COLUMNS = ("pattern", "name", "operator", "country", "notice_url")
# In the country column: the operator is the national company of the domain's ccTLD.
BY_CCTLD = "cctld"


@dataclass(frozen=True)
class Platform:
    name: str
    operator: str
    country: str | None  # ISO 3166 alpha-2 of the operator
    notice_url: str | None = None  # public notice-and-action (DSA) page, when verified


@dataclass(frozen=True)
class _Row:
    platform: Platform
    by_cctld: bool


def load_platforms(path: Path = PLATFORMS_FILE) -> dict[str, _Row]:
    """Pattern -> row; errors name the file and line."""
    rows: dict[str, _Row] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        reader = csv.reader(lines, delimiter="\t")
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != COLUMNS:
            raise InputError(path, f"expected the header {' '.join(COLUMNS)}")
        for number, row in enumerate(reader, 2):
            if len(row) != len(COLUMNS):
                raise InputError(
                    path, f"expected {len(COLUMNS)} tab-separated columns", line=number
                )
            pattern, name, operator, country, notice = (cell.strip() for cell in row)
            by_cctld = country == BY_CCTLD
            if not by_cctld and not (len(country) == 2 and country.isupper()):
                raise InputError(path, "country must be ISO alpha-2 or 'cctld'", line=number)
            if notice and not notice.startswith("https://"):
                raise InputError(path, "notice_url must be an https URL", line=number)
            platform = Platform(name, operator, None if by_cctld else country, notice or None)
            rows[pattern.lower()] = _Row(platform, by_cctld)
    return rows


@lru_cache(maxsize=1)
def _shipped() -> dict[str, _Row]:
    return load_platforms()


def platform_of(domain: str) -> Platform | None:
    """The platform a host or registered domain belongs to (``www.ebay.co.uk`` -> eBay)."""
    host = domain.strip().rstrip(".").lower()
    if not host:
        return None
    registered = registered_domain(host)
    site = registered or host
    rows = _shipped()
    row = rows.get(site)
    if row is None and registered:  # no brand match on unknown suffixes ("ebay.fakeshop")
        row = rows.get(registered.split(".", 1)[0] + ".*")
    if row is None:
        return None
    if row.by_cctld:
        # Only a ccTLD names the national operator (olx.pl); olx.com names none.
        return Platform(
            row.platform.name, row.platform.operator, country_of(f"https://{site}/"), None
        )
    return row.platform
