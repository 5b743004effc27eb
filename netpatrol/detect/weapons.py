"""Firearms by make and model, ammunition, explosives, silencers, conversion parts."""

from __future__ import annotations

from netpatrol.detect.lexical import LexiconDetector


class WeaponsDetector(LexiconDetector):
    category = "weapons"
