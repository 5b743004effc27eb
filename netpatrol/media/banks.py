"""Hash bank files: reading the formats hash lists come in, and writing our export.

Formats, told apart by the file's first meaningful line (not by its name):

* **plain**: one hex hash a line; blank lines and ``#`` comments are skipped. This is the
  format of ThreatExchange's PDQ test lists (``pdq/data/reg-test-input/haystack.txt``).
* **typed lines**: ``SIGNAL_TYPE HASH`` a line, the file format of python-threatexchange's
  ``LocalFileSignalExchangeAPI`` (``threatexchange/exchanges/impl/file_api.py``), e.g.
  ``pdq 3f4e...``.
* **CSV with a header** naming a hash column (``hash``, ``pdq``, ``md5``, ``sha256``,
  ``phash``, ``signal``, ``signal_str``, ``value``...). A ``label`` / ``name`` /
  ``description`` column gives the label; every other column is kept as metadata. A
  ``signal_type`` (or ``hash_type`` / ``kind``) column is checked against the bank's kind.
  The ThreatExchange / HMA export is this case: ``threatexchange dataset -P --csv`` writes
  ``collab,signal_type,signal_str,category,tags`` (``threatexchange/cli/dataset_cmd.py``),
  whose ``signal_type`` names (``pdq``, ``video_md5``...) we map with ``SIGNAL_TYPES``.

A bad line (not hex, wrong length, another signal type) becomes an ``InputError`` naming the
file, line and what was expected, and the rest of the file is still read.

Values are normalised to lower-case hex. Degenerate PDQ hashes (all zeros, all ones, the
hashes of flat or tiny images, which upstream gives quality 0) are kept as they are: a list
may hold them on purpose, and the quality >= 50 rule applies to the images we hash, not to
list entries. They match other degenerate images, so a bank holding them is better paired
with a negative bank, or cleaned by its owner.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from netpatrol.errors import InputError

KINDS: dict[str, int] = {"pdq": 256, "md5": 128, "sha256": 256, "phash": 64}

# Signal type names as python-threatexchange / HMA spell them (``SignalType.get_name()``:
# ``PdqSignal`` -> ``pdq``, ``VideoMD5Signal`` -> ``video_md5``) and our own kind names.
SIGNAL_TYPES: dict[str, str] = {
    "pdq": "pdq",
    "md5": "md5",
    "video_md5": "md5",
    "photo_md5": "md5",
    "sha256": "sha256",
    "video_sha256": "sha256",
    "photo_sha256": "sha256",
    "phash": "phash",
}

HASH_COLUMNS = (
    "hash",
    "signal_str",
    "signal",
    "signal_value",
    "value",
    "pdq",
    "md5",
    "sha256",
    "phash",
    "pdq_hash",
    "pdq_hex",
    "hash_value",
)
TYPE_COLUMNS = ("signal_type", "hash_type", "kind", "type")
LABEL_COLUMNS = ("label", "name", "description")
HEAD = 10_000

_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True)
class BankEntry:
    """One hash of a bank file, with the line it came from (1-based)."""

    value: str
    label: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    line: int = 0


@dataclass
class BankFile:
    kind: str
    format: str
    entries: list[BankEntry] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


class HashRecord(Protocol):
    """What ``write_bank_file`` needs of an entry (a ``BankEntry`` or a stored hash)."""

    @property
    def value(self) -> str: ...
    @property
    def label(self) -> str | None: ...
    @property
    def meta(self) -> dict[str, str] | None: ...


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown hash kind {kind!r}; expected one of {', '.join(KINDS)}")
    return kind


def normalise(value: str, kind: str) -> str | None:
    """Lower-case hex of the right length for ``kind``, or None."""
    text = value.strip().lower()
    if len(text) == KINDS[kind] // 4 and _HEX.fullmatch(text):
        return text
    return None


def read_bank_file(path: Path, kind: str) -> BankFile:
    check_kind(kind)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason})", offset=exc.start) from exc
    return read_bank_text(text, kind, path)


def read_bank_text(text: str, kind: str, path: Path | str = "<text>") -> BankFile:
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "").strip()
    header = [c.strip().lower() for c in next(csv.reader([first]))] if first else []
    if len(header) > 1 and any(c in HASH_COLUMNS for c in header):
        return _read_csv(text, kind, path)
    result = BankFile(kind, "plain")
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        signal_type, _, rest = line.partition(" ")
        if rest.strip():
            result.format = "typed lines"
            if not _same_kind(signal_type, kind, path, number, result):
                continue
            line = rest.strip()
        _add(result, line, None, {}, path, number, column=None)
    return result


def _read_csv(text: str, kind: str, path: Path | str) -> BankFile:
    result = BankFile(kind, "csv")
    rows = csv.reader(io.StringIO(text))
    columns: list[str] | None = None
    for row in rows:
        number = rows.line_num
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if columns is None:
            columns = [c.strip().lower() for c in row]
            hash_col = _pick(columns, (kind, *HASH_COLUMNS))
            type_col = _pick(columns, TYPE_COLUMNS)
            label_col = _pick(columns, LABEL_COLUMNS)
            if type_col is not None and columns[type_col] == "signal_type":
                result.format = "threatexchange csv"
            continue
        assert hash_col is not None  # the header was recognised by a hash column
        if len(row) != len(columns):
            result.errors.append(
                InputError(path, f"expected {len(columns)} fields, found {len(row)}", line=number)
            )
            continue
        if type_col is not None and not _same_kind(row[type_col], kind, path, number, result):
            continue
        skip = {hash_col, type_col, label_col}
        meta = {c: v for i, (c, v) in enumerate(zip(columns, row, strict=True)) if i not in skip}
        label = row[label_col].strip() or None if label_col is not None else None
        meta = {k: v for k, v in meta.items() if v.strip()}
        if "meta" in meta and not _merge_meta(meta, path, number, result):
            continue
        _add(result, row[hash_col], label, meta, path, number, column=columns[hash_col])
    return result


def _merge_meta(meta: dict[str, str], path: Path | str, line: int, out: BankFile) -> bool:
    """Unfold our export's ``meta`` column (a JSON object of string values) into ``meta``."""
    try:
        extra = json.loads(meta["meta"])
    except json.JSONDecodeError:
        extra = None
    if not isinstance(extra, dict):
        reason = "the meta column holds no JSON object"
        out.errors.append(InputError(path, reason, line=line, column="meta", value=meta["meta"]))
        return False
    del meta["meta"]
    meta.update({str(k): str(v) for k, v in extra.items()})
    return True


