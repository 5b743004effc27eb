"""Parse an operation's offline findings log: a CSV of what happened offline.

Columns (English names; the French ones that customs spreadsheets use are accepted):
``date`` (``date``), ``kind`` (``type``), ``count`` (``nombre``), ``value_eur``
(``valeur_eur``), ``country`` (``pays``), ``category`` (``categorie``), ``note``. Comma,
semicolon or tab separated (told from the header line); UTF-8, else Windows-1252 (what
a French Excel saves). Each bad row becomes an ``InputError`` naming its line, column and
what was expected; the other rows are kept.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pycountry

from netpatrol.errors import InputError
from netpatrol.model import CATEGORIES
from netpatrol.report.data import OfflineEntry

COLUMNS = ("date", "kind", "count", "value_eur", "country", "category", "note")
REQUIRED = ("date", "kind")
ALIASES = {
    "type": "kind",
    "nombre": "count",
    "quantite": "count",
    "valeur_eur": "value_eur",
    "valeur": "value_eur",
    "value": "value_eur",
    "pays": "country",
    "categorie": "category",
    "remarque": "note",
    "commentaire": "note",
    "notes": "note",
}
# The kinds the press releases quote, under their French names too.
KIND_ALIASES = {
    "colis_inspectes": "parcels_inspected",
    "colis_controles": "parcels_inspected",
    "colis_avec_constatations": "parcels_with_findings",
    "saisies": "seizures",
    "arrestations": "arrests",
    "interpellations": "arrests",
    "enquetes_ouvertes": "cases_opened",
    "affaires_ouvertes": "cases_opened",
    "constatations": "findings",
    "sites_fermes": "sites_closed",
    "annonces_retirees": "ads_removed",
}
CATEGORY_ALIASES = {
    "faune": "wildlife",
    "faune_flore": "wildlife",
    "medicaments": "medicine",
    "contrefacon": "counterfeit",
    "contrefacons": "counterfeit",
    "drogues": "drugs",
    "stupefiants": "drugs",
    "armes": "weapons",
}
_DATE_FORMATS = ("%d/%m/%Y", "%d.%m.%Y")
Bad = Callable[[str, str], InputError]  # (column, what was expected) -> the error


@dataclass(frozen=True)
class LogRow:
    line: int  # where the row starts in the file (1: the header)
    entry: OfflineEntry


@dataclass
class ParsedLog:
    rows: list[LogRow] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def snake(text: str) -> str:
    """``"Colis inspectés"`` -> ``"colis_inspectes"``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    return max((";", ",", "\t"), key=header.count)


def parse_log(raw: bytes, path: Path) -> ParsedLog:
    text = _decode(raw)
    found = ParsedLog()
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise InputError(path, "empty findings log; expected a header: " + ",".join(COLUMNS))
    sep = _delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] | None = None
    last = 0
    for record in reader:
        start, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = _header(record, path, start, found)
            continue
        try:
            found.rows.append(_row(dict(zip(header, record, strict=False)), path, start, sep))
        except InputError as exc:
            found.errors.append(exc)
    return found


def _header(record: list[str], path: Path, line: int, found: ParsedLog) -> list[str]:
    names = [ALIASES.get(snake(cell), snake(cell)) for cell in record]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InputError(
            path,
            f"missing column(s) {', '.join(missing)}; expected a header with "
            + ", ".join(COLUMNS)
            + " (French: date, type, nombre, valeur_eur, pays, categorie, note)",
            line=line,
        )
    for name, cell in zip(names, record, strict=True):
        if name not in COLUMNS:
            found.warnings.append(f"{path}: column {cell!r} is not one of ours: ignored")
    return names


def _row(cells: dict[str, str], path: Path, line: int, sep: str) -> LogRow:
    def get(name: str) -> str:
        return (cells.get(name) or "").strip()

    def bad(column: str, reason: str) -> InputError:
        return InputError(path, reason, line=line, column=column, value=get(column))

    kind = snake(get("kind"))
    if not kind:
        raise bad("kind", "expected a kind such as parcels_inspected, seizures or arrests")
    kind = KIND_ALIASES.get(kind, kind)
    try:
        count = _number(get("count"), sep)
    except ValueError:
        raise bad("count", "expected a number of 0 or more (e.g. 12 or 1 250)") from None
    try:
        value = _number(get("value_eur").replace("€", "").replace("EUR", ""), sep)
    except ValueError:
        raise bad("value_eur", "expected an amount in euros of 0 or more (e.g. 1500.50)") from None
    if count is None and value is None:
        raise bad("count", "expected a count or a value_eur: the row says neither")
    entry = OfflineEntry(
        at=_date(get("date"), bad),
        kind=kind[:64],
        count=count,
        value_eur=value,
        country=_country(get("country"), bad),
        category=_category(get("category"), bad),
        note=get("note") or None,
    )
    return LogRow(line, entry)


def _number(text: str, sep: str) -> float | None:
    """The number, None when empty; ValueError when not a number of 0 or more."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not cleaned:
        return None
    # A decimal comma only where it cannot be the column separator nor a thousands one.
    if sep != "," and re.fullmatch(r"\d+,\d{1,2}", cleaned):
        cleaned = cleaned.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    number = float(cleaned)
    if not math.isfinite(number) or number < 0:
        raise ValueError(text)
    return number


def _date(text: str, bad: Bad) -> datetime:
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for fmt in _DATE_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if moment is None:
        raise bad("date", "expected a date as YYYY-MM-DD or DD/MM/YYYY")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _country(text: str, bad: Bad) -> str | None:
    if not text:
        return None
    try:
        found = (
            pycountry.countries.get(alpha_2=text.upper())
            if len(text) == 2
            else pycountry.countries.lookup(text)
        )
    except LookupError:
        found = None
    if found is None:
        raise bad("country", "expected an ISO 3166 country code such as FR or DE")
    return str(found.alpha_2)


def _category(text: str, bad: Bad) -> str | None:
    if not text:
        return None
    name = snake(text)
    name = CATEGORY_ALIASES.get(name, name)
    if name not in CATEGORIES:
        raise bad("category", "expected one of " + ", ".join(CATEGORIES) + " or nothing")
    return name
