"""Write one referral package: ``<workspace>/referrals/<operation>/<NNN>-<recipient>/``.

Files: ``evidence.warc.gz`` (the WARC records of the findings' captures, each copied byte
for byte from the evidence files, once per record), ``findings.csv``, ``notice.txt``,
``notice.html`` and ``manifest.json`` (every other file with its size and SHA-256, every
finding with its record's offset in ``evidence.warc.gz``). A record kept uncompressed in
its source (an imported ``.warc``) is wrapped in a gzip member of its own: the file stays
a valid ``.warc.gz`` and the decompressed bytes are the original record's.

The folder is written under a temporary name and renamed when complete: a package on
disk is whole. A package is never rewritten: packages may have been sent.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from netpatrol import __version__
from netpatrol.act.notices import build_notice, render_notice
from netpatrol.act.recipients import Recipient
from netpatrol.act.routing import slug
from netpatrol.errors import EvidenceError, brief
from netpatrol.model import EvidenceRef
from netpatrol.report.data import Finding, OperationInfo

FORMAT = "netpatrol-referral-package/1"
REFERRALS_DIR = "referrals"
EVIDENCE = "evidence.warc.gz"
FINDINGS = "findings.csv"
MANIFEST = "manifest.json"
CSV_COLUMNS = (
    "number", "url", "category", "score", "title", "site", "platform", "seller", "location",
    "country", "labels", "price", "currency", "price_eur", "quantity", "unit", "identifiers",
    "captured_at", "payload_sha256", "warc_record_id", "listing_id", "capture_id",
)  # fmt: skip


@dataclass(frozen=True)
class CopiedRecord:
    offset: int  # in evidence.warc.gz
    length: int
    warc_record_id: str | None
    payload_sha256: str


@dataclass(frozen=True)
class WrittenPackage:
    path: Path
    reference: str
    manifest_sha256: str
    findings: int
    records: int


def operation_folder(root: Path, operation: str) -> Path:
    return root / REFERRALS_DIR / slug(operation)


def next_number(folder: Path) -> int:
    """One more than the highest package number in the operation's folder."""
    numbers = [
        int(p.name[:3]) for p in folder.glob("[0-9][0-9][0-9]-*") if p.name[:3].isdigit()
    ] if folder.exists() else []  # fmt: skip
    return max(numbers, default=0) + 1


def write_package(
    folder: Path,
    number: int,
    operation: OperationInfo,
    recipient: Recipient,
    language: str,
    findings: Sequence[Finding],
    reasons: Mapping[int, Sequence[str]],
    evidence_dir: Path,
    refs: Mapping[int, EvidenceRef],
    referral_id: int | None = None,
    sender: str | None = None,
    created_at: datetime | None = None,
) -> WrittenPackage:
    """Write package ``number`` for ``recipient`` into ``folder`` (the operation's)."""
    created = (created_at or datetime.now(UTC)).astimezone(UTC)
    name = f"{number:03d}-{slug(recipient.key)}"
    reference = f"{slug(operation.name)}-{number:03d}"
    final = folder / name
    if final.exists():
        raise EvidenceError(f"{final}: a package is already there; packages are not rewritten")
    partial = folder / f".partial-{uuid.uuid4().hex[:12]}"
    partial.mkdir(parents=True)
    copied = _write_evidence(partial / EVIDENCE, findings, evidence_dir, refs)
    _write_csv(partial / FINDINGS, findings)
    digests = {n: file_sha256(partial / n) for n in (EVIDENCE, FINDINGS)}
    notice = build_notice(reference, operation, recipient, language, findings, reasons,
                          digests, created, sender)  # fmt: skip
    for fmt in ("txt", "html"):
        (partial / f"notice.{fmt}").write_text(render_notice(notice, fmt), encoding="utf-8")
    manifest = _manifest(partial, name, reference, referral_id, operation, recipient, language,
                         created, findings, copied)  # fmt: skip
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    (partial / MANIFEST).write_bytes(data)
    partial.rename(final)
    return WrittenPackage(
        final, reference, hashlib.sha256(data).hexdigest(), len(findings), len(set(copied.values()))
    )


