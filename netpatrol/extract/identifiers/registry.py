"""The identifier finders: built-ins and plugins (entry point group ``netpatrol.identifiers``),
loaded the same way, one finder per kind; and ``find_identifiers``, which runs them."""

from __future__ import annotations

import importlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points

from netpatrol.errors import NetpatrolError
from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder
from netpatrol.model import IdentifierMention

ENTRY_POINT_GROUP = "netpatrol.identifiers"
_PACKAGE = "netpatrol.extract.identifiers"
BUILTIN_FINDERS = (
    f"{_PACKAGE}.email:EmailFinder",
    f"{_PACKAGE}.phone:PhoneFinder",
    f"{_PACKAGE}.phone:WhatsAppFinder",
    f"{_PACKAGE}.telegram:TelegramFinder",
    f"{_PACKAGE}.telegram:TelegramInviteFinder",
    f"{_PACKAGE}.bitcoin:BitcoinFinder",
    f"{_PACKAGE}.litecoin:LitecoinFinder",
    f"{_PACKAGE}.ethereum:EthereumFinder",
    f"{_PACKAGE}.monero:MoneroFinder",
    f"{_PACKAGE}.iban:IbanFinder",
    f"{_PACKAGE}.payment:PayPalFinder",
    f"{_PACKAGE}.tracking:GoogleAnalyticsFinder",
    f"{_PACKAGE}.tracking:GtmFinder",
    f"{_PACKAGE}.tracking:AdSenseFinder",
    f"{_PACKAGE}.tracking:FacebookPixelFinder",
    f"{_PACKAGE}.onion:OnionFinder",
    f"{_PACKAGE}.domains:DomainFinder",
)
_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class FinderRegistry:
    """Finders by kind, and the plugins that could not be loaded (spec -> reason)."""

    finders: dict[str, IdentifierFinder]
    disabled: dict[str, str]


def _load(spec: str) -> type[IdentifierFinder]:
    module_name, _, attr = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    if not (isinstance(cls, type) and issubclass(cls, IdentifierFinder)):
        raise TypeError(f"{spec} is not an IdentifierFinder subclass")
    if not isinstance(getattr(cls, "kind", None), str) or not _KIND.fullmatch(cls.kind):
        raise TypeError(f"{spec} has no kind: set kind = 'lower_case_name' on the class")
    return cls


@lru_cache(maxsize=1)
def load_finders() -> FinderRegistry:
    """Built-ins first, then plugins; a plugin that cannot be imported is listed as
    disabled; two finders of one kind are an error that names both."""
    specs = dict.fromkeys(BUILTIN_FINDERS)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        specs.setdefault(ep.value)
    owners: dict[str, str] = {}
    found: dict[str, IdentifierFinder] = {}
    disabled: dict[str, str] = {}
    for spec in specs:
        try:
            cls = _load(spec)
        except (ImportError, AttributeError) as exc:
            disabled[spec] = str(exc)
            continue
        if cls.kind in owners:
            raise NetpatrolError(
                f"identifier kind {cls.kind!r} is found by both {owners[cls.kind]} and {spec}"
            )
        owners[cls.kind] = spec
        found[cls.kind] = cls()
    return FinderRegistry(found, disabled)


def finders() -> tuple[IdentifierFinder, ...]:
    """One instance of each finder, built-ins first."""
    return tuple(load_finders().finders.values())


def validator(kind: str) -> type[IdentifierFinder] | None:
    """The finder class whose ``validate`` checks values of ``kind``; None if unknown."""
    finder = load_finders().finders.get(kind)
    return type(finder) if finder is not None else None


def find_identifiers(
    text: str, context: FindContext | None = None, kinds: Collection[str] | None = None
) -> list[IdentifierMention]:
    """Every identifier in ``text`` (of ``kinds`` only, if given), sorted by position; the
    same kind and value at the same span once."""
    registry = load_finders().finders
    unknown = set(kinds or ()) - set(registry)
    if unknown:
        raise NetpatrolError(
            f"unknown identifier kind(s) {', '.join(sorted(unknown))}; "
            f"known kinds: {', '.join(registry)}"
        )
    context = context or FindContext()
    seen: set[tuple[str, str, int, int]] = set()
    found: list[IdentifierMention] = []
    for kind, finder in registry.items():
        if kinds is not None and kind not in kinds:
            continue
        for m in finder.find(text, context):
            key = (m.identifier.kind, m.identifier.value, m.start, m.end)
            if key not in seen:
                seen.add(key)
                found.append(m)
    found.sort(key=lambda m: (m.start, m.end, m.identifier.kind))
    return found
