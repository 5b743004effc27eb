"""Identifiers that tie sellers together (e-mails, phones, messengers, wallets, bank and
payment accounts, tracking ids, onion services, outbound domains): one finder per kind,
each with its validator; pure functions of text."""

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder
from netpatrol.extract.identifiers.registry import (
    FinderRegistry,
    find_identifiers,
    finders,
    load_finders,
    validator,
)

__all__ = [
    "FindContext",
    "FinderRegistry",
    "IdentifierFinder",
    "find_identifiers",
    "finders",
    "load_finders",
    "validator",
]