def _pick(columns: list[str], names: Iterable[str]) -> int | None:
    for name in names:
        if name in columns:
            return columns.index(name)
    return None


def _same_kind(signal_type: str, kind: str, path: Path | str, line: int, out: BankFile) -> bool:
    found = SIGNAL_TYPES.get(signal_type.strip().lower())
    if found == kind:
        return True
    reason = (
        f"a {found} hash in a {kind} bank" if found else f"unknown signal type for a {kind} bank"
    )
    out.errors.append(InputError(path, reason, line=line, value=signal_type.strip()))
    return False


def _add(
    out: BankFile,
    raw: str,
    label: str | None,
    meta: dict[str, str],
    path: Path | str,
    line: int,
    column: str | None,
) -> None:
    value = normalise(raw, out.kind)
    if value is None:
        expected = f"expected a {out.kind} hash of {KINDS[out.kind] // 4} hex digits"
        out.errors.append(InputError(path, expected, line=line, column=column, value=raw))
        return
    out.entries.append(BankEntry(value, label, meta, line))


def write_bank_file(entries: Iterable[HashRecord], out: TextIO) -> int:
    """CSV ``hash,label`` plus one column per metadata key; returns the rows written.

    The columns are those of the first ``HEAD`` entries (a stream is written as it is read,
    never held whole). Keys outside them, possible only when some metadata key is missing
    from the head or the bank is longer than it, go to a trailing ``meta`` column as a JSON
    object, which ``read_bank_file`` merges back: the export reads back to the same entries.
    """
    stream: Iterator[HashRecord] = iter(entries)
    head = list(itertools.islice(stream, HEAD))
    more = len(head) == HEAD
    keys = sorted({k for e in head for k in (e.meta or {})} - {"hash", "label", "meta"})
    extra = more or any(set(e.meta or {}) - set(keys) for e in head)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["hash", "label", *keys, *(["meta"] if extra else [])])
    count = 0
    for entry in itertools.chain(head, stream):
        meta = entry.meta or {}
        row = [entry.value, entry.label or "", *(meta.get(k, "") for k in keys)]
        if extra:
            rest = {k: v for k, v in sorted(meta.items()) if k not in keys}
            row.append(json.dumps(rest, ensure_ascii=False) if rest else "")
        writer.writerow(row)
        count += 1
    return count
