"""A kill or Ctrl-C in the middle of an import, then the same command again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from helpers import html_page, write_warc

from netpatrol.collect.ingest import TEST_PAUSE_ENV, TEST_PAUSE_MARKER_ENV

RECORDS = 3000
BATCH = 100
PAUSE_AFTER = 5 * BATCH  # a whole number of batches: only whole batches are committed


def count(workspace: Path) -> int:
    try:
        with sqlite3.connect(workspace / "netpatrol.db", timeout=30) as db:
            return int(db.execute("select count(*) from captures").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def netpatrol(
    workspace: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
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
        env=None if env is None else {**os.environ, **env},
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


def interrupt_at_pause(
    workspace: Path, warc: Path, sig: int, marker: Path
) -> tuple[subprocess.Popen[str], int, str]:
    """Signal the import once it has committed ``PAUSE_AFTER`` records and stopped there
    (the ingest's test-only pause point): no race with a fast or a loaded machine.
    Returns the process, how many records it had committed, and its stderr."""
    env = {TEST_PAUSE_ENV: str(PAUSE_AFTER), TEST_PAUSE_MARKER_ENV: str(marker)}
    process = netpatrol(workspace, "ingest", str(warc), env=env)
    deadline = time.monotonic() + 120
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if not marker.exists():
        process.kill()
        _, err = process.communicate(timeout=60)
        raise AssertionError(f"the import never reached its pause point: {err}")
    committed = int(marker.read_text(encoding="utf-8"))
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    return process, committed, err


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
    process, committed, err = interrupt_at_pause(
        workspace, warc, signal.SIGINT, tmp_path / "paused"
    )
    assert process.returncode == 1
    assert committed == PAUSE_AFTER
    partial = count(workspace)
    assert PAUSE_AFTER <= partial < RECORDS, "nothing committed is lost; the rest is to do"
    assert "interrupted: what was stored is kept; run the same command again to resume" in err
    assert "Traceback" not in err
    rerun = netpatrol(workspace, "ingest", str(warc))
    rerun.communicate(timeout=120)
    assert rerun.returncode == 0
    assert count(workspace) == RECORDS and keys_are_unique(workspace)
