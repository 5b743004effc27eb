"""Shared fixtures: workspaces, the CLI run in-process, sample WARC builders."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

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


def html_page(title: str, body: str = "", canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{link}"
        f"</head><body><h1>{title}</h1><p>{body}</p></body></html>"
    ).encode()


def write_warc(
    path: Path,
    pages: Iterable[tuple[str, bytes]],
    *,
    gzip: bool = True,
    with_requests: bool = True,
) -> list[bytes]:
    """A WARC of response records (and their request records); returns the payloads."""
    payloads: list[bytes] = []
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for url, body in pages:
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http
            )
            writer.write_record(record)
            payloads.append(body)
            if with_requests:
                request = writer.create_warc_record(
                    url,
                    "request",
                    http_headers=StatusAndHeaders(
                        f"GET {url} HTTP/1.1", [("User-Agent", "netpatrol-test")],
                        is_http_request=True,
                    ),
                )
                request.rec_headers.add_header(
                    "WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID")
                )
                writer.write_record(request)
    return payloads


# Store fixtures (store_url, store, postgres_url: SQLite and a real PostgreSQL server).
pytest_plugins = ["store_fixtures"]
