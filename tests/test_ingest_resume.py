"""A kill or Ctrl-C in the middle of an import, then the same command again."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from helpers import html_page, write_warc

RECORDS = 3000
BATCH = 100


def count(workspace: Path) -> int:
    try:
        with sqlite3.connect(workspace / "netpatrol.db", timeout=30) as db:
            return int(db.execute("select count(*) from captures").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def netpatrol(workspace: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "netpatrol.cli",
            "--workspace",
            str(workspace),
            "--set",
            f"batch_size={BATCH}",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def big_warc(tmp_path: Path) -> Path:
    path = tmp_path / "big.warc.gz"
    body = "lorem ipsum dolor " * 400
    write_warc(
        path,
        [(f"https://s{i % 7}.example.org/{i}", html_page(f"P{i}", body)) for i in range(RECORDS)],
    )
    return path


def interrupt_midway(workspace: Path, warc: Path, sig: int) -> subprocess.Popen[str]:
    process = netpatrol(workspace, "ingest", str(warc))
    deadline = time.monotonic() + 60
    while count(workspace) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(sig)
    process.wait(timeout=60)
    return process


def keys_are_unique(workspace: Path) -> bool:
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        total, distinct = db.execute(
            "select count(*), count(distinct key) from captures"
        ).fetchone()
    return bool(total == distinct)


def test_kill_mid_import_then_rerun_stores_everything_once(workspace: Path, tmp_path: Path) -> None:
    warc = big_warc(tmp_path)
    interrupt_midway(workspace, warc, signal.SIGKILL)
    partial = count(workspace)
    assert 0 < partial < RECORDS, "the kill must land in the middle of the import"
    assert partial % BATCH == 0, "only whole batches are ever committed"

    rerun = netpatrol(workspace, "ingest", str(warc))
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert count(workspace) == RECORDS
    assert keys_are_unique(workspace)
    verify = netpatrol(workspace, "verify")
    verify.communicate(timeout=120)
    assert verify.returncode == 0


def test_ctrl_c_says_how_to_resume(workspace: Path, tmp_path: Path) -> None:
    warc = big_warc(tmp_path)
    process = interrupt_midway(workspace, warc, signal.SIGINT)
    _, err = process.communicate()
    assert process.returncode == 1
    assert "interrupted: what was stored is kept; run the same command again to resume" in err
    assert "Traceback" not in err
    rerun = netpatrol(workspace, "ingest", str(warc))
    rerun.communicate(timeout=120)
    assert rerun.returncode == 0
    assert count(workspace) == RECORDS and keys_are_unique(workspace)
