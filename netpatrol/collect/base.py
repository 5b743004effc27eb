"""What every importer is: the one place to add a new input format."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from netpatrol.errors import InputError
from netpatrol.model import Capture


class NotConfigured(Exception):
    """An importer cannot run here (missing optional dependency); it is listed as disabled."""


@dataclass(frozen=True)
class ImportOptions:
    """Options the user gives ``ingest``; each importer uses the ones that concern it."""

    base_url: str | None = None
    column_map: Mapping[str, str] = field(default_factory=dict)
    encoding: str = "auto"
    max_errors: int = 100


@dataclass
class SourceFile:
    """A file to import.

    ``path`` is what the user named (for messages); ``read_path`` is what to read, which
    is the verbatim evidence copy for importers that keep originals; ``root`` is the
    folder the file was found in, for URLs relative to ``--base-url``.
    """

    path: Path
    read_path: Path
    root: Path | None = None
    evidence_file: str | None = None
    on_progress: Callable[[int], None] = field(default=lambda _pos: None)


# A non-fatal problem is yielded in the stream (the record is skipped, the file goes on);
# a fatal one is raised after every good record before it was yielded.
ImportItem = Capture | InputError


class Importer(ABC):
    """Turns one file into captures. Subclasses are registered by name."""

    description: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()
    #: True when the source file itself is kept as evidence (WARC); captures then carry
    #: their evidence reference into it. False: the ingest writes each capture as a record.
    keeps_original: ClassVar[bool] = False

    @classmethod
    def name(cls) -> str:
        """``WarcImporter`` -> ``warc``."""
        base = re.sub(r"Importer$", "", cls.__name__)
        return re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower()

    @classmethod
    @abstractmethod
    def sniff(cls, head: bytes, path: Path) -> int:
        """Confidence 0-100 that the file is in this format, from its first bytes.

        ``head`` is already decompressed when the file is gzip.
        """

    @abstractmethod
    def records(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
        """Stream captures (or skipped-record errors) from the file."""
