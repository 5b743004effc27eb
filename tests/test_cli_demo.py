"""``netpatrol demo`` runs the whole patrol offline: samples and the test marketplace, crawl,
scan, link, operation, referrals, recheck after a simulated takedown, reports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import stix2
from conftest import CliRunner
from pymisp import MISPEvent

from netpatrol.act.verify_package import verify_package


def test_demo_runs_the_whole_patrol(tmp_path: Path, cli: CliRunner) -> None:
    target = tmp_path / "demo"
    result = cli("demo", target)
    assert result.code == 0, result.out + result.err
    for step in (
        "1. create the workspace",
        "3. ingest the same files again",
        "verify ok",
        "4. crawl the test marketplace",
        "9. referral packages",
        "package intact",
    ):
        assert step in result.out
    assert result.out.strip().splitlines()[-1] == f"report: {target / 'report.html'}"
    with sqlite3.connect(target / "netpatrol.db") as db:
        by_type = dict(db.execute("select record_type, count(*) from captures group by 1"))
        listings = db.execute("select count(*), count(price) from listings").fetchone()
        categories = dict(
            db.execute(
                "select category, count(*) from detections where detector = 'classifier' group by 1"
            )
        )
        gone = "select count(distinct url) from referral_items where status = 'removed'"
        removed = db.execute(gone)
        removed_items = removed.fetchone()[0]
        referrals = db.execute("select count(*), count(sent_at) from referrals").fetchone()
    assert by_type["resource"] == 2  # saved leboncoin pages
    assert by_type["ad"] == 60  # bat listings in the CSV export
    assert by_type["response"] > 8 + 36  # shop pages in the WARC + the crawled marketplace
    assert listings[1] >= 0.8 * listings[0]
    assert categories["wildlife"] >= 50 and categories["medicine"] >= 8
    assert referrals[0] >= 5 and referrals[0] == referrals[1]  # every package sent
    assert removed_items == 7  # the four listings showing a notice and the three gone (410)
    _check_reports(target)


def _check_reports(target: Path) -> None:
    figures = json.loads((target / "report.json").read_text(encoding="utf-8"))
    assert figures["totals"]["listings_removed"] == 7
    assert figures["offline_totals"]["parcels_inspected"] == 1840 + 1215
    bundle = stix2.parse(
        (target / "report.stix.json").read_text(encoding="utf-8"), allow_custom=True
    )
    assert any(o.type == "report" for o in bundle.objects)
    event = MISPEvent()
    event.load((target / "report.misp.json").read_text(encoding="utf-8"))
    assert event.objects and event.info
    html = (target / "report.html").read_text(encoding="utf-8")
    assert "demo-patrol" in html and "finding-" in html
    packages = sorted(p.parent for p in (target / "referrals").glob("*/*/manifest.json"))
    assert packages and all(verify_package(p) == [] for p in packages)


def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = cli("demo", tmp_path / "mine")
    assert result.code == 1
    assert "exists and is not a demo workspace" in result.err
    assert (tmp_path / "mine" / "notes.txt").exists()
