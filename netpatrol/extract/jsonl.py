"""``netpatrol extract``: JSON lines in, one JSON line of listing fields out per input."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from netpatrol.errors import InputError
from netpatrol.extract.page import extract_page
from netpatrol.extract.record import extract_record
from netpatrol.extract.text import extract_text
from netpatrol.model import Listing

# A byte that is not UTF-8, as open_input's surrogate escapes keep it.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def listings_of(obj: dict[str, Any]) -> list[Listing]:
    """Listings of one input object: ``html`` (+ ``url``), or ``title`` / ``text``."""
    html = obj.get("html")
    if isinstance(html, str) and html:
        return extract_page(html.encode("utf-8"), _str(obj.get("url")), "text/html; charset=utf-8")
    return [
        extract_text(
            _str(obj.get("title")),
            _str(obj.get("text")),
            _str(obj.get("url")),
            price=_str(obj.get("price")),
            currency=_str(obj.get("currency")),
            seller=_str(obj.get("seller")),
            location=_str(obj.get("location")),
        )
    ]


def input_objects(
    lines: Iterable[str], name: str
) -> Iterator[tuple[int, dict[str, Any]] | InputError]:
    """(line number, object) of each input line with an ``id``, or an InputError naming the
    line (the rest go on): the input contract of ``extract`` and ``classify``."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if (undecoded := _NOT_UTF8.search(line)) is not None:
            byte = ord(undecoded.group()) - 0xDC00
            yield InputError(
                name,
                f"not UTF-8 text: byte 0x{byte:02x} at column {undecoded.start() + 1} "
                "(save the file as UTF-8)",
                line=number,
            )
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(name, f"not valid JSON: {exc.msg} (column {exc.colno})", line=number)
            continue
        if not isinstance(obj, dict):
            yield InputError(name, f"expected a JSON object, got {type(obj).__name__}", line=number)
            continue
        if "id" not in obj:
            yield InputError(name, "no 'id' field", line=number)
            continue
        yield number, obj


def extract_lines(lines: Iterable[str], name: str) -> Iterator[dict[str, Any] | InputError]:
    """Output records, or an InputError for a line that cannot be read (the rest go on)."""
    for item in input_objects(lines, name):
        yield (
            item
            if isinstance(item, InputError)
            else extract_record(item[1]["id"], listings_of(item[1]))
        )


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
