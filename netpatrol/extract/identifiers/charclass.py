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

import re
from functools import lru_cache

import numpy as np
import numpy.typing as npt

OTHER = "."
UNICODE_SIZE = 0x110000


@lru_cache(maxsize=1)
def _latin1_view() -> npt.NDArray[np.uint8]:
    """Code point -> its byte in the Latin-1 view of a text: itself below 256; for a
    character past U+00FF, "0" if it is a decimal digit (``\\d`` to the finders' patterns,
    so it must read as one) and 0 otherwise (no class any table names holds it)."""
    view = np.zeros(UNICODE_SIZE, dtype=np.uint8)
    view[:256] = np.arange(256, dtype=np.uint8)
    beyond = "".join(map(chr, range(256, UNICODE_SIZE)))
    view[[match.start() + 256 for match in re.finditer(r"\d", beyond)]] = ord("0")
    return view


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
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    # One array lookup for all the characters (an encoding error handler is a Python
    # call per run of them: a word at a time on a Cyrillic page, each "€" elsewhere).
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _latin1_view()[points].tobytes()


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
