"""Operations (a named patrol with a time window and taking-part countries) and their
offline findings log (parcels inspected, seizures, arrests...), imported from CSV.

The log file is read whole and stored in one transaction, each row keyed by the file's
SHA-256 and its line: a crash stores nothing (run it again), and importing the same file
again adds only the lines not stored yet, i.e. nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pycountry
from sqlalchemy import insert, select

from netpatrol.errors import InputError, NetpatrolError, display
from netpatrol.report.data import OfflineEntry, OperationInfo
from netpatrol.store.operations_csv import LogRow, parse_log
from netpatrol.store.schema import OperationLogRow, OperationRow
from netpatrol.store.store import Store, now


class OperationError(NetpatrolError):
    """An operation that does not exist, exists already, or has impossible settings."""


def parse_day(text: str, *, end: bool = False) -> datetime:
    """An ISO date (the whole day: its start, or with ``end`` its last instant) or an ISO
    date-time (naive: UTC)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time.min, UTC)
            return moment + timedelta(days=1, microseconds=-1) if end else moment
        found = datetime.fromisoformat(value)
    except ValueError:
        raise OperationError(
            f"{value!r}: expected a date as YYYY-MM-DD (or an ISO 8601 date-time)"
        ) from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def country_code(text: str) -> str:
    """An ISO 3166 alpha-2 code (alpha-3 and English names accepted), upper case."""
    value = text.strip()
    found = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    if found is None and len(value) != 2:
        try:
            found = pycountry.countries.lookup(value)
        except LookupError:
            found = None
    if found is None:
        hint = " (the United Kingdom is GB)" if value.upper() == "UK" else ""
        raise OperationError(f"{value!r} is not an ISO 3166 country code{hint}")
    return str(found.alpha_2)


def create_operation(
    store: Store,
    name: str,
    started_at: datetime | None,
    ended_at: datetime | None,
    countries: Iterable[str] = (),
    description: str | None = None,
) -> OperationInfo:
    """A new operation; its name must be new. ``countries`` empty: every country."""
    name = name.strip()
    if not name or len(name) > 128:
        raise OperationError("an operation name is 1 to 128 characters")
    if started_at and ended_at and ended_at < started_at:
        raise OperationError(
            f"operation {name!r} ends ({ended_at:%Y-%m-%d}) before it starts "
            f"({started_at:%Y-%m-%d})"
        )
    codes = sorted({country_code(c) for c in countries if c.strip()})
    with store.session() as session, session.begin():
        if session.scalar(select(OperationRow.id).where(OperationRow.name == name)):
            raise OperationError(f"operation {name!r} exists already")
        session.add(
            OperationRow(
                name=name,
                description=description or None,
                started_at=started_at,
                ended_at=ended_at,
                countries=codes or None,
                created_at=now(),
            )
        )
    store.log_event("operation.create", detail={"name": name, "countries": codes})
    return get_operation(store, name)


def _info(row: OperationRow) -> OperationInfo:
    return OperationInfo(
        name=row.name,
        description=row.description,
        started_at=row.started_at,
        ended_at=row.ended_at,
        countries=tuple(str(c) for c in row.countries or ()),
    )


def _row(store: Store, name: str) -> OperationRow:
    with store.session() as session:
        row = session.scalars(select(OperationRow).where(OperationRow.name == name)).first()
    if row is None:
        known = [o.name for o in list_operations(store)]
        hint = f"; known: {', '.join(known)}" if known else "; create it with `operation create`"
        raise OperationError(f"no operation named {name!r}{hint}")
    return row


def get_operation(store: Store, name: str) -> OperationInfo:
    return _info(_row(store, name))


def operation_id(store: Store, name: str) -> int:
    return _row(store, name).id


def list_operations(store: Store) -> list[OperationInfo]:
    with store.session() as session:
        rows = session.scalars(select(OperationRow).order_by(OperationRow.id)).all()
    return [_info(row) for row in rows]


@dataclass
class LogImport:
    """What ``import_log`` did with one file."""

    path: str
    sha256: str
    rows: int = 0  # data rows read
    added: int = 0
    already: int = 0  # rows of this file stored by an earlier import
    errors: list[InputError] = field(default_factory=list)  # rows not imported, and why
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_log(store: Store, operation: str, path: Path) -> LogImport:
    """Add the rows of an offline findings CSV to an operation's log; bad rows are
    reported (line, column, what was expected) and the good ones imported."""
    target = operation_id(store, operation)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the findings log: {exc.strerror}") from None
    sha = hashlib.sha256(raw).hexdigest()
    parsed = parse_log(raw, path)
    report = LogImport(display(path), sha, rows=len(parsed.rows) + len(parsed.errors))
    report.errors, report.warnings = parsed.errors, parsed.warnings
    with store.session() as session, session.begin():
        stored = set(
            session.scalars(
                select(OperationLogRow.source_line).where(
                    OperationLogRow.operation_id == target,
                    OperationLogRow.source_sha256 == sha,
                )
            )
        )
        fresh = [row for row in parsed.rows if row.line not in stored]
        report.already = len(parsed.rows) - len(fresh)
        if fresh:
            session.execute(insert(OperationLogRow), [_values(target, sha, r) for r in fresh])
        report.added = len(fresh)
    store.log_event(
        "operation.log",
        detail={
            "operation": operation,
            "path": report.path,
            "sha256": sha,
            "added": report.added,
            "errors": len(report.errors),
        },
    )
    return report


def _values(operation: int, sha: str, row: LogRow) -> dict[str, object]:
    return {
        **asdict(row.entry),
        "operation_id": operation,
        "source_sha256": sha,
        "source_line": row.line,
    }


def offline_entries(store: Store, operation: str) -> list[OfflineEntry]:
    """The operation's log, oldest first."""
    target = operation_id(store, operation)
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(
                OperationLogRow.kind,
                OperationLogRow.count,
                OperationLogRow.value_eur,
                OperationLogRow.country,
                OperationLogRow.category,
                OperationLogRow.note,
                OperationLogRow.at,
            )
            .where(OperationLogRow.operation_id == target)
            .order_by(OperationLogRow.at, OperationLogRow.id)
        ).all()
    return [OfflineEntry(*row) for row in rows]