def _write_evidence(
    path: Path, findings: Sequence[Finding], evidence_dir: Path, refs: Mapping[int, EvidenceRef]
) -> dict[int, CopiedRecord]:
    """Copy each capture's record once; capture id -> where it went."""
    copied: dict[int, CopiedRecord] = {}
    by_ref: dict[EvidenceRef, CopiedRecord] = {}
    with path.open("wb") as out:
        for finding in findings:
            if finding.capture_id in copied:
                continue
            ref = refs.get(finding.capture_id)
            if ref is None:
                raise EvidenceError(f"capture {finding.capture_id}: no evidence record is known")
            if ref not in by_ref:
                chunk = _read(evidence_dir, ref)
                member = chunk if chunk.startswith(b"\x1f\x8b") else gzip.compress(chunk, mtime=0)
                record_id, payload_sha = parse_record(member, f"{evidence_dir / ref.file}")
                if payload_sha != finding.sha256:
                    raise EvidenceError(
                        f"{evidence_dir / ref.file}: record at byte offset {ref.offset} has "
                        f"payload SHA-256 {payload_sha}, the capture recorded {finding.sha256}; "
                        "run 'netpatrol verify'"
                    )
                by_ref[ref] = CopiedRecord(out.tell(), len(member), record_id, payload_sha)
                out.write(member)
            copied[finding.capture_id] = by_ref[ref]
    return copied


def _read(evidence_dir: Path, ref: EvidenceRef) -> bytes:
    path = evidence_dir / ref.file
    try:
        with path.open("rb") as handle:
            handle.seek(ref.offset)
            chunk = handle.read(ref.length)
    except OSError as exc:
        raise EvidenceError(f"{path}: cannot read evidence: {exc.strerror}") from None
    if len(chunk) != ref.length:
        raise EvidenceError(f"{path}: record at byte offset {ref.offset} is cut short")
    return chunk


def parse_record(data: bytes, where: str) -> tuple[str | None, str]:
    """WARC-Record-ID and payload SHA-256 of the first record in ``data``, read as
    ``netpatrol.store.evidence`` reads it (so digests compare with the captures')."""
    try:
        for record in ArchiveIterator(io.BytesIO(data), arc2warc=True, ensure_http_headers=False):
            payload = record.content_stream().read()
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            return (str(record_id) if record_id else None), hashlib.sha256(payload).hexdigest()
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        raise EvidenceError(f"{where}: record cannot be read: {brief(exc)}") from None
    raise EvidenceError(f"{where}: no record")


def _write_csv(path: Path, findings: Sequence[Finding]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for number, f in enumerate(findings, 1):
            writer.writerow([
                number, f.url or "", f.category, f"{f.score:.3f}", f.title or "", f.site or "",
                f.platform or "", f.seller or "", f.location or "", f.jurisdiction.country or "",
                "; ".join(f.labels), _number(f.price), f.currency or "", _number(f.price_eur),
                _number(f.quantity), f.unit or "",
                "; ".join(f"{kind}:{value}" for kind, value in f.identifiers),
                f.captured_at.astimezone(UTC).isoformat() if f.captured_at else "",
                f.sha256, f.warc_record_id or "", f.listing_id, f.capture_id,
            ])  # fmt: skip


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _manifest(
    folder: Path,
    name: str,
    reference: str,
    referral_id: int | None,
    operation: OperationInfo,
    recipient: Recipient,
    language: str,
    created: datetime,
    findings: Sequence[Finding],
    copied: Mapping[int, CopiedRecord],
) -> dict[str, Any]:
    files = [
        {"name": p.name, "size": p.stat().st_size, "sha256": file_sha256(p)}
        for p in sorted(folder.iterdir())
        if p.name != MANIFEST
    ]
    return {
        "format": FORMAT,
        "package": f"{slug(operation.name)}/{name}",
        "reference": reference,
        "referral_id": referral_id,
        "operation": {
            "name": operation.name,
            "started_at": operation.started_at.isoformat() if operation.started_at else None,
            "ended_at": operation.ended_at.isoformat() if operation.ended_at else None,
        },
        "recipient": {
            "key": recipient.key,
            "kind": recipient.kind,
            "name": recipient.name,
            "country": recipient.country,
            "language": language,
            "contact": recipient.contact,
        },
        "created_at": created.isoformat(),
        "netpatrol_version": __version__,
        "files": files,
        "findings": [
            {
                "listing_id": f.listing_id,
                "capture_id": f.capture_id,
                "url": f.url,
                "category": f.category,
                "captured_at": f.captured_at.astimezone(UTC).isoformat() if f.captured_at else None,
                "payload_sha256": f.sha256,
                "warc_record_id": copied[f.capture_id].warc_record_id,
                "warc_offset": copied[f.capture_id].offset,
                "warc_length": copied[f.capture_id].length,
            }
            for f in findings
        ],
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
