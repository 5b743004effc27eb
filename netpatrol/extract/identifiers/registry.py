"""The identifier finders: built-ins and plugins (entry points ``netpatrol.identifiers``)."""

from __future__ import annotations

import importlib
from collections.abc import Collection
from functools import lru_cache
from importlib.metadata import entry_points

from netpatrol.errors import NetpatrolError
from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder
from netpatrol.model import IdentifierMention

ENTRY_POINT_GROUP = "netpatrol.identifiers"
BUILTIN_FINDERS = (
    "netpatrol.extract.identifiers.email:EmailFinder",
    "netpatrol.extract.identifiers.phone:PhoneFinder",
    "netpatrol.extract.identifiers.wallets:WalletFinder",
    "netpatrol.extract.identifiers.accounts:AccountFinder",
    "netpatrol.extract.identifiers.web:WebFinder",
)


@lru_cache(maxsize=1)
def finders() -> tuple[IdentifierFinder, ...]:
    """One instance of each finder; every kind belongs to exactly one finder."""
    specs = dict.fromkeys(BUILTIN_FINDERS)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        specs.setdefault(ep.value)
    loaded: list[IdentifierFinder] = []
    owner: dict[str, str] = {}
    for spec in specs:
        module, _, name = spec.partition(":")
        cls = getattr(importlib.import_module(module), name)
        for kind in cls.kinds:
            if kind in owner:
                raise NetpatrolError(
                    f"identifier kind {kind!r} is found by {owner[kind]} and {spec}"
                )
            owner[kind] = spec
        loaded.append(cls())
    return tuple(loaded)


def validator(kind: str) -> IdentifierFinder | None:
    return next((f for f in finders() if kind in f.kinds), None)


def find_identifiers(
    text: str, context: FindContext | None = None, kinds: Collection[str] | None = None
) -> list[IdentifierMention]:
    """Every identifier in ``text``, by position; the same value at the same span once."""
    context = context or FindContext()
    seen: set[tuple[str, str, int, int]] = set()
    found: list[IdentifierMention] = []
    for finder in finders():
        if kinds is not None and not set(finder.kinds) & set(kinds):
            continue
        for m in finder.find(text, context):
            key = (m.identifier.kind, m.identifier.value, m.start, m.end)
            if key not in seen and (kinds is None or m.identifier.kind in kinds):
                seen.add(key)
                found.append(m)
    return sorted(found, key=lambda m: (m.start, m.end, m.identifier.kind))
