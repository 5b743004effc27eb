"""The store on both backends: SQLite (default) and a real PostgreSQL server."""

from __future__ import annotations

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from store_fixtures import FAKE_WARC, make_capture

from netpatrol.model import EvidenceRef
from netpatrol.store import SourceState, Store
from netpatrol.store.engine import alembic_config
from netpatrol.store.schema import Base, CaptureRow, SiteRow, SourceRow
from netpatrol.store.store import COUNTED, KEY_LOOKUP_CHUNK

ONION = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"


def _site_ids_by_url(store: Store) -> dict[str | None, str | None]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(CaptureRow.url, SiteRow.domain).outerjoin(
                SiteRow, SiteRow.id == CaptureRow.site_id
            )
        ).all()
    return {row[0]: row[1] for row in rows}


# --- opening and migrating ------------------------------------------------------------


def test_open_migrates_an_empty_database_to_head(store_url: str) -> None:
    store = Store.open(store_url)
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
        with store.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        assert current == ScriptDirectory.from_config(alembic_config()).get_current_head()
    finally:
        store.close()


def test_reopening_keeps_the_data(store_url: str) -> None:
    first = Store.open(store_url)
    try:
        assert first.add_captures(None, [make_capture(1), make_capture(2)]) == 2
    finally:
        first.close()
    second = Store.open(store_url)
    try:
        assert second.counts()["captures"] == 2
        assert second.add_captures(None, [make_capture(1)]) == 0
    finally:
        second.close()


# --- adding captures --------------------------------------------------------------------


def test_add_captures_is_idempotent(store: Store) -> None:
    capture = make_capture(1)
    assert store.add_captures(None, [capture]) == 1
    assert store.add_captures(None, [capture]) == 0
    # An equal capture built again (a re-run of the same import) is the same capture.
    assert store.add_captures(None, [make_capture(1)]) == 0
    assert store.counts()["captures"] == 1


def test_add_captures_stores_a_key_repeated_in_one_batch_once(store: Store) -> None:
    batch = [make_capture(1), make_capture(2), make_capture(1), make_capture(2), make_capture(3)]
    assert store.add_captures(None, batch) == 3
    assert store.counts()["captures"] == 3
    assert store.existing_keys([c.key for c in batch]) == {c.key for c in batch}


def test_add_captures_stores_only_the_new_part_of_a_batch(store: Store) -> None:
    assert store.add_captures(None, [make_capture(n) for n in range(5)]) == 5
    assert store.add_captures(None, [make_capture(n) for n in range(3, 8)]) == 3
    assert store.counts()["captures"] == 8


def test_add_captures_of_nothing(store: Store) -> None:
    assert store.add_captures(None, []) == 0
    assert store.add_captures(None, iter([])) == 0
    assert store.counts()["captures"] == 0


def test_add_captures_accepts_a_generator(store: Store) -> None:
    assert store.add_captures(None, (make_capture(n) for n in range(4))) == 4
    assert store.counts()["captures"] == 4


def test_capture_fields_are_stored(store: Store) -> None:
    capture = make_capture(7, declared_digest="sha1:ABC")
    store.add_captures(None, [capture])
    with store.engine.connect() as connection:
        row = connection.execute(select(CaptureRow)).one()
    assert row.key == capture.key
    assert row.url == capture.url
    assert row.record_type == "response"
    assert row.http_status == 200
    assert row.http_headers == [["Content-Type", "text/html; charset=utf-8"]]
    assert row.request_headers == [["User-Agent", "netpatrol-test"]]
    assert row.declared_digest == "sha1:ABC"
    assert row.payload_sha256 == capture.payload_sha256
    assert row.payload_length == len(capture.payload)
    assert (row.evidence_file, row.evidence_offset, row.evidence_length) == (FAKE_WARC, 7000, 900)
    assert row.meta == {"n": 7}
    assert row.source_id is None
    assert row.scanned_at is None
    assert row.captured_at is not None and capture.captured_at is not None
    assert row.captured_at.replace(tzinfo=None) == capture.captured_at.replace(tzinfo=None)


def test_oversized_header_values_are_stored_on_every_backend(store: Store) -> None:
    """Content-Type and WARC ids come from remote servers and files: any length occurs.

    SQLite ignores VARCHAR lengths; PostgreSQL rejects the whole batch.
    """
    capture = make_capture(1)
    capture.content_type = "text/html; " + "x" * 300
    capture.warc_record_id = "<urn:uuid:" + "f" * 200 + ">"
    capture.declared_digest = "sha1:" + "A" * 200
    assert store.add_captures(None, [capture, make_capture(2)]) == 2


