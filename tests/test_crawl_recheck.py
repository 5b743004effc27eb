"""``netpatrol crawl --recheck``: listings removed, gone, changed, a seized site, a dead one."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import CliRunner
from sites.crawling import FAST, run_crawl

from netpatrol.crawl.patterns import find_notice
from netpatrol.demo.market import MarketConfig, serve_market

RECHECK = ["--recheck", *FAST, "--retries", "0", "--timeout", "5"]


def _lines(out: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    per_path = {row["url"].split("/", 3)[3]: row for row in rows if "url" in row}
    return per_path, rows[-1]["summary"]


def test_recheck_records_takedowns_changes_seizures_and_dead_sites(
    workspace: Path, cli: CliRunner
) -> None:
    config = MarketConfig()
    with serve_market(config) as server:
        crawl = run_crawl(workspace, server.url + "/category/wildlife", *FAST, "--depth", "2")
        assert crawl.code == 0, crawl.err
        assert cli("-w", workspace, "scan").code == 0

        config.removed |= {2, 3, 4}  # notices in French, German and English
        config.gone.update({5: 410, 6: 404})
        config.changed.add(7)
        first = run_crawl(workspace, *RECHECK)
        assert first.code == 0, first.err
        rows, summary = _lines(first.out)
        assert summary["outcomes"] == {
            "online": 7, "changed": 1, "removed": 5, "seized": 0, "unreachable": 0,
        }  # fmt: skip
        assert {p for p, r in rows.items() if r["outcome"] == "removed"} == {
            f"listing/{n}" for n in range(2, 7)
        }
        assert rows["listing/2"]["reason"].startswith("annonce a été supprimée")
        assert rows["listing/3"]["reason"] == "anzeige wurde gelöscht"
        assert rows["listing/5"]["reason"] == "http 410"
        assert rows["listing/7"] | {"outcome": "changed", "changed": True} == rows["listing/7"]
        assert rows["category/wildlife"]["outcome"] == "online"  # the seed page
        assert rows["listing/1"]["changed"] is False
        assert all(r["capture_id"] for r in rows.values())

        config.seized = True
        seized = run_crawl(workspace, *RECHECK, "--site", "127.0.0.1")
        rows, summary = _lines(seized.out)
        assert summary["outcomes"]["seized"] == 13, seized.out
        assert "has been seized" in rows["listing/1"]["reason"]
        nothing = run_crawl(workspace, *RECHECK, "--site", "example.org")
        assert _lines(nothing.out)[1]["urls"] == 0

    dead = run_crawl(workspace, *RECHECK)  # the server is gone: connection refused
    rows, summary = _lines(dead.out)
    assert summary["outcomes"]["unreachable"] == 13
    assert rows["listing/1"]["reason"] == "connection refused"

    with sqlite3.connect(workspace / "netpatrol.db") as db:
        events = db.execute(
            "SELECT subject_kind, detail FROM events WHERE action = 'crawl.recheck'"
        ).fetchall()
        metas = db.execute(
            "SELECT json_extract(meta, '$.recheck.outcome') FROM captures "
            "WHERE url LIKE '%/listing/5' ORDER BY id"
        ).fetchall()
    kinds = {kind for kind, _ in events}
    assert kinds == {"listing", "capture"}  # listings, and the seed page's capture
    first_run = [json.loads(d) for k, d in events if json.loads(d)["url"].endswith("/listing/5")]
    assert [d["outcome"] for d in first_run][:2] == ["removed", "removed"]  # two listing rows
    assert [m for (m,) in metas] == [None, "removed", "seized"]
    verify = cli("-w", workspace, "verify")
    assert verify.code == 0, verify.out + verify.err


def test_recheck_prints_counts_and_the_urls_not_online(workspace: Path) -> None:
    config = MarketConfig()
    with serve_market(config) as server:
        assert run_crawl(workspace, server.url + "/listing/9", *FAST, "--max-pages", "1").code == 0
        config.gone[9] = 404
        # Not scanned: the seed page is the only target (no listing rows yet).
        result = run_crawl(workspace, *RECHECK, as_json=False)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == (
        "recheck finished: 1 URLs: 0 online, 0 changed, 1 removed, 0 seized, 0 unreachable"
    )
    assert lines[1] == f"removed      {server.url}/listing/9 (http 404)"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<p>Sorry, this listing has been removed.</p>", "removed"),
        ("<h2>Annonce supprimée</h2>", "removed"),
        ("Diese Anzeige wurde gelöscht", "removed"),
        ("This item is no longer available", "removed"),
        ("El anuncio ya no está disponible", "removed"),
        ("L'annuncio non è più disponibile", "removed"),
        ("Deze advertentie is niet meer beschikbaar", "removed"),
        ("THIS HIDDEN SITE HAS BEEN SEIZED", "seized"),
        ("This domain has been seized by the FBI", "seized"),
        ("Diese Plattform wurde vom BKA beschlagnahmt", "seized"),
        ("Ce site a été saisi par la gendarmerie", "seized"),
        ("Seized pursuant to a seizure warrant issued by a court", "seized"),
        ("Ivory bracelet, removed from a private collection, available now", None),
        ("Elfenbein, beschlagnahmt? Nein, legal.", None),
    ],
)
def test_notices(text: str, kind: str | None) -> None:
    found = find_notice(f"<html><body>{text}</body></html>")
    assert (found.kind if found else None) == kind
