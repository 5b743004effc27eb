"""Referral commands: ``refer`` (write packages), ``referrals`` (list them with their fate)
and ``referral status ID STATUS`` (record what happened to one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from netpatrol.cli_io import emit_json
from netpatrol.report.units import format_hours
from netpatrol.workspace import Workspace

out = Console()
err = Console(stderr=True)
_workspace: list[Callable[[], Workspace]] = []
referral_app = typer.Typer(help="Record what happened to a referral.")


def refer(
    operation: Annotated[str, typer.Option("--operation", help="The operation's name.")],
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="Notice language for every package (en, fr); default: each recipient's.",
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--sender", help="Who sends the notices (agency, unit), printed in them."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the packages as JSON.")] = False,
) -> None:
    """Route the operation's findings to whoever can act and write one package per
    recipient (notice, findings.csv, WARC evidence, manifest); re-run to add new ones."""
    from netpatrol.act.notices import LANGUAGES
    from netpatrol.act.refer import refer_operation

    if language is not None and language not in LANGUAGES:
        raise typer.BadParameter(
            f"{language!r}: notices exist in {', '.join(LANGUAGES)}", param_hint="--language"
        )
    ws = _workspace[0]()
    try:
        outcome = refer_operation(ws, operation, language, sender)
    finally:
        ws.close()
    for warning in outcome.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        emit_json({
            "operation": outcome.operation, "findings": outcome.findings,
            "already_referred": outcome.already_referred, "not_online": outcome.not_online,
            "packages": [p.as_dict() for p in outcome.packages], "warnings": outcome.warnings,
        })  # fmt: skip
        return
    for package in outcome.packages:
        r = package.recipient
        out.print(
            f"{package.reference}  {r.name}  {r.kind}  {r.country or '-'}  "
            f"{package.findings} findings  {package.path}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    out.print(
        f"{len(outcome.packages)} new packages for {outcome.findings} findings of operation "
        f"{outcome.operation} ({outcome.already_referred} already referred, "
        f"{outcome.not_online} no longer online)",
        markup=False,
        highlight=False,
    )


def referrals(
    operation: Annotated[
        str | None, typer.Option("--operation", help="Only this operation's referrals.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the referrals as JSON.")] = False,
) -> None:
    """Referrals with their status, items, items removed and median takedown time."""
    from netpatrol.store.referrals import list_referrals, operation_by_name

    ws = _workspace[0]()
    try:
        operation_id = operation_by_name(ws.store, operation)[0] if operation else None
        found = list_referrals(ws.store, operation_id)
    finally:
        ws.close()
    if as_json:
        emit_json([asdict(r) for r in found])
        return
    for r in found:
        hours = format_hours(r.takedown_hours) if r.takedown_hours is not None else "-"
        out.print(
            f"{r.id}  {r.status}  {r.recipient} ({r.recipient_kind}, {r.country or '-'})  "
            f"{r.items} items, {r.removed} removed  takedown {hours}  {r.package or '-'}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if not found:
        out.print("no referrals (run `netpatrol refer --operation NAME`)")


@referral_app.command("status")
def referral_status(
    referral_id: Annotated[int, typer.Argument(help="The referral's id (see `referrals`).")],
    status: Annotated[str, typer.Argument(help="sent, acknowledged, removed or refused.")],
    at: Annotated[
        str | None,
        typer.Option("--at", help="When it happened, ISO 8601 (default now; no zone: UTC)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What was said or done.")] = None,
) -> None:
    """Record a referral's new status (statuses only move forward)."""
    from netpatrol.store.referrals import set_status

    when = _parse_time(at) if at else None
    ws = _workspace[0]()
    try:
        summary = set_status(ws.store, referral_id, status, when, note)
    finally:
        ws.close()
    out.print(f"referral {summary.id}: {summary.status}", markup=False, highlight=False)


def _parse_time(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(
            f"{text!r}: expected an ISO 8601 time such as 2026-03-01T14:30", param_hint="--at"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def register(app: typer.Typer, workspace: Callable[[], Workspace]) -> None:
    _workspace[:] = [workspace]
    app.command("refer")(refer)
    app.command("referrals")(referrals)
    app.add_typer(referral_app, name="referral")
