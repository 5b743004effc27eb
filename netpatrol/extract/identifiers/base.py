"""What an identifier finder is: the one place to add a new kind of identifier.

One finder per kind, in its own module, with the validator beside the finder. Built-ins
are listed in ``registry.py`` and load exactly as plugins do (entry point group
``netpatrol.identifiers``).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from netpatrol.model import Identifier, IdentifierMention


@dataclass(frozen=True)
class FindContext:
    """Hints about where a text comes from.

    ``region``: ISO 3166 alpha-2 code (from the page's ccTLD or language) that makes
    national phone numbers readable; ``page_domain``: the page's registrable domain, not
    reported as an outbound link.
    """

    region: str | None = None
    page_domain: str | None = None


class IdentifierFinder(ABC):
    """Finds one kind of identifier in text and never reports an invalid one."""

    kind: ClassVar[str]

    @abstractmethod
    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        """Mentions in ``text``, each with ``text[start:end] == raw``."""

    @classmethod
    @abstractmethod
    def validate(cls, value: str) -> bool:
        """Whether a normalised value is a valid identifier of this kind (checksum, length)."""


def mention(kind: str, value: str, text: str, start: int, end: int) -> IdentifierMention:
    """A mention of ``value`` at ``text[start:end]``."""
    return IdentifierMention(Identifier(kind, value), text[start:end], start, end)


_TOKEN_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def whole_token(text: str, start: int) -> bool:
    """Whether a match starting at ``start`` is not the tail of a longer ASCII token.

    Finders check this in Python rather than with a lookbehind: a pattern that starts with
    a lookbehind stops the regex engine from skipping ahead to its first character, which
    makes a scan of a large page several times slower.
    """
    return start == 0 or text[start - 1] not in _TOKEN_CHARS


def matches_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, given every position where a match can start
    (``starts``: ascending; more than that is harmless), tried only there.

    For patterns that start with a class or an alternation, which the regex engine tries
    at every position of a text: finders find their literal anchors (``str.find``, a
    pattern that starts with a literal) many times faster. The pattern never matches
    the empty string."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            end = match.end()
            yield match


def occurrences(text: str, literal: str) -> Iterator[int]:
    """Every position where ``literal`` starts in ``text``, overlapping ones included."""
    position = text.find(literal)
    while position >= 0:
        yield position
        position = text.find(literal, position + 1)
