"""Test web sites served on 127.0.0.1 by the tests themselves (no outside network)."""
