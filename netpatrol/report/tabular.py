"""``report --out FILE.csv`` (one row per finding) and ``--out FILE.json`` (everything).

The CSV is for spreadsheets: UTF-8 with a byte-order mark (Excel then reads accents
right), lists joined by " | ", and text cells that a spreadsheet would run as a formula
(scraped titles starting with ``=``, ``+``, ``-``, ``@``) prefixed with a quote.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from netpatrol.report.data import Finding, ReportData
from netpatrol.report.figures import country_key, platform_key, specimens
from netpatrol.report.files import atomic_text

JSON_SCHEMA = "netpatrol.report"
JSON_SCHEMA_VERSION = 1
JOIN = " | "
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _when(value: datetime | None) -> str:
    return value.isoformat() if value else ""


# (column, value of a finding): the columns of the CSV, in order.
COLUMNS: tuple[tuple[str, Callable[[Finding], Any]], ...] = (
    ("listing_id", lambda f: f.listing_id),
    ("category", lambda f: f.category),
    ("score", lambda f: round(f.score, 4)),
    ("title", lambda f: f.title),
    ("url", lambda f: f.url),
    ("site", lambda f: f.site),
    ("platform", platform_key),
    ("country", country_key),
    ("hosting_country", lambda f: f.jurisdiction.hosting),
    ("hosting_network", lambda f: f.jurisdiction.hosting_network),
    ("cctld_country", lambda f: f.jurisdiction.cctld),
    ("seller_country", lambda f: f.jurisdiction.seller),
    ("platform_country", lambda f: f.jurisdiction.platform),
    ("registrar_country", lambda f: f.jurisdiction.registrar),
    ("seller", lambda f: f.seller),
    ("location", lambda f: f.location),
    ("price", lambda f: f.price),
    ("currency", lambda f: f.currency),
    ("price_eur", lambda f: None if f.price_eur is None else round(f.price_eur, 2)),
    ("quantity", lambda f: f.quantity),
    ("unit", lambda f: f.unit),
    ("specimens", specimens),
    ("species", lambda f: JOIN.join(f.species)),
    ("cites_appendices", lambda f: JOIN.join(f.appendices)),
    ("labels", lambda f: JOIN.join(f.labels)),
    ("evidence", lambda f: JOIN.join(f"{e.kind}: {e.text}" for e in f.evidence)),
    ("identifiers", lambda f: JOIN.join(f"{k}:{v}" for k, v in f.identifiers)),
    ("networks", lambda f: JOIN.join(f.networks)),
    ("status", lambda f: f.status),
    ("removed_at", lambda f: _when(f.removed_at)),
    ("referrals", lambda f: JOIN.join(str(r) for r in f.referrals)),
    ("captured_at", lambda f: _when(f.captured_at)),
    ("evidence_sha256", lambda f: f.sha256),
    ("warc_file", lambda f: f.evidence_file),
    ("warc_offset", lambda f: f.evidence_offset),
    ("warc_record_id", lambda f: f.warc_record_id),
    ("capture_id", lambda f: f.capture_id),
)


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def finding_row(finding: Finding) -> dict[str, Any]:
    return {name: csv_cell(get(finding)) for name, get in COLUMNS}


class CsvWriter:
    """One row per finding, every field an analyst or press office needs."""

    suffix = ".csv"

    def write(self, data: ReportData, path: Path) -> list[str]:
        with atomic_text(path, "utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[name for name, _ in COLUMNS])
            writer.writeheader()
            for finding in data.findings:
                writer.writerow(finding_row(finding))
        warnings = []
        if data.offline or data.top_networks or data.referrals:
            warnings.append(
                f"{path.name}: the CSV lists the findings only; the offline log, networks "
                "and referrals are in the .json and .html reports"
            )
        return warnings


class JsonWriter:
    """The whole report (``ReportData.as_dict()``) with its schema name and version."""

    suffix = ".json"

    def write(self, data: ReportData, path: Path) -> list[str]:
        document = {"schema": JSON_SCHEMA, "schema_version": JSON_SCHEMA_VERSION}
        document.update(data.as_dict())
        document = _finite(document)
        with atomic_text(path, newline="") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=2, allow_nan=False)
            handle.write("\n")
        return []


def _finite(value: Any) -> Any:
    """NaN and infinities are not JSON: None (unknown) instead."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
