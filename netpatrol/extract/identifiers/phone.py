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
# A "+" or "00" exit code, then digit groups with the separators people type; not part of
# a longer number, a decimal or a word.
_CANDIDATE = re.compile(
    r"(?<![\w+.,/-])(?:\+|00)?\(?\d{1,5}\)?(?:[ .\-/\u00a0]?\(?\d{1,6}\)?){1,7}(?![\w.,/-]?\d)"
)
MIN_DIGITS, MAX_DIGITS = 7, 15
MAX_SCAN = 200_000
WINDOW = 24  # characters around a digit run given to the matcher (a prefix, a '+')


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
        # Candidates by one regex, each parsed alone: phonenumbers' matcher re-scans long
        # texts and is ten times slower on a shop page.
        for match in _CANDIDATE.finditer(text):
            raw = match.group(0)
            digits = re.sub(r"\D", "", raw)
            if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
                continue
            international = raw.startswith(("+", "00"))
            if not international and region is None:
                continue  # a national number means nothing without its country
            number_text = "+" + digits[2:] if raw.startswith("00") else raw
            try:
                number = phonenumbers.parse(number_text, None if international else region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                yield mention("phone", value, text, match.start(), match.end())

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
