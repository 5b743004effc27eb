"""``netpatrol demo``: the patrol's stages that exist, end to end, on the bundled samples."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.rule import Rule

from netpatrol.cli import main as cli_main
from netpatrol.config import CONFIG_FILENAME
from netpatrol.errors import WorkspaceError

SAMPLES = Path(__file__).parent / "samples"
DEMO_MARKER = ".netpatrol-demo"


def prepare(directory: Path) -> None:
    """Start from an empty folder; only a previous demo workspace is replaced."""
    if directory.exists() and any(directory.iterdir()):
        if not (directory / DEMO_MARKER).exists():
            raise WorkspaceError(
                f"{directory} exists and is not a demo workspace; choose another folder"
            )
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    (directory / DEMO_MARKER).write_text("created by netpatrol demo\n", encoding="utf-8")


def run_demo(directory: Path, console: Console, cli: Callable[[list[str]], int] = cli_main) -> int:
    prepare(directory)
    ws = ["--workspace", str(directory)]
    steps: list[tuple[str, list[str], int]] = [
        ("1. create the workspace", ["init", str(directory)], 0),
        (
            "2. ingest a WARC of shop pages, saved classified-ad pages and an ad export",
            [
                *ws,
                "ingest",
                str(SAMPLES / "shops.warc.gz"),
                str(SAMPLES / "pages"),
                "--base-url",
                "https://www.leboncoin.fr/",
                str(SAMPLES / "bat-listings.csv"),
            ],
            0,
        ),
        (
            "3. ingest the same files again: nothing is stored twice",
            [
                *ws,
                "ingest",
                str(SAMPLES / "shops.warc.gz"),
                str(SAMPLES / "pages"),
                str(SAMPLES / "bat-listings.csv"),
            ],
            0,
        ),
        (
            "4. extract listings, prices, quantities and identifiers, and classify them",
            [*ws, "scan"],
            0,
        ),
        (
            "5. wildlife trade: ads, specimens, value by platform, species, appendix",
            [*ws, "stats", "--wildlife"],
            0,
        ),
        ("6. what the workspace holds", [*ws, "stats"], 0),
        ("7. re-check every evidence digest", [*ws, "verify"], 0),
    ]
    for title, args, expected in steps:
        console.print(Rule(title, align="left"))
        console.print(f"$ netpatrol {' '.join(args)}", style="bold", highlight=False)
        code = cli(args)
        if code != expected:
            console.print(f"demo step failed with exit code {code}", style="red")
            return 1
    console.print(Rule())
    console.print(f"demo workspace: {directory} (settings in {directory / CONFIG_FILENAME})")
    return 0
