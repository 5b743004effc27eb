"""What ``netpatrol ingest`` reports and hands between its reading and storing threads."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from netpatrol.collect.base import Importer, ImportOptions
from netpatrol.errors import InputError
from netpatrol.model import Capture

if TYPE_CHECKING:
    from netpatrol.media.quarantine import Quarantined


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: str
    format: str | None
    status: str  # imported | already | failed | skipped
    stored: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not f.errors for f in self.files)

    @property
    def stored(self) -> int:
        return sum(f.stored for f in self.files)


class Progress:
    """Where the ingest reports its progress; the CLI plugs a rich bar in."""

    def start_file(self, path: Path, size: int) -> None:
        """A new file begins."""

    def advance(self, position: int, records: int) -> None:
        """Bytes and records read so far in the current file."""

    def end_file(self, outcome: FileOutcome) -> None:
        """The current file is done."""


def fingerprint(importer: type[Importer], options: ImportOptions) -> str:
    """Identity of how a file is read: another importer or other options read it anew."""
    text = json.dumps(
        [importer.name(), options.base_url, dict(options.column_map), options.encoding],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class PendingSource:
    """A file being imported; the worker registers it and fills in its id."""

    sha256: str
    path: str
    importer: str
    size: int
    evidence_file: str | None
    options: str
    id: int | None = None
    # Set when the evidence is a sanitized copy (quarantined records replaced): its digest,
    # beside ``sha256``, the original's (what was received).
    sanitized_sha256: str | None = None
    quarantined: int = 0


@dataclass
class Kept:
    """How a file is kept: its digest, its evidence copy and what to read."""

    sha256: str
    evidence_file: str | None
    read_path: Path
    quarantined: list[Quarantined] = field(default_factory=list)
    replaced: frozenset[int] = frozenset()  # offsets of replacement records in the copy
    fault: InputError | None = None  # where screening stopped: nothing after it is kept
    sanitized_sha256: str | None = None


@dataclass
class Batch:
    """Work for the storing thread; captures may come from several files.

    Everything that writes to the database goes through here, so one thread writes and
    SQLite never makes the reader wait for its lock.
    """

    started: list[PendingSource] = field(default_factory=list)
    captures: list[tuple[FileOutcome, PendingSource, Capture]] = field(default_factory=list)
    # Sources read to their end: marked finished once their captures are stored, not
    # before, so a crash never leaves a file marked complete without its captures.
    finished: list[tuple[PendingSource, str | None]] = field(default_factory=list)
    # Their captures are in ``captures``: images and matches rows follow them.
    quarantined: list[Quarantined] = field(default_factory=list)
    payload_bytes: int = 0
