"""Bad input through the CLI: empty, binary, truncated and odd files, odd paths, broken
workspaces, Ctrl-C.

The rule under test: bad input gets a clear error that names the file, record or field
and what was expected; nothing already stored is lost; a crash or Ctrl-C resumes without
duplicates; exit codes 0 ok, 1 error, 2 usage. Each case was first written as a
failing test from an audit of the CLI, then fixed.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from conftest import CliRunner
from helpers import html_page, stored_ads, write_warc

from netpatrol.cli import main
from netpatrol.collect.base import ImportOptions, SourceFile
from netpatrol.collect.ingest import TEST_PAUSE_ENV, TEST_PAUSE_MARKER_ENV
from netpatrol.collect.json_ads import MAX_DEPTH, JsonImporter
from netpatrol.errors import InputError

# --- helpers ------------------------------------------------------------------------------


def query(workspace: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        return list(db.execute(sql).fetchall())


def count(workspace: Path, where: str = "1") -> int:
    return int(str(query(workspace, f"select count(*) from captures where {where}")[0][0]))


def pages(n: int, host: str = "shop.example.org") -> list[tuple[str, bytes]]:
    return [
        (f"https://{host}/item/{i}", html_page(f"Item {i}", f"body {i} " * 40)) for i in range(n)
    ]


def plain_warc(path: Path, n: int) -> bytes:
    """An uncompressed WARC of ``n`` response records; returns its bytes."""
    write_warc(path, pages(n), gzip=False, with_requests=False)
    return path.read_bytes()


def record_starts(data: bytes) -> list[int]:
    return [m.start() for m in re.finditer(rb"WARC/1\.[01]\r\n", data)]


def warc_record(body: bytes, content_length: str | None = None, uri: str = "x") -> bytes:
    """One uncompressed WARC response record, with the Content-Length given (else right)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    length = str(len(http)) if content_length is None else content_length
    head = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{zlib.crc32(body):012d}>\r\n"
        "WARC-Date: 2024-01-01T00:00:00Z\r\n"
        f"WARC-Target-URI: https://w.example.org/{uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def csv_file(path: Path, rows: int = 2, start: int = 0) -> Path:
    lines = ["title,price,url"]
    lines += [f"Item {i},{i}.50,https://ads.example.org/{i}" for i in range(start, start + rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def verify_ok(workspace: Path, cli: CliRunner) -> None:
    result = cli("-w", workspace, "verify")
    assert result.code == 0, result.err
    assert "verify ok" in result.out


# --- empty and binary files -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "empty.warc.gz",
        "empty.warc",
        "empty.html",
        "empty.csv",
        "empty.json",
        "empty.jsonl",
        "gzip-of-nothing.warc.gz",
        "gzip-of-nothing.csv.gz",
    ],
)
def test_empty_file_is_called_empty(
    workspace: Path, tmp_path: Path, cli: CliRunner, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"", mtime=0) if name.startswith("gzip-of") else b"")
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}: empty file" in result.err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("blank.csv", b"\n\r\n  \n"),
        ("bom.csv", b"\xef\xbb\xbf"),
        ("blank.csv.gz", gzip.compress(b"\n\n", mtime=0)),
        ("blank.json", b" \n"),
        ("bom.json", b"\xef\xbb\xbf\n"),
        ("blank.jsonl", b"\n\n\n"),
    ],
)
def test_blank_export_is_called_empty(
    workspace: Path, tmp_path: Path, cli: CliRunner, name: str, content: bytes
) -> None:
    # Not empty to the registry (it has bytes), empty to the importer its name points to.
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}: empty file" in result.err


@pytest.mark.parametrize(
    "fmt",
    [
        "warc",
        "html",
        "csv",
        "json",
    ],
)
def test_forced_format_on_an_empty_file_is_an_error(
    workspace: Path, tmp_path: Path, cli: CliRunner, fmt: str
) -> None:
    path = tmp_path / "empty.dat"
    path.write_bytes(b"")
    result = cli("-w", workspace, "ingest", "--format", fmt, path)
    assert result.code == 1
    assert f"error: {path}: empty file" in result.err
    assert count(workspace) == 0


