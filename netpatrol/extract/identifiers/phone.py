"""Phone numbers (kind ``phone``) and WhatsApp click-to-chat links (kind ``whatsapp``),
both as E.164 (``+33612345678``).

Numbers written with ``+CC`` or ``00CC`` are read anywhere; national numbers ("06 12 34 56
78") only with a region hint, and only with separators or after a word such as "tel" or
"WhatsApp": a bare run of ten digits on a web page is far more often a product or tracking
id. phonenumbers' matcher (leniency VALID) decides, run only on short windows around runs
of at least 7 digits: over a whole page it is slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers

from netpatrol.extract.identifiers.base import (
    FindContext,
    IdentifierFinder,
    matches_at,
    mention,
    occurrences,
)
from netpatrol.extract.identifiers.charclass import CAPITALS_DIGITS, class_string
from netpatrol.model import IdentifierMention

# Digits with the separators people type between them, 7 digits at least; linear: each
# repetition needs a digit, separators cannot be digits.
_RUN = re.compile(r"\+?\d(?:[ \t.\-/()\u00a0]{0,3}\d){6,}")
# _RUN on a class string (charclass.CAPITALS_DIGITS) without its "+": a pattern that starts
# with a literal, which the engine skips ahead to (from digit to digit) several times faster
# than it scans the text for _RUN's first character. The "+" is taken in Python.
_CLASS_RUN = re.compile(rb"D(?:s{0,3}D){6,}")
_PLUS = ord("+")
MAX_DIGITS = 15  # E.164
MAX_RUN = 300  # longer runs of digits and separators are data tables, not contacts
MARGIN = 8  # characters around a run given to the matcher: "(", "+", "tel:"
# A run right after these is part of a URL path, a query value or an identifier
# ("UA-27338864-15", "SKU-0612345678").
_GLUED = frozenset("/=?&#_%-")
_CUE = re.compile(
    r"(?:\b(?:tel|t[ée]l[ée]phone|phone|telefon|fon|mobile?|portable|cell|handy|gsm|call|"
    r"appel|anruf|whats\s?app|viber|signal|sms|contact|kontakt|m[óo]vil|cellulare|tlf)\b|"
    r"[☎📞📱✆])[^\n\d]{0,24}\Z",
    re.I,
)
CUE_DISTANCE = 32
# A date that a national number's digits and dots can look like: "03.01.2025" read as a
# Berlin number, "20. 3. 2025 21" as a Czech one. Two shops showing the same date would
# share a "phone".
_DATE = re.compile(
    r"\d{1,2}\s?[./-]\s?\d{1,2}\s?[./-]\s?(?:19|20)\d{2}(?!\d)"
    r"|(?:19|20)\d{2}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{1,2}(?!\d)"
)
_WHATSAPP = re.compile(
    r"(?:wa\.me/|(?:api|web)\.whatsapp\.com/send/?\?(?:[^\s\"'<>&]{0,40}&)?phone=|"
    r"whatsapp://send/?\?(?:[^\s\"'<>&]{0,40}&)?phone=)(?:\+|%2[Bb])?(\d{6,15})(?!\d)"
)  # case-sensitive (links are written in lower case): re.I would slow the scan down
WHATSAPP_BEFORE = len("api.")  # "api.whatsapp.com", "web.whatsapp.com"
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_UNKNOWN_REGION = "ZZ"  # phonenumbers' "no region": only numbers with a + country code
_REGION_ALIASES = {"UK": "GB"}


def e164(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def is_e164(value: str) -> bool:
    """Whether ``value`` is a valid number written in E.164, not a placeholder."""
    if _E164.fullmatch(value) is None:
        return False
    try:
        number = phonenumbers.parse(value, _UNKNOWN_REGION)
    except phonenumbers.NumberParseException:
        return False
    if len(set(str(number.national_number))) == 1:
        return False  # an input mask or placeholder: "+7 (999) 999-99-99"
    return bool(phonenumbers.is_valid_number(number)) and e164(number) == value


def _region(hint: str | None) -> str | None:
    region = _REGION_ALIASES.get((hint or "").upper(), (hint or "").upper())
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


class PhoneFinder(IdentifierFinder):
    kind = "phone"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        region = _region(context.region)
        for start, end in digit_runs(text):
            before = text[start - 1] if start else " "
            if end - start > MAX_RUN or before in _GLUED:
                continue
            international = text.startswith(("+", "00"), start)
            if not international and (
                region is None
                or before.isalpha()
                or not _national_ok(text, start, end)
                or _DATE.match(text, start, end) is not None
            ):
                continue
            if _may_be_valid(text[start:end], region):
                yield from self._match(text, start, end, region)

    def _match(
        self, text: str, start: int, end: int, region: str | None
    ) -> Iterator[IdentifierMention]:
        base = max(0, start - MARGIN)
        window = text[base : end + MARGIN]
        double_zero = text.startswith("00", start) and not text.startswith("000", start)
        if double_zero:
            # "0049 30 ..." is international wherever 00 is the exit code (most of the
            # world): the same length with a "+" lets the matcher read it without a region.
            offset = start - base
            window = f"{window[:offset]} +{window[offset + 2 :]}"
        matcher = phonenumbers.PhoneNumberMatcher(
            window, region or _UNKNOWN_REGION, leniency=phonenumbers.Leniency.VALID
        )
        for found in matcher:
            first, last = base + found.start, base + found.end
            if double_zero and first == start + 1:
                first = start  # the mention keeps the "00" as written
            value = e164(found.number)
            # "(+33) ...": the bracket before the run counts.
            if start - 2 <= first < end and self.validate(value):
                yield mention(self.kind, value, text, first, last)

    @classmethod
    def validate(cls, value: str) -> bool:
        return is_e164(value)


def digit_runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each match of _RUN in ``text``, as ``_RUN.finditer`` gives them."""
    classes = class_string(text, CAPITALS_DIGITS)
    for match in _CLASS_RUN.finditer(classes):
        start, end = match.span()
        # _RUN would have started at the "+": the same run, one character earlier.
        yield (start - 1 if start and classes[start - 1] == _PLUS else start), end


