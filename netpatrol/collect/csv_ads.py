"""CSV ad exports: delimiter , ; tab or |, English or French column names, any encoding.

The csv module reads a text wrapper of the (possibly gzip) file one row at a time, so
memory does not grow with the file. A bad row (undecodable bytes, more fields than the
header, broken quoting) is reported with its line, column and value, and skipped; the
rows around it are kept.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from netpatrol.collect.ads import PROGRESS_EVERY, ad_capture, is_blank, open_export
from netpatrol.collect.base import Importer, ImportItem, ImportOptions, SourceFile
from netpatrol.collect.columns import is_known_column, resolve_columns
from netpatrol.errors import InputError

ENCODING_SAMPLE = 1 << 20  # bytes checked for UTF-8 before falling back to cp1252
DIALECT_SAMPLE = 1 << 16  # bytes of text the delimiter is guessed from
DELIMITERS = (",", ";", "\t", "|")
SNIFF_ROWS = 50
EMPTY_CLAIM = 20  # a blank file named .csv: just enough for the registry (MIN_CONFIDENCE)
# Share of sampled rows with as many fields as the header, by known names in the header.
MIN_AGREEMENT = {0: 0.8, 1: 0.5}
# Long descriptions exceed the csv module's default 128 KiB field limit; the limit stays
# so that an unclosed quote cannot swallow the rest of a large file into memory.
csv.field_size_limit(max(csv.field_size_limit(), 16 << 20))

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NOT_CSV = ("<", "{", "[", "WARC/", "filedesc://")
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape keeps them
_DATA_LIKE = re.compile(r"[-+]?\d[\d\s.,:/-]*|(?:https?://|www\.)\S+", re.IGNORECASE)

Row = tuple[int, list[str]]  # (line where the row starts, its fields)


class CsvImporter(Importer):
    description = "ad exports in CSV (, ; tab |), English or French column names, .csv .tsv"
    extensions = (".csv", ".tsv", ".csv.gz", ".tsv.gz")

    @classmethod
    def sniff(cls, head: bytes, path: Path) -> int:
        text = head.decode(auto_encoding(head, complete=False), errors="replace")
        start = text.lstrip("\ufeff \t\r\n")
        if not start:  # blank: a .csv is claimed, so that the importer calls it empty
            return EMPTY_CLAIM if path.name.lower().endswith(cls.extensions) else 0
        if start.startswith(_NOT_CSV):
            return 0
        if "\x00" in start[:4096] and not _nul_in_rows(start):
            return 0
        shape = best_shape(text, complete=False)
        if shape is None:
            return _one_column_score(text)
        return (45 if shape.rows else 25) + 10 * min(shape.known, 5)

    def records(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
        with open_export(source) as (reader, raw):
            sample = reader.read(ENCODING_SAMPLE)
            encoding = choose_encoding(sample, options.encoding, source.path)
            complete = len(sample) < DIALECT_SAMPLE
            shape = best_shape(sample[:DIALECT_SAMPLE].decode(encoding, "replace"), complete)
            delimiter = shape.delimiter if shape else ","
            reader.seek(0)
            text = io.TextIOWrapper(reader, encoding=encoding, errors="surrogateescape", newline="")
            rows = _rows(csv.reader(text, delimiter=delimiter, strict=True), source.path, encoding)
            header = _header(rows, source.path, encoding)
            columns = resolve_columns(header, options.column_map, str(source.path))
            for count, item in enumerate(rows, 1):
                if count % PROGRESS_EVERY == 0:
                    source.on_progress(raw.tell())
                ad = (
                    item
                    if isinstance(item, InputError)
                    else _ad(item, header, columns, encoding, source.path)
                )
                if ad is not None:
                    yield ad
            source.on_progress(raw.tell())


# --- encoding and delimiter -------------------------------------------------------------


def _nul_in_rows(text: str) -> bool:
    """A stray NUL inside an otherwise plain-text CSV (the importer names its row), not
    binary data: at most a few NULs, and a first line of printable text."""
    first_line = text.split("\n", 1)[0]
    return text.count("\x00") <= 4 and "\x00" not in first_line and first_line.isprintable()


def _decodes_bytes(name: str) -> bool:
    """Reading keeps undecodable bytes (surrogateescape) to name them: idna, punycode and
    undefined cannot. Tried on text the codec wrote itself (with its BOM, for utf-16),
    through the incremental decoder that reading uses."""
    try:
        encoded = "a,b\n".encode(name)
        codecs.getincrementaldecoder(name)("surrogateescape").decode(encoded, final=True)
    except (UnicodeError, LookupError, ValueError, TypeError):
        return False
    return True


def choose_encoding(sample: bytes, requested: str, path: Path) -> str:
    """The encoding asked for (a UTF-8 BOM still dropped), or the one ``auto`` finds."""
    if requested.lower() == "auto":
        return auto_encoding(sample, complete=len(sample) < ENCODING_SAMPLE)
    try:
        info = codecs.lookup(requested)
    except LookupError:
        raise InputError(path, f"unknown encoding {requested!r}") from None
    # rot13, hex, base64, zlib... are codecs but not text encodings.
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(path, f"--encoding {requested}: not a text encoding")
    if not _decodes_bytes(info.name):
        raise InputError(path, f"--encoding {requested}: cannot be used to read a file")
    name = info.name
    return "utf-8-sig" if name == "utf-8" and sample.startswith(codecs.BOM_UTF8) else name


def auto_encoding(sample: bytes, *, complete: bool) -> str:
    """A byte-order mark, else UTF-16 by its zero bytes, else UTF-8 if it decodes, else cp1252."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    probe = sample[:4096]
    if probe.count(0) > len(probe) // 4:  # BOM-less UTF-16: every other byte of ASCII is 0
        return "utf-16-le" if probe[1::2].count(0) > probe[0::2].count(0) else "utf-16-be"
    # Incremental, so that a sample cut inside a multi-byte character is still UTF-8; in
    # pieces, so that the text decoded is not held all at once.
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(sample), DIALECT_SAMPLE):
            decoder.decode(sample[start : start + DIALECT_SAMPLE])
        decoder.decode(b"", final=complete)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


