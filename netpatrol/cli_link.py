"""Link commands: ``link`` (build or update the networks) and ``networks`` (list, export)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from netpatrol.workspace import Workspace

out = Console()
err = Console(stderr=True)
_workspace: list[Callable[[], Workspace]] = []


def link(
    hubs: Annotated[
        Path | None,
        typer.Option(
            "--hubs", help="Hub list (kind<TAB>pattern<TAB>why) to use besides the shipped one."
        ),
    ] = None,
    max_holders: Annotated[
        int,
        typer.Option(
            "--max-holders",
            min=2,
            help="An identifier shown by more accounts or shops than this is a hub.",
        ),
    ] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Join sites, seller accounts and listings that share identifiers, images, texts or
    templates into networks; re-run after more scans to update them (ids are kept)."""
    from netpatrol.link.assemble import link_networks
    from netpatrol.link.facts import LinkSettings
    from netpatrol.link.hubs import HubList, load_hub_rules
    from netpatrol.store.networks import read_link_input, save_networks

    rules = load_hub_rules() + (load_hub_rules(hubs) if hubs else [])
    started = time.perf_counter()
    ws = _workspace[0]()
    try:
        data = read_link_input(ws.store, ws.evidence_dir)
        result = link_networks(data, HubList(rules), LinkSettings(max_holders=max_holders))
        saved = save_networks(ws.store, result)
        outcome = {
            "listings": result.listings,
            "accounts_and_shops": result.principals,
            "networks": saved.networks,
            "new": saved.new,
            "kept": saved.kept,
            "merged": saved.merged,
            "gone": saved.gone,
            "hubs": result.hubs,
            "seconds": round(time.perf_counter() - started, 2),
        }
        ws.store.log_event("link", detail={k: v for k, v in outcome.items() if k != "hubs"})
    finally:
        ws.close()
    if as_json:
        sys.stdout.write(json.dumps(outcome, indent=2, ensure_ascii=False) + "\n")
        return
    out.print(
        f"{result.listings} listings, {result.principals} accounts and shops: "
        f"{saved.networks} networks ({saved.new} new, {saved.kept} kept their id, "
        f"{saved.merged} merged, {saved.gone} gone)",
        highlight=False,
    )
    for hub in result.hubs[:20]:
        out.print(
            f"  hub, not linked: {hub['kind']} {hub['value']}: {hub['why']}",
            markup=False,
            highlight=False,
        )
    if len(result.hubs) > 20:
        out.print(f"  ... and {len(result.hubs) - 20} more hubs (--json lists them)")


def networks(
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of the networks.")] = False,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Export as graphml, gexf or json (with --out).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--out", help="File to write the export to.")
    ] = None,
) -> None:
    """The networks of the last ``link``: members, evidence, hubs discounted, strength."""
    from netpatrol.link.export import FORMATS, write_graph
    from netpatrol.store.networks import load_networks

    if (fmt is None) != (output is None):
        raise typer.BadParameter("--format and --out go together", param_hint="--format")
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(
            f"{fmt!r}: expected one of {', '.join(FORMATS)}", param_hint="--format"
        )
    ws = _workspace[0]()
    try:
        found = list(load_networks(ws.store))
    finally:
        ws.close()
    if fmt is not None and output is not None:
        graph = write_graph(found, output, fmt)
        err.print(
            f"{len(found)} networks, {graph.number_of_nodes()} nodes, "
            f"{graph.number_of_edges()} edges written to {output}",
            highlight=False,
        )
        if not as_json:
            return
    if as_json:
        sys.stdout.write(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
        return
    for network in found:
        _show(network)
    if not found:
        out.print("no networks (run `netpatrol link` after `netpatrol scan`)")


def _show(network: dict[str, Any]) -> None:
    kinds = sorted({e["kind"] for e in network["evidence"] if e["tier"] != "weak"})
    out.print(
        f"N{network['id']}  strength {network['strength']:.2f}  {network['size']} members  "
        f"{len(network['listings'])} listings  linked by {', '.join(kinds) or '-'}",
        markup=False,
        highlight=False,
    )
    for label, key in (("sites", "sites"), ("sellers", "sellers"), ("categories", "categories")):
        values = network[key]
        if values:
            shown = ", ".join(
                f"{k} {v}" if key == "categories" else str(k)
                for k, v in (
                    values.items() if isinstance(values, dict) else ((v, None) for v in values)
                )
            )
            out.print(f"  {label}: {shown}", markup=False, highlight=False)
    if network["hubs"]:
        hubs = "; ".join(f"{h['kind']} {h['value']} ({h['why']})" for h in network["hubs"])
        out.print(f"  hubs discounted: {hubs}", markup=False, highlight=False)


def register(app: typer.Typer, workspace: Callable[[], Workspace]) -> None:
    _workspace[:] = [workspace]
    app.command("link")(link)
    app.command("networks")(networks)
