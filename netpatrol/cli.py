"""The ``netpatrol`` command line: parse, call a stage, print. Exit codes 0 ok, 1 error, 2 usage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer
from rich.console import Console

from netpatrol.cli_crawl import register as register_crawl
from netpatrol.cli_detect import register as register_detection
from netpatrol.cli_io import emit_json, open_input
from netpatrol.cli_jurisdiction import register as register_jurisdiction
from netpatrol.cli_link import register as register_link
from netpatrol.cli_media import register as register_media
from netpatrol.cli_refer import register as register_refer
from netpatrol.cli_report import register as register_report
from netpatrol.config import parse_overrides
from netpatrol.errors import NetpatrolError
from netpatrol.workspace import Workspace, init_workspace, locate, open_workspace

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="netpatrol: patrol online markets for illicit trade (collect, extract, detect, "
    "link, act, report).",
)
out = Console()
err = Console(stderr=True)


class Globals:
    """Options given before the verb, read by every command."""

    workspace_flag: ClassVar[Path | None] = None
    overrides: ClassVar[dict[str, Any]] = {}


@app.callback()
def _globals(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder (else NETPATROL_WORKSPACE, else the current directory).",
            show_default=False,
        ),
    ] = None,
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="Override a setting: NAME=VALUE (repeatable).", show_default=False
        ),
    ] = None,
) -> None:
    Globals.workspace_flag = workspace
    Globals.overrides = parse_overrides(settings or [])


def workspace() -> Workspace:
    return open_workspace(locate(Globals.workspace_flag), Globals.overrides)


@app.command()
def init(
    directory: Annotated[
        Path | None, typer.Argument(help="Folder to create (default: the workspace).")
    ] = None,
) -> None:
    """Create a workspace: commented netpatrol.toml, the database, evidence/."""
    root = directory.resolve() if directory else locate(Globals.workspace_flag)
    ws = init_workspace(root, Globals.overrides)
    try:
        out.print(f"workspace ready: {root}")
        out.print(f"  settings  {root / 'netpatrol.toml'}")
        out.print(f"  database  {ws.store.engine.url.render_as_string(hide_password=True)}")
        out.print(f"  evidence  {ws.evidence_dir}")
    finally:
        ws.close()


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="WARC/ARC(.gz), HTML files or folders, CSV/JSON/JSONL ad exports."),
    ],
    format_name: Annotated[
        str | None, typer.Option("--format", help="Skip detection: warc, html, csv or json.")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="URL of the folder given, for HTML files without canonical/og:url."),
    ] = None,
    column_map: Annotated[
        str | None,
        typer.Option("--map", help="Column names of an ad export: title=Titre,price=Prix,..."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="Encoding of CSV exports (default: the csv_encoding setting)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Import files into the workspace as evidence-backed captures (idempotent, resumable)."""
    from netpatrol.collect.base import ImportOptions
    from netpatrol.collect.columns import parse_column_map
    from netpatrol.collect.ingest import Ingest
    from netpatrol.collect.registry import load_registry
    from netpatrol.ui import IngestProgress, print_ingest_report

    if any(not p.strip() for p in paths):
        raise typer.BadParameter("an empty path names no file", param_hint="PATHS")
    if base_url is not None and not _is_absolute_url(base_url):
        raise typer.BadParameter(
            f"{base_url!r}: expected an absolute http(s) URL", param_hint="--base-url"
        )
    ws = workspace()
    try:
        options = ImportOptions(
            base_url=base_url,
            column_map=parse_column_map(column_map or ""),
            encoding=encoding or str(ws.settings["csv_encoding"]),
            max_errors=int(ws.settings["max_errors_per_file"]),
        )
        with IngestProgress(err, enabled=bool(ws.settings["progress"])) as progress:
            report = Ingest(
                ws.store,
                load_registry(),
                ws.evidence_dir,
                options,
                ws.settings.batch_size,
                progress,
                format_name,
            ).run([Path(p) for p in paths], exclude=ws.own_files())
    except KeyboardInterrupt:
        err.print("interrupted: what was stored is kept; run the same command again to resume")
        raise typer.Exit(1) from None
    finally:
        ws.close()
    if as_json:
        emit_json(
            {"ok": report.ok, "stored": report.stored, "files": [vars(f) for f in report.files]}
        )
    else:
        print_ingest_report(out, err, report)
    raise typer.Exit(0 if report.ok else 1)


def _is_absolute_url(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print counts as JSON.")] = False,
    wildlife: Annotated[
        bool,
        typer.Option(
            "--wildlife",
            help="Wildlife ads, specimens and value (EUR) by platform, country, species and "
            "CITES appendix.",
        ),
    ] = False,
) -> None:
    """Counts of what the workspace holds, per source and per site."""
    from netpatrol.ui import print_stats

    if wildlife:
        _wildlife_stats(as_json)
        return
    ws = workspace()
    try:
        data: dict[str, Any] = dict(ws.store.counts())
        data["by_source"] = ws.store.captures_by_source()
        data["by_site"] = ws.store.captures_by_site()
    finally:
        ws.close()
    if as_json:
        emit_json(data)
    else:
        print_stats(out, data)


