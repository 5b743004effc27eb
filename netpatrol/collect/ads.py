"""Ad exports (CSV, JSON): what the two importers share.

One row or object becomes one ``ad`` capture. Its payload holds only what the row holds,
in canonical JSON, so the same ad exported twice (another file, another order, another
encoding) has the same bytes and thus the same capture key; where it was read (file,
line, record number) goes in the capture's meta, which is not part of its identity.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, Any, cast

from netpatrol.collect.base import SourceFile
from netpatrol.collect.columns import FIELDS
from netpatrol.errors import InputError
from netpatrol.model import Capture

PROGRESS_EVERY = 200  # rows between progress reports: tell() is cheap, the callback less so
_IMAGE_SEPARATORS = re.compile(r"[\s,;|]+")
_IMAGE_KEYS = ("url", "src", "href", "link")


@contextmanager
def open_export(source: SourceFile) -> Iterator[tuple[IO[bytes], IO[bytes]]]:
    """(reader, raw file): the reader decompresses gzip; the raw file's tell() is progress.

    Read errors (gzip cut short or corrupted, I/O) become InputError naming the file.
    """
    try:
        with source.read_path.open("rb") as raw:
            if raw.read(2) == b"\x1f\x8b":
                raw.seek(0)
                with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                    yield cast(IO[bytes], unzipped), raw
            else:
                raw.seek(0)
                yield raw, raw
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source.path, f"cannot read: {exc}") from None


def text_of(value: object) -> str | None:
    """A field value as text: strings stripped, numbers as JSON writes them, nothing as None."""
    if _blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    return json.dumps(
        plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def images_of(value: object) -> list[str]:
    """Image URLs from a cell ("a.jpg; b.jpg", "a | b") or a JSON list (of URLs or objects)."""
    if isinstance(value, list):
        return [url for item in value for url in images_of(item)]
    if isinstance(value, dict):
        for key in _IMAGE_KEYS:
            if isinstance(value.get(key), str):
                return images_of(value[key])
    text = text_of(value)
    return [part for part in _IMAGE_SEPARATORS.split(text) if part] if text else []


def plain(value: object) -> Any:
    """JSON-ready copy: ijson's Decimal becomes the float json.loads would have given.

    (ijson gives int for integer literals and Decimal only for those with a fraction or an
    exponent, which json.loads reads as float: a JSON array and a JSONL file of the same
    ads then give the same payloads.)
    """
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def is_blank(row: Mapping[str, object]) -> bool:
    """A row with no value at all (an empty line of a spreadsheet export)."""
    return all(_blank(value) for value in row.values())


def _blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, (list, dict)) and not value)


def ad_fields(row: Mapping[str, object], columns: Mapping[str, str]) -> dict[str, Any]:
    """The canonical fields of a row, through the field -> column map of its file."""
    fields: dict[str, Any] = {}
    for name in FIELDS:
        column = columns.get(name)
        value = row.get(column) if column is not None else None
        fields[name] = images_of(value) if name == "images" else text_of(value)
    return fields


def ad_capture(
    row: Mapping[str, object], columns: Mapping[str, str], meta: dict[str, Any]
) -> Capture:
    """One ad capture.

    Raises ValueError when the row cannot be written as UTF-8 JSON: an unpaired surrogate
    (UnicodeEncodeError) or a number too large for a float (JSON has no Infinity).
    """
    fields = ad_fields(row, columns)
    document = {"fields": fields, "row": plain(dict(row))}
    payload = json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")
    return Capture(
        url=fields["url"],
        record_type="ad",
        payload=payload,
        content_type="application/json",
        captured_at=None,
        meta=meta,
    )