def test_random_binary_is_an_unknown_format(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    noise = random.Random(7).randbytes(50_000)
    raw = tmp_path / "random.csv"
    raw.write_bytes(noise)
    zipped = tmp_path / "random.warc.gz"
    zipped.write_bytes(gzip.compress(noise))
    result = cli("-w", workspace, "ingest", raw, zipped)
    assert result.code == 1
    assert f"error: {raw}: unknown format; supported formats: warc (" in result.err
    assert f"error: {zipped}: unknown format; supported formats: warc (" in result.err
    assert count(workspace) == 0


def test_csv_with_a_nul_byte_names_the_row(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"title,price\nA\x00B,1\nC,2\n")
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}, line 2, column 'title': a NUL byte" in result.err
    assert count(workspace) == 1


# --- folders, links and special files -------------------------------------------------------


def test_empty_folder_says_nothing_was_found(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    folder = tmp_path / "nothing-here"
    folder.mkdir()
    result = cli("-w", workspace, "ingest", folder)
    assert result.code == 1
    assert str(folder) in result.err


def test_nested_folder_with_symlinks_loops_and_dangling_links(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    tree = tmp_path / "tree"
    (tree / "a" / "b").mkdir(parents=True)
    (tree / "c").mkdir()
    (tree / ".hidden").mkdir()
    write_warc(tree / "a" / "crawl.warc.gz", pages(3), with_requests=False)
    (tree / "a" / "b" / "page.html").write_bytes(
        html_page("Page", canonical="https://x.example.com/p")
    )
    csv_file(tree / "a" / "b" / "ads.csv")
    (tree / "c" / "ads.jsonl").write_text(
        '{"title": "A", "url": "https://j.example/1"}\n{"title": "B"}\n', encoding="utf-8"
    )
    (tree / "c" / "notes.txt").write_text("just notes\n", encoding="utf-8")
    csv_file(tree / ".hidden" / "secret.csv", start=100)
    (tree / "ads_link.csv").symlink_to(Path("a") / "b" / "ads.csv")  # same file twice
    (tree / "c" / "loop").symlink_to(Path(".."), target_is_directory=True)  # folder loop
    (tree / "c" / "self.csv").symlink_to("self.csv")  # link loop
    dangling = tree / "c" / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")

    result = cli("-w", workspace, "ingest", "--json", tree)

    assert result.code == 1  # the broken links are errors
    report = result.json()
    assert isinstance(report, dict)
    errors = [error for f in report["files"] for error in f["errors"]]
    assert errors == [f"{dangling}: no such file", f"{tree / 'c' / 'self.csv'}: no such file"]
    statuses = {Path(f["path"]).relative_to(tree).as_posix(): f["status"] for f in report["files"]}
    assert statuses == {
        "ads_link.csv": "imported",
        "a/crawl.warc.gz": "imported",
        "a/b/ads.csv": "imported",  # read again, its rows are duplicates
        "a/b/page.html": "imported",
        "c/ads.jsonl": "imported",
        "c/dangling.csv": "failed",
        "c/notes.txt": "skipped",
        "c/self.csv": "failed",
    }
    assert count(workspace) == 3 + 1 + 2 + 2  # hidden folder and the loop are not followed
    verify_ok(workspace, cli)


def test_unreadable_subfolder_is_an_error(
    workspace: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "exports"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    csv_file(folder / "ok.csv")
    csv_file(locked / "hidden-from-us.csv", start=10)
    real_scandir = os.scandir

    def scandir(path: str = ".") -> object:  # as chmod 000 does for a non-root user
        if os.fspath(path) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli("-w", workspace, "ingest", folder)
    assert result.code == 1
    assert str(locked) in result.err
    assert "Permission denied" in result.err
    assert count(workspace) == 2


def test_fifo_is_refused_not_waited_on(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    codes: list[int] = []
    args = ["-w", str(workspace), "ingest", str(fifo)]
    thread = threading.Thread(target=lambda: codes.append(main(args)), daemon=True)
    capsys.readouterr()
    thread.start()
    thread.join(2)
    hung = thread.is_alive()
    deadline = time.monotonic() + 10
    while thread.is_alive() and time.monotonic() < deadline:  # let a hung reader go
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            time.sleep(0.01)
            continue
        os.close(fd)
        time.sleep(0.01)
    err = capsys.readouterr().err
    assert not hung, "ingest of a FIFO is still waiting after 2 s"
    assert codes == [1]
    assert f"error: {fifo}: " in err
    assert "regular file" in err


def test_device_is_refused(workspace: Path, cli: CliRunner) -> None:
    result = cli("-w", workspace, "ingest", "--format", "html", "/dev/null")
    assert result.code == 1
    assert "error: /dev/null: " in result.err
    assert count(workspace) == 0


# --- odd paths ------------------------------------------------------------------------------


def test_file_name_that_is_not_utf8(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    csv_file(folder / "a.csv")
    csv_file(folder / os.fsdecode(b"caf\xe9.csv"), start=10)
    result = cli("-w", workspace, "ingest", folder)
    assert result.code == 0, result.err
    assert count(workspace) == 4


def test_empty_path_argument_is_refused(
    workspace: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    csv_file(cwd / "unrelated.csv")
    monkeypatch.chdir(cwd)
    result = cli("-w", workspace, "ingest", "")
    assert result.code in (1, 2)
    assert count(workspace) == 0


def test_same_file_twice_on_one_command_line_is_stored_once(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    ads = csv_file(tmp_path / "ads.csv")
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages(2))
    result = cli("-w", workspace, "ingest", "--json", ads, warc, ads, warc)
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict)
    assert report["stored"] == 4
    assert [f["stored"] for f in report["files"]] == [2, 2, 0, 0]
    assert count(workspace) == 4
    assert len(query(workspace, "select id from sources")) == 2
    verify_ok(workspace, cli)


def test_workspace_folder_is_not_imported_into_itself(workspace: Path, cli: CliRunner) -> None:
    csv_file(workspace / "ads.csv")
    assert cli("-w", workspace, "ingest", workspace).code == 0
    assert cli("-w", workspace, "ingest", workspace).code == 0
    assert count(workspace) == 2


# --- CSV --------------------------------------------------------------------------------------


def test_csv_utf16_without_bom(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    text = "title,price,seller\nChouette effraie,120 €,Zoë\nBat,10,Jean\n"
    for name, codec in (("le.csv", "utf-16-le"), ("be.csv", "utf-16-be")):
        (tmp_path / name).write_bytes(text.encode(codec))
    result = cli("-w", workspace, "ingest", tmp_path / "le.csv", tmp_path / "be.csv")
    assert result.code == 0, result.err
    titles = sorted(ad["fields"]["title"] for ad in stored_ads(workspace))
    assert titles == ["Bat", "Chouette effraie"]  # both files hold the same two ads
    sellers = sorted(ad["fields"]["seller"] for ad in stored_ads(workspace))
    assert sellers == ["Jean", "Zoë"]


def test_csv_with_only_a_header(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    path = tmp_path / "header.csv"
    path.write_text("title,price,url\n", encoding="utf-8")
    result = cli("-w", workspace, "ingest", "--json", path)
    assert result.code == 0, result.err
    assert result.json() == {
        "ok": True,
        "stored": 0,
        "files": [
            {
                "path": str(path),
                "format": "csv",
                "status": "imported",
                "stored": 0,
                "duplicates": 0,
                "errors": [],
            }
        ],
    }


def test_csv_field_over_the_limit_names_its_line_and_keeps_the_rest(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    path = tmp_path / "huge.csv"
    path.write_text(
        'title,description\nBig,"' + "x" * (17 << 20) + '"\nSmall,fine\n', encoding="utf-8"
    )
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}, line 2: a field is too long" in result.err
    assert [ad["fields"]["title"] for ad in stored_ads(workspace)] == ["Small"]


@pytest.mark.parametrize(
    ("encoding", "named"), [("utf-16", "utf-16"), ("rot13", "rot"), ("idna", "idna")]
)
def test_csv_encoding_option_never_crashes(
    workspace: Path, tmp_path: Path, cli: CliRunner, encoding: str, named: str
) -> None:
    path = csv_file(tmp_path / "ads.csv")
    result = cli("-w", workspace, "ingest", "--encoding", encoding, path)
    assert result.code == 1
    assert "error: " in result.err
    assert named in result.err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le", "utf-16-be"])
def test_csv_encoding_option_reads_utf16_and_utf32(
    workspace: Path, tmp_path: Path, cli: CliRunner, encoding: str
) -> None:
    # Each reads text it wrote itself (with a BOM for utf-16 and utf-32): not refused as
    # "not a text encoding" because a lone ASCII byte does not decode as it.
    path = tmp_path / "ads.csv"
    path.write_bytes("title,price\nCafé,1\nB,2\n".encode(encoding))
    result = cli("-w", workspace, "ingest", "--encoding", encoding, path)
    assert result.code == 0, result.err
    assert sorted(ad["fields"]["title"] for ad in stored_ads(workspace)) == ["B", "Café"]


def test_csv_utf16_without_a_bom_names_the_line(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    path = csv_file(tmp_path / "ads.csv")
    result = cli("-w", workspace, "ingest", "--encoding", "utf-16", path)
    assert result.code == 1
    assert f"error: {path}, line 1: cannot decode as utf-16" in result.err


def test_csv_unknown_encoding(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    path = csv_file(tmp_path / "ads.csv")
    result = cli("-w", workspace, "ingest", "--encoding", "nosuch-enc", path)
    assert result.code == 1
    assert f"error: {path}: unknown encoding 'nosuch-enc'" in result.err


# --- JSON -------------------------------------------------------------------------------------


def test_json_top_level_number_says_what_was_expected(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    path = tmp_path / "number.json"
    path.write_text("42\n", encoding="utf-8")
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert "unknown format" not in result.err
    assert f"error: {path}" in result.err
    assert "expected an object" in result.err


def test_json_top_level_number_with_format(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    path = tmp_path / "number.json"
    path.write_text("42\n", encoding="utf-8")
    result = cli("-w", workspace, "ingest", "--format", "json", path)
    assert result.code == 1
    assert f"error: {path}: record 1 is a number, expected an object" in result.err


def test_json_truncated_inside_the_array_keeps_the_records_before(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    path = tmp_path / "cut.json"
    path.write_text(
        '[{"title": "A", "url": "https://a.example/1"}, {"title": "B"}, {"title": "C", "ur',
        encoding="utf-8",
    )
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}: record 3: invalid JSON" in result.err
    assert [ad["fields"]["title"] for ad in stored_ads(workspace)] == ["A", "B"]
    again = cli("-w", workspace, "ingest", path)  # a failed file is read again, nothing twice
    assert again.code == 1
    assert count(workspace) == 2


def test_jsonl_with_bom_and_blank_lines(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    path = tmp_path / "ads.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"title": "A"}\n\n{"title": "B"}\r\n   \n{"title": "C"}\n\n')
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 0, result.err
    assert sorted(ad["fields"]["title"] for ad in stored_ads(workspace)) == ["A", "B", "C"]


@pytest.mark.parametrize("name", ["deep.jsonl", "deep.json", "wrapped.json"])
def test_json_nested_too_deep_is_a_record_error(
    workspace: Path, tmp_path: Path, cli: CliRunner, name: str
) -> None:
    deep = "[" * 3000 + "]" * 3000
    path = tmp_path / name
    if name.endswith(".jsonl"):
        path.write_text('{"title": "ok"}\n{"title": ' + deep + "}\n", encoding="utf-8")
        where = f"error: {path}, line 2: record 2 nests deeper than {MAX_DEPTH} levels"
    else:
        records = '[{"title": "ok"}, {"title": ' + deep + "}]"
        path.write_text(
            records if name == "deep.json" else '{"ads": ' + records + "}", encoding="utf-8"
        )
        where = f"error: {path}: record 2 nests deeper than {MAX_DEPTH} levels"
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert where in result.err
    assert count(workspace) == 1


def test_json_nested_too_deep_costs_no_memory(tmp_path: Path) -> None:
    # ijson's prefixed events spell out the path of every value, ahead of the value asked
    # for: 5,000 levels cost 60 MB that way (100,000 levels, 200 KB of JSON, 10 GB).
    depth = 5000
    path = tmp_path / "deep.json"
    path.write_text('[{"title": "ok"}, {"t": ' + "[" * depth + "]" * depth + "}]")
    items: list[object] = []
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="record 2 nests deeper"):
            items.extend(JsonImporter().records(SourceFile(path, path), ImportOptions()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(items) == 1
    assert peak < 8 << 20


@pytest.mark.parametrize("name", ["limit.json", "limit.jsonl"])
def test_json_nesting_limit_counts_from_the_record(
    workspace: Path, tmp_path: Path, cli: CliRunner, name: str
) -> None:
    # The same limit for a record of an array (inside its wrapper) as for a JSONL line.
    at_limit = '{"t": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    over = '{"t": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"
    path = tmp_path / name
    if name.endswith(".jsonl"):
        path.write_text(f"{at_limit}\n{over}\n", encoding="utf-8")
    else:
        path.write_text(f'{{"ads": [{at_limit}, {over}]}}', encoding="utf-8")
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"record 2 nests deeper than {MAX_DEPTH} levels" in result.err
    assert count(workspace) == 1


# --- HTML -------------------------------------------------------------------------------------


def test_latin1_page_with_non_ascii_canonical_link(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    page = (
        '<!DOCTYPE html><html><head><meta charset="iso-8859-1"><title>Café</title>'
        '<link rel="canonical" href="https://boutique.example.fr/café/ivoire-éléphant">'
        "</head><body>Ivoire d'éléphant</body></html>"
    )
    path = tmp_path / "latin1.html"
    path.write_bytes(page.encode("latin-1"))
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 0, result.err
    [(url,)] = query(workspace, "select url from captures")
    assert url in {
        "https://boutique.example.fr/café/ivoire-éléphant",
        "https://boutique.example.fr/caf%C3%A9/ivoire-%C3%A9l%C3%A9phant",
    }


def test_base_url_must_be_an_absolute_url(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(html_page("No canonical link"))
    result = cli("-w", workspace, "ingest", "--base-url", "not a url", path)
    assert result.code in (1, 2)
    assert "--base-url" in result.err
    assert count(workspace) == 0


# --- WARC -------------------------------------------------------------------------------------


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_content_length_beyond_the_end_of_the_file(
    workspace: Path, tmp_path: Path, cli: CliRunner, compressed: bool
) -> None:
    good, bad = warc_record(b"<html>good</html>", uri="good"), warc_record(b"<p>x</p>", "99999")
    path = tmp_path / ("long.warc.gz" if compressed else "long.warc")
    path.write_bytes(gzip.compress(good) + gzip.compress(bad) if compressed else good + bad)
    offset = len(gzip.compress(good)) if compressed else len(good)
    missing = 99999 - (len(bad) - bad.index(b"\r\n\r\n") - 4)
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert (
        f"error: {path}, byte offset {offset}: record is truncated: {missing} bytes of its "
        "declared length are missing"
    ) in result.err
    assert count(workspace) == 1
    verify_ok(workspace, cli)


@pytest.mark.parametrize(
    ("name", "length"), [("nan.warc", "abc"), ("nan.warc.gz", "abc"), ("neg.warc", "-5")]
)
def test_warc_bad_content_length_is_named(
    workspace: Path, tmp_path: Path, cli: CliRunner, name: str, length: str
) -> None:
    records = [
        warc_record(b"<html>good</html>", uri="good"),
        warc_record(b"<html>bad</html>", length, uri="bad"),
        warc_record(b"<html>after</html>", uri="after"),
    ]
    path = tmp_path / name
    if name.endswith(".gz"):
        members = [gzip.compress(r) for r in records]
        path.write_bytes(b"".join(members))
        offset = len(members[0])
    else:
        path.write_bytes(b"".join(records))
        offset = len(records[0])
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}, byte offset {offset}: " in result.err
    assert "Content-Length" in result.err
    assert count(workspace, "payload_length = 0") == 0
    assert count(workspace, "url = 'https://w.example.org/good'") == 1


def test_warc_with_only_warcinfo_and_metadata(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    def record(kind: str, block: bytes) -> bytes:
        head = (
            f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}>\r\n"
            "WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/warc-fields\r\n"
            f"Content-Length: {len(block)}\r\n\r\n"
        )
        return head.encode() + block + b"\r\n\r\n"

    path = tmp_path / "meta.warc.gz"
    path.write_bytes(
        gzip.compress(record("warcinfo", b"software: x\r\n"))
        + gzip.compress(record("metadata", b"outlinks: y\r\n"))
    )
    result = cli("-w", workspace, "ingest", "--json", path)
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict)
    assert [(f["status"], f["stored"]) for f in report["files"]] == [("imported", 0)]
    assert count(workspace) == 0
    verify_ok(workspace, cli)


def test_warc_revisit_of_a_capture_from_an_earlier_ingest(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    original = tmp_path / "monday.warc.gz"
    with original.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        record = writer.create_warc_record(
            "https://shop.example.org/owl",
            "response",
            payload=io.BytesIO(b"<html>owl for sale</html>"),
            http_headers=http,
        )
        writer.write_record(record)
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
    revisit = tmp_path / "tuesday.warc.gz"
    with revisit.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(
            writer.create_revisit_record(
                "https://shop.example.org/owl",
                digest,
                "https://shop.example.org/owl",
                "2024-01-01T00:00:00Z",
                http_headers=http,
            )
        )
    assert cli("-w", workspace, "ingest", original).code == 0
    result = cli("-w", workspace, "ingest", revisit)
    assert result.code == 0, result.err
    rows = query(workspace, "select record_type, payload_sha256, meta from captures order by id")
    assert [r[0] for r in rows] == ["response", "revisit"]
    meta = json.loads(str(rows[1][2]))
    assert meta["revisit_of_sha256"] == rows[0][1]
    assert "revisit_unresolved" not in meta
    verify_ok(workspace, cli)


def test_warc_cut_inside_a_record_header(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    data = plain_warc(tmp_path / "whole.warc", 2)
    second = record_starts(data)[1]
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: second + len(b"WARC/1.0\r\nWARC-Type: response\r\n")])
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}, byte offset {second}: " in result.err
    assert count(workspace) == 1


def test_warc_trailing_junk_is_not_a_capture(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    data = plain_warc(tmp_path / "two.warc", 2)
    path = tmp_path / "junk.warc"
    path.write_bytes(data + b"this is not a warc record\r\n\r\n")
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}, byte offset {len(data)}: " in result.err
    assert count(workspace) == 2


def test_whole_gzip_warc_error_offset_is_meaningful(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    data = plain_warc(tmp_path / "two.warc", 2)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(data + b"junk\r\n\r\nWARC/1.0\r\n"))
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert count(workspace) == 2
    found = re.search(rf"error: {re.escape(str(path))}, byte offset (\d+)", result.err)
    assert found is not None, result.err
    assert int(found.group(1)) < path.stat().st_size or "decompressed" in result.err


def test_whole_gzip_warc_cut_short_keeps_the_complete_records(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    data = plain_warc(tmp_path / "three.warc", 3)
    packed = gzip.compress(data)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(packed[: len(packed) * 9 // 10])
    readable = len(zlib.decompressobj(wbits=31).decompress(path.read_bytes()))
    complete = sum(1 for start in record_starts(data)[1:] if start <= readable)
    assert complete >= 1
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert "truncated" in result.err
    assert count(workspace) == complete


# --- settings and options ---------------------------------------------------------------------


def test_invalid_toml_is_named_by_every_command(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    path = csv_file(tmp_path / "ads.csv")
    toml = workspace / "netpatrol.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "batch_size = [unclosed\n")
    for args in (("ingest", path), ("stats",), ("verify",)):
        result = cli("-w", workspace, *args)
        assert result.code == 1
        assert f"error: {toml}: not valid TOML: " in result.err
        assert "(at line" in result.err
    toml.write_text("batch_size = 10\n", encoding="utf-8")
    assert cli("-w", workspace, "ingest", path).code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "batch_size=0"), "error: --set batch_size: setting batch_size must be positive"),
        (("--set", "batch_size=abc"), "setting batch_size expects an integer, got 'abc'"),
        (("ingest", "--format", "nosuch"), "unknown format 'nosuch'; supported formats: warc"),
        (("ingest", "--map", "nosuchfield=x"), "--map 'nosuchfield=x': unknown field"),
        (("ingest", "--map", "title"), "--map 'title': expected FIELD=COLUMN"),
        (("ingest", "--map", "title=NoSuchCol"), ": --map title=NoSuchCol: no such column"),
    ],
)
def test_bad_settings_and_options_are_named(
    workspace: Path, tmp_path: Path, cli: CliRunner, args: tuple[str, ...], message: str
) -> None:
    path = csv_file(tmp_path / "ads.csv")
    if args[0] == "--set":
        result = cli("-w", workspace, *args, "ingest", path)
    else:
        result = cli("-w", workspace, *args, path)
    assert result.code == 1  # a bad value is an error (1); bad syntax is usage (2)
    assert message in result.err
    assert count(workspace) == 0


def test_forced_format_does_not_turn_other_formats_into_junk(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_warc(folder / "crawl.warc.gz", pages(3))
    csv_file(folder / "ads.csv")
    cli("-w", workspace, "ingest", "--format", "csv", folder)
    assert count(workspace, "record_type = 'ad'") == 2


def test_reingest_with_a_column_map_applies_it(
    workspace: Path, tmp_path: Path, cli: CliRunner
) -> None:
    path = tmp_path / "annonces.csv"
    path.write_text("Nom_annonce;Montant\nChouette;12\n", encoding="utf-8")
    assert cli("-w", workspace, "ingest", path).code == 0
    result = cli("-w", workspace, "ingest", "--map", "title=Nom_annonce,price=Montant", path)
    assert result.code == 0, result.err
    assert "Chouette" in [ad["fields"]["title"] for ad in stored_ads(workspace)]


def test_reingest_after_a_wrong_format(workspace: Path, tmp_path: Path, cli: CliRunner) -> None:
    path = csv_file(tmp_path / "ads.csv")
    wrong = cli("-w", workspace, "ingest", "--format", "html", path)
    assert wrong.code == 1
    assert f"{path}: looks like csv, not html: leave out --format or use --format csv" in wrong.err
    assert cli("-w", workspace, "ingest", path).code == 0
    assert count(workspace, "record_type = 'ad'") == 2


# --- a damaged workspace ----------------------------------------------------------------------


@pytest.mark.parametrize("blocked", ["warc", "sources"])
def test_unwritable_evidence_folder(
    workspace: Path, tmp_path: Path, cli: CliRunner, blocked: str
) -> None:
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages(2))
    ads = csv_file(tmp_path / "ads.csv")
    first, second = (warc, ads) if blocked == "warc" else (ads, warc)
    assert cli("-w", workspace, "ingest", first).code == 0
    # As root, chmod cannot stop a write; a file where the folder should be does.
    (workspace / "evidence" / blocked).write_text("in the way\n")
    result = cli("-w", workspace, "ingest", second)
    assert result.code == 1
    assert str(workspace / "evidence") in result.err
    assert count(workspace) == 2
    verify_ok(workspace, cli)


def test_stats_with_a_file_in_place_of_the_evidence_folder(workspace: Path, cli: CliRunner) -> None:
    (workspace / "evidence").rmdir()
    (workspace / "evidence").write_text("not a folder\n")
    result = cli("-w", workspace, "stats")
    assert result.code in (0, 1)
    if result.code == 1:
        assert str(workspace / "evidence") in result.err


def test_corrupt_database_is_named(workspace: Path, cli: CliRunner) -> None:
    for leftover in workspace.glob("netpatrol.db-*"):
        leftover.unlink()
    (workspace / "netpatrol.db").write_bytes(random.Random(3).randbytes(8192))
    result = cli("-w", workspace, "stats")
    assert result.code == 1
    assert "netpatrol.db" in result.err


# --- Ctrl-C -----------------------------------------------------------------------------------


def test_ctrl_c_during_a_csv_import_then_rerun(workspace: Path, tmp_path: Path) -> None:
    rows, repeated = 4000, 200
    path = tmp_path / "big.csv"
    lines = ["title,price,seller,url"]
    lines += [
        f"Item {i},{i % 500}.99,seller{i % 97},https://ads.example.org/{i}" for i in range(rows)
    ]
    lines += lines[1 : repeated + 1]  # the same ads again: stored once
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "netpatrol.cli", "-w", str(workspace)]
    command += ["--set", "batch_size=100", "ingest", str(path)]

    def stored() -> int:
        try:
            with sqlite3.connect(workspace / "netpatrol.db", timeout=30) as db:
                return int(db.execute("select count(*) from captures").fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    # The ingest's test-only pause point: it stops once 500 rows are committed and says so
    # in the marker file, so the Ctrl-C lands mid-import however fast or busy the machine.
    pause_after, marker = 500, tmp_path / "paused"
    env = {**os.environ, TEST_PAUSE_ENV: str(pause_after), TEST_PAUSE_MARKER_ENV: str(marker)}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    deadline = time.monotonic() + 120
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if not marker.exists():
        process.kill()
        raise AssertionError(f"the import never paused: {process.communicate(timeout=60)[1]}")
    committed = int(marker.read_text(encoding="utf-8"))
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "interrupted: what was stored is kept; run the same command again" in err
    assert "Traceback" not in err
    partial = stored()
    assert committed == pause_after
    assert pause_after <= partial < rows, "the interrupt must land in the middle of the import"

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        total, distinct = db.execute(
            "select count(*), count(distinct key) from captures"
        ).fetchone()
        status = db.execute("select status from sources").fetchall()
    assert total == distinct == rows
    assert status == [("complete",)]
    verify = subprocess.run(
        [sys.executable, "-m", "netpatrol.cli", "-w", str(workspace), "verify"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stderr
