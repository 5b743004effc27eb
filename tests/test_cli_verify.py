"""``netpatrol verify`` re-reads evidence: passes when intact, names every fault."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import CliRunner
from helpers import html_page, write_warc


def ingest_sample(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    warc = tmp_path / "a.warc.gz"
    write_warc(warc, [(f"https://a.example.org/{i}", html_page(f"P{i}")) for i in range(3)])
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "x.html").write_bytes(html_page("X", canonical="https://b.example.com/x"))
    assert cli("-w", workspace, "ingest", warc, pages).code == 0


def evidence_files(workspace: Path) -> list[Path]:
    return sorted(p for p in (workspace / "evidence").rglob("*.gz"))


def test_verify_passes_on_intact_evidence(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    ingest_sample(workspace, tmp_path, cli)
    result = cli("-w", workspace, "verify")
    assert result.code == 0
    assert "verify ok: 4 captures and 1 source files checked" in result.out
    report = cli("-w", workspace, "verify", "--json").json()
    assert report == {
        "ok": True,
        "checked": 4,
        "files_checked": 1,
        "missing_files": {},
        "problems": [],
    }


def test_verify_names_a_missing_file(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    ingest_sample(workspace, tmp_path, cli)
    written = next(p for p in evidence_files(workspace) if p.parent.name == "warc")
    written.unlink()
    result = cli("-w", workspace, "verify")
    assert result.code == 1
    relative = written.relative_to(workspace / "evidence").as_posix()
    assert f"missing: {relative} (evidence of 1 captures)" in result.err


def test_verify_names_each_mismatch(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    ingest_sample(workspace, tmp_path, cli)
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        db.execute("update captures set payload_sha256 = ? where id = 2", ("0" * 64,))
    result = cli("-w", workspace, "verify")
    assert result.code == 1
    assert "capture 2 (https://a.example.org/1): payload SHA-256 mismatch in sources/" in result.err
    assert "recorded 0000000000000000000000000000000000000000000000000000000000000000" in result.err


def test_verify_detects_an_altered_source_file(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    ingest_sample(workspace, tmp_path, cli)
    source = next(p for p in evidence_files(workspace) if p.parent.name == "sources")
    source.chmod(0o644)
    data = bytearray(source.read_bytes())
    data[-30] ^= 0xFF
    source.write_bytes(bytes(data))
    result = cli("-w", workspace, "verify")
    assert result.code == 1
    assert "file SHA-256 is" in result.err and "(file was altered)" in result.err
