"""Registry of importers: built-ins and third-party plugins load the same way."""

from __future__ import annotations

import importlib
import zlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from netpatrol.collect.base import Importer, NotConfigured
from netpatrol.errors import InputError, NetpatrolError, UnknownFormatError

ENTRY_POINT_GROUP = "netpatrol.importers"
BUILTIN_IMPORTERS = (
    "netpatrol.collect.warc:WarcImporter",
    "netpatrol.collect.html:HtmlImporter",
    "netpatrol.collect.csv_ads:CsvImporter",
    "netpatrol.collect.json_ads:JsonImporter",
)
HEAD_BYTES = 65536
MIN_CONFIDENCE = 20
CONFIDENT = 60  # sure enough to refuse a --format that contradicts it


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

    def detect(self, path: Path, forced: type[Importer] | None = None) -> type[Importer]:
        """The importer for a file, chosen by content; the extension breaks ties.

        With ``forced`` (``--format``), that importer, unless the content is plainly
        another format: a folder given with ``--format csv`` must not turn a WARC into
        rows of junk.
        """
        head = read_head(path)
        if not head:
            raise InputError(path, "empty file")
        scores = {cls: self._score(cls, head, path) for cls in self.importers.values()}
        if forced is not None:
            rival = max(scores, key=lambda c: scores[c])
            if scores[forced] == 0 and scores[rival] >= CONFIDENT and rival is not forced:
                raise InputError(
                    path,
                    f"looks like {rival.name()}, not {forced.name()}: leave out --format "
                    f"or use --format {rival.name()}",
                )
            return forced
        best = max(scores, key=lambda c: scores[c], default=None)
        if best is None or scores[best] < MIN_CONFIDENCE:
            raise UnknownFormatError(path, self.describe())
        return best

    @staticmethod
    def _score(cls: type[Importer], head: bytes, path: Path) -> int:
        score = cls.sniff(head, path)
        if score and any(path.name.lower().endswith(ext) for ext in cls.extensions):
            score += 5
        return score


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
