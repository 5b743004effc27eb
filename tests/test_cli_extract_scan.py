"""``netpatrol extract`` (no workspace) and ``netpatrol scan`` (incremental) end to end."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import CliRunner
from helpers import write_warc

SAMPLES = Path(__file__).resolve().parents[1] / "netpatrol" / "samples"
CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "tools" / "check_contract.py"


def run_extract(lines: list[dict[str, object]]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netpatrol.cli", "extract", "-"],
        input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True,
        text=True,
        check=False,
    )


def test_extract_stdin_to_jsonl() -> None:
    result = run_extract(
        [
            {
                "id": "a",
                "title": "Lot de 3 papillons naturalisés",
                "text": "Prix 60 € - écrire à vendeur [at] exemple [dot] fr",
            },
            {
                "id": "b",
                "url": "https://shop.example.de/p",
                "html": "<html><body><h1>Uhr</h1>"
                "<span class='price'>1.299,00 €</span></body></html>",
            },
        ]
    )
    assert result.returncode == 0, result.stderr
    a, b = (json.loads(line) for line in result.stdout.splitlines())
    assert (a["id"], a["price"], a["currency"], a["quantity"], a["language"]) == (
        "a",
        60.0,
        "EUR",
        3.0,
        "fr",
    )
    assert {"kind": "email", "value": "vendeur@exemple.fr"}.items() <= a["identifiers"][0].items()
    assert (b["title"], b["price"], b["currency"]) == ("Uhr", 1299.0, "EUR")


def test_extract_names_bad_lines_and_goes_on(tmp_path: Path, cli: CliRunner) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "title": "x"}\n{oops\n', encoding="utf-8")
    result = cli("extract", path)
    assert result.code == 1
    assert json.loads(result.out.splitlines()[0])["id"] == 1
    assert f"error: {path}, line 2: not valid JSON" in result.err


def test_extract_names_a_line_that_is_not_utf8_and_goes_on(tmp_path: Path, cli: CliRunner) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": 1, "title": "x"}\n{"id": 2, "title": "caf\xe9"}\n{"id": 3}\n')
    result = cli("extract", path)
    assert result.code == 1
    assert [json.loads(line)["id"] for line in result.out.splitlines()] == [1, 3]
    assert f"error: {path}, line 2: not UTF-8 text: byte 0xe9 at column 24" in result.err


def test_contract_checker_passes_on_extract() -> None:
    if not CONTRACT.exists():
        import pytest

        pytest.skip(f"contract checker not present: {CONTRACT}")
    netpatrol = Path(sys.executable).parent / "netpatrol"
    result = subprocess.run(
        [sys.executable, str(CONTRACT), "--netpatrol", str(netpatrol), "--only", "extract"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "extract: 6 lines keep the contract" in result.stdout


def table(workspace: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        return list(db.execute(sql))


def test_scan_is_incremental_and_stores_listings_and_identifiers(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    assert cli("-w", workspace, "ingest", SAMPLES / "bat-listings.csv").code == 0
    first = cli("-w", workspace, "scan", "--json")
    assert first.code == 0, first.err
    report = first.json()
    assert isinstance(report, dict)
    assert (report["captures"], report["listings"]) == (60, 60)
    assert table(workspace, "select count(*) from captures where scanned_at is null") == [(0,)]
    priced = table(workspace, "select count(*) from listings where price is not null")[0][0]
    assert isinstance(priced, int) and priced >= 50
    warc = tmp_path / "shop.warc.gz"
    write_warc(
        warc,
        [
            (
                "https://shop.example.fr/p/1",
                b"<html><body><h1>Corail rouge</h1><span class='price'>80 \xe2\x82\xac"
                b"</span><p>paypal.me/corailshop</p></body></html>",
            )
        ],
    )
    assert cli("-w", workspace, "ingest", warc).code == 0
    second = cli("-w", workspace, "scan", "--json").json()
    assert isinstance(second, dict)
    assert (second["captures"], second["listings"]) == (1, 1)
    assert table(
        workspace, "select title, price, currency from listings order by id desc limit 1"
    ) == [("Corail rouge", 80.0, "EUR")]
    assert ("paypal", "corailshop") in table(workspace, "select kind, value from identifiers")
    again = cli("-w", workspace, "scan", "--json").json()
    assert isinstance(again, dict) and again["captures"] == 0
    stats = cli("-w", workspace, "stats", "--json").json()
    assert isinstance(stats, dict) and stats["listings"] == 61
