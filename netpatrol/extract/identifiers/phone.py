"""Phone numbers (E.164), WhatsApp links and Telegram handles."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder, mention
from netpatrol.model import IdentifierMention

# Only texts with a run of digits can hold a number: skip phonenumbers' matcher otherwise.
_DIGITS = re.compile(r"\d[\d\s().-]{6,}\d")
_WHATSAPP = re.compile(
    r"(?:wa\.me/|api\.whatsapp\.com/send/?\?phone=|whatsapp://send/?\?phone=)\+?(\d{7,15})",
    re.I,
)
_TELEGRAM_LINK = re.compile(r"(?:t\.me|telegram\.me|telegram\.dog)/([A-Za-z][A-Za-z0-9_]{4,31})\b")
_TELEGRAM_AT = re.compile(r"(?:telegram|tg)\W{0,12}@([A-Za-z][A-Za-z0-9_]{4,31})\b", re.I)
_TELEGRAM_RESERVED = {"joinchat", "share", "addstickers", "proxy", "socks", "iv", "setlanguage"}
_DOUBLE_ZERO = re.compile(r"(?<![\d+])00[1-9]\d{0,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?!\d)")
MAX_SCAN = 200_000


class PhoneFinder(IdentifierFinder):
    """``phone``: numbers with +CC/00CC anywhere, national ones with a region hint."""

    kinds = ("phone", "whatsapp", "telegram")

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        window = text[:MAX_SCAN]
        links = list(self._whatsapp(window))
        yield from links
        yield from self._telegram(window)
        if _DIGITS.search(window):
            # The number inside a WhatsApp link is that link, not a second mention.
            for found in self._phones(window, context.region):
                if not any(link.start <= found.start < link.end for link in links):
                    yield found

    def _phones(self, text: str, region: str | None) -> Iterator[IdentifierMention]:
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region or "ZZ", leniency=phonenumbers.Leniency.VALID, max_tries=500
        )
        spans = []
        for match in matcher:
            value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            spans.append((match.start, match.end))
            yield mention("phone", value, text, match.start, match.end)
        # "0049 30 ..." is international only where 00 is the exit code: read it as +49
        # when no region says otherwise (most of Europe dials 00).
        for exit_code in _DOUBLE_ZERO.finditer(text):
            if any(start <= exit_code.start() < end for start, end in spans):
                continue
            value = "+" + re.sub(r"\D", "", exit_code.group(0))[2:]
            if self.validate("phone", value):
                yield mention("phone", value, text, exit_code.start(), exit_code.end())

    def _whatsapp(self, text: str) -> Iterator[IdentifierMention]:
        lowered = text.lower()
        if "wa.me" not in lowered and "whatsapp" not in lowered:
            return
        for match in _WHATSAPP.finditer(text):
            value = "+" + match.group(1)
            if self.validate("whatsapp", value):
                yield mention("whatsapp", value, text, match.start(), match.end())

    def _telegram(self, text: str) -> Iterator[IdentifierMention]:
        for pattern in (_TELEGRAM_LINK, _TELEGRAM_AT):
            for match in pattern.finditer(text):
                value = match.group(1).lower()
                if self.validate("telegram", value):
                    yield mention("telegram", value, text, match.start(), match.end())

    @classmethod
    def validate(cls, kind: str, value: str) -> bool:
        if kind == "telegram":
            return (
                re.fullmatch(r"[a-z][a-z0-9_]{4,31}", value) is not None
                and value not in _TELEGRAM_RESERVED
                and not value.endswith("_")
            )
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            return False
        return bool(phonenumbers.is_valid_number(number)) and value == phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164
        )
