"""Operation and report commands: ``operation create|log|list|show`` and ``report``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from netpatrol.cli_io import emit_json
from netpatrol.report.data import OperationInfo
from netpatrol.workspace import Workspace

out = Console()
err = Console(stderr=True)
_workspace: list[Callable[[], Workspace]] = []
operation_app = typer.Typer(
    help="Operations (name, dates, countries) and their offline findings log.",
    no_args_is_help=True,
)


def _info_json(info: OperationInfo) -> dict[str, Any]:
    found = asdict(info)
    for key in ("started_at", "ended_at"):
        found[key] = found[key].isoformat() if found[key] else None
    found["countries"] = list(info.countries)
    return found


def _day(value: str, option: str, end: bool = False) -> Any:
    from netpatrol.store.operations import OperationError, parse_day

    try:
        return parse_day(value, end=end)
    except OperationError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


@operation_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Unique name, e.g. PANGEA-XVII.")],
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD), included.")],
    countries: Annotated[
        str | None,
        typer.Option("--countries", help="Taking-part countries, ISO 3166 codes: FR,DE,BE."),
    ] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the operation as JSON.")] = False,
) -> None:
    """Create an operation: its findings are the listings captured between --from and
    --to whose country is one of --countries (all when not given)."""
    from netpatrol.store.operations import OperationError, country_code, create_operation

    codes = [c for c in (countries or "").replace(";", ",").split(",") if c.strip()]
    for code in codes:
        try:
            country_code(code)
        except OperationError as exc:
            raise typer.BadParameter(str(exc), param_hint="--countries") from None
    first, last = _day(start, "--from"), _day(end, "--to", end=True)
    ws = _workspace[0]()
    try:
        info = create_operation(ws.store, name, first, last, codes, description)
    finally:
        ws.close()
    if as_json:
        emit_json(_info_json(info))
        return
    where = ", ".join(info.countries) or "all countries"
    out.print(f"operation {info.name}: {start} to {end}, {where}", markup=False, highlight=False)


@operation_app.command("log")
def log(
    name: Annotated[str, typer.Argument(help="The operation.")],
    path: Annotated[Path, typer.Argument(help="CSV: date, kind, count, value_eur, country, ...")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Import an offline findings log (parcels inspected, seizures, arrests...). Bad rows
    are named and skipped; importing the same file again adds nothing."""
    from netpatrol.store.operations import import_log

    ws = _workspace[0]()
    try:
        report = import_log(ws.store, name, path)
    finally:
        ws.close()
    if as_json:
        emit_json(
            {
                "path": report.path,
                "sha256": report.sha256,
                "rows": report.rows,
                "added": report.added,
                "already": report.already,
                "errors": [e.describe() for e in report.errors],
                "warnings": report.warnings,
            }
        )
    else:
        for warning in report.warnings:
            err.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
        for error in report.errors:
            err.print(f"error: {error.describe()}", markup=False, highlight=False, soft_wrap=True)
        out.print(
            f"{report.added} rows added to {name}, {report.already} already there, "
            f"{len(report.errors)} bad rows skipped",
            markup=False,
            highlight=False,
        )
    raise typer.Exit(0 if report.ok else 1)


@operation_app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array.")] = False,
) -> None:
    """The operations, oldest first."""
    from netpatrol.store.operations import list_operations

    ws = _workspace[0]()
    try:
        found = list_operations(ws.store)
    finally:
        ws.close()
    if as_json:
        emit_json([_info_json(info) for info in found])
        return
    for info in found:
        out.print(_line(info), markup=False, highlight=False)
    if not found:
        out.print("no operations (create one with `netpatrol operation create`)")


def _line(info: OperationInfo) -> str:
    start = f"{info.started_at:%Y-%m-%d}" if info.started_at else "?"
    end = f"{info.ended_at:%Y-%m-%d}" if info.ended_at else "?"
    return f"{info.name}  {start} to {end}  {', '.join(info.countries) or 'all countries'}"


@operation_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="The operation.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """An operation and its offline findings log, with totals by kind."""
    from netpatrol.report.figures import offline_totals
    from netpatrol.store.operations import get_operation, offline_entries

    ws = _workspace[0]()
    try:
        info = get_operation(ws.store, name)
        entries = offline_entries(ws.store, name)
    finally:
        ws.close()
    totals = offline_totals(entries)
    if as_json:
        found = _info_json(info)
        found["offline_totals"] = totals
        found["offline"] = [{**asdict(e), "at": e.at.isoformat()} for e in entries]
        emit_json(found)
        return
    out.print(_line(info), markup=False, highlight=False)
    if info.description:
        out.print(f"  {info.description}", markup=False, highlight=False)
    for kind, count in totals.items():
        out.print(f"  {kind}: {count:g}", markup=False, highlight=False)
    out.print(f"  {len(entries)} offline log rows", highlight=False)


def report(
    outputs: Annotated[
        list[Path],
        typer.Option(
            "--out",
            help="File to write; its suffix picks the format: .html .csv .json .stix.json "
            ".misp.json (repeat for several).",
        ),
    ],
    operation: Annotated[
        str | None, typer.Option("--operation", help="Report this operation only.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The report's title.")] = None,
) -> None:
    """The figures of an operation (or of everything) as press releases quote them, with
    every finding and its evidence, in the formats asked for."""
    from netpatrol.cli import use_workspace_rates
    from netpatrol.cli_detect import use_workspace_checklist
    from netpatrol.report.figures import build_report
    from netpatrol.report.writers import ReportFormatError, writer_for

    writers = []
    for path in outputs:
        try:
            writers.append((path, writer_for(path)))
        except ReportFormatError as exc:
            if "no report format" in str(exc):
                raise typer.BadParameter(str(exc), param_hint="--out") from None
            raise
    ws = _workspace[0]()
    try:
        use_workspace_rates(ws)
        use_workspace_checklist(ws)
        data = build_report(ws.store, operation, title)
    finally:
        ws.close()
    for path, writer in writers:
        warnings = writer.write(data, path)
        out.print(f"wrote {path}", markup=False, highlight=False)
        for warning in warnings:
            err.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer, workspace: Callable[[], Workspace]) -> None:
    _workspace[:] = [workspace]
    app.add_typer(operation_app, name="operation")
    app.command("report")(report)
