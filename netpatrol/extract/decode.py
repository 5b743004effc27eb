"""Bytes of a page -> text, with the charset a browser would use.

Order: byte-order mark, charset of the HTTP Content-Type, <meta charset> in the first
bytes, UTF-8 if it decodes, else windows-1252. As in browsers (WHATWG Encoding), the
labels ISO-8859-1, latin1 and ASCII mean windows-1252: real pages declared ISO-8859-1
often carry the cp1252 euro sign (0x80).
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_WINDOWS_1252_LABELS = {
    "iso-8859-1",
    "iso8859-1",
    "latin1",
    "latin-1",
    "l1",
    "us-ascii",
    "ascii",
    "windows-1252",
    "cp1252",
    "iso_8859-1",
    "cp819",
    "ibm819",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 4096


def decode_html(payload: bytes, content_type: str | None = None) -> str:
    """The page as text; never fails (undecodable bytes become U+FFFD)."""
    for bom, codec in _BOMS:
        if payload.startswith(bom):
            return payload.decode(codec, errors="replace")
    declared = _declared_charset(payload, content_type)
    if declared is not None:
        try:
            return payload.decode(declared)
        except UnicodeDecodeError:
            if declared == "utf-8":
                return payload.decode("utf-8", errors="replace")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", errors="replace")


def _declared_charset(payload: bytes, content_type: str | None) -> str | None:
    label: str | None = None
    if content_type:
        found = _HEADER_CHARSET.search(content_type)
        label = found.group(1) if found else None
    if label is None:
        found_meta = _META_CHARSET.search(payload[:SNIFF_BYTES])
        label = found_meta.group(1).decode("ascii", "ignore") if found_meta else None
    return normalise_charset(label) if label else None


def normalise_charset(label: str) -> str | None:
    """A Python codec name for a charset label, or None when Python does not know it."""
    lowered = label.strip().lower()
    if lowered in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(lowered).name
    except LookupError:
        return None
    return "utf-8" if name in {"utf-8", "utf_8"} else name
