"""Image files named on a command line: files as given, folders searched recursively."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from netpatrol.errors import InputError

IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".avif", ".ico"}
)


def image_files(paths: Iterable[Path]) -> Iterator[Path]:
    """A file is read whatever its name; in a folder, only files with an image suffix."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
            )
        elif path.is_file():
            yield path
        else:
            raise InputError(path, "no such file or folder")
