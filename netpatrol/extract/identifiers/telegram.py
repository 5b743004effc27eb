"""Telegram accounts (kind ``telegram``) and private invite links (kind ``telegram_invite``).

Accounts: ``t.me/handle``, ``telegram.me/handle``, ``tg://resolve?domain=handle``, and
``@handle`` only when "Telegram" or "TG" comes a few words before it (an "@name" alone may be
Instagram, X, anything). Handles follow Telegram's rules: 5-32 of ``[A-Za-z0-9_]``, a letter
first, no "_" last; the value is lower case without "@" (handles are case-insensitive).

Invites (``t.me/+HASH``, ``t.me/joinchat/HASH``) name a private group or channel rather than
an account; the same invite on two sites is strong evidence, so they are kept as their own
kind with the hash as written (it is case-sensitive). ``t.me/+4915...`` (digits only) opens
a chat with a phone number and is not an invite.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from netpatrol.extract.identifiers.base import (
    FindContext,
    IdentifierFinder,
    matches_at,
    mention,
    occurrences,
    whole_token,
)
from netpatrol.model import IdentifierMention

_HANDLE = r"[A-Za-z][A-Za-z0-9_]{4,31}"
# t.me, telegram.me, telegram.dog in any case, spelt out so that the pattern starts with
# [tT]: the regex engine skips ahead to that character (re.I would try every position).
_HOST = r"[tT](?:\.[mM][eE]|[eE][lL][eE][gG][rR][aA][mM]\.(?:[mM][eE]|[dD][oO][gG]))/"
_LINK = re.compile(rf"(?:{_HOST}(?:s/)?|tg://resolve\?domain=)({_HANDLE})(?![A-Za-z0-9_])")
LINK_HINTS = ("t.me", "T.me", "T.ME", "elegram.", "ELEGRAM.", "tg:")  # literal tests first
_AT = re.compile(rf"@({_HANDLE})(?![A-Za-z0-9_]|\.[A-Za-z0-9])")
_CUE = re.compile(r"\b(?:telegram|tg)\b[^\n@]{0,30}\Z", re.I)
CUE_DISTANCE = 40
_INVITE = re.compile(
    rf"(?:{_HOST}(?:joinchat/|\+)|tg://join\?invite=)([A-Za-z0-9_-]{{16,32}})(?![A-Za-z0-9_-])"
)
# Where _HOST's name ends: a literal first, which the engine skips ahead to, where _LINK and
# _INVITE stop at every "t" of a page. Their matches start one ("t.me") or eight
# ("telegram.me") characters before it, or at "tg://".
_HOST_END = re.compile(r"\.(?:[mM][eE]|[dD][oO][gG])/")
HOST_END_AT = (len("t"), len("telegram"))
# Paths of t.me that are features, not accounts; Telegram does not hand them out as names.
RESERVED = frozenset(
    {"joinchat", "addstickers", "addemoji", "addtheme", "addlist", "proxy", "socks", "share",
     "setlanguage", "confirmphone", "login", "invoice", "boost", "contact", "iv"}
)  # fmt: skip


class TelegramFinder(IdentifierFinder):
    kind = "telegram"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        if _has_links(text):
            for match in matches_at(_LINK, text, _link_starts(text)):
                if _host_starts(text, match.start()):
                    yield from self._mention(text, match)
        if "@" in text:
            for match in _AT.finditer(text):
                start = match.start()
                if start and (text[start - 1].isalnum() or text[start - 1] in "_@."):
                    continue  # the domain of an e-mail address, not a handle
                if _CUE.search(text, max(0, start - CUE_DISTANCE), start):
                    yield from self._mention(text, match)

    def _mention(self, text: str, match: re.Match[str]) -> Iterator[IdentifierMention]:
        value = match.group(1).lower()
        if self.validate(value):
            yield mention(self.kind, value, text, match.start(), match.end())

    @classmethod
    def validate(cls, value: str) -> bool:
        return (
            re.fullmatch(r"[a-z][a-z0-9_]{4,31}", value) is not None
            and not value.endswith("_")
            and value not in RESERVED
        )


class TelegramInviteFinder(IdentifierFinder):
    kind = "telegram_invite"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        if not _has_links(text):
            return
        for match in matches_at(_INVITE, text, _link_starts(text)):
            if _host_starts(text, match.start()) and self.validate(match.group(1)):
                yield mention(self.kind, match.group(1), text, match.start(), match.end())

    @classmethod
    def validate(cls, value: str) -> bool:
        return re.fullmatch(r"[A-Za-z0-9_-]{16,32}", value) is not None and not value.isdigit()


def _has_links(text: str) -> bool:
    """Whether links are looked for: where one can start, and the text holds a hint. The
    places first: finding them costs less than the six hints, and most texts have none."""
    return bool(_link_starts(text)) and any(hint in text for hint in LINK_HINTS)


@lru_cache(maxsize=2)  # asked by both finders, of one text after the other
def _link_starts(text: str) -> tuple[int, ...]:
    """Every position where a match of _LINK or _INVITE can start, ascending."""
    starts = [dot.start() - at for dot in _HOST_END.finditer(text) for at in HOST_END_AT]
    starts.extend(occurrences(text, "tg://"))
    return tuple(sorted(start for start in starts if start >= 0))


def _host_starts(text: str, start: int) -> bool:
    """Whether a Telegram host starts at ``start`` rather than inside another name
    ("at.me/", "my-telegram.me/")."""
    return whole_token(text, start) and (start == 0 or text[start - 1] not in "-.")
