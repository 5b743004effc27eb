"""Image hash commands: ``hashes compute``, ``hashes import``, ``hashes export``,
``hashes match``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from netpatrol.workspace import Workspace

err = Console(stderr=True)
hashes_app = typer.Typer(help="Image hashes (PDQ, pHash, MD5, SHA-256) and hash banks.")
_workspace: list[Callable[[], Workspace]] = []


def _error(message: object) -> None:
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)


@hashes_app.command("compute")
def compute(
    paths: Annotated[list[Path], typer.Argument(help="Image files or folders.")],
) -> None:
    """One JSON line per image: path, md5, sha256, pdq, pdq_quality, phash. An image that
    cannot be decoded is named on stderr (its byte digests still printed); exit 1 then."""
    from netpatrol.media.decode import ImageError
    from netpatrol.media.files import image_files
    from netpatrol.media.hashing import digests, hash_image
    from netpatrol.ui import ScanProgress

    files = list(image_files(paths))
    failed = False
    with ScanProgress(err, enabled=len(files) > 1, label="hash") as progress:
        for done, path in enumerate(files, start=1):
            data = path.read_bytes()
            try:
                found = hash_image(data, str(path))
                record: dict[str, object] = {"path": str(path), "md5": found.md5,
                    "sha256": found.sha256, "pdq": found.pdq, "pdq_quality": found.pdq_quality,
                    "phash": found.phash}  # fmt: skip
            except ImageError as exc:
                _error(exc)
                failed = True
                md5, sha256 = digests(data)
                record = {"path": str(path), "md5": md5, "sha256": sha256, "pdq": None,
                          "pdq_quality": None, "phash": None, "error": exc.reason}  # fmt: skip
            sys.stdout.write(json.dumps(record) + "\n")
            progress.update(done, len(files))
    raise typer.Exit(1 if failed else 0)


def register(app: typer.Typer, workspace: Callable[[], Workspace]) -> None:
    _workspace[:] = [workspace]
    app.add_typer(hashes_app, name="hashes")
