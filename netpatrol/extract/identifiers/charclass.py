"""Where a finder's candidates can be, found on a class string: the text with each character
replaced by one byte that names its class (``"GB82 WEST"`` -> ``"AADD.AAAA"``).

Python's regex engine looks for a pattern that starts with a character class at every
position of the text, about 10 ns a character, and the coin and IBAN patterns would each do
that over every page (megabytes of text, nearly never a candidate). On a class string the
same places are found with a literal search (``bytes.find``, a pattern that starts with a
literal), which skips ahead many times faster; a finder then runs its own pattern only
there, so what it finds does not change. Position ``i`` of a class string is character
``i`` of the text: offsets carry over as they are.

A class string may name more places than the text holds (a superset is safe: the finder's
own pattern decides), never fewer.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

OTHER = "."
_ERRORS = "netpatrol-charclass"


def _beyond_latin1(error: UnicodeError) -> tuple[str, int]:
    """Characters past U+00FF: the decimal digits among them are ``\\d`` to the finders'
    patterns (so they read as "0"); no other class any table names holds one."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return "".join("0" if char.isdecimal() else "\x00" for char in chunk), error.end


codecs.register_error(_ERRORS, _beyond_latin1)


def class_table(classes: dict[str, str]) -> bytes:
    """A ``bytes.translate`` table: each character of a key -> its value's byte; every
    other character -> ``OTHER``. The characters must be Latin-1."""
    table = bytearray(OTHER.encode("ascii") * 256)
    for chars, name in classes.items():
        for char in chars:
            table[ord(char)] = ord(name)
    return bytes(table)


# Capitals, digits and the separators of phone numbers: one table for the IBAN and phone
# finders, so that one class string serves both.
CAPITALS_DIGITS = class_table(
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZ": "A", "0123456789": "D", " \t.-/()\u00a0": "s", "+": "+"}
)


# Small caches: the finders of one text ask one after the other (a str caches its hash).
@lru_cache(maxsize=4)
def _latin1(text: str) -> bytes:
    return text.encode("latin-1", _ERRORS)


@lru_cache(maxsize=8)
def class_string(text: str, table: bytes) -> bytes:
    """``text`` with each character replaced by its class byte under ``table``."""
    return _latin1(text).translate(table)


def runs(classes: bytes, name: bytes, minimum: int) -> list[tuple[int, int]]:
    """(start, end) of each maximal run of at least ``minimum`` bytes ``name``, in a class
    string whose table has no class but ``name`` and ``OTHER``."""
    found: list[tuple[int, int]] = []
    needle, other = name * minimum, OTHER.encode("ascii")
    position = 0
    while (start := classes.find(needle, position)) >= 0:
        end = classes.find(other, start + minimum)
        end = len(classes) if end < 0 else end
        found.append((start, end))
        position = end
    return found
