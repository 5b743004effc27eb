"""Terminal output of the CLI: progress bars and reports (rich)."""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from netpatrol.collect.ingest_records import FileOutcome, IngestReport
from netpatrol.collect.ingest_records import Progress as IngestProgressSink
from netpatrol.store.verify import VerifyReport


class _Bar:
    """A rich progress display, shown only on a terminal and when enabled."""

    def __init__(self, console: Console, enabled: bool, *columns: ProgressColumn) -> None:
        self.bar = Progress(
            *columns, console=console, disable=not (enabled and console.is_terminal)
        )
        self.task: TaskID | None = None

    def __enter__(self) -> Self:
        self.bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.bar.stop()


class IngestProgress(_Bar, IngestProgressSink):
    """A bar per file: bytes read, bytes/s, records read and records/s."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        super().__init__(
            console,
            enabled,
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[records]} records ({task.fields[rate]}/s)"),
            TimeRemainingColumn(),
        )
        self.started = time.monotonic()

    def start_file(self, path: Path, size: int) -> None:
        self.started = time.monotonic()
        self.task = self.bar.add_task(path.name[-40:], total=size, records=0, rate=0)

    def advance(self, position: int, records: int) -> None:
        if self.task is not None:
            rate = int(records / max(time.monotonic() - self.started, 1e-6))
            self.bar.update(self.task, completed=position, records=records, rate=rate)

    def end_file(self, outcome: FileOutcome) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total)
            self.task = None


class ScanProgress(_Bar):
    """A bar over a known number of items (captures to scan, images to hash)."""

    def __init__(self, console: Console, enabled: bool = True, label: str = "scan") -> None:
        super().__init__(
            console,
            enabled,
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        self.label = label

    def update(self, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)


# Past this many files the report groups them, listing only the files that failed.
REPORT_FILES_MAX = 20


def print_ingest_report(out: Console, err: Console, report: IngestReport) -> None:
    if len(report.files) <= REPORT_FILES_MAX:
        _files_table(out, report.files)
    else:
        _summary_table(out, report.files)
    for f in report.files:
        for error in f.errors:
            err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
    out.print(f"{report.stored} new captures stored from {len(report.files)} files")


def _files_table(out: Console, files: list[FileOutcome]) -> None:
    table = Table(title="ingest")
    table.add_column("file", overflow="fold")
    for column in ("format", "status"):
        table.add_column(column)
    for column in ("stored", "duplicates", "errors"):
        table.add_column(column, justify="right")
    for f in files:
        table.add_row(
            f.path, f.format or "-", f.status, str(f.stored), str(f.duplicates), str(len(f.errors))
        )
    out.print(table)


def _summary_table(out: Console, files: list[FileOutcome]) -> None:
    groups: dict[tuple[str, str], list[FileOutcome]] = {}
    for f in files:
        groups.setdefault((f.format or "-", f.status), []).append(f)
    table = Table(title=f"ingest: {len(files)} files")
    for column in ("format", "status"):
        table.add_column(column)
    for column in ("files", "stored", "duplicates", "errors"):
        table.add_column(column, justify="right")
    for (fmt, status), members in sorted(groups.items()):
        table.add_row(
            fmt,
            status,
            str(len(members)),
            str(sum(m.stored for m in members)),
            str(sum(m.duplicates for m in members)),
            str(sum(len(m.errors) for m in members)),
        )
    out.print(table)


def print_stats(out: Console, data: dict[str, Any]) -> None:
    counts = Table(title="workspace")
    counts.add_column("records")
    counts.add_column("count", justify="right")
    for key, value in data.items():
        if isinstance(value, int):
            counts.add_row(key, str(value))
    out.print(counts)
    _rows_table(
        out, "captures per source", data["by_source"], ("source", "format", "status", "captures")
    )
    _rows_table(out, "captures per site", data["by_site"][:20], ("site", "captures"))


def print_wildlife_stats(out: Console, data: dict[str, Any]) -> None:
    total = data["total"]
    out.print(
        f"wildlife: {total['ads']} ads, at least {total['specimens']} specimens, "
        f"EUR {total['value_eur']:,.2f} over {total['priced']} priced ads"
    )
    columns = ("key", "ads", "specimens", "value_eur")
    for dimension in ("platform", "country", "species", "appendix"):
        rows = data["by"].get(dimension, [])[:20]
        if rows:
            table = Table(title=f"by {dimension}")
            for column in columns:
                table.add_column(dimension if column == "key" else column,
                                 justify="left" if column == "key" else "right")  # fmt: skip
            for row in rows:
                table.add_row(row["key"], str(row["ads"]), str(row["specimens"]),
                              f"{row['value_eur']:,.2f}")  # fmt: skip
            out.print(table)
    out.print(f"appendices: {data['checklist']}")


def _rows_table(
    out: Console, title: str, rows: list[dict[str, Any]], columns: tuple[str, ...]
) -> None:
    if not rows:
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="right" if column == "captures" else "left")
    for row in rows:
        table.add_row(*(str(row[c]) for c in columns))
    out.print(table)


def print_verify_report(out: Console, err: Console, report: VerifyReport) -> None:
    for relative, affected in report.missing_files.items():
        err.print(f"missing: {relative} (evidence of {affected} captures)", markup=False)
    for problem in report.problems:
        err.print(f"mismatch: {problem}", markup=False, soft_wrap=True)
    verdict = "ok" if report.ok else "FAILED"
    out.print(
        f"verify {verdict}: {report.checked} captures and {report.files_checked} source "
        f"files checked, {len(report.missing_files)} missing files, "
        f"{len(report.problems)} problems"
    )
