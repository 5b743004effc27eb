"""End to end through the CLI: init, ingest (WARC, HTML), stats, errors, exit codes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import CliRunner
from helpers import html_page, write_warc


def pages(n: int, host: str = "shop.example.org") -> list[tuple[str, bytes]]:
    return [(f"https://{host}/item/{i}", html_page(f"Item {i}", f"body {i}")) for i in range(n)]


def capture_count(workspace: Path) -> int:
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        return int(db.execute("select count(*) from captures").fetchone()[0])


def test_init_creates_commented_settings_database_and_evidence(
    tmp_path: Path, cli: CliRunner
) -> None:
    result = cli("init", tmp_path / "ws")
    assert result.code == 0
    assert "workspace ready" in result.out
    toml = (tmp_path / "ws" / "netpatrol.toml").read_text()
    assert "# database_url = " in toml and "# batch_size = " in toml
    assert (tmp_path / "ws" / "netpatrol.db").exists()
    assert (tmp_path / "ws" / "evidence").is_dir()


def test_ingest_warc_then_stats_json(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages(4) + pages(2, host="other.example.net"))
    result = cli("-w", workspace, "ingest", warc)
    assert result.code == 0, result.err
    stats = cli("-w", workspace, "stats", "--json").json()
    assert isinstance(stats, dict)
    for key in ("captures", "listings", "identifiers", "detections", "networks"):
        assert key in stats
    assert stats["captures"] == 6
    assert stats["by_site"] == [
        {"site": "example.org", "captures": 4},
        {"site": "example.net", "captures": 2},
    ]
    assert stats["by_source"] == [
        {"source": str(warc), "format": "warc", "status": "complete", "captures": 6}
    ]


def test_ingest_is_idempotent(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages(5))
    assert cli("-w", workspace, "ingest", warc).code == 0
    again = cli("-w", workspace, "ingest", "--json", warc).json()
    assert again == {
        "ok": True,
        "stored": 0,
        "files": [
            {
                "path": str(warc),
                "format": "warc",
                "status": "already",
                "stored": 0,
                "duplicates": 0,
                "errors": [],
            }
        ],
    }
    # The same records inside another file (WARCs concatenated) are duplicates, not new.
    more = tmp_path / "more.warc.gz"
    write_warc(more, pages(2, host="more.example.com"))
    combined = tmp_path / "combined.warc.gz"
    combined.write_bytes(warc.read_bytes() + more.read_bytes())
    result = cli("-w", workspace, "ingest", "--json", combined).json()
    assert isinstance(result, dict)
    assert (result["stored"], result["files"][0]["duplicates"]) == (2, 5)
    assert capture_count(workspace) == 7


def test_workspace_from_environment(
    workspace: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    warc = tmp_path / "a.warc.gz"
    write_warc(warc, pages(2))
    monkeypatch.setenv("NETPATROL_WORKSPACE", str(workspace))
    assert cli("ingest", warc).code == 0
    assert capture_count(workspace) == 2


def test_no_workspace_is_a_clear_error(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NETPATROL_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    result = cli("stats")
    assert result.code == 1
    assert f"error: {tmp_path} is not a netpatrol workspace (no netpatrol.toml)" in result.err


def test_usage_errors_exit_2(workspace: Path, cli: CliRunner) -> None:
    assert cli("-w", workspace, "ingest").code == 2
    assert cli("no-such-verb").code == 2
    assert cli("-w", workspace, "--set", "batch_size=lots", "stats").code == 1


def test_unknown_format_lists_supported_ones(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01\x02 binary")
    result = cli("-w", workspace, "ingest", odd)
    assert result.code == 1
    assert f"{odd}: unknown format; supported formats: warc (" in result.err
    assert "html (" in result.err


def test_missing_file_is_named(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    result = cli("-w", workspace, "ingest", tmp_path / "nope.warc.gz")
    assert result.code == 1
    assert f"{tmp_path / 'nope.warc.gz'}: no such file" in result.err


def test_truncated_warc_keeps_records_and_next_files_still_import(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, pages(10), with_requests=False)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[:-4])
    good = tmp_path / "good.warc.gz"
    write_warc(good, pages(3, host="next.example.com"), with_requests=False)
    result = cli("-w", workspace, "ingest", cut, good)
    assert result.code == 1
    assert f"error: {cut}, byte offset " in result.err
    assert "gzip member is truncated" in result.err
    assert capture_count(workspace) == 9 + 3  # the 10th record is the broken one
    stats = cli("-w", workspace, "stats", "--json").json()
    assert isinstance(stats, dict)
    statuses = {s["source"]: s["status"] for s in stats["by_source"]}
    assert statuses == {str(cut): "failed", str(good): "complete"}
    assert cli("-w", workspace, "verify").code == 0


def test_html_folder_with_base_url(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    folder = tmp_path / "saved"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_bytes(html_page("A", canonical="https://shop.example.com/a"))
    (folder / "sub" / "b.htm").write_bytes(html_page("B"))
    (folder / "README.txt").write_text("not a page")
    result = cli(
        "-w",
        workspace,
        "ingest",
        "--json",
        folder,
        "--base-url",
        "https://mirror.example.org/site/",
    )
    assert result.code == 0, result.err
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        urls = sorted(r[0] for r in db.execute("select url from captures"))
    assert urls == ["https://mirror.example.org/site/sub/b.htm", "https://shop.example.com/a"]
    report = result.json()
    assert isinstance(report, dict)
    assert [f["status"] for f in report["files"]] == ["skipped", "imported", "imported"]
