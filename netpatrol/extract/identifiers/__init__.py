"""Identifiers that tie sellers together, each kind with its validator (pure functions)."""

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder
from netpatrol.extract.identifiers.registry import find_identifiers, finders, validator

__all__ = ["FindContext", "IdentifierFinder", "find_identifiers", "finders", "validator"]