# A page repeats its numbers (header, footer, contact box) and its dates: half of the runs
# asked on the Zyte pages had been asked before, at ~0.1 ms a parse.
@lru_cache(maxsize=4096)
def _may_be_valid(run: str, region: str | None) -> bool:
    """A cheap parse of the whole run before the matcher, which tries every split of a
    run and costs a millisecond each time. A run with more digits than one number can
    hold ("06 12 34 56 78 / 06 98 76 54 32") goes to the matcher as it is."""
    digits = sum(char.isdigit() for char in run)
    if digits > MAX_DIGITS + 1:  # one more: the "(0)" of "+44 (0)20 ..."
        return True
    if run.startswith("00"):
        run = "+" + run[2:]
    try:
        number = phonenumbers.parse(run, region or _UNKNOWN_REGION)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def _national_ok(text: str, start: int, end: int) -> bool:
    """A national number is written with separators or follows a word that announces it."""
    if not text[start:end].isdigit():
        return True
    return _CUE.search(text, max(0, start - CUE_DISTANCE), start) is not None


class WhatsAppFinder(IdentifierFinder):
    """``wa.me/NUMBER``, ``api.whatsapp.com/send?phone=NUMBER``, ``whatsapp://send?phone=``."""

    kind = "whatsapp"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        # Where a link can start: "wa.me/" or "whatsapp", which the former test of the
        # text ("wa.me", "hatsapp", "HATSAPP") also passed; none, and nothing is found.
        starts = _whatsapp_starts(text)
        for match in matches_at(_WHATSAPP, text, starts):
            value = "+" + match.group(1)
            if self.validate(value):
                yield mention(self.kind, value, text, match.start(), match.end())

    @classmethod
    def validate(cls, value: str) -> bool:
        return is_e164(value)


def _whatsapp_starts(text: str) -> list[int]:
    """Every position where a match of _WHATSAPP can start, ascending: _WHATSAPP starts
    with an alternation, tried at every position of a page; its literals are found fast."""
    starts = list(occurrences(text, "wa.me/"))
    for at in occurrences(text, "whatsapp"):
        starts += (at - WHATSAPP_BEFORE, at)
    return sorted(start for start in starts if start >= 0)
