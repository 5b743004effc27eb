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
from typing import IO

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
        named_json = any(path.name.lower().endswith(ext) for ext in cls.extensions)
        if named_json and _SCALAR.match(text):
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
        except ValueError:
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


def _too_deep_record(reader: IO[bytes], start: int) -> int | None:
    """The first record nesting deeper than MAX_DEPTH (1 when the document itself does),
    found by a pass without prefixes, which stays cheap in memory."""
    depth = number = 0
    top_is_array = False
    try:
        for event, _value in ijson.basic_parse(reader):
            if event in ("start_map", "start_array"):
                depth += 1
                top_is_array = top_is_array or (depth == 1 and event == "start_array")
                number += depth == 2
                if depth > MAX_DEPTH:
                    return number if top_is_array and number else 1
            elif event in ("end_map", "end_array"):
                depth -= 1
    except ijson.JSONError:
        pass  # reported with its record number by the reading pass
    finally:
        reader.seek(start)
    return None


def _no_constant(name: str) -> object:
    # json.loads accepts NaN and Infinity, which are not JSON (and ijson rejects them).
    raise ValueError(f"{name} is not a JSON value")


def _document(reader: IO[bytes], start: int, path: Path) -> Iterator[Record]:
    too_deep = _too_deep_record(reader, start)
    if too_deep == 1:
        raise InputError(path, f"record 1 nests deeper than {MAX_DEPTH} levels")
    prefix = _records_prefix(reader, path)
    reader.seek(start)
    number = 0
    try:
        for value in ijson.items(reader, prefix):
            number += 1
            yield number, None, value
            if too_deep is not None and number + 1 == too_deep:
                # Stop before ijson builds it: its prefixes grow with the depth.
                raise InputError(path, f"record {too_deep} nests deeper than {MAX_DEPTH} levels")
    except ijson.JSONError as exc:
        raise InputError(path, f"record {number + 1}: {_reason(exc)}") from None


def _records_prefix(reader: IO[bytes], path: Path) -> str:
    """The ijson prefix of the ads: the first array of objects, or the document itself.

    An array under a field name ("images": [{"url": ...}]) belongs to one ad; an array
    under any other key ("ads", "items", "data") is taken to be the list of ads.
    """
    previous = ""
    array_key = ""
    try:
        for prefix, event, _value in ijson.parse(reader):
            if event == "start_array" and prefix == "":
                return "item"
            if event == "start_array":
                array_key = prefix.rsplit(".", 1)[-1]
            elif (
                event == "start_map"
                and previous == "start_array"
                and not is_known_column(array_key)
            ):
                return str(prefix)
            previous = event
    except ijson.JSONError as exc:
        raise InputError(path, f"record 1: {_reason(exc)}") from None
    return ""


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
