"""Extraction: pages and ads -> listings, prices, quantities, identifiers (pure functions)."""
