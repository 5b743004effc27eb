"""JSON ad exports: an array of objects, an object holding one (``{"ads": [...]}``,
``{"data": {"items": [...]}}``), a single ad object, or JSONL (one object a line).

Arrays are streamed with ijson, JSONL line by line: memory does not grow with the file.
Malformed JSON stops the file (the records before it are kept); a record that is not an
object is reported and skipped.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, cast

import ijson

from netpatrol.collect.ads import PROGRESS_EVERY, ad_capture, is_blank, open_export
from netpatrol.collect.base import Importer, ImportItem, ImportOptions, SourceFile
from netpatrol.collect.columns import is_known_column, resolve_columns
from netpatrol.errors import InputError

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
PROBE_BYTES = 1 << 20  # longest first line read to tell JSONL from one JSON document
PROBE_LINES = 100  # blank lines tolerated between the first two JSONL records
MAX_KEY_SETS = 1024  # column resolutions cached, one per distinct set of keys
# Ads are flat records: deeper nesting is refused before it is built (deep JSON makes
# json.loads recurse and ijson's prefix strings grow with the depth).
MAX_DEPTH = 64
EMPTY_CLAIM = 20  # a blank file named .json: just enough for the registry (MIN_CONFIDENCE)
_SCALAR = re.compile(rb'(?:-?\d|"|true\b|false\b|null\b)')

Record = tuple[int, int | None, object]  # (record number, JSONL line or None, value)


class JsonImporter(Importer):
    description = "ad exports in JSON (array of objects, or an object holding one) or JSONL"
    extensions = (".json", ".jsonl", ".ndjson", ".json.gz", *JSONL_SUFFIXES[2:])

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> int:
        text = head.removeprefix(codecs.BOM_UTF8).lstrip()
        after = text[1:].lstrip()[:1]
        if text.startswith(b"["):
            return 90 if after in (b"{", b"]") else 40
        if text.startswith(b"{"):
            return 90 if after in (b'"', b"}") else 0
        if not path.name.lower().endswith(cls.extensions):
            return 0
        if not text:
            return EMPTY_CLAIM  # blank (or a BOM alone): the importer calls it empty
        if _SCALAR.match(text):
            return 25  # a .json file holding one value: the importer says what it expected
        return 0

    def records(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
        with open_export(source) as (reader, raw):
            start = _skip_bom(reader)
            head = reader.read(PROBE_BYTES)
            if not head.strip() and len(head) < PROBE_BYTES:
                raise InputError(source.path, "empty file")
            reader.seek(start)
            records = (
                _jsonl(reader, source.path)
                if _is_jsonl(reader, source.path)
                else _document(reader, start, source.path)
            )
            columns = _Columns(options.column_map, str(source.path))
            for number, line, value in records:
                if number % PROGRESS_EVERY == 0:
                    source.on_progress(raw.tell())
                ad = _ad(number, line, value, columns, source.path)
                if ad is not None:
                    yield ad
            source.on_progress(raw.tell())


def _skip_bom(reader: IO[bytes]) -> int:
    """Position after a UTF-8 byte-order mark, where it is one (ijson rejects it)."""
    start = 3 if reader.read(3) == codecs.BOM_UTF8 else 0
    reader.seek(start)
    return start


def _is_jsonl(reader: IO[bytes], path: Path) -> bool:
    """JSONL by name, or when the first line is a whole object and the next starts one.

    A single-line file is one JSON document (a minified ``{"ads": [...]}``), not JSONL.
    The reader is left where it was.
    """
    if path.name.lower().endswith(JSONL_SUFFIXES):
        return True
    start = reader.tell()
    try:
        first = reader.readline(PROBE_BYTES)
        if not first.endswith(b"\n"):
            return False
        try:
            if not isinstance(json.loads(first), dict):
                return False
        except (ValueError, RecursionError):  # a deep first line: the reading names it
            return False
        for _ in range(PROBE_LINES):
            line = reader.readline(PROBE_BYTES).strip()
            if line:
                return line.startswith(b"{")
        return False
    finally:
        reader.seek(start)


def _jsonl(reader: IO[bytes], path: Path) -> Iterator[Record]:
    number = 0
    for line_number, line in enumerate(reader, 1):
        if not line.strip():
            continue
        number += 1
        try:
            text = line.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise InputError(
                path,
                f"record {number}: not valid UTF-8 (byte "
                f"0x{line[exc.start]:02x} at column {exc.start + 1})",
                line=line_number,
            ) from None
        if _too_deep(text):
            raise InputError(
                path, f"record {number} nests deeper than {MAX_DEPTH} levels", line=line_number
            )
        try:
            value = json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise InputError(
                path,
                f"record {number}: invalid JSON: {exc.msg} (column {exc.colno})",
                line=line_number,
            ) from None
        except ValueError as exc:
            raise InputError(
                path, f"record {number}: invalid JSON: {exc}", line=line_number
            ) from None
        yield number, line_number, value


def _too_deep(text: str) -> bool:
    """Whether brackets nest deeper than MAX_DEPTH outside strings (exact only when the
    cheap count says it could)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _no_constant(name: str) -> object:
    # json.loads accepts NaN and Infinity, which are not JSON (and ijson rejects them).
    raise ValueError(f"{name} is not a JSON value")


