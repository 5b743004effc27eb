"""E-mail addresses, including those written to dodge scrapers: "name [at] shop [dot] com",
"name(at)shop(punkt)de", "name @ shop.com".

Obfuscated forms count only with a bracketed "at" or a spaced " @ ": "meet me at home dot
com" is prose. The value is lower case. The domain must end in a public suffix, which also
rules out image names such as "logo@2x.png". Internationalised domains are found only in
their ASCII (``xn--``) form.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder, mention
from netpatrol.model import IdentifierMention
from netpatrol.store.sites import registered_domain

MAX_LOCAL = 64
_LOCAL_CHARS = "A-Za-z0-9._%+-"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z]{2,24}|xn--[a-z0-9-]{1,59})"
_OPEN, _CLOSE = r"[\[(\{<]\s{0,2}", r"\s{0,2}[\])\}>]"
_BRACKETED_DOT = rf"\s{{0,3}}{_OPEN}(?:dot|point|punkt|punto|\.){_CLOSE}\s{{0,3}}"
_DOT = rf"(?:\.|{_BRACKETED_DOT}|\s{{1,3}}dot\s{{1,3}})"  # " dot " only after an obfuscated at

# Anchors: every "@", and "at" in brackets. Both patterns start with a character the regex
# engine can skip ahead to; the spaces around an anchor are taken in Python.
_AT = re.compile(r"@")
_BRACKETED_AT = re.compile(rf"{_OPEN}(?:at|AT|At|@|arobase){_CLOSE}")
# _BRACKETED_AT once per opening bracket: each starts with a literal, which the engine skips
# ahead to, where a class of four brackets is tested at every character. No match holds an
# opening bracket after its first character, so the four never overlap and, merged by
# position, give what _BRACKETED_AT gives.
_BRACKETED_ATS = tuple(
    re.compile(rf"{re.escape(bracket)}\s{{0,2}}(?:at|AT|At|@|arobase){_CLOSE}")
    for bracket in "[({<"
)
_PLAIN_DOMAIN = re.compile(
    rf"(?:{_LABEL}(?:\.|(?i:{_BRACKETED_DOT}))){{1,8}}{_TLD}(?![A-Za-z0-9-])"
)
_OBFUSCATED_DOMAIN = re.compile(rf"(?:{_LABEL}{_DOT}){{1,8}}{_TLD}(?![A-Za-z0-9-])", re.I)
_DOT_TOKEN = re.compile(_DOT, re.I)
_LOCAL_TAIL = re.compile(rf"[{_LOCAL_CHARS}]{{1,{MAX_LOCAL}}}\Z")
_LOCAL_CHAR = re.compile(rf"[{_LOCAL_CHARS}]")
_VALUE = re.compile(rf"[{_LOCAL_CHARS}]{{1,{MAX_LOCAL}}}@(?:{_LABEL}\.){{1,8}}{_TLD}")
MAX_SPACES = 3  # around an obfuscated "at"
FILE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".ico")


class EmailFinder(IdentifierFinder):
    kind = "email"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        if "@" in text:
            for at in _AT.finditer(text):
                i = at.start()
                if 0 < i < len(text) - 1 and text[i - 1].isspace() and text[i + 1].isspace():
                    yield from self._around(text, i, i + 1, _OBFUSCATED_DOMAIN)  # " @ "
                elif i > 0 and _LOCAL_CHAR.match(text, i - 1):
                    yield from self._around(text, i, i, _PLAIN_DOMAIN, spaces=False)
        bracketed = (p.finditer(text) for p in _BRACKETED_ATS)
        for at in heapq.merge(*bracketed, key=_start):
            yield from self._around(text, at.start(), at.end(), _OBFUSCATED_DOMAIN)

    def _around(
        self,
        text: str,
        at_start: int,
        at_end: int,
        domain_pattern: re.Pattern[str],
        spaces: bool = True,
    ) -> Iterator[IdentifierMention]:
        if spaces:
            at_start, at_end = _widen(text, at_start, at_end)
        else:
            at_end += 1
        local = _LOCAL_TAIL.search(text, max(0, at_start - MAX_LOCAL), at_start)
        domain = domain_pattern.match(text, at_end)
        if local is None or domain is None or not _starts_cleanly(text, local.start()):
            return
        host = _DOT_TOKEN.sub(".", domain.group(0)).lower()
        value = f"{local.group(0).lower()}@{host}"
        if self.validate(value):
            yield mention(self.kind, value, text, local.start(), domain.end())

    @classmethod
    def validate(cls, value: str) -> bool:
        local, _, host = value.partition("@")
        if _VALUE.fullmatch(value) is None or value != value.lower():
            return False
        if local.startswith(".") or local.endswith(".") or ".." in local:
            return False
        return not host.endswith(FILE_SUFFIXES) and registered_domain(host) is not None


def _start(match: re.Match[str]) -> int:
    return match.start()


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """An obfuscated "at" with up to three spaces on either side."""
    low, high = max(0, start - MAX_SPACES), min(len(text), end + MAX_SPACES)
    while start > low and text[start - 1].isspace():
        start -= 1
    while end < high and text[end].isspace():
        end += 1
    return start, end


def _starts_cleanly(text: str, start: int) -> bool:
    """Whether a local part starting at ``start`` is whole and not part of a URL or escape."""
    if start == 0:
        return True
    before = text[start - 1]
    # Longer than an address allows; a URL's user ("//key@host"); an escape ("\u002fname").
    if _LOCAL_CHAR.match(before) or before in "/\\":
        return False
    # "user:password@host" is a URL's credentials; "mailto:name@host" is an address.
    return before != ":" or text[max(0, start - 7) : start].lower() == "mailto:"
