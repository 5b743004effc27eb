"""``netpatrol demo``: the whole patrol, offline, in a few minutes.

Ingests the bundled samples (a WARC of shop pages, saved classified-ad pages, an ad
export of taxidermy bats), serves the test marketplace on 127.0.0.1, crawls it, scans,
links, opens an operation with an offline findings log, refers the findings, simulates
takedowns on the marketplace and re-checks them, then writes the reports and prints the
HTML report's path last. The crawls run as child processes: Scrapy's reactor runs once
per process.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.rule import Rule
from sqlalchemy import select

from netpatrol.cli import main as cli_main
from netpatrol.config import CONFIG_FILENAME
from netpatrol.demo.market import MarketConfig, MarketServer, serve_market
from netpatrol.demo.market_pages import items
from netpatrol.errors import WorkspaceError
from netpatrol.store.schema import ReferralRow
from netpatrol.workspace import open_workspace

SAMPLES = Path(__file__).parents[1] / "samples"
DEMO_MARKER = ".netpatrol-demo"
OPERATION = "demo-patrol"
REPORTS = ("report.html", "report.csv", "report.json", "report.stix.json", "report.misp.json")
FIRST_DAY = "2021-01-01"  # the operation covers the samples (WARC of 2021) and today's crawl
CRAWL_PAGES = 150  # the whole marketplace: 36 listings, their categories, images, faults


@dataclass
class Step:
    title: str
    args: list[str]
    child: bool = False  # run as ``python -m netpatrol.cli`` in a child process
    before: Callable[[], str | None] | None = None  # prepares the step; says what it did
    many: Callable[[], list[list[str]]] | None = None  # several commands, known when run


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


def take_down(config: MarketConfig) -> str:
    """What a platform does after a referral: some listings removed, some gone."""
    wildlife = [i.id for i in items() if i.category == "wildlife"]
    medicine = [i.id for i in items() if i.category == "medicine"]
    config.removed = set(wildlife[:4])
    config.gone = {number: 410 for number in medicine[:3]}
    return (
        f"the marketplace now shows listings {sorted(config.removed)} as removed and "
        f"answers 410 for {sorted(config.gone)} (a simulated takedown)"
    )


def steps(directory: Path, market: MarketServer) -> list[Step]:
    ws = ["--workspace", str(directory)]
    today = datetime.now(UTC).date().isoformat()
    local = [*ws, "--set", "allow_private_networks=true", "--set", "progress=false"]
    reports = [arg for name in REPORTS for arg in ("--out", str(directory / name))]
    return [
        Step("1. create the workspace", ["init", str(directory)]),
        Step(
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
        ),
        Step(
            "3. ingest the same files again: nothing is stored twice",
            [
                *ws,
                "ingest",
                str(SAMPLES / "shops.warc.gz"),
                str(SAMPLES / "pages"),
                str(SAMPLES / "bat-listings.csv"),
            ],
        ),
        Step(
            f"4. crawl the test marketplace served on {market.url} (robots.txt, faults, evidence)",
            [*local, "crawl", f"{market.url}/", "--max-pages", str(CRAWL_PAGES), "--delay", "0"],
            child=True,
        ),
        Step("5. extract, classify and hash everything not yet scanned", [*ws, "scan"]),
        Step("6. link sites and sellers into networks", [*ws, "link"]),
        Step(
            "7. wildlife trade: ads, specimens, value by platform, species, appendix",
            [*ws, "stats", "--wildlife"],
        ),
        Step(
            "8. open an operation and import its offline findings log",
            [
                *ws,
                "operation",
                "create",
                OPERATION,
                "--from",
                FIRST_DAY,
                "--to",
                today,
                "--countries",
                "FR,DE,BE,US",
                "--description",
                "netpatrol demo: the bundled samples and the test marketplace",
            ],
        ),
        Step(
            "   ... the offline findings log (parcels, seizures, arrests)",
            [*ws, "operation", "log", OPERATION, str(SAMPLES / "findings-log.csv")],
        ),
        Step("9. referral packages per recipient", [*ws, "refer", "--operation", OPERATION]),
        Step(
            "10. the packages are sent (recorded now: the demo's takedowns come minutes later)",
            [],
            many=lambda: [
                [*ws, "referral", "status", str(number), "sent"]
                for number in referral_ids(directory)
            ],
        ),
        Step(
            "11. re-check the marketplace after the takedown",
            [*local, "crawl", "--recheck", "--site", "127.0.0.1", "--delay", "0"],
            child=True,
            before=lambda: take_down(market.config),
        ),
        Step("12. referrals and time to takedown", [*ws, "referrals"]),
        Step(
            "13. the operation's report: HTML, CSV, JSON, STIX 2.1, MISP",
            [*ws, "report", "--operation", OPERATION, *reports],
        ),
        Step("14. re-check every evidence digest", [*ws, "verify"]),
    ]


def run_demo(directory: Path, console: Console, cli: Callable[[list[str]], int] = cli_main) -> int:
    prepare(directory)
    with serve_market(MarketConfig(slow_seconds=0.05)) as market:
        for step in steps(directory, market):
            console.print(Rule(step.title, align="left"))
            if step.before is not None:
                said = step.before()
                if said:
                    console.print(said, highlight=False)
            for args in step.many() if step.many is not None else [step.args]:
                console.print(f"$ netpatrol {' '.join(args)}", style="bold", highlight=False)
                code = _child(args) if step.child else cli(args)
                if code != 0:
                    console.print(f"demo step failed with exit code {code}", style="red")
                    return 1
        code = _verify_packages(directory, console, cli)
        if code != 0:
            return code
    console.print(Rule())
    console.print(f"demo workspace: {directory} (settings in {directory / CONFIG_FILENAME})")
    for name in REPORTS[1:]:
        console.print(f"export: {directory / name}", highlight=False)
    console.print(f"report: {directory / REPORTS[0]}", highlight=False, soft_wrap=True)
    return 0


def _verify_packages(directory: Path, console: Console, cli: Callable[[list[str]], int]) -> int:
    packages = sorted(p.parent for p in (directory / "referrals").glob("*/*/manifest.json"))
    console.print(Rule("15. verify the referral packages", align="left"))
    for package in packages:
        args = ["--workspace", str(directory), "verify", str(package)]
        console.print(f"$ netpatrol {' '.join(args)}", style="bold", highlight=False)
        code = cli(args)
        if code != 0:
            console.print(f"package {package} failed verification", style="red")
            return 1
    return 0


def referral_ids(directory: Path) -> list[int]:
    """The referrals the demo's ``refer`` step created, in order."""
    ws = open_workspace(directory)
    try:
        with ws.store.engine.connect() as connection:
            return [int(i) for i in connection.scalars(select(ReferralRow.id).order_by("id"))]
    finally:
        ws.close()


def _child(args: list[str]) -> int:
    """A crawl in its own process (its output goes straight to the terminal)."""
    return subprocess.run([sys.executable, "-m", "netpatrol.cli", *args], check=False).returncode
