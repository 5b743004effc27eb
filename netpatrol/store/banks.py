"""Hash banks in the store: creating them, importing hashes, reading them back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from netpatrol.errors import NetpatrolError
from netpatrol.media.banks import KINDS, BankEntry, check_kind
from netpatrol.store.schema import BankHashRow, HashBankRow
from netpatrol.store.store import Store, now

# Largest distance that is still a match, when the bank sets none: PDQ's upstream default
# (pdq/README.md: "distance <= 31"), pHash's customary 8 of 64 bits, exact for digests.
DEFAULT_THRESHOLDS: dict[str, int] = {"pdq": 31, "phash": 8, "md5": 0, "sha256": 0}
EXACT_KINDS = frozenset({"md5", "sha256"})

# Rows looked up and inserted per statement: well under SQLite's 32,766 bound parameters and
# small enough for one round trip each on PostgreSQL.
BATCH = 1000
READ_BATCH = 10_000


class BankError(NetpatrolError):
    """A bank that does not exist, or an import that contradicts the bank (its kind)."""


@dataclass(frozen=True)
class BankInfo:
    id: int
    name: str
    kind: str
    sensitive: bool
    negative: bool
    threshold: int
    source: str | None
    created_at: datetime
    count: int = 0
    # Largest bank_hashes.id: with ``count``, tells a cached index that rows changed.
    last_id: int = 0

    @property
    def version(self) -> str:
        return f"{self.count}-{self.last_id}"


@dataclass(frozen=True)
class StoredHash:
    """A bank entry as stored; ``id`` is the ``bank_hashes`` row (what matches point at)."""

    id: int
    value: str
    label: str | None
    meta: dict[str, str] | None


def create_or_get_bank(
    store: Store,
    name: str,
    kind: str,
    *,
    sensitive: bool = False,
    negative: bool = False,
    threshold: int | None = None,
    source: str | None = None,
) -> BankInfo:
    """The bank ``name``, created if new. A bank's kind never changes; ``sensitive`` and
    ``negative`` only ever turn on (a later import without the flag must not quietly expose
    a sensitive list); an explicit ``threshold`` replaces the stored one."""
    check_kind(kind)
    if threshold is not None and not 0 <= threshold <= KINDS[kind]:
        raise BankError(f"bank {name!r}: threshold {threshold} is outside 0..{KINDS[kind]}")
    if threshold and kind in EXACT_KINDS:
        raise BankError(f"bank {name!r}: {kind} hashes match exactly; threshold must be 0")
    with store.session() as session, session.begin():
        row = session.scalars(select(HashBankRow).where(HashBankRow.name == name)).first()
        if row is None:
            row = HashBankRow(
                name=name,
                hash_type=kind,
                sensitive=sensitive,
                negative=negative,
                threshold=threshold,
                source=source,
                created_at=now(),
            )
            session.add(row)
            session.flush()
            store._event(session, "bank.create", "hash_bank", row.id, {"name": name})
        elif row.hash_type != kind:
            raise BankError(
                f"bank {name!r} holds {row.hash_type} hashes; cannot import {kind} hashes "
                "into it (use another bank name)"
            )
        else:
            row.sensitive = row.sensitive or sensitive
            row.negative = row.negative or negative
            if threshold is not None:
                row.threshold = threshold
            if source and not row.source:
                row.source = source
        return _info(row, *_counts(session, row.id))


def get_bank(store: Store, name: str) -> BankInfo:
    with store.session() as session:
        row = session.scalars(select(HashBankRow).where(HashBankRow.name == name)).first()
        if row is None:
            raise BankError(f"no hash bank named {name!r}")
        return _info(row, *_counts(session, row.id))


def list_banks(store: Store) -> list[BankInfo]:
    """Every bank by name, with its number of hashes."""
    counts = (
        select(
            BankHashRow.bank_id,
            func.count().label("n"),
            func.max(BankHashRow.id).label("last"),
        )
        .group_by(BankHashRow.bank_id)
        .subquery()
    )
    query = (
        select(HashBankRow, counts.c.n, counts.c.last)
        .outerjoin(counts, counts.c.bank_id == HashBankRow.id)
        .order_by(HashBankRow.name)
    )
    with store.session() as session:
        return [_info(row, n or 0, last or 0) for row, n, last in session.execute(query)]


def add_hashes(store: Store, bank_id: int, entries: Iterable[BankEntry]) -> tuple[int, int]:
    """Add entries to a bank; returns ``(added, already there)``.

    Idempotent: a value the bank holds (or that came earlier in ``entries``) is counted as
    already there and left as it is, so importing the same file twice adds nothing. Each
    batch is its own transaction: an interrupted import keeps what it stored, and running it
    again completes it.
    """
    added = already = 0
    batch: dict[str, BankEntry] = {}
    for entry in entries:
        if entry.value in batch:
            already += 1
            continue
        batch[entry.value] = entry
        if len(batch) >= BATCH:
            new, old = _add_batch(store, bank_id, batch)
            added, already, batch = added + new, already + old, {}
    if batch:
        new, old = _add_batch(store, bank_id, batch)
        added, already = added + new, already + old
    return added, already


def _add_batch(store: Store, bank_id: int, batch: dict[str, BankEntry]) -> tuple[int, int]:
    with store.session() as session, session.begin():
        present = set(
            session.scalars(
                select(BankHashRow.value).where(
                    BankHashRow.bank_id == bank_id, BankHashRow.value.in_(list(batch))
                )
            )
        )
        rows: list[dict[str, Any]] = [
            {"bank_id": bank_id, "value": e.value, "label": e.label, "meta": e.meta or None}
            for value, e in batch.items()
            if value not in present
        ]
        if rows:
            # Core insert: many rows, no ORM objects needed back.
            session.connection().execute(insert(BankHashRow), rows)
    return len(rows), len(present)


def bank_entries(store: Store, name: str) -> Iterator[StoredHash]:
    """The bank's hashes in insertion order, read in batches (banks hold millions)."""
    bank = get_bank(store, name)
    yield from entries_by_id(store, bank.id)


