"""``netpatrol demo`` runs the whole available patrol on the bundled samples, offline."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import CliRunner


def test_demo_runs_end_to_end(tmp_path: Path, cli: CliRunner) -> None:
    target = tmp_path / "demo"
    result = cli("demo", target)
    assert result.code == 0, result.out + result.err
    for step in ("1. create the workspace", "3. ingest the same files again", "verify ok"):
        assert step in result.out
    with sqlite3.connect(target / "netpatrol.db") as db:
        by_type = dict(db.execute("select record_type, count(*) from captures group by 1"))
    assert by_type["response"] == 8  # shop pages in the WARC
    assert by_type["resource"] == 2  # saved leboncoin pages
    assert by_type["ad"] == 60  # bat listings in the CSV export
    with sqlite3.connect(target / "netpatrol.db") as db:
        listings = db.execute("select count(*), count(price) from listings").fetchone()
    # 60 ads, 8 product pages, 9 + 35 cards on the two leboncoin result pages
    assert listings[0] == 60 + 8 + 9 + 35
    assert listings[1] >= 0.9 * listings[0]
    with sqlite3.connect(target / "netpatrol.db") as db:
        categories = dict(db.execute("select category, count(*) from detections group by 1"))
    assert sum(categories.values()) == listings[0]  # every listing classified
    assert categories["wildlife"] >= 50  # the taxidermy-bat listings
    assert "wildlife:" in result.out and "CITES appendices as of the 2013 checklist" in result.out
    # Running it again replaces its own previous workspace.
    assert cli("demo", target).code == 0


def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = cli("demo", tmp_path / "mine")
    assert result.code == 1
    assert "exists and is not a demo workspace" in result.err
    assert (tmp_path / "mine" / "notes.txt").exists()
