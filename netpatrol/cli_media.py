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


INDEX_DIR = Path("index") / "banks"  # under the workspace: cached, rebuilt when banks change


@hashes_app.command("import")
def import_bank(
    bank: Annotated[str, typer.Argument(help="Bank name (created on first import).")],
    source: Annotated[
        Path, typer.Argument(help="One hex hash a line, CSV, or ThreatExchange export.")
    ],
    kind: Annotated[str, typer.Option("--kind", help="pdq, md5, sha256 or phash.")] = "pdq",
    sensitive: Annotated[
        bool, typer.Option("--sensitive", help="Quarantine what it matches: hashes and URLs only.")
    ] = False,
    negative: Annotated[
        bool,
        typer.Option("--negative", help="Known false positives: suppress other banks' matches."),
    ] = False,
    threshold: Annotated[
        int | None,
        typer.Option("--threshold", help="Largest distance that matches (PDQ default 31)."),
    ] = None,
) -> None:
    """Add a file's hashes to a bank; a bad line is named with its number, the rest imported."""
    from netpatrol.media.banks import KINDS, read_bank_file
    from netpatrol.store.banks import add_hashes, create_or_get_bank

    if kind not in KINDS:
        raise typer.BadParameter(
            f"{kind!r}: expected one of {', '.join(KINDS)}", param_hint="--kind"
        )
    parsed = read_bank_file(source, kind)
    for problem in parsed.errors:
        _error(problem)
    ws = _workspace[0]()
    try:
        info = create_or_get_bank(ws.store, bank, kind, sensitive=sensitive, negative=negative,
                                  threshold=threshold, source=str(source))  # fmt: skip
        added, present = add_hashes(ws.store, info.id, parsed.entries)
    finally:
        ws.close()
    flags = ", ".join(f for f, on in (("sensitive", info.sensitive or sensitive),
                                      ("negative", info.negative or negative)) if on)  # fmt: skip
    print(f"{bank} ({kind}{', ' + flags if flags else ''}): {added} hashes added, {present} "
          f"already there, {len(parsed.errors)} bad lines ({parsed.format} file)")  # fmt: skip
    raise typer.Exit(1 if parsed.errors else 0)


@hashes_app.command("export")
def export_bank(bank: Annotated[str, typer.Argument(help="Bank name.")]) -> None:
    """The bank as CSV (hash, label, metadata) on standard output."""
    from netpatrol.media.banks import write_bank_file
    from netpatrol.store.banks import bank_entries, get_bank

    ws = _workspace[0]()
    try:
        get_bank(ws.store, bank)
        write_bank_file(bank_entries(ws.store, bank), sys.stdout)
    finally:
        ws.close()


@hashes_app.command("banks")
def banks() -> None:
    """The workspace's banks: kind, size, threshold, flags."""
    from netpatrol.store.banks import list_banks

    ws = _workspace[0]()
    try:
        found = list_banks(ws.store)
    finally:
        ws.close()
    for info in found:
        flags = [f for f, on in (("sensitive", info.sensitive), ("negative", info.negative)) if on]
        print(f"{info.name}\t{info.kind}\t{info.count} hashes\tthreshold {info.threshold}"
              f"\t{' '.join(flags)}")  # fmt: skip


@hashes_app.command("match")
def match(
    paths: Annotated[list[Path], typer.Argument(help="Image files or folders.")],
) -> None:
    """One JSON line per match: path, bank, kind, hash, distance. Images are only read and
    hashed, never copied; a match on a sensitive bank says so (``quarantined``)."""
    from netpatrol.media.files import image_files
    from netpatrol.media.hashing import digests
    from netpatrol.media.matching import BankIndex
    from netpatrol.ui import ScanProgress

    files = list(image_files(paths))
    ws = _workspace[0]()
    failed = False
    try:
        index = BankIndex(ws.store, ws.root / INDEX_DIR)
        with ScanProgress(err, enabled=len(files) > 1, label="match") as progress:
            for done, path in enumerate(files, start=1):
                query = query_of(path.read_bytes(), str(path))
                if query is None:
                    failed = True
                    md5, sha256 = digests(path.read_bytes())
                    query = {"md5": md5, "sha256": sha256}
                for found in index.match(query):
                    record = {"path": str(path), "bank": found.bank, "kind": found.kind,
                              "hash": found.value, "distance": found.distance,
                              "label": found.label, "quarantined": found.sensitive}  # fmt: skip
                    sys.stdout.write(json.dumps(record) + "\n")
                progress.update(done, len(files))
    finally:
        ws.close()
    raise typer.Exit(1 if failed else 0)


# A PDQ hash of a near-uniform image (quality below this) matches too much to count.
MIN_PDQ_QUALITY = 50


def query_of(data: bytes, name: str) -> dict[str, str] | None:
    """The hashes to look up for one image, or None (named on stderr) when undecodable."""
    from netpatrol.media.decode import ImageError
    from netpatrol.media.hashing import hash_image

    try:
        found = hash_image(data, name)
    except ImageError as exc:
        _error(exc)
        return None
    query = {"md5": found.md5, "sha256": found.sha256}
    if found.pdq is not None and (found.pdq_quality or 0) >= MIN_PDQ_QUALITY:
        query["pdq"] = found.pdq
    if found.phash is not None:
        query["phash"] = found.phash
    return query


def register(app: typer.Typer, workspace: Callable[[], Workspace]) -> None:
    _workspace[:] = [workspace]
    app.add_typer(hashes_app, name="hashes")
