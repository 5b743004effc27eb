"""``netpatrol verify``: re-read every evidence record and recompute its digest.

A source kept as a sanitized copy (quarantined images replaced by their hashes) is checked
against the copy's own SHA-256; a quarantined capture against the hashes in the record
that stands for it (its bytes are nowhere to re-read).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from netpatrol.errors import EvidenceError
from netpatrol.store.evidence import (
    QUARANTINED,
    expected_sha256,
    read_record,
    sha256_of_file,
)
from netpatrol.store.store import Store, StoredCapture


@dataclass
class VerifyReport:
    checked: int = 0
    files_checked: int = 0
    missing_files: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing_files and not self.problems


def verify_store(
    store: Store, evidence_dir: Path, on_record: Callable[[int], None] = lambda _n: None
) -> VerifyReport:
    """Check every source file's SHA-256 and every capture's payload SHA-256."""
    report = VerifyReport()
    for relative, sha in store.source_files():
        path = evidence_dir / relative
        if not path.exists():
            report.missing_files.setdefault(relative, 0)
            continue
        report.files_checked += 1
        actual = sha256_of_file(path)
        expected = expected_sha256(relative, sha)
        if actual != expected:
            report.problems.append(
                f"{path}: file SHA-256 is {actual}, recorded {expected} (file was altered)"
            )
    for capture in store.iter_captures():
        report.checked += 1
        on_record(report.checked)
        if capture.evidence.file in report.missing_files:
            report.missing_files[capture.evidence.file] += 1
            continue
        if not (evidence_dir / capture.evidence.file).exists():
            report.missing_files[capture.evidence.file] = 1
            continue
        try:
            record = read_record(evidence_dir, capture.evidence)
        except EvidenceError as exc:
            report.problems.append(f"capture {capture.id} ({capture.url}): {exc}")
            continue
        actual = _payload_digest(capture, record.payload)
        if actual != capture.payload_sha256:
            report.problems.append(
                f"capture {capture.id} ({capture.url}): payload SHA-256 mismatch in "
                f"{capture.evidence.file} at byte offset {capture.evidence.offset}: "
                f"recorded {capture.payload_sha256}, found {actual}"
            )
    return report


def _payload_digest(capture: StoredCapture, payload: bytes) -> str:
    """The payload's SHA-256; for a quarantined capture, the one its hashes record states
    (anything else there, or no such record, reads as a mismatch)."""
    if capture.record_type != QUARANTINED:
        return hashlib.sha256(payload).hexdigest()
    try:
        stated = json.loads(payload)
    except ValueError:
        return "not a record of a quarantined image"
    if not isinstance(stated, dict) or stated.get("quarantined") is not True:
        return "not a record of a quarantined image"
    return str(stated.get("sha256"))
