"""The recipients table: who receives referral packages, editable by the user.

A workspace gets its own copy, ``recipients.csv``, the first time ``refer`` runs: the
shipped table (``knowledge/recipients.csv``) only names public agencies and portals that
can be checked, and leaves a contact empty wherever it could not be confirmed. The user
fills in contacts and adds partner agencies, hosts, registrars and platforms there.

Columns: key, kind, name, country, categories (``;``-separated finding categories it
takes, empty: all), language (of its notices), contact (an e-mail address or a web form
URL, empty: unknown), notes. A host, registrar, platform or payment row is used instead
of the generic recipient routing makes from the site's facts when its key equals the key
``refer`` prints for that recipient, or its name equals the name found there.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from netpatrol.errors import InputError

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge" / "recipients.csv"
WORKSPACE_FILE = "recipients.csv"
COLUMNS = ("key", "kind", "name", "country", "categories", "language", "contact", "notes")
AUTHORITY_KINDS = ("police", "customs", "medicines_regulator", "wildlife_authority")
INTERMEDIARY_KINDS = ("registrar", "host", "platform", "payment")
KINDS = AUTHORITY_KINDS + INTERMEDIARY_KINDS
CATEGORIES = ("wildlife", "medicine", "counterfeit", "drugs", "weapons")

_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_URL = re.compile(r"^https?://[^\s<>]+$")


@dataclass(frozen=True)
class Recipient:
    key: str
    kind: str
    name: str
    country: str | None
    categories: tuple[str, ...] = ()  # empty: every category
    language: str = "en"
    contact: str | None = None
    notes: str | None = None
    generic: bool = False  # made by routing from a site's facts, not read from the table

    def takes(self, category: str) -> bool:
        return not self.categories or category in self.categories

    @property
    def contact_is_email(self) -> bool:
        return bool(self.contact and _EMAIL.match(self.contact))


def workspace_recipients(root: Path) -> tuple[list[Recipient], Path]:
    """The workspace's table, copied from the shipped one on first use."""
    path = root / WORKSPACE_FILE
    if not path.exists():
        shutil.copyfile(SHIPPED, path)
    return load_recipients(path), path


def load_recipients(path: Path | None = None) -> list[Recipient]:
    """Read and check a recipients table; a bad cell is an InputError naming its line."""
    path = path or SHIPPED
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(path, f"cannot read the recipients table: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(path, "the recipients table is not UTF-8 text") from None
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise InputError(
            path, f"the header must be {','.join(COLUMNS)}", line=1, value=",".join(header)
        )
    found: list[Recipient] = []
    keys: set[str] = set()
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            raise InputError(path, f"expected {len(COLUMNS)} cells, found {len(cells)}", line=line)
        recipient = _recipient(
            path, line, dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
        )
        if recipient.key in keys:
            raise InputError(
                path, "this key is used twice", line=line, column="key", value=recipient.key
            )
        keys.add(recipient.key)
        found.append(recipient)
    return found


def _recipient(path: Path, line: int, row: dict[str, str]) -> Recipient:
    def bad(column: str, reason: str) -> InputError:
        return InputError(path, reason, line=line, column=column, value=row[column])

    if not _KEY.match(row["key"]):
        raise bad("key", "expected lower-case letters, digits, '.', '-' or '_'")
    if row["kind"] not in KINDS:
        raise bad("kind", f"expected one of {', '.join(KINDS)}")
    if not row["name"]:
        raise bad("name", "a recipient needs a name")
    country = row["country"].upper()
    if country and not _COUNTRY.match(country):
        raise bad("country", "expected an ISO 3166 alpha-2 code (FR, DE...) or nothing")
    categories = tuple(c.strip() for c in re.split(r"[;,\s]+", row["categories"]) if c.strip())
    for category in categories:
        if category not in CATEGORIES:
            raise bad("categories", f"{category!r} is not one of {', '.join(CATEGORIES)}")
    language = row["language"].lower() or "en"
    if not _LANGUAGE.match(language):
        raise bad("language", "expected a two-letter ISO 639-1 code (en, fr...)")
    contact = row["contact"]
    if contact and not (_EMAIL.match(contact) or _URL.match(contact)):
        raise bad("contact", "expected an e-mail address or an http(s) URL, or nothing")
    return Recipient(
        key=row["key"],
        kind=row["kind"],
        name=row["name"],
        country=country or None,
        categories=categories,
        language=language,
        contact=contact or None,
        notes=row["notes"] or None,
    )
