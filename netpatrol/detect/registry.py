"""The detectors: built-in ones and any a plugin registers under the entry-point group
``netpatrol.detectors`` (a class with ``category`` and ``detect``)."""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points

from netpatrol.detect.base import Detector
from netpatrol.detect.counterfeit import CounterfeitDetector
from netpatrol.detect.drugs import DrugsDetector
from netpatrol.detect.medicine import MedicineDetector
from netpatrol.detect.weapons import WeaponsDetector
from netpatrol.detect.wildlife import WildlifeDetector

BUILTIN_DETECTORS: tuple[type[Detector], ...] = (
    WildlifeDetector,
    MedicineDetector,
    CounterfeitDetector,
    DrugsDetector,
    WeaponsDetector,
)
CATEGORIES = ("wildlife", "medicine", "counterfeit", "drugs", "weapons")


@lru_cache(maxsize=1)
def detectors() -> tuple[Detector, ...]:
    """One instance per category; a plugin's detector replaces the built-in one."""
    by_category: dict[str, Detector] = {cls.category: cls() for cls in BUILTIN_DETECTORS}
    for point in entry_points(group="netpatrol.detectors"):
        cls = point.load()
        by_category[cls.category] = cls()
    return tuple(by_category.values())