class Shape(NamedTuple):
    delimiter: str
    header: list[str]
    rows: int  # data rows sampled
    known: int  # header names that are known column names
    agree: float  # share of the data rows with as many fields as the header


def best_shape(text: str, complete: bool) -> Shape | None:
    """How the start of a file splits best into a header row and data rows, if at all.

    A header of known column names needs little agreement from the rows below (a small
    export with one bad row is still CSV); an unknown header needs most rows to agree,
    so that prose with commas is not taken for CSV. Best: most known names, then most
    agreement, then most fields.
    """
    if not complete and "\n" in text:
        text = text[: text.rfind("\n") + 1]  # the last line may be cut short
    best: Shape | None = None
    for delimiter in DELIMITERS:
        rows = _sample_rows(text, delimiter)
        if not rows or len(rows[0]) < 2:
            continue
        header, data = rows[0], rows[1:]
        agree = sum(len(row) == len(header) for row in data) / len(data) if data else 1.0
        known = sum(is_known_column(name) for name in header)
        shape = Shape(delimiter, header, len(data), known, agree)
        if agree >= MIN_AGREEMENT.get(known, 0.0) and (best is None or _rank(shape) > _rank(best)):
            best = shape
    return best


def _rank(shape: Shape) -> tuple[int, float, int]:
    return shape.known, shape.agree, len(shape.header)


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) >= SNIFF_ROWS:
                break
    except csv.Error:
        pass  # a sample may end inside a quoted field: judge on the rows before it
    return rows


def _one_column_score(text: str) -> int:
    """A one-column export ("url" and a URL a line) is recognised by its known header only."""
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0].strip().strip('"')
    return 30 if first and is_known_column(first) else 0


# --- rows -------------------------------------------------------------------------------


def _rows(reader: Any, path: Path, encoding: str) -> Iterator[Row | InputError]:
    """Rows with the line they start on; csv errors as items, the reader resumes after."""
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except UnicodeError as exc:  # surrogateescape cannot mend a cut UTF-16 unit (or idna)
            reason = getattr(exc, "reason", None) or str(exc)
            used = getattr(exc, "encoding", None) or encoding
            raise InputError(path, f"cannot decode as {used}: {reason}", line=start) from None
        except csv.Error as exc:
            error = InputError(path, _csv_reason(exc), line=start)
            if reader.line_num < start:  # nothing consumed: it would fail the same forever
                raise error from None
            yield error
            continue
        yield start, fields


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "a quoted field starting on this row is never closed (unexpected end of file)"
    if "field larger than field limit" in text:
        return f"a field is too long ({text}); is a quote left unclosed?"
    return f"cannot parse this row: {text}"


