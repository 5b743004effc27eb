"""Operations: create / get / list, the offline findings log (CSV, French headers, bad rows
named, re-import adds nothing) and the ``operation`` commands."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import CliRunner
from sqlalchemy import delete, func, select

from netpatrol.errors import InputError
from netpatrol.store import Store
from netpatrol.store.operations import (
    OperationError,
    create_operation,
    get_operation,
    import_log,
    list_operations,
    offline_entries,
    parse_day,
)
from netpatrol.store.schema import OperationLogRow

DAY1, DAY2 = datetime(2026, 5, 4, tzinfo=UTC), datetime(2026, 5, 10, 23, 59, tzinfo=UTC)
GOOD = (
    "date;type;nombre;valeur_eur;pays;categorie;note\n"
    "2026-05-04;Colis inspectés;1 250;;FR;;Roissy\n"
    "05/05/2026;saisies;3;2 500,50;fr;faune;ivoire\n"
    "2026-05-06;arrests;2;;DEU;drugs;\n"
)
BAD = (
    "date,kind,count,value_eur,country,category,note\n"
    "2026-05-04,parcels_inspected,100,,FR,,\n"
    "yesterday,seizures,1,,FR,,\n"
    "2026-05-05,seizures,-2,,FR,,\n"
    "2026-05-05,seizures,2,,XX,,\n"
    "2026-05-05,seizures,2,,FR,tigers,\n"
    "2026-05-05,,2,,FR,,\n"
    '2026-05-06,findings,5,,DE,counterfeit,"two\nlines"\n'
)


def test_create_get_list(store: Store) -> None:
    info = create_operation(store, "POSTBOX-III", DAY1, DAY2, ["fr", "DEU", "Belgium"], "x")
    assert info.countries == ("BE", "DE", "FR") and info.started_at == DAY1
    assert get_operation(store, "POSTBOX-III") == info
    create_operation(store, "OPEN", None, None)
    assert [o.name for o in list_operations(store)] == ["POSTBOX-III", "OPEN"]
    assert get_operation(store, "OPEN").countries == ()
    with pytest.raises(OperationError, match="exists already"):
        create_operation(store, "OPEN", None, None)
    with pytest.raises(OperationError, match="GB"):
        create_operation(store, "BAD", None, None, ["UK"])
    with pytest.raises(OperationError, match="before it starts"):
        create_operation(store, "BAD", DAY2, DAY1)
    with pytest.raises(OperationError, match="known: POSTBOX-III, OPEN"):
        get_operation(store, "nope")


def test_parse_day() -> None:
    assert parse_day("2026-05-10", end=True) == datetime(2026, 5, 10, 23, 59, 59, 999999, UTC)
    assert parse_day("2026-05-10T08:00") == datetime(2026, 5, 10, 8, tzinfo=UTC)
    with pytest.raises(OperationError, match="YYYY-MM-DD"):
        parse_day("10/05/2026")


def test_log_french_semicolons_and_reimport(store: Store, tmp_path: Path) -> None:
    create_operation(store, "OP", DAY1, DAY2, ["FR"])
    path = tmp_path / "log.csv"
    path.write_bytes(GOOD.encode("cp1252"))  # what a French Excel saves
    first = import_log(store, "OP", path)
    assert (first.rows, first.added, first.errors) == (3, 3, [])
    entries = offline_entries(store, "OP")
    assert [(e.kind, e.count, e.value_eur, e.country, e.category) for e in entries] == [
        ("parcels_inspected", 1250.0, None, "FR", None),
        ("seizures", 3.0, 2500.5, "FR", "wildlife"),
        ("arrests", 2.0, None, "DE", "drugs"),
    ]
    assert entries[1].at == datetime(2026, 5, 5, tzinfo=UTC) and entries[0].note == "Roissy"
    again = import_log(store, "OP", path)
    assert (again.added, again.already) == (0, 3)
    assert len(offline_entries(store, "OP")) == 3


def test_bad_rows_named_rest_imported(store: Store, tmp_path: Path) -> None:
    create_operation(store, "OP", DAY1, DAY2)
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    report = import_log(store, "OP", path)
    assert report.added == 2 and not report.ok
    where = [(e.line, e.column) for e in report.errors]
    assert where == [(3, "date"), (4, "count"), (5, "country"), (6, "category"), (7, "kind")]
    assert "expected a date as YYYY-MM-DD" in report.errors[0].describe()
    assert "line 6, column 'category'" in report.errors[3].describe()
    assert "'tigers'" in report.errors[3].describe()
    assert offline_entries(store, "OP")[-1].note == "two\nlines"


def test_interrupted_import_resumes_without_duplicates(store: Store, tmp_path: Path) -> None:
    create_operation(store, "OP", DAY1, DAY2)
    path = tmp_path / "log.csv"
    path.write_text(GOOD, encoding="utf-8")
    import_log(store, "OP", path)
    # As if only the first row had been stored when the import stopped.
    with store.session() as session, session.begin():
        session.execute(delete(OperationLogRow).where(OperationLogRow.source_line > 2))
    resumed = import_log(store, "OP", path)
    assert (resumed.added, resumed.already) == (2, 1)
    with store.engine.connect() as db:
        lines = db.execute(select(OperationLogRow.source_line).order_by("source_line")).all()
        assert [line for (line,) in lines] == [2, 3, 4]
        assert db.execute(select(func.count()).select_from(OperationLogRow)).scalar_one() == 3


def test_log_needs_its_columns(store: Store, tmp_path: Path) -> None:
    create_operation(store, "OP", None, None)
    path = tmp_path / "log.csv"
    path.write_text("when,what\n2026-01-01,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing column.*date, kind"):
        import_log(store, "OP", path)
    with pytest.raises(OperationError):
        import_log(store, "NOPE", path)


def test_operation_commands(workspace: Path, cli: CliRunner, tmp_path: Path) -> None:
    ws = ["-w", str(workspace)]
    made = cli(*ws, "operation", "create", "PANGEA", "--from", "2026-05-04", "--to",
               "2026-05-10", "--countries", "FR,DE", "--description", "test op")  # fmt: skip
    assert made.code == 0, made.err
    assert "PANGEA: 2026-05-04 to 2026-05-10, DE, FR" in made.out
    assert cli(*ws, "operation", "create", "PANGEA", "--from", "2026-05-04", "--to",
               "2026-05-10").code == 1  # fmt: skip
    assert cli(*ws, "operation", "create", "X", "--from", "May 4", "--to", "2026-05-10").code == 2
    assert cli(*ws, "operation", "create", "X", "--from", "2026-05-04", "--to", "2026-05-10",
               "--countries", "FR,ZZ").code == 2  # fmt: skip
    listed = cli(*ws, "operation", "list", "--json").json()
    assert isinstance(listed, list) and listed[0]["countries"] == ["DE", "FR"]
    path = tmp_path / "log.csv"
    path.write_text(BAD, encoding="utf-8")
    logged = cli(*ws, "operation", "log", "PANGEA", path)
    assert logged.code == 1 and "2 rows added to PANGEA" in logged.out
    assert f"error: {path}, line 3, column 'date'" in logged.err
    again = cli(*ws, "operation", "log", "PANGEA", path, "--json").json()
    assert isinstance(again, dict) and again["added"] == 0 and again["already"] == 2
    shown = cli(*ws, "operation", "show", "PANGEA", "--json")
    assert shown.code == 0, shown.err
    data = json.loads(shown.out)
    assert data["offline_totals"] == {"findings": 5.0, "parcels_inspected": 100.0}
    assert data["description"] == "test op" and len(data["offline"]) == 2
    assert "parcels_inspected: 100" in cli(*ws, "operation", "show", "PANGEA").out
    missing = cli(*ws, "operation", "show", "NOPE")
    assert missing.code == 1 and "no operation named 'NOPE'" in missing.err
