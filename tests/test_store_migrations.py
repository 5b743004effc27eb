"""Migrations: the migrated schema is the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from store_fixtures import make_capture

from netpatrol.store import Store
from netpatrol.store.engine import alembic_config, make_engine, migrate
from netpatrol.store.images import url_key
from netpatrol.store.schema import Base, CaptureRow, ListingImageRow, ListingRow


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, Base.metadata))


def _schema(engine: Engine) -> dict[str, Any]:
    """Tables with their columns, indexes, unique and foreign keys, comparable as data."""
    inspector = inspect(engine)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "indexes": sorted(
                (i["name"] or "", tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "foreign_keys": sorted(
                (f["name"] or "", tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return schema


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_migrated_schema_matches_the_models(store: Store) -> None:
    assert _differences(store.engine) == []


def test_the_schema_comparison_notices_drift(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_captures_payload_sha256"))
    differences = _differences(store.engine)
    assert [d[0] for d in differences] == ["add_index"]
    assert differences[0][1].name == "ix_captures_payload_sha256"


def test_every_model_table_is_created_by_the_migrations(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_migrating_twice_is_a_no_op(store: Store) -> None:
    store.add_captures(None, [make_capture(1), make_capture(2)])
    before = _schema(store.engine)
    migrate(store.engine)
    migrate(store.engine)
    assert _schema(store.engine) == before
    assert _current(store.engine) == _head()
    assert store.counts()["captures"] == 2
    assert _differences(store.engine) == []


def test_open_twice_is_a_no_op(store_url: str) -> None:
    first = Store.open(store_url)
    first.close()
    engine = make_engine(store_url)
    try:
        before = _schema(engine)
    finally:
        engine.dispose()
    second = Store.open(store_url)
    try:
        assert _schema(second.engine) == before
        assert _current(second.engine) == _head()
    finally:
        second.close()


def test_downgrade_to_base_and_upgrade_again(store: Store) -> None:
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    assert _current(store.engine) is None
    migrate(store.engine)
    assert _current(store.engine) == _head()
    assert _differences(store.engine) == []


def test_foreign_keys_are_enforced(store: Store) -> None:
    capture = make_capture(1)
    assert capture.evidence is not None
    row = {
        "key": capture.key,
        "site_id": 999_999,
        "url": capture.url,
        "record_type": capture.record_type,
        "payload_sha256": capture.payload_sha256,
        "payload_length": len(capture.payload),
        "evidence_file": capture.evidence.file,
        "evidence_offset": capture.evidence.offset,
        "evidence_length": capture.evidence.length,
        "stored_at": capture.captured_at,
    }
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(insert(CaptureRow), [row])


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'netpatrol.db'}")
    try:
        # Every pooled connection gets the pragmas, not only the first one.
        with store.engine.connect() as one, store.engine.connect() as two:
            for connection in (one, two):
                assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
                assert connection.scalar(text("PRAGMA foreign_keys")) == 1
                assert connection.scalar(text("PRAGMA synchronous")) == 1  # NORMAL
                assert connection.scalar(text("PRAGMA busy_timeout")) == 30000
    finally:
        store.close()
    assert (tmp_path / "netpatrol.db").exists()


def test_listing_images_are_backfilled_from_stored_listings(store: Store) -> None:
    # More listings than the migration reads at a time, so its batches are crossed.
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert "listing_images" not in inspect(store.engine).get_table_names()
    store.add_captures(None, [make_capture(1)])
    shown: list[Any] = [
        [f"https://cdn.example/{n}.jpg", "https://cdn.example/logo.png"] for n in range(2_100)
    ]
    shown[0] = ["https://cdn.example/0.jpg", "https://cdn.example/0.jpg", 7, ""]
    shown[1] = None
    with store.engine.begin() as connection:
        capture_id = connection.scalar(select(CaptureRow.id))
        connection.execute(
            insert(ListingRow),
            [
                {"capture_id": capture_id, "position": n, "images": images}
                for n, images in enumerate(shown)
            ],
        )
    migrate(store.engine)
    assert _differences(store.engine) == []
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(ListingRow.position, ListingImageRow.url, ListingImageRow.url_sha256)
            .join(ListingRow, ListingRow.id == ListingImageRow.listing_id)
            .order_by(ListingImageRow.id)
        ).all()
    assert len(rows) == 1 + 2 * 2_098
    assert rows[0][:2] == (0, "https://cdn.example/0.jpg")
    assert rows[-1][:2] == (2_099, "https://cdn.example/logo.png")
    assert all(key == url_key(url) for _, url, key in rows)  # what scan writes, too

    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert "listing_images" not in inspect(store.engine).get_table_names()
    migrate(store.engine)
    assert _differences(store.engine) == []
