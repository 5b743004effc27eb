"""Report files are written beside their target and renamed over it when complete: a
reader (or a press office's mail client) never sees half a report."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def atomic_text(
    path: Path, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """A text file to write, renamed over ``path`` when the block ends without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline=newline) as out:
            yield out
        # mkstemp makes the file private (0600); a report is meant to be handed on.
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    with atomic_text(path) as out:
        out.write(text)
