"""The store: one entry point for every stage to save and read records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session

from netpatrol.model import Capture, EvidenceRef
from netpatrol.store.engine import make_engine, migrate
from netpatrol.store.schema import (
    Base,
    CaptureRow,
    DetectionRow,
    EventRow,
    HashBankRow,
    IdentifierRow,
    ListingRow,
    MatchRow,
    NetworkRow,
    OperationRow,
    ReferralRow,
    SiteRow,
    SourceRow,
)
from netpatrol.store.sites import site_of

COUNTED: dict[str, type[Base]] = {
    "captures": CaptureRow,
    "listings": ListingRow,
    "identifiers": IdentifierRow,
    "detections": DetectionRow,
    "networks": NetworkRow,
    "sites": SiteRow,
    "sources": SourceRow,
    "operations": OperationRow,
    "referrals": ReferralRow,
    "hash_banks": HashBankRow,
    "matches": MatchRow,
}

KEY_LOOKUP_CHUNK = 500


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SourceState:
    """What the store knows of an imported file."""

    id: int
    status: str
    records: int
    options: str | None = None


@dataclass(frozen=True)
class StoredCapture:
    """A capture row as ``verify`` and later stages read it."""

    id: int
    url: str | None
    payload_sha256: str
    evidence: EvidenceRef
    # ``quarantined``: the evidence is a record of the image's hashes, not its bytes.
    record_type: str = "response"


class Store:
    """SQLAlchemy-backed store; SQLite by default, PostgreSQL by URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._site_ids: dict[str, int] = {}

    @classmethod
    def open(cls, url: str) -> Store:
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # --- sources -------------------------------------------------------------------

    def source_state(self, sha256: str) -> SourceState | None:
        with self.session() as session:
            row = session.scalars(select(SourceRow).where(SourceRow.sha256 == sha256)).first()
            return SourceState(row.id, row.status, row.records, row.options) if row else None

    def begin_source(
        self,
        sha256: str,
        path: str,
        importer: str,
        size: int,
        evidence_file: str | None,
        options: str | None = None,
    ) -> SourceState:
        """Register a file being imported, or reopen an interrupted one."""
        with self.session() as session, session.begin():
            row = session.scalars(select(SourceRow).where(SourceRow.sha256 == sha256)).first()
            if row is None:
                row = SourceRow(
                    sha256=sha256,
                    path=path,
                    importer=importer,
                    options=options,
                    size=size,
                    evidence_file=evidence_file,
                    status="running",
                    records=0,
                    started_at=now(),
                )
                session.add(row)
                session.flush()
                self._event(session, "import.start", "source", row.id, {"path": path})
            else:
                row.status, row.path, row.error = "running", path, None
                row.importer, row.options = importer, options
            return SourceState(row.id, row.status, row.records, row.options)

    def finish_source(self, source_id: int, error: str | None) -> None:
        self.finish_sources([(source_id, error)])

    def finish_sources(self, outcomes: Sequence[tuple[int, str | None]]) -> None:
        """Mark sources complete (no error) or failed, in one transaction."""
        if not outcomes:
            return
        with self.session() as session, session.begin():
            for source_id, error in outcomes:
                status = "failed" if error else "complete"
                session.execute(
                    update(SourceRow)
                    .where(SourceRow.id == source_id)
                    .values(status=status, error=error, finished_at=now())
                )
                self._event(
                    session,
                    f"import.{status}",
                    "source",
                    source_id,
                    {"error": error} if error else None,
                )

    # --- captures ------------------------------------------------------------------

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(keys), KEY_LOOKUP_CHUNK):
                chunk = keys[start : start + KEY_LOOKUP_CHUNK]
                found.update(
                    connection.scalars(select(CaptureRow.key).where(CaptureRow.key.in_(chunk)))
                )
        return found

    def evidence_for_payload(self, payload_sha256: str) -> EvidenceRef | None:
        """Where a payload with this digest is already kept, if anywhere."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(
                    CaptureRow.evidence_file, CaptureRow.evidence_offset, CaptureRow.evidence_length
                )
                .where(CaptureRow.payload_sha256 == payload_sha256)
                .where(CaptureRow.record_type != "revisit")
                .limit(1)
            ).first()
        return EvidenceRef(row[0], row[1], row[2]) if row else None

    def capture_by_declared_digest(self, digest: str) -> tuple[str, EvidenceRef] | None:
        """The payload digest and evidence of an earlier capture (to resolve revisits)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(
                    CaptureRow.payload_sha256,
                    CaptureRow.evidence_file,
                    CaptureRow.evidence_offset,
                    CaptureRow.evidence_length,
                )
                .where(CaptureRow.declared_digest == digest)
                .where(CaptureRow.record_type != "revisit")
                .limit(1)
            ).first()
        return (row[0], EvidenceRef(row[1], row[2], row[3])) if row else None

    def add_captures(self, source_id: int | None, captures: Iterable[Capture]) -> int:
        """Store captures of one source; returns how many were new."""
        return len(self.add_capture_batch([(source_id, c) for c in captures]))

    def add_capture_batch(self, items: Sequence[tuple[int | None, Capture]]) -> set[str]:
        """Store captures (each with its source) whose evidence is written, in one transaction.

        Captures already stored (same key), or repeated in the batch, are skipped, so a
        re-run adds nothing twice. Returns the keys that were new.
        """
        existing = self.existing_keys([capture.key for _, capture in items])
        fresh: dict[str, tuple[int | None, Capture]] = {}
        for source_id, capture in items:
            if capture.key not in existing:
                fresh.setdefault(capture.key, (source_id, capture))
        if not fresh:
            return set()
        stored_at = now()
        new_sites: dict[str, int] = {}
        per_source = Counter(source_id for source_id, _ in fresh.values())
        with self.session() as session, session.begin():
            rows = [
                self._capture_values(session, source_id, capture, stored_at, new_sites)
                for source_id, capture in fresh.values()
            ]
            # Core insert, not the ORM unit of work: many rows, no objects needed back.
            session.connection().execute(insert(CaptureRow), rows)
            for source_id, count in per_source.items():
                if source_id is not None:
                    session.execute(
                        update(SourceRow)
                        .where(SourceRow.id == source_id)
                        .values(records=SourceRow.records + count)
                    )
        # Only now: a rolled-back batch must not leave ids of sites that do not exist.
        self._site_ids.update(new_sites)
        return set(fresh)

    def _capture_values(
        self,
        session: Session,
        source_id: int | None,
        capture: Capture,
        stored_at: datetime,
        new_sites: dict[str, int],
    ) -> dict[str, Any]:
        if capture.evidence is None:
            raise ValueError("a capture is stored only after its evidence is written")
        return {
            "key": capture.key,
            "source_id": source_id,
            "site_id": self._site_id(session, capture.url, capture.captured_at, new_sites),
            "url": capture.url,
            "record_type": capture.record_type,
            "captured_at": capture.captured_at,
            "content_type": capture.content_type,
            "http_status": capture.http_status,
            "http_headers": [list(h) for h in capture.http_headers] or None,
            "request_headers": [list(h) for h in capture.request_headers] or None,
            "warc_record_id": capture.warc_record_id,
            "declared_digest": capture.declared_digest,
            "payload_sha256": capture.payload_sha256,
            "payload_length": len(capture.payload),
            "evidence_file": capture.evidence.file,
            "evidence_offset": capture.evidence.offset,
            "evidence_length": capture.evidence.length,
            "meta": capture.meta or None,
            "stored_at": stored_at,
        }

    def _site_id(
        self, session: Session, url: str | None, seen: datetime | None, new_sites: dict[str, int]
    ) -> int | None:
        domain = site_of(url)
        if domain is None:
            return None
        known = self._site_ids.get(domain) or new_sites.get(domain)
        if known is None:
            known = session.scalars(select(SiteRow.id).where(SiteRow.domain == domain)).first()
            if known is None:
                row = SiteRow(domain=domain, first_seen=seen or now())
                session.add(row)
                session.flush()
                known = row.id
            new_sites[domain] = known
        return known

    def iter_captures(self, batch: int = 1000) -> Iterator[StoredCapture]:
        """Every capture, in id order, without loading them all at once."""
        last = 0
        while True:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(
                        CaptureRow.id,
                        CaptureRow.url,
                        CaptureRow.payload_sha256,
                        CaptureRow.evidence_file,
                        CaptureRow.evidence_offset,
                        CaptureRow.evidence_length,
                        CaptureRow.record_type,
                    )
                    .where(CaptureRow.id > last)
                    .order_by(CaptureRow.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for row in rows:
                yield StoredCapture(
                    row[0], row[1], row[2], EvidenceRef(row[3], row[4], row[5]), row[6]
                )
            last = rows[-1][0]

    def source_files(self) -> list[tuple[str, str]]:
        """(evidence file, sha256) of every source kept verbatim."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(SourceRow.evidence_file, SourceRow.sha256).where(
                    SourceRow.evidence_file.is_not(None)
                )
            ).all()
        return [(str(r[0]), str(r[1])) for r in rows]

    # --- statistics and audit --------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
                for name, table in COUNTED.items()
            }

    def captures_by_source(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    SourceRow.path, SourceRow.importer, SourceRow.status, SourceRow.records
                ).order_by(SourceRow.id)
            ).all()
        return [{"source": r[0], "format": r[1], "status": r[2], "captures": r[3]} for r in rows]

    def captures_by_site(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(SiteRow.domain, func.count(CaptureRow.id))
                .join(CaptureRow, CaptureRow.site_id == SiteRow.id)
                .group_by(SiteRow.domain)
                .order_by(func.count(CaptureRow.id).desc(), SiteRow.domain)
            ).all()
        return [{"site": r[0], "captures": int(r[1])} for r in rows]

    def log_event(
        self,
        action: str,
        subject_kind: str | None = None,
        subject_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        with self.session() as session, session.begin():
            self._event(session, action, subject_kind, subject_id, detail)

    @staticmethod
    def _event(
        session: Session,
        action: str,
        subject_kind: str | None,
        subject_id: int | None,
        detail: dict[str, Any] | None,
    ) -> None:
        session.add(
            EventRow(
                at=now(),
                actor=_actor(),
                action=action,
                subject_kind=subject_kind,
                subject_id=subject_id,
                detail=detail,
            )
        )

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    EventRow.at,
                    EventRow.actor,
                    EventRow.action,
                    EventRow.subject_kind,
                    EventRow.subject_id,
                    EventRow.detail,
                )
                .order_by(EventRow.id.desc())
                .limit(limit)
            ).all()
        return [
            {
                "at": r[0],
                "actor": r[1],
                "action": r[2],
                "subject_kind": r[3],
                "subject_id": r[4],
                "detail": r[5],
            }
            for r in rows
        ]


@lru_cache(maxsize=1)
def _actor() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
