"""Registry of importers: built-ins and third-party plugins load the same way."""

from __future__ import annotations

import importlib
import zlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from netpatrol.collect.base import Importer, NotConfigured
from netpatrol.errors import NetpatrolError, UnknownFormatError

ENTRY_POINT_GROUP = "netpatrol.importers"
BUILTIN_IMPORTERS = (
    "netpatrol.collect.warc:WarcImporter",
    "netpatrol.collect.html:HtmlImporter",
    "netpatrol.collect.csv_ads:CsvImporter",
    "netpatrol.collect.json_ads:JsonImporter",
)
HEAD_BYTES = 65536
MIN_CONFIDENCE = 20


@dataclass(frozen=True)
class Registry:
    importers: dict[str, type[Importer]]
    disabled: dict[str, str]

    def get(self, name: str) -> type[Importer]:
        if name not in self.importers:
            raise NetpatrolError(
                f"unknown format {name!r}; supported formats: {', '.join(self.importers)}"
            )
        return self.importers[name]

    def describe(self) -> list[str]:
        return [f"{name} ({cls.description})" for name, cls in self.importers.items()]

    def detect(self, path: Path) -> type[Importer]:
        """The importer for a file, chosen by content; the extension breaks ties."""
        head = read_head(path)
        best: tuple[int, type[Importer]] | None = None
        for cls in self.importers.values():
            score = cls.sniff(head, path)
            if any(path.name.lower().endswith(ext) for ext in cls.extensions):
                score += 5 if score else 0
            if score >= MIN_CONFIDENCE and (best is None or score > best[0]):
                best = (score, cls)
        if best is None:
            raise UnknownFormatError(path, self.describe())
        return best[1]


def read_head(path: Path) -> bytes:
    """The first bytes of a file, decompressed when it is gzip (even if truncated)."""
    with path.open("rb") as handle:
        raw = handle.read(HEAD_BYTES)
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return zlib.decompressobj(wbits=31).decompress(raw, HEAD_BYTES)
    except zlib.error:
        return b""


def _load(spec: str) -> type[Importer]:
    module_name, _, attr = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    if not (isinstance(cls, type) and issubclass(cls, Importer)):
        raise TypeError(f"{spec} is not an Importer subclass")
    return cls


def load_registry() -> Registry:
    """Built-ins first, then plugins from the ``netpatrol.importers`` entry point group."""
    specs = {spec: spec for spec in BUILTIN_IMPORTERS}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        specs.setdefault(ep.value, ep.value)
    importers: dict[str, type[Importer]] = {}
    disabled: dict[str, str] = {}
    for spec in specs:
        try:
            cls = _load(spec)
        except (ImportError, AttributeError, NotConfigured) as exc:
            disabled[spec] = str(exc)
            continue
        name = cls.name()
        if name in importers and importers[name] is not cls:
            raise NetpatrolError(f"two importers are named {name!r}: {importers[name]} and {cls}")
        importers[name] = cls
    return Registry(importers, disabled)