def _wildlife_stats(as_json: bool) -> None:
    from netpatrol.cli_detect import use_workspace_checklist
    from netpatrol.detect.matcher import checklist
    from netpatrol.store.wildlife import wildlife_stats
    from netpatrol.ui import print_wildlife_stats

    ws = workspace()
    try:
        use_workspace_checklist(ws)
        data = wildlife_stats(ws.store, checklist().state).as_dict()
    finally:
        ws.close()
    if as_json:
        emit_json(data)
    else:
        print_wildlife_stats(out, data)


@app.command()
def verify(
    package: Annotated[
        Path | None,
        typer.Argument(help="A referral package folder to check instead of the workspace."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Re-read every evidence record and recompute its SHA-256; exit 1 on any problem.
    With PACKAGE: check a referral package against its manifest (no workspace needed)."""
    from netpatrol.store.verify import verify_store
    from netpatrol.ui import print_verify_report

    if package is not None:
        from netpatrol.act.verify_package import verify_package_command

        raise typer.Exit(verify_package_command(package, as_json))
    ws = workspace()
    try:
        report = verify_store(ws.store, ws.evidence_dir)
        ws.store.log_event("verify", detail={"checked": report.checked, "ok": report.ok})
    finally:
        ws.close()
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "checked": report.checked,
                "files_checked": report.files_checked,
                "missing_files": report.missing_files,
                "problems": report.problems,
            }
        )
    else:
        print_verify_report(out, err, report)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def scan(
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Extract listings and identifiers from every capture not yet scanned."""
    from netpatrol.cli_detect import use_workspace_checklist
    from netpatrol.cli_jurisdiction import workspace_geoip
    from netpatrol.scan import scan as run_scan
    from netpatrol.ui import ScanProgress

    ws = workspace()
    try:
        use_workspace_rates(ws)
        use_workspace_checklist(ws)
        geoip = workspace_geoip(ws)
        with ScanProgress(err, enabled=bool(ws.settings["progress"])) as progress:
            report = run_scan(ws.store, ws.evidence_dir, progress.update, geoip=geoip)
    except KeyboardInterrupt:
        err.print("interrupted: what was scanned is kept; run the same command again to resume")
        raise typer.Exit(1) from None
    finally:
        ws.close()
    for error in report.errors:
        err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        emit_json(vars(report))
    else:
        out.print(
            f"scanned {report.captures} captures: {report.listings} listings, "
            + (f"{report.images} images ({report.matches} bank matches), " if report.images else "")
            + f"{report.skipped} not pages or ads, {len(report.errors)} errors"
        )
    raise typer.Exit(1 if report.errors else 0)


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="JSONL file, or - for standard input.")] = "-",
) -> None:
    """JSONL in (id + title/text, or html + url) -> listing fields out; no workspace."""
    from netpatrol.extract.jsonl import extract_lines

    failed = False
    with open_input(source) as lines:
        for record in extract_lines(lines, "<stdin>" if source == "-" else source):
            if isinstance(record, NetpatrolError):
                err.print(f"error: {record}", markup=False, highlight=False, soft_wrap=True)
                failed = True
                continue
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)


rates_app = typer.Typer(help="EUR reference rates used to convert prices.")
app.add_typer(rates_app, name="rates")
WORKSPACE_RATES = "rates.csv"


@rates_app.command("import")
def rates_import(
    path: Annotated[Path, typer.Argument(help="ECB eurofxref.csv, or a currency,rate CSV.")],
) -> None:
    """Use this rate table for the workspace's conversions to EUR from now on."""
    from netpatrol.extract.rates import load_rates

    table = load_rates(path)
    ws = workspace()
    try:
        target = ws.root / WORKSPACE_RATES
        target.write_text(path.read_text(encoding="utf-8-sig"), encoding="utf-8")
        ws.store.log_event(
            "rates.import",
            detail={"file": str(path), "date": str(table.date), "currencies": len(table.rates)},
        )
    finally:
        ws.close()
    out.print(
        f"rates of {table.date or 'unknown date'} for {len(table.rates)} currencies "
        f"now used by {target}"
    )


@rates_app.command("show")
def rates_show() -> None:
    """The rate table in use: the workspace's own, else the shipped ECB table."""
    from netpatrol.extract.rates import load_rates

    own = locate(Globals.workspace_flag) / WORKSPACE_RATES
    table = load_rates(own if own.exists() else None)
    out.print(f"{table.source}: {table.date}, {len(table.rates)} currencies")
    for code, rate in sorted(table.rates.items()):
        out.print(f"  {code} {rate}")


def use_workspace_rates(ws: Workspace) -> None:
    from netpatrol.extract.fields import use_rates
    from netpatrol.extract.rates import load_rates

    own = ws.root / WORKSPACE_RATES
    if own.exists():
        use_rates(load_rates(own))


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Argument(help="Workspace folder to create for the demo.")
    ] = Path("netpatrol-demo"),
) -> None:
    """The whole patrol, offline: ingest the samples, crawl the test marketplace served on
    127.0.0.1, scan, link, refer, re-check, report."""
    from netpatrol.demo.run import run_demo

    raise typer.Exit(run_demo(directory.resolve(), out))


register_detection(app, workspace)
register_media(app, workspace)
register_crawl(app, workspace)
register_link(app, workspace)
register_jurisdiction(app, workspace)
register_report(app, workspace)
register_refer(app, workspace)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; library errors become one clear line on stderr and exit code 1."""
    try:
        app(args=argv, prog_name="netpatrol")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except NetpatrolError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return 1
    return 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
