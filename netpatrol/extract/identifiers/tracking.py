"""Analytics and ad-network account ids: one operator's sites share them, whatever their
domains. Kinds ``google_analytics`` (``UA-123456-1`` anywhere; ``G-XXXXXXXX`` only inside a
gtag/measurement call, as "G-" plus letters is common text), ``gtm`` (``GTM-XXXXXXX``),
``adsense`` (``ca-pub-`` + 16 digits anywhere, a bare ``pub-`` + 16 digits only near an
AdSense snippet or in ads.txt; the value is ``pub-...``) and ``facebook_pixel`` (the id in
``fbq('init', ...)`` or in the ``facebook.com/tr?id=`` image).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from netpatrol.extract.identifiers.base import (
    FindContext,
    IdentifierFinder,
    mention,
    whole_token,
)
from netpatrol.model import IdentifierMention


class PatternFinder(IdentifierFinder):
    """A finder whose ids are group 1 of its patterns. Each pattern runs only when the text
    holds one of its literal hints: ``in`` is many times faster than a regex scan."""

    patterns: ClassVar[tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]]
    value_format: ClassVar[re.Pattern[str]]

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        for hints, pattern in self.patterns:
            if not any(hint in text for hint in hints):
                continue
            for match in pattern.finditer(text):
                value = self.normalise(match.group(1))
                if not whole_token(text, match.start(1)):
                    continue  # "XUA-1234-1", "myGTM-ABCD": part of another word
                if self.accept(text, match) and self.validate(value):
                    yield mention(self.kind, value, text, match.start(1), match.end(1))

    def normalise(self, raw: str) -> str:
        return raw

    def accept(self, text: str, match: re.Match[str]) -> bool:
        return True

    @classmethod
    def validate(cls, value: str) -> bool:
        return cls.value_format.fullmatch(value) is not None and not _placeholder(value)


def _placeholder(value: str) -> bool:
    """Documentation placeholders: "UA-XXXXX-Y", "GTM-XXXXXX", "G-XXXXXXXXXX"."""
    tail = value.partition("-")[2]
    return len(set(tail.replace("-", ""))) == 1


class GoogleAnalyticsFinder(PatternFinder):
    kind = "google_analytics"
    patterns = (
        (("UA-",), re.compile(r"(UA-\d{4,10}-\d{1,4})(?![\w-])")),
        (
            ("gtag(", "measurementId", "gtag/js?id="),
            re.compile(
                r"""(?:gtag\(\s*['"]config['"]\s*,\s*|['"]?measurementId['"]?\s*:\s*|"""
                r"""gtag/js\?id=)['"]?(G-[A-Z0-9]{6,12})(?![\w-])"""
            ),
        ),
    )
    value_format = re.compile(r"UA-\d{4,10}-\d{1,4}|G-[A-Z0-9]{6,12}")


class GtmFinder(PatternFinder):
    kind = "gtm"
    patterns = ((("GTM-",), re.compile(r"(GTM-[A-Z0-9]{4,9})(?![\w-])")),)
    value_format = re.compile(r"GTM-[A-Z0-9]{4,9}")


_ADSENSE_CONTEXT = re.compile(r"adsbygoogle|google_ad_client|googlesyndication|google\.com,\s*$")
ADSENSE_DISTANCE = 300


class AdSenseFinder(PatternFinder):
    kind = "adsense"
    patterns = ((("pub-",), re.compile(r"((?:ca-)?pub-\d{16})(?!\w)")),)
    value_format = re.compile(r"pub-\d{16}")

    def normalise(self, raw: str) -> str:
        return raw.removeprefix("ca-")

    def accept(self, text: str, match: re.Match[str]) -> bool:
        if match.group(1).startswith("ca-"):
            return True
        # A bare "pub-" id: in an AdSense snippet, or an ads.txt line "google.com, pub-...".
        window = text[max(0, match.start() - ADSENSE_DISTANCE) : match.start()]
        after = text[match.end() : match.end() + ADSENSE_DISTANCE]
        return bool(_ADSENSE_CONTEXT.search(window)) or "adsbygoogle" in after


class FacebookPixelFinder(PatternFinder):
    kind = "facebook_pixel"
    patterns = (
        (("fbq(",), re.compile(r"""fbq\(\s*['"]init['"]\s*,\s*['"]?(\d{15,16})(?!\d)""")),
        (("facebook.com/tr",), re.compile(r"facebook\.com/tr/?\?id=(\d{15,16})(?!\d)")),
    )
    value_format = re.compile(r"\d{15,16}")