def test_a_failed_batch_leaves_nothing_behind(store: Store) -> None:
    source = store.begin_source("a" * 64, "/data/a.warc", "warc", 10, None)
    batch = [
        make_capture(1, url="https://new-site.example.org/1"),
        make_capture(2, with_evidence=False),
        make_capture(3, url=f"http://{ONION}/3"),
    ]
    with pytest.raises(ValueError, match="only after its evidence is written"):
        store.add_captures(source.id, batch)
    counts = store.counts()
    assert counts["captures"] == 0
    assert counts["sites"] == 0, "a site registered for the failed batch was kept"
    state = store.source_state("a" * 64)
    assert state is not None
    assert state.records == 0


def test_a_batch_rejected_by_the_database_leaves_nothing_behind(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database error mid-batch (here a duplicate key, as a concurrent import makes)."""
    source = store.begin_source("a" * 64, "/data/a.warc", "warc", 10, None)
    first = make_capture(1, url="https://old-site.example.org/1")
    assert store.add_captures(source.id, [first]) == 1
    monkeypatch.setattr(store, "existing_keys", lambda keys: set())
    batch = [make_capture(2, url="https://new-site.example.net/2"), first, make_capture(3)]
    with pytest.raises(IntegrityError):
        store.add_captures(source.id, batch)
    counts = store.counts()
    assert (counts["captures"], counts["sites"]) == (1, 1)
    assert store.source_state("a" * 64) == SourceState(source.id, "running", 1)


def test_a_batch_after_a_failed_batch_is_stored(store: Store) -> None:
    """The failed batch's sites are rolled back; the retry must register them again."""
    good = make_capture(1, url="https://new-site.example.org/1")
    with pytest.raises(ValueError):
        store.add_captures(None, [good, make_capture(2, with_evidence=False)])
    try:
        stored = store.add_captures(None, [good])
    except IntegrityError as exc:
        pytest.fail(
            "retrying a failed batch fails: the store still uses the id of a site row that "
            f"the failed batch's rollback removed (cached site ids): {exc.orig}",
            pytrace=False,
        )
    assert stored == 1
    assert store.captures_by_site() == [{"site": "example.org", "captures": 1}]


# --- sites ------------------------------------------------------------------------------


def test_sites_are_registered_domains(store: Store) -> None:
    captures = [
        make_capture(1, url="https://shop.example.co.uk/cart"),
        make_capture(2, url="http://WWW.Example.co.uk./item/2"),
        make_capture(3, url=f"http://market.{ONION}/listing/3"),
        make_capture(4, url="http://192.0.2.1/admin"),
        make_capture(5, url=None, record_type="ad"),
    ]
    assert store.add_captures(None, captures) == 5
    assert store.counts()["sites"] == 3
    assert store.captures_by_site() == [
        {"site": "example.co.uk", "captures": 2},
        {"site": "192.0.2.1", "captures": 1},
        {"site": ONION, "captures": 1},
    ]
    assert _site_ids_by_url(store) == {
        "https://shop.example.co.uk/cart": "example.co.uk",
        "http://WWW.Example.co.uk./item/2": "example.co.uk",
        f"http://market.{ONION}/listing/3": ONION,
        "http://192.0.2.1/admin": "192.0.2.1",
        None: None,
    }


def test_sites_are_shared_across_batches_and_store_instances(store_url: str) -> None:
    first = Store.open(store_url)
    try:
        first.add_captures(None, [make_capture(1, url="https://a.example.net/1")])
        first.add_captures(None, [make_capture(2, url="https://b.example.net/2")])
    finally:
        first.close()
    second = Store.open(store_url)
    try:
        second.add_captures(None, [make_capture(3, url="https://c.example.net/3")])
        assert second.counts()["sites"] == 1
        assert second.captures_by_site() == [{"site": "example.net", "captures": 3}]
    finally:
        second.close()


def test_site_first_seen_is_the_capture_time(store: Store) -> None:
    capture = make_capture(4, url="https://x.example.io/")
    store.add_captures(None, [capture])
    with store.engine.connect() as connection:
        first_seen = connection.scalar(select(SiteRow.first_seen))
    assert first_seen is not None
    assert capture.captured_at is not None
    assert first_seen.replace(tzinfo=None) == capture.captured_at.replace(tzinfo=None)


# --- key lookup -------------------------------------------------------------------------


def test_existing_keys_looks_up_more_keys_than_one_chunk(store: Store) -> None:
    stored = [make_capture(n) for n in range(KEY_LOOKUP_CHUNK * 2 + 203)]
    assert store.add_captures(None, stored) == len(stored)
    unknown = [make_capture(n).key for n in range(100_000, 100_300)]
    asked = unknown[:150] + [c.key for c in stored] + unknown[150:]
    assert store.existing_keys(asked) == {c.key for c in stored}
    assert store.existing_keys(unknown) == set()
    assert store.existing_keys([]) == set()


# --- sources ----------------------------------------------------------------------------


def test_source_lifecycle(store: Store) -> None:
    sha = "b" * 64
    assert store.source_state(sha) is None
    state = store.begin_source(sha, "/data/b.warc.gz", "warc", 1234, "sources/b.warc.gz")
    assert state == SourceState(state.id, "running", 0)
    assert store.source_state(sha) == state
    assert store.add_captures(state.id, [make_capture(n) for n in range(3)]) == 3
    assert store.source_state(sha) == SourceState(state.id, "running", 3)
    store.finish_source(state.id, None)
    assert store.source_state(sha) == SourceState(state.id, "complete", 3)
    assert store.source_files() == [("sources/b.warc.gz", sha)]
    with store.engine.connect() as connection:
        row = connection.execute(select(SourceRow)).one()
    assert row.finished_at is not None
    assert row.error is None
    assert row.size == 1234


def test_a_failed_source_keeps_its_error(store: Store) -> None:
    state = store.begin_source("c" * 64, "/data/c.csv", "csv", 10, None)
    store.finish_source(state.id, "line 3: bad row")
    assert store.source_state("c" * 64) == SourceState(state.id, "failed", 0)
    with store.engine.connect() as connection:
        assert connection.scalar(select(SourceRow.error)) == "line 3: bad row"
    assert store.source_files() == []
    actions = [e["action"] for e in store.events()]
    assert actions[:2] == ["import.failed", "import.start"]
    assert store.events()[0]["detail"] == {"error": "line 3: bad row"}


def test_an_interrupted_source_resumes_with_its_id_and_records(store_url: str) -> None:
    sha = "d" * 64
    first = Store.open(store_url)
    try:
        state = first.begin_source(sha, "/old/place/d.warc", "warc", 99, None)
        first.add_captures(state.id, [make_capture(n) for n in range(4)])
        # Interrupted: finish_source is never called.
    finally:
        first.close()
    second = Store.open(store_url)
    try:
        assert second.source_state(sha) == SourceState(state.id, "running", 4)
        resumed = second.begin_source(sha, "/new/place/d.warc", "warc", 99, None)
        assert resumed == SourceState(state.id, "running", 4)
        # The re-run offers everything again; only the rest is new.
        assert second.add_captures(resumed.id, [make_capture(n) for n in range(7)]) == 3
        second.finish_source(resumed.id, None)
        assert second.source_state(sha) == SourceState(state.id, "complete", 7)
        assert second.counts()["sources"] == 1
        assert second.captures_by_source() == [
            {"source": "/new/place/d.warc", "format": "warc", "status": "complete", "captures": 7}
        ]
        starts = [e for e in second.events() if e["action"] == "import.start"]
        assert len(starts) == 1
    finally:
        second.close()


def test_a_failed_source_is_reopened_as_running(store: Store) -> None:
    sha = "e" * 64
    state = store.begin_source(sha, "/data/e.json", "json", 5, None)
    store.finish_source(state.id, "boom")
    again = store.begin_source(sha, "/data/e.json", "json", 5, None)
    assert again == SourceState(state.id, "running", 0)
    with store.engine.connect() as connection:
        assert connection.scalar(select(SourceRow.error)) is None


# --- statistics and audit ---------------------------------------------------------------


def test_counts_has_every_table_and_starts_at_zero(store: Store) -> None:
    counts = store.counts()
    assert set(counts) == set(COUNTED)
    assert set(counts) == {
        "captures",
        "listings",
        "identifiers",
        "detections",
        "networks",
        "sites",
        "sources",
        "operations",
        "referrals",
        "hash_banks",
        "matches",
    }
    assert all(value == 0 for value in counts.values())


def test_counts_after_an_import(store: Store) -> None:
    state = store.begin_source("f" * 64, "/data/f.warc", "warc", 1, None)
    store.add_captures(state.id, [make_capture(n) for n in range(6)])
    counts = store.counts()
    assert (counts["captures"], counts["sources"], counts["sites"]) == (6, 1, 1)
    assert all(isinstance(value, int) for value in counts.values())


def test_captures_by_source(store: Store) -> None:
    a = store.begin_source("1" * 64, "/data/a.warc", "warc", 1, None)
    b = store.begin_source("2" * 64, "/data/b.csv", "csv", 1, None)
    store.add_captures(a.id, [make_capture(n) for n in range(3)])
    store.add_captures(b.id, [make_capture(n, record_type="ad") for n in range(10, 12)])
    store.finish_source(a.id, None)
    assert store.captures_by_source() == [
        {"source": "/data/a.warc", "format": "warc", "status": "complete", "captures": 3},
        {"source": "/data/b.csv", "format": "csv", "status": "running", "captures": 2},
    ]


def test_captures_by_site_orders_by_count_then_domain(store: Store) -> None:
    store.add_captures(
        None,
        [
            make_capture(1, url="https://b-shop.com/1"),
            make_capture(2, url="https://a-shop.com/2"),
            make_capture(3, url="https://c-shop.com/3"),
            make_capture(4, url="https://www.c-shop.com/4"),
            make_capture(5, url=None),
        ],
    )
    assert store.captures_by_site() == [
        {"site": "c-shop.com", "captures": 2},
        {"site": "a-shop.com", "captures": 1},
        {"site": "b-shop.com", "captures": 1},
    ]


def test_log_event_and_events(store: Store) -> None:
    store.log_event("workspace.init", detail={"path": "/ws"})
    store.log_event("capture.flag", "capture", 42, {"reason": "CITES I", "n": [1, 2]})
    store.log_event("report.export")
    events = store.events()
    assert [e["action"] for e in events] == ["report.export", "capture.flag", "workspace.init"]
    flagged = events[1]
    assert flagged["subject_kind"] == "capture"
    assert flagged["subject_id"] == 42
    assert flagged["detail"] == {"reason": "CITES I", "n": [1, 2]}
    assert isinstance(flagged["actor"], str) and flagged["actor"]
    assert flagged["at"] is not None
    assert events[0]["subject_kind"] is None and events[0]["detail"] is None
    assert set(flagged) == {"at", "actor", "action", "subject_kind", "subject_id", "detail"}
    assert [e["action"] for e in store.events(limit=1)] == ["report.export"]


def test_imports_are_audited(store: Store) -> None:
    state = store.begin_source("9" * 64, "/data/9.warc", "warc", 1, None)
    store.finish_source(state.id, None)
    events = store.events()
    assert [(e["action"], e["subject_kind"], e["subject_id"]) for e in events] == [
        ("import.complete", "source", state.id),
        ("import.start", "source", state.id),
    ]
    assert events[1]["detail"] == {"path": "/data/9.warc"}


# --- reading back -----------------------------------------------------------------------


def test_iter_captures_pages_through_every_capture_in_id_order(store: Store) -> None:
    captures = [make_capture(n) for n in range(2345)]
    for start in range(0, len(captures), 800):
        store.add_captures(None, captures[start : start + 800])
    seen = list(store.iter_captures())
    assert len(seen) == 2345
    ids = [s.id for s in seen]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    by_sha = {c.payload_sha256: c for c in captures}
    for stored in seen[:5] + seen[995:1005] + seen[-5:]:
        original = by_sha[stored.payload_sha256]
        assert stored.url == original.url
        assert stored.evidence == original.evidence


def test_iter_captures_with_a_small_page_and_an_empty_store(store: Store) -> None:
    assert list(store.iter_captures()) == []
    store.add_captures(None, [make_capture(n) for n in range(10)])
    assert len(list(store.iter_captures(batch=3))) == 10
    assert len(list(store.iter_captures(batch=10))) == 10


def test_evidence_for_payload(store: Store) -> None:
    page = make_capture(1, payload=b"same body")
    revisit = make_capture(
        2, payload=b"only revisited", record_type="revisit", evidence=EvidenceRef("r.warc", 5, 6)
    )
    store.add_captures(None, [page, revisit])
    assert store.evidence_for_payload(page.payload_sha256) == EvidenceRef(FAKE_WARC, 1000, 900)
    assert store.evidence_for_payload(revisit.payload_sha256) is None
    assert store.evidence_for_payload("0" * 64) is None


def test_capture_by_declared_digest(store: Store) -> None:
    original = make_capture(1, declared_digest="sha1:ORIGINAL")
    revisit = make_capture(
        2, record_type="revisit", declared_digest="sha1:REVISIT", payload=b"", evidence=None
    )
    store.add_captures(None, [original, revisit])
    assert store.capture_by_declared_digest("sha1:ORIGINAL") == (
        original.payload_sha256,
        EvidenceRef(FAKE_WARC, 1000, 900),
    )
    assert store.capture_by_declared_digest("sha1:REVISIT") is None
    assert store.capture_by_declared_digest("sha1:UNKNOWN") is None
