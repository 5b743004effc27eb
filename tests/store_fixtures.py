"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server.

Registered as a pytest plugin by ``tests/conftest.py`` (``pytest_plugins``).

PostgreSQL comes from ``NETPATROL_TEST_DATABASE_URL`` (``scripts/with-postgres.sh`` starts a
throwaway server and sets it; ``make test`` uses that script). Each PostgreSQL test gets a
database of its own, created for it and dropped afterwards, so tests never see each other's
rows or schema. Without the variable the PostgreSQL tests are skipped with a reason, except
under ``CI=true`` where they fail: CI must not pass with the PostgreSQL half silently missing.
"""

from __future__ import annotations

import enum
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from netpatrol.model import Capture, EvidenceRef, RecordType
from netpatrol.store import Store

TEST_DATABASE_ENV = "NETPATROL_TEST_DATABASE_URL"
SKIP_REASON = (
    "PostgreSQL not available: set NETPATROL_TEST_DATABASE_URL or run via "
    "scripts/with-postgres.sh (make test does)"
)

BACKENDS = (
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _with_psycopg(url: str) -> str:
    """``postgresql://`` and ``postgres://`` URLs use psycopg 3, the driver we install."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An autocommit engine on the test server, for creating and dropping databases."""
    raw = os.environ.get(TEST_DATABASE_ENV, "").strip()
    if not raw:
        if _in_ci():
            pytest.fail(
                f"{TEST_DATABASE_ENV} is not set but CI=true: the PostgreSQL tests must run "
                "in CI. Run the tests through scripts/with-postgres.sh (make test does).",
                pytrace=False,
            )
        pytest.skip(SKIP_REASON)
    url = make_url(_with_psycopg(raw))
    shown = url.render_as_string(hide_password=True)
    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (DBAPIError, ImportError) as exc:
        engine.dispose()
        pytest.fail(f"{TEST_DATABASE_ENV}={shown}: cannot connect: {exc}", pytrace=False)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_admin: Engine) -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    name = f"netpatrol_test_{uuid.uuid4().hex[:16]}"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(postgres_admin, name)


def _drop_database(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        try:
            # FORCE (PostgreSQL 13+) ends connections a failed test may have left open.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except ProgrammingError:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL: SQLite in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated store on a fresh database (both backends), closed after the test."""
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()


class _Default(enum.Enum):
    URL = "default"


T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
FAKE_WARC = "warc/fake-test.warc.gz"


def make_capture(
    n: int,
    *,
    url: str | _Default | None = _Default.URL,
    record_type: RecordType = "response",
    payload: bytes | None = None,
    declared_digest: str | None = None,
    evidence: EvidenceRef | None = None,
    with_evidence: bool = True,
) -> Capture:
    """Capture number ``n`` with fake (but distinct) evidence, ready for ``add_captures``.

    Without ``url`` it is a page of example.com; ``with_evidence=False`` leaves ``evidence``
    unset, which ``add_captures`` refuses.
    """
    body = payload if payload is not None else f"<html><body>page {n}</body></html>".encode()
    ref = evidence or EvidenceRef(FAKE_WARC, n * 1000, 900)
    return Capture(
        url=f"https://shop{n % 3}.example.com/item/{n}" if isinstance(url, _Default) else url,
        record_type=record_type,
        payload=body,
        captured_at=T0 + timedelta(seconds=n),
        content_type="text/html; charset=utf-8",
        http_status=200,
        http_headers=[("Content-Type", "text/html; charset=utf-8")],
        request_headers=[("User-Agent", "netpatrol-test")],
        warc_record_id=f"<urn:uuid:{uuid.UUID(int=n)}>",
        declared_digest=declared_digest,
        evidence=ref if with_evidence else None,
        meta={"n": n},
    )
