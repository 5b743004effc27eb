"""E-mail addresses, also written to dodge scrapers: "name [at] domain [dot] com"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder, mention
from netpatrol.model import IdentifierMention
from netpatrol.store.sites import registered_domain

_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_AT = r"(?:@|\s?[\[(\{]\s?(?:at|arobase|AT)\s?[\])\}]\s?|\s@\s)"
_DOT = r"(?:\.|\s?[\[(\{]\s?(?:dot|point|punkt|DOT)\s?[\])\}]\s?)"
PATTERN = re.compile(rf"(?<![\w.%+-])({_LOCAL}){_AT}((?:{_LABEL}{_DOT}){{1,4}}[A-Za-z]{{2,24}})\b")
_DOTS = re.compile(_DOT)
_ANCHOR = re.compile(r"@|[\[(\{]\s?(?:at|arobase)\s?[\])\}]", re.I)
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


class EmailFinder(IdentifierFinder):
    kinds = ("email",)

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        # Match only around an "@" or "[at]": the full pattern tried at every letter of a
        # large page is slow.
        done = 0
        for anchor in _ANCHOR.finditer(text):
            if anchor.start() < done:
                continue
            match = PATTERN.search(text, max(0, anchor.start() - 65), anchor.end() + 300)
            if match is None or not match.start() <= anchor.start() < match.end():
                continue
            done = match.end()
            domain = _DOTS.sub(".", match.group(2)).lower()
            value = f"{match.group(1).lower()}@{domain}"
            if self.validate("email", value):
                yield mention("email", value, text, match.start(), match.end())

    @classmethod
    def validate(cls, kind: str, value: str) -> bool:
        local, sep, domain = value.partition("@")
        if not sep or not local or ".." in value or domain.endswith(_IMAGE_SUFFIXES):
            return False
        if local.endswith(".") or local.startswith("."):
            return False
        return registered_domain(domain) is not None
