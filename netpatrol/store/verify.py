"""``netpatrol verify``: re-read every evidence record and recompute its digest."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from netpatrol.errors import EvidenceError
from netpatrol.store.evidence import read_record, sha256_of_file
from netpatrol.store.store import Store


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
        if actual != sha:
            report.problems.append(
                f"{path}: file SHA-256 is {actual}, recorded {sha} (file was altered)"
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
        actual = hashlib.sha256(record.payload).hexdigest()
        if actual != capture.payload_sha256:
            report.problems.append(
                f"capture {capture.id} ({capture.url}): payload SHA-256 mismatch in "
                f"{capture.evidence.file} at byte offset {capture.evidence.offset}: "
                f"recorded {capture.payload_sha256}, found {actual}"
            )
    return report
