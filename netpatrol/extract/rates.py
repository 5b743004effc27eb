"""Conversion to EUR with dated reference rates: the shipped ECB table, or a user's file.

A rate is the ECB's quotation: units of a currency for one euro (USD 1.1172 means
1 EUR = 1.1172 USD), so ``to_eur(amount, "USD") = amount / 1.1172``. Two file formats:

- the ECB's own ``eurofxref.csv`` (``Date, USD, JPY, ...`` then a row such as
  ``30 October 2026, 1.1172, 175.68, ...``; ``eurofxref-hist.csv`` too: its newest row
  is used, ``N/A`` cells are skipped);
- a two-column ``currency,rate`` CSV (same meaning of rate), with an optional
  ``# date: YYYY-MM-DD`` comment line.

Lines starting with ``#`` are comments in both. Bad rows raise InputError naming the file,
line, column and value. A currency missing from the table converts to None, never to a
guess; the euro's irrevocably fixed legacy rates (HRK, BGN) fill in when a table lacks them.
Crypto assets are not quoted by the ECB and are not converted.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path

from netpatrol.errors import InputError

SHIPPED = "ecb-eur-2026-10-30.csv"  # ECB reference rates of 30 October 2026
# Irrevocably fixed conversion rates of currencies replaced by the euro (Council of the EU).
LEGACY_FIXED = {"HRK": 7.53450, "BGN": 1.95583}
_DATE_FORMATS = ("%d %B %Y", "%Y-%m-%d", "%d %b %Y")


@dataclass(frozen=True)
class RateTable:
    """Reference rates (units per 1 EUR) of one date."""

    date: date | None
    rates: Mapping[str, float] = field(default_factory=dict)
    source: str = ""

    def rate(self, currency: str) -> float | None:
        """Units of ``currency`` for one euro; None when the table does not quote it."""
        code = currency.strip().upper()
        if code == "EUR":
            return 1.0
        return self.rates.get(code) or LEGACY_FIXED.get(code)

    def to_eur(self, amount: float, currency: str) -> float | None:
        """``amount`` of ``currency`` in euros; None when the currency is unknown."""
        rate = self.rate(currency)
        if rate is None or not math.isfinite(amount):
            return None
        return amount / rate


def load_rates(path: Path | None = None) -> RateTable:
    """The rate table in ``path``, or the shipped ECB table when ``path`` is None."""
    if path is None:
        shipped = resources.files("netpatrol.knowledge").joinpath("rates", SHIPPED)
        return parse_rates(
            shipped.read_text(encoding="utf-8"), f"netpatrol/knowledge/rates/{SHIPPED}"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read rate file: {exc}") from exc
    return parse_rates(text, str(path))


def parse_rates(text: str, source: str = "<text>") -> RateTable:
    """A rate table from the text of an ECB eurofxref CSV or a ``currency,rate`` CSV."""
    rows = _rows(text)
    if not rows:
        raise InputError(source, "empty rate file; expected an ECB eurofxref CSV or currency,rate")
    first = rows[0][1][0].strip().lower()
    if first == "date":
        return _parse_ecb(rows, source)
    if first == "currency":
        return _parse_pairs(rows, source, _comment_date(text, source))
    raise InputError(
        source,
        "unknown rate file format; expected an ECB eurofxref CSV (header 'Date, USD, ...') "
        "or a two-column CSV with header 'currency,rate'",
        line=rows[0][0],
        value=rows[0][1][0],
    )


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the non-empty, non-comment lines."""
    found = []
    for number, line in enumerate(io.StringIO(text), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader([line]))
        while cells and not cells[-1].strip():  # the ECB ends each line with ", "
            cells.pop()
        if cells:
            found.append((number, cells))
    return found


def _parse_ecb(rows: list[tuple[int, list[str]]], source: str) -> RateTable:
    header = [cell.strip().upper() for cell in rows[0][1]]
    if len(rows) < 2:
        raise InputError(source, "no data row after the header", line=rows[0][0])
    dated = [(_date(cells[0], source, line, "Date"), line, cells) for line, cells in rows[1:]]
    day, line, cells = max(dated, key=lambda item: item[0])
    if len(cells) > len(header):
        raise InputError(source, "more cells than header columns", line=line, value=cells[-1])
    rates: dict[str, float] = {}
    for code, cell in zip(header[1:], cells[1:], strict=False):
        if cell.strip().upper() in ("N/A", ""):
            continue
        rates[_code(code, source, rows[0][0])] = _rate(cell, source, line, code)
    return RateTable(day, rates, source)


def _parse_pairs(rows: list[tuple[int, list[str]]], source: str, day: date | None) -> RateTable:
    rates: dict[str, float] = {}
    for line, cells in rows[1:]:
        if len(cells) != 2:
            raise InputError(
                source, f"expected 2 cells (currency,rate), found {len(cells)}", line=line
            )
        code = _code(cells[0], source, line)
        rates[code] = _rate(cells[1], source, line, "rate")
    return RateTable(day, rates, source)


def _code(cell: str, source: str, line: int) -> str:
    code = cell.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise InputError(
            source, "not an ISO 4217 currency code", line=line, column="currency", value=cell
        )
    return code


def _rate(cell: str, source: str, line: int, column: str) -> float:
    try:
        value = float(cell.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise InputError(
            source,
            "rate must be a positive number of units per 1 EUR",
            line=line,
            column=column,
            value=cell,
        )
    return value


def _date(cell: str, source: str, line: int, column: str) -> date:
    text = cell.strip()
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise InputError(
        source,
        "date must read like '30 October 2026' or '2026-10-30'",
        line=line,
        column=column,
        value=cell,
    )


def _comment_date(text: str, source: str) -> date | None:
    """The date of a ``# date: YYYY-MM-DD`` comment line, if any."""
    for number, line in enumerate(io.StringIO(text), start=1):
        stripped = line.strip().lstrip("#").strip()
        if line.lstrip().startswith("#") and stripped.lower().startswith("date:"):
            return _date(stripped[5:], source, number, "date")
    return None
