"""``netpatrol refer --operation NAME``: route an operation's findings, write a package per
recipient and record the referrals.

Idempotent: a finding (by URL) already in a package for a recipient in this operation is
not sent to it again. Findings found since the last run go into a new package (a new
number) for that recipient; earlier packages are left as they are, since they may have
been sent. A finding already removed or seized is not referred.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from netpatrol.act.jurisdiction import SiteFacts
from netpatrol.act.notices import notice_language
from netpatrol.act.packages import next_number, operation_folder, write_package
from netpatrol.act.recipients import Recipient, workspace_recipients
from netpatrol.act.routing import PlatformLookup, plan_packages, shipped_platforms
from netpatrol.report.data import Finding
from netpatrol.store.referrals import (
    add_items,
    add_referral,
    evidence_refs,
    operation_by_name,
    referred_urls,
)
from netpatrol.store.schema import ReferralRow
from netpatrol.workspace import Workspace


@dataclass(frozen=True)
class CreatedPackage:
    referral_id: int
    recipient: Recipient
    language: str
    findings: int
    path: str  # relative to the workspace
    reference: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "referral_id": self.referral_id,
            "reference": self.reference,
            "recipient": self.recipient.name,
            "recipient_key": self.recipient.key,
            "kind": self.recipient.kind,
            "country": self.recipient.country,
            "contact": self.recipient.contact,
            "language": self.language,
            "findings": self.findings,
            "path": self.path,
        }


@dataclass
class ReferOutcome:
    operation: str
    findings: int = 0
    packages: list[CreatedPackage] = field(default_factory=list)
    already_referred: int = 0  # (recipient, finding) pairs skipped: in an earlier package
    not_online: int = 0  # findings skipped: already removed or seized
    warnings: list[str] = field(default_factory=list)


def refer_operation(
    ws: Workspace,
    operation: str,
    language: str | None = None,
    sender: str | None = None,
    findings: Sequence[Finding] | None = None,
    facts: Mapping[str, SiteFacts] | None = None,
    platforms: PlatformLookup = shipped_platforms,
) -> ReferOutcome:
    """Write the packages of ``operation`` not yet written. ``findings`` / ``facts`` (by
    domain): given by tests; else read from the store."""
    operation_id, info = operation_by_name(ws.store, operation)
    if findings is None:
        from netpatrol.report.findings import load_findings

        findings = load_findings(ws.store, info)
    if facts is None:
        from netpatrol.store.jurisdictions import load_site_facts

        facts = {f.domain: f for f in load_site_facts(ws.store).values()}
    table, table_path = workspace_recipients(ws.root)
    outcome = ReferOutcome(info.name, findings=len(findings))
    online = [f for f in findings if f.status not in ("removed", "seized")]
    outcome.not_online = len(findings) - len(online)
    done = referred_urls(ws.store, operation_id)
    folder = operation_folder(ws.root, info.name)
    outcome.warnings.extend(set_aside_unrecorded(ws, folder))
    for plan in plan_packages(online, facts, table, platforms):
        key = plan.recipient.key
        sent = done.get(key, set())
        fresh = [f for f in plan.findings if (f.url or "") not in sent]
        outcome.already_referred += len(plan.findings) - len(fresh)
        if not fresh:
            continue
        lang = notice_language(plan.recipient, language)
        created = datetime.now(UTC)
        refs = evidence_refs(ws.store, [f.capture_id for f in fresh])
        with ws.store.session() as session, session.begin():
            row = add_referral(session, operation_id, plan.recipient, lang, created)
            number = next_number(folder)
            package = write_package(folder, number, info, plan.recipient, lang, fresh,
                                    plan.reasons, ws.evidence_dir, refs, row.id, sender,
                                    created)  # fmt: skip
            row.package_path = package.path.relative_to(ws.root).as_posix()
            row.package_sha256 = package.manifest_sha256
            add_items(session, row.id, _unique_urls(fresh))
            ws.store._event(session, "referral.create", "referral", row.id, {
                "operation": info.name, "recipient": key, "findings": len(fresh),
                "package": row.package_path, "manifest_sha256": package.manifest_sha256,
            })  # fmt: skip
        outcome.packages.append(
            CreatedPackage(
                row.id, plan.recipient, lang, len(fresh), row.package_path, package.reference
            )
        )
        if not plan.recipient.contact:
            outcome.warnings.append(
                f"{plan.recipient.name}: no contact known; enter one for key "
                f"{plan.recipient.key!r} in {table_path} before sending "
                f"{row.package_path}"
            )
    return outcome


def set_aside_unrecorded(ws: Workspace, folder: Path) -> list[str]:
    """Package folders a crash left without their database row (written, renamed, then
    the commit never happened) are renamed ``.unrecorded-...``, never sent by mistake nor
    counted; half-written ``.partial-`` folders are removed. What was done is returned."""
    if not folder.exists():
        return []
    said: list[str] = []
    for partial in folder.glob(".partial-*"):
        shutil.rmtree(partial, ignore_errors=True)
    with ws.store.engine.connect() as connection:
        recorded = {str(p) for p in connection.scalars(select(ReferralRow.package_path)) if p}
    for package in sorted(folder.glob("[0-9][0-9][0-9]-*")):
        if package.is_dir() and package.relative_to(ws.root).as_posix() not in recorded:
            aside = package.with_name(f".unrecorded-{package.name}")
            package.rename(aside)
            said.append(f"{package}: no referral recorded for it (interrupted run?); "
                        f"set aside as {aside.name}")  # fmt: skip
    return said


def _unique_urls(findings: list[Finding]) -> list[Finding]:
    """One item per URL in a package (several listings of one page are one takedown)."""
    seen: set[str] = set()
    kept = []
    for finding in findings:
        url = finding.url or ""
        if url not in seen:
            seen.add(url)
            kept.append(finding)
    return kept
