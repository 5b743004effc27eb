"""Bank accounts as IBANs (kind ``iban``): ISO 13616 check digits and each country's length
and layout (python-stdnum's IBAN registry), written compact or in groups of four.

The value is compact and upper case. Lower-case IBANs are not looked for (rare, and random
words would then become candidates).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.exceptions import InvalidComponent, ValidationError

from netpatrol.extract.identifiers.base import (
    FindContext,
    IdentifierFinder,
    mention,
    whole_token,
)
from netpatrol.extract.identifiers.charclass import CAPITALS_DIGITS, class_string
from netpatrol.model import IdentifierMention

# Country, check digits, then up to 30 letters or digits with single spaces (groups).
# Greedy on purpose: the country's length decides where the IBAN ends.
_CANDIDATE = re.compile(r"[A-Z]{2}\d{2}(?:[ \u00a0]?[0-9A-Z]){8,30}")
_ALNUM = re.compile(r"[0-9A-Z]")
_STRUCTURE_LENGTHS = re.compile(r"(\d+)!")
_REGISTRY = numdb.get("iban")
# Where a candidate can start (two capitals, two digits), on a class string.
_START = re.compile(rb"AADD")


@lru_cache(maxsize=256)
def iban_length(country: str) -> int | None:
    """Characters of an IBAN of ``country``; None if the country has no IBAN."""
    info = _REGISTRY.info(country)
    if not info or not info[0][1] or "bban" not in info[0][1]:
        return None
    return 4 + sum(int(n) for n in _STRUCTURE_LENGTHS.findall(info[0][1]["bban"]))


class IbanFinder(IdentifierFinder):
    kind = "iban"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        starts = [m.start() for m in _START.finditer(class_string(text, CAPITALS_DIGITS))]
        position = 0
        while (match := _search(text, starts, position)) is not None:
            end = self._iban_end(text, match) if whole_token(text, match.start()) else None
            if end is None:
                position = match.start() + 1
                continue
            value = re.sub(r"[ \u00a0]", "", text[match.start() : end])
            if self.validate(value):
                yield mention(self.kind, value, text, match.start(), end)
                position = end
            else:
                position = match.start() + 1

    @staticmethod
    def _iban_end(text: str, match: re.Match[str]) -> int | None:
        """Where an IBAN of the candidate's country ends: after its length in characters,
        at the end of a word (not inside a longer code)."""
        length = iban_length(match.group(0)[:2])
        chars = list(_ALNUM.finditer(match.group(0)))
        if length is None or len(chars) < length:
            return None
        end = match.start() + chars[length - 1].end()
        return end if end == len(text) or not text[end].isalnum() else None

    @classmethod
    def validate(cls, value: str) -> bool:
        return (
            re.fullmatch(r"[A-Z]{2}\d{2}[0-9A-Z]{8,30}", value) is not None
            and len(value) == iban_length(value[:2])
            and _checks(value)
        )


def _search(text: str, starts: list[int], position: int) -> re.Match[str] | None:
    """``_CANDIDATE.search(text, position)``, tried only where a candidate can start
    (``starts``, ascending): a search from every capital letter costs more than all the
    rest of the finder."""
    for index in range(bisect_left(starts, position), len(starts)):
        if (match := _CANDIDATE.match(text, starts[index])) is not None:
            return match
    return None


def _checks(value: str) -> bool:
    """ISO 7064 check digits, layout, and the national account checksum where stdnum has
    one. A bank code missing from stdnum's bundled bank list is not a reason to drop an
    IBAN whose check digits hold: that list lags behind new banks."""
    try:
        stdnum_iban.validate(value)
    except InvalidComponent:
        return bool(stdnum_iban.is_valid(value, check_country=False))
    except ValidationError:
        return False
    return True