def entries_by_id(store: Store, bank_id: int) -> Iterator[StoredHash]:
    after = 0
    while True:
        with store.engine.connect() as connection:
            rows = connection.execute(
                select(BankHashRow.id, BankHashRow.value, BankHashRow.label, BankHashRow.meta)
                .where(BankHashRow.bank_id == bank_id, BankHashRow.id > after)
                .order_by(BankHashRow.id)
                .limit(READ_BATCH)
            ).all()
        if not rows:
            return
        for row in rows:
            yield StoredHash(row[0], row[1], row[2], row[3])
        after = rows[-1][0]


def hashes_by_id(store: Store, ids: Sequence[int]) -> dict[int, StoredHash]:
    """Stored hashes by row id (to describe the few rows an index search returned)."""
    found: dict[int, StoredHash] = {}
    unique = sorted(set(ids))
    with store.engine.connect() as connection:
        for start in range(0, len(unique), BATCH):
            chunk = unique[start : start + BATCH]
            query = select(
                BankHashRow.id, BankHashRow.value, BankHashRow.label, BankHashRow.meta
            ).where(BankHashRow.id.in_(chunk))
            for row in connection.execute(query):
                found[row[0]] = StoredHash(row[0], row[1], row[2], row[3])
    return found


def _counts(session: Session, bank_id: int) -> tuple[int, int]:
    row = session.execute(
        select(func.count(), func.max(BankHashRow.id)).where(BankHashRow.bank_id == bank_id)
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def _info(row: HashBankRow, count: int, last_id: int) -> BankInfo:
    threshold = row.threshold
    return BankInfo(
        id=row.id,
        name=row.name,
        kind=row.hash_type,
        sensitive=row.sensitive,
        negative=row.negative,
        threshold=DEFAULT_THRESHOLDS[row.hash_type] if threshold is None else threshold,
        source=row.source,
        created_at=row.created_at,
        count=count,
        last_id=last_id,
    )
