"""Which files an ingest reads: the paths named, and the regular files inside folders."""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from netpatrol.errors import display


@dataclass(frozen=True)
class Candidate:
    """A file to import, or a problem found while looking for files (``error``)."""

    path: Path
    root: Path | None
    explicit: bool
    error: str | None = None


def kind_of(mode: int) -> str | None:
    """None for a regular file, else what the path is instead."""
    if stat.S_ISREG(mode):
        return None
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def expand(paths: Sequence[Path], exclude: Collection[Path] = ()) -> Iterator[Candidate]:
    """Files named, and files inside folders named (sorted, hidden ones left out).

    ``exclude`` holds paths never read (the workspace's own database and evidence).
    """
    excluded = {_real(p) for p in exclude}
    for path in paths:
        if path.is_dir():
            yield from _walk(path, excluded)
        else:
            yield _named(path)


def _real(path: Path) -> Path:
    # realpath, unlike Path.resolve, does not raise on a symbolic link loop.
    return Path(os.path.realpath(path))


def _named(path: Path) -> Candidate:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "no such file"
        return Candidate(path, None, True, f"{display(path)}: {reason}")
    except OSError as exc:
        return Candidate(path, None, True, f"{display(path)}: {exc.strerror}")
    what = kind_of(mode)
    if what is not None:
        return Candidate(path, None, True, f"{display(path)}: {what}, not a regular file")
    return Candidate(path, None, True)


def _walk(root: Path, excluded: set[Path]) -> Iterator[Candidate]:
    problems: list[OSError] = []
    found = False
    for folder, dirs, files in os.walk(root, onerror=problems.append):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and _real(Path(folder) / d) not in excluded
        )
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or _real(path) in excluded:
                continue
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError:  # a broken link or a link loop: named, like a missing file
                found = True
                yield Candidate(path, root, False, f"{display(path)}: no such file")
                continue
            if regular:  # FIFOs, devices and sockets in a folder are left alone
                found = True
                yield Candidate(path, root, explicit=False)
    for problem in problems:
        yield Candidate(
            Path(problem.filename or root),
            root,
            False,
            f"{display(problem.filename or root)}: cannot list folder: {problem.strerror}",
        )
    if not found and not problems:
        yield Candidate(root, None, True, f"{display(root)}: no files to import in this folder")