def _document(reader: IO[bytes], start: int, path: Path) -> Iterator[Record]:
    """The records of one JSON document, built from ijson's events without prefixes.

    ijson's prefixed events (``parse``, ``items``) spell out the whole path of every
    value, and are made ahead of the value asked for: a record nested 100,000 levels
    deep would cost gigabytes before it could be refused. Here the path is a list of at
    at most twice MAX_DEPTH keys, and a record is refused as soon as it nests deeper
    than MAX_DEPTH; the records before it are kept.
    """
    target = _records_path(reader, path)
    reader.seek(start)
    number = 0
    keys: list[str] = []  # where the parser is: a key in a map, "item" in an array
    building: list[dict[str, object] | list[object]] = []  # the record's open containers
    try:
        for event, value in ijson.basic_parse(reader):
            if event == "map_key":
                keys[-1] = value
                continue
            if event in ("end_map", "end_array"):
                keys.pop()
                if building:
                    record = building.pop()
                    if not building:
                        number += 1
                        yield number, None, record
                continue
            opens = event in ("start_map", "start_array")
            item: object = ({} if event == "start_map" else []) if opens else value
            if building:
                parent = building[-1]
                if isinstance(parent, list):
                    parent.append(item)
                else:
                    parent[keys[-1]] = item
            elif keys == target:
                if not opens:
                    number += 1
                    yield number, None, item
                    continue
            else:
                item = None  # outside the records: skipped
            if opens:
                # item: a container of the record (its depth counted from the record, as
                # in JSONL); None: outside the records (counted from the document)
                depth = len(keys) - len(target) if item is not None else len(keys)
                if depth >= MAX_DEPTH:
                    where = f"record {number + 1}" if item is not None else "the document"
                    raise InputError(path, f"{where} nests deeper than {MAX_DEPTH} levels")
                keys.append("" if event == "start_map" else "item")
                if item is not None:
                    building.append(cast(dict[str, object] | list[object], item))
    except ijson.JSONError as exc:
        raise InputError(path, f"record {number + 1}: {_reason(exc)}") from None


def _records_path(reader: IO[bytes], path: Path) -> list[str]:
    """Where the ads are: the first array of objects, or the document itself (``[]``).

    An array under a field name ("images": [{"url": ...}]) belongs to one ad; an array
    under any other key ("ads", "items", "data") is taken to be the list of ads. The
    path is a list of keys, "item" for an array's elements (as ijson's prefixes).
    """
    keys: list[str] = []
    previous = ""
    try:
        for event, value in ijson.basic_parse(reader):
            if event == "map_key":
                keys[-1] = value
            elif event in ("start_map", "start_array"):
                if event == "start_array" and not keys:
                    return ["item"]
                if (
                    event == "start_map"
                    and previous == "start_array"
                    and not is_known_column(keys[-2])  # the array's key ("item" in an array)
                ):
                    return list(keys)
                if len(keys) >= MAX_DEPTH:
                    raise InputError(path, f"record 1 nests deeper than {MAX_DEPTH} levels")
                keys.append("" if event == "start_map" else "item")
            elif event in ("end_map", "end_array"):
                keys.pop()
            previous = event
    except ijson.JSONError as exc:
        raise InputError(path, f"record 1: {_reason(exc)}") from None
    return []


def _reason(exc: Exception) -> str:
    """The parser's reason, its first line; yajl quotes the bytes around the fault below."""
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:]
    first = re.split(r"\\n|\n", text, maxsplit=1)[0].strip()
    if "invalid bytes in UTF8" in first:
        return "not valid UTF-8"
    return f"invalid JSON: {first}"


class _Columns:
    """Field -> key maps, one per set of keys; ``--map`` is checked on the first record."""

    def __init__(self, overrides: Mapping[str, str], where: str) -> None:
        self.overrides = overrides
        self.where = where
        self.cache: dict[tuple[str, ...], dict[str, str]] = {}
        self.checked = False

    def of(self, record: Mapping[str, object]) -> dict[str, str]:
        keys = tuple(record)
        found = self.cache.get(keys)
        if found is None:
            if len(self.cache) >= MAX_KEY_SETS:
                self.cache.clear()
            # Later records may lack a mapped key (JSON keys are optional): not an error.
            found = resolve_columns(keys, self.overrides, self.where, strict=not self.checked)
            self.checked = True
            self.cache[keys] = found
        return found


def _ad(
    number: int, line: int | None, value: object, columns: _Columns, path: Path
) -> ImportItem | None:
    if not isinstance(value, dict):
        return InputError(path, f"record {number} is {_kind(value)}, expected an object", line=line)
    if is_blank(value):
        return None
    meta: dict[str, object] = {"source_path": str(path), "record": number}
    if line is not None:
        meta["line"] = line
    try:
        return ad_capture(value, columns.of(value), meta)
    except ValueError as exc:
        return InputError(path, f"record {number} cannot be stored: {exc}", line=line)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "a number"
