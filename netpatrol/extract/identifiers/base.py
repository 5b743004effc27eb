"""What every identifier finder is: the one place to add a new kind of identifier."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from netpatrol.model import Identifier, IdentifierMention


@dataclass(frozen=True)
class FindContext:
    """Hints about where a text comes from.

    ``region``: ISO 3166 alpha-2 of the page (ccTLD), for national phone numbers;
    ``page_domain``: the page's registrable domain, not reported as an outbound link.
    """

    region: str | None = None
    page_domain: str | None = None


class IdentifierFinder(ABC):
    """Finds one or more kinds of identifier in text; never reports an invalid one."""

    kinds: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        """Mentions in ``text``; ``text[start:end] == raw`` for each."""

    @classmethod
    @abstractmethod
    def validate(cls, kind: str, value: str) -> bool:
        """Whether a normalised value of ``kind`` is valid (checksums, lengths)."""


def mention(kind: str, value: str, text: str, start: int, end: int) -> IdentifierMention:
    return IdentifierMention(Identifier(kind, value), text[start:end], start, end)
