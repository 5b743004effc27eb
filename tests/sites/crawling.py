"""Helpers for crawl tests: run ``netpatrol crawl`` in a subprocess, read captures."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--delay", "0", "--no-autothrottle", "--progress-interval", "60", "--backoff", "0.05"]


@dataclass
class Crawled:
    code: int
    out: str
    err: str

    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data


def crawl_env(allow_private: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETPATROL_")}
    if allow_private:
        env["NETPATROL_ALLOW_PRIVATE_NETWORKS"] = "1"
    return env


def crawl_command(workspace: Path, *args: str, as_json: bool = True) -> list[str]:
    return [sys.executable, "-m", "sites.run_cli", "-w", str(workspace), "crawl",
            *args, *(["--json"] if as_json else [])]  # fmt: skip


def run_crawl(
    workspace: Path, *args: str, allow_private: bool = True, as_json: bool = True
) -> Crawled:
    done = subprocess.run(
        crawl_command(workspace, *args, as_json=as_json), cwd=ROOT / "tests",
        env=crawl_env(allow_private),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return Crawled(done.returncode, done.stdout, done.stderr)


def captured(workspace: Path) -> list[tuple[str, int]]:
    """(url, status) of every capture, in order."""
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        rows = db.execute("SELECT url, http_status FROM captures ORDER BY id").fetchall()
    return [(str(url), int(status)) for url, status in rows]