def _header(rows: Iterator[Row | InputError], path: Path, encoding: str) -> list[str]:
    """The first non-empty row, as unique column names. Raises when there is none."""
    for item in rows:
        if isinstance(item, InputError):
            raise item
        line, fields = item
        if not any(field.strip() for field in fields):
            continue
        names = [field.strip().lstrip("\ufeff").strip() for field in fields]
        for name in names:
            if _ESCAPED.search(name):
                raise InputError(
                    path,
                    f"cannot decode the header row as {encoding}; "
                    f"try --encoding {_alternative(encoding)}",
                    line=line,
                    value=_show_bytes(name),
                )
        data = [name for name in names if _DATA_LIKE.fullmatch(name)]
        if data and not any(is_known_column(name) for name in names):
            raise InputError(
                path,
                "no header row: the first row holds data, not column names",
                line=line,
                value=data[0],
            )
        return _unique(names)
    raise InputError(path, "empty file")


def _unique(names: Sequence[str]) -> list[str]:
    """Blank names become "column N" and repeated ones "name (2)": a row is a mapping."""
    seen: set[str] = set()
    result: list[str] = []
    for position, name in enumerate(names, 1):
        candidate = name or f"column {position}"
        count = 1
        while candidate in seen:
            count += 1
            candidate = f"{name or f'column {position}'} ({count})"
        seen.add(candidate)
        result.append(candidate)
    return result


def _ad(
    row: Row, header: list[str], columns: Mapping[str, str], encoding: str, path: Path
) -> ImportItem | None:
    """The capture of a data row, the error that skips it, or None for an empty row."""
    line, fields = row
    extra = fields[len(header) :]
    if any(field.strip() for field in extra):
        position = next(i for i, field in enumerate(extra) if field.strip())
        return InputError(
            path,
            f"row has {len(fields)} fields, the header has {len(header)}",
            line=line,
            column=f"extra #{len(header) + position + 1}",
            value=_excerpt(extra[position], 0),
        )
    values = dict(zip(header, fields, strict=False))
    problem = _bad_field(values, encoding, path, line)
    if problem is not None:
        return problem
    if is_blank(values):
        return None
    # Every header column is in the row, a missing trailing field as None: one schema.
    record: dict[str, str | None] = {name: values.get(name) for name in header}
    try:
        return ad_capture(record, columns, {"source_path": str(path), "line": line})
    except ValueError as exc:
        return InputError(path, f"row cannot be stored: {exc}", line=line)


def _bad_field(
    values: Mapping[str, str], encoding: str, path: Path, line: int
) -> InputError | None:
    for name, value in values.items():
        escaped = _ESCAPED.search(value)
        if escaped is not None:
            return InputError(
                path,
                f"cannot decode as {encoding}; try --encoding {_alternative(encoding)}",
                line=line,
                column=name,
                value=_show_bytes(_excerpt(value, escaped.start())),
            )
        if "\x00" in value:
            return InputError(
                path,
                "a NUL byte in the text (binary data, or a UTF-16 file read as another encoding?)",
                line=line,
                column=name,
                value=_excerpt(value, value.index("\x00")),
            )
    return None


def _alternative(encoding: str) -> str:
    if encoding.startswith("utf-8"):
        return "cp1252 (or latin-1)"
    if encoding == "cp1252":
        return "latin-1"
    return "utf-8, cp1252 or latin-1"


def _show_bytes(text: str) -> str:
    """Undecodable bytes as \\xNN, so the message shows which bytes they were."""
    return _ESCAPED.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def _excerpt(text: str, at: int, width: int = 80) -> str:
    """At most ``width`` characters of a long value, around position ``at``."""
    if len(text) <= width:
        return text
    start = max(0, min(at - width // 2, len(text) - width))
    return (
        ("…" if start else "")
        + text[start : start + width]
        + ("…" if start + width < len(text) else "")
    )
