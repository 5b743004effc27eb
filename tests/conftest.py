"""Shared fixtures: workspaces and the CLI run in-process."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from netpatrol.cli import main

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


CliRunner = Callable[..., CliResult]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Run ``netpatrol ARGS`` in-process and return exit code, stdout and stderr."""
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def workspace(tmp_path: Path, cli: CliRunner) -> Path:
    """An initialised workspace folder."""
    root = tmp_path / "ws"
    result = cli("init", root)
    assert result.code == 0, result.err
    return root


# Store fixtures (store_url, store, postgres_url: SQLite and a real PostgreSQL server).
pytest_plugins = ["store_fixtures"]
