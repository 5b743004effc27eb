"""``jurisdiction``: who can act on each site (hosting, ccTLD, platform, registrar
countries); ``jurisdiction import-rdap``: registrar facts from RDAP / WHOIS JSON files."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from netpatrol.act.geoip import GeoIPDatabase, open_geoip
from netpatrol.workspace import Workspace

out = Console()
err = Console(stderr=True)
_workspace: list[Callable[[], Workspace]] = []
jurisdiction_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help="Who can act on each site: hosting country (GeoIP of the address stored at "
    "capture time), ccTLD, platform operator and registrar countries.",
)


def workspace_geoip(ws: Workspace) -> GeoIPDatabase:
    """The workspace's ``geoip_database`` (relative to the workspace), else the shipped one."""
    configured = str(ws.settings["geoip_database"]).strip()
    if not configured:
        return open_geoip(None)
    path = Path(configured).expanduser()
    return open_geoip(path if path.is_absolute() else ws.root / path)


@jurisdiction_app.callback()
def jurisdiction(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the sites as JSON.")] = False,
) -> None:
    """Refresh every site's jurisdiction from stored facts (no DNS) and print it."""
    if ctx.invoked_subcommand is not None:
        return
    from netpatrol.store.jurisdictions import load_site_facts, refresh_jurisdictions

    ws = _workspace[0]()
    try:
        geoip = workspace_geoip(ws)
        changed = refresh_jurisdictions(ws.store, geoip)
        facts = sorted(load_site_facts(ws.store).values(), key=lambda f: f.domain)
        source = geoip.source
        ws.store.log_event("jurisdiction", detail={"sites": len(facts), "changed": changed})
    finally:
        ws.close()
    sites = [vars(f) for f in facts]
    if as_json:
        outcome = {"geoip_source": source, "changed": changed, "sites": sites}
        sys.stdout.write(json.dumps(outcome, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("site", "IP", "hosting", "ccTLD", "platform", "registrar", show_lines=False)
    for site in sites:
        table.add_row(
            site["domain"],
            site["ip_address"] or "-",
            _join(site["hosting_country"], site["hosting_network"]),
            site["cctld_country"] or "-",
            _join(site["platform"], site["platform_country"]),
            _join(site["registrar"], site["registrar_country"]),
        )
    out.print(table)
    out.print(
        f"{len(sites)} sites ({changed} updated); hosting countries from {source}",
        highlight=False,
        markup=False,
    )


@jurisdiction_app.command("import-rdap")
def import_rdap(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="RDAP domain responses or WHOIS JSON: an object, a list or JSON lines."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Import the registrar (name, country, abuse e-mail) of sites from RDAP / WHOIS JSON.
    Exits 1 when a record could not be used (each is named on stderr)."""
    from netpatrol.store.jurisdictions import import_registrars, refresh_jurisdictions

    imported = 0
    errors: list[str] = []
    ws = _workspace[0]()
    try:
        for path in files:
            count, problems = import_registrars(ws.store, path)
            imported += count
            errors += problems
        refresh_jurisdictions(ws.store, workspace_geoip(ws))
        ws.store.log_event(
            "jurisdiction.import", detail={"imported": imported, "errors": len(errors)}
        )
    finally:
        ws.close()
    for error in errors:
        err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        outcome: dict[str, Any] = {"imported": imported, "errors": errors}
        sys.stdout.write(json.dumps(outcome, indent=2, ensure_ascii=False) + "\n")
    else:
        out.print(f"{imported} registrar records imported, {len(errors)} errors")
    raise typer.Exit(1 if errors else 0)


def _join(name: str | None, country: str | None) -> str:
    return (
        " ".join(part for part in (name, f"({country})" if country and name else country) if part)
        or "-"
    )


def register(app: typer.Typer, workspace: Callable[[], Workspace]) -> None:
    _workspace[:] = [workspace]
    app.add_typer(jurisdiction_app, name="jurisdiction")
