"""Quarantine at ingest: an image matching a sensitive bank never reaches disk or database.

Every image here is benign and drawn by the test (coloured shapes); the "sensitive" bank is
made from one of them. After ``ingest`` (and ``scan``) the tests walk every file under the
workspace, inside gzip members too, and dump every table, looking for the image's bytes.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import json
import random
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CliRunner
from helpers import html_page
from PIL import Image, ImageDraw
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SECRET_URL = "https://shop.example/img/secret.jpg"
NEAR_URL = "https://mirror.example/img/secret-copy.jpg"
OTHER_URL = "https://shop.example/img/other.png"
PAGE_URL = "https://shop.example/item/1"


def drawing(seed: int, size: int = 320) -> Image.Image:
    """A benign picture: random coloured rectangles and ellipses on a gradient."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((size, size)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x0, y0 = rng.randrange(size), rng.randrange(size)
        box = (x0, y0, x0 + rng.randrange(20, 120), y0 + rng.randrange(20, 120))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    return image


def encoded(image: Image.Image, fmt: str, **options: int) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


@dataclass(frozen=True)
class Images:
    secret: bytes  # the bank is made from this one
    near: bytes  # the same picture, resized and re-encoded: a near-duplicate
    other: bytes  # unrelated

    @property
    def hidden(self) -> list[bytes]:
        return [self.secret, self.near]


@pytest.fixture(scope="module")
def images() -> Images:
    secret = drawing(1)
    near = encoded(secret.resize((300, 300)), "JPEG", quality=70)
    return Images(encoded(secret, "JPEG", quality=90), near, encoded(drawing(2), "PNG"))


def response(url: str, body: bytes, content_type: str) -> tuple[str, bytes, str]:
    return url, body, content_type


def archive_records(images: Images) -> list[tuple[str, bytes, str]]:
    return [
        response(PAGE_URL, html_page("Item 1", '<img src="/img/secret.jpg">'), "text/html"),
        response(SECRET_URL, images.secret, "image/jpeg"),
        response(OTHER_URL, images.other, "image/png"),
        # No image type: found by its first bytes.
        response(NEAR_URL, images.near, "application/octet-stream"),
    ]


def write_archive(path: Path, records: list[tuple[str, bytes, str]], layout: str) -> Path:
    """``layout``: gzip (one member per record), plain, whole (gzipped at once) or arc."""
    if layout == "arc":
        path.write_bytes(arc_bytes(records))
        return path
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=layout == "gzip")
    for url, body, content_type in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(record)
        request = writer.create_warc_record(
            url,
            "request",
            http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [], is_http_request=True),
        )
        request.rec_headers.add_header(
            "WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID")
        )
        writer.write_record(request)
    data = buffer.getvalue()
    path.write_bytes(gzip.compress(data) if layout == "whole" else data)
    return path


def arc_bytes(records: list[tuple[str, bytes, str]]) -> bytes:
    header = b"1 0 netpatrol-test\nURL IP-address Archive-date Content-type Archive-length\n"
    out = b"filedesc://test.arc 0.0.0.0 20240614070159 text/plain %d\n" % len(header)
    out += header + b"\n"
    for url, body, content_type in records:
        block = b"HTTP/1.0 200 OK\r\nContent-Type: %s\r\n\r\n" % content_type.encode() + body
        out += b"%s 192.0.2.1 20240614070159 %s %d\n" % (
            url.encode(),
            content_type.encode(),
            len(block),
        )
        out += block + b"\n"
    return out


def sensitive_bank(
    workspace: Path, tmp_path: Path, cli: CliRunner, image: bytes, kind: str
) -> None:
    picture = tmp_path / "bank-source.jpg"
    picture.write_bytes(image)
    computed = cli("-w", workspace, "hashes", "compute", picture)
    assert computed.code == 0, computed.err
    value = json.loads(computed.out.splitlines()[0])[kind]
    picture.unlink()  # the bank holds hashes, never the picture
    bank_file = tmp_path / "bank.txt"
    bank_file.write_text(value + "\n")
    result = cli(
        "-w", workspace, "hashes", "import", "secret", bank_file, "--kind", kind, "--sensitive"
    )
    assert result.code == 0, result.err


# --- where bytes could hide ---------------------------------------------------------------


def needles(secret: bytes) -> list[bytes]:
    """Pieces of the image as they could be stored: raw, hex, base64 (three alignments)."""
    middle = len(secret) // 2
    pieces = [secret[middle : middle + 48], secret[3 * len(secret) // 4 :][:48]]
    found = list(pieces)
    for piece in pieces:
        found += [piece.hex().encode(), piece.hex().upper().encode()]
    for shift in range(3):
        found.append(base64.b64encode(secret[middle + shift : middle + shift + 48]))
    return found


def inflated(data: bytes) -> Iterator[bytes]:
    """The decompressed bytes of every gzip member found in ``data``."""
    start = data.find(b"\x1f\x8b")
    while start >= 0:
        inflater = zlib.decompressobj(wbits=31)
        with contextlib.suppress(zlib.error):
            yield inflater.decompress(data[start:])
        start = data.find(b"\x1f\x8b", start + 1)


def leaks(workspace: Path, secrets: list[bytes]) -> list[str]:
    wanted = [needle for secret in secrets for needle in needles(secret)]
    found: list[str] = []
    for path in sorted(p for p in workspace.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for text in [data, *inflated(data)]:
            if any(needle in text for needle in wanted):
                found.append(str(path.relative_to(workspace)))
                break
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        dump = "\n".join(db.iterdump()).encode("utf-8", "surrogateescape")
    if any(needle in dump for needle in wanted):
        found.append("database dump")
    return found


def rows(workspace: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        return db.execute(sql).fetchall()


def ingest(workspace: Path, cli: CliRunner, path: Path) -> None:
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 0, result.err + result.out


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["gzip", "plain", "whole", "arc"])
def test_sensitive_images_are_never_written(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images, layout: str
) -> None:
    sensitive_bank(workspace, tmp_path, cli, images.secret, "pdq")
    archive = write_archive(tmp_path / f"crawl.{layout}", archive_records(images), layout)
    ingest(workspace, cli, archive)
    assert leaks(workspace, images.hidden) == []
    assert leaks(workspace, [images.other]) != []  # the search does find what is kept

    quarantined = rows(
        workspace,
        "SELECT url, payload_sha256, scanned_at IS NOT NULL FROM captures "
        "WHERE record_type = 'quarantined' ORDER BY url",
    )
    assert quarantined == [
        (NEAR_URL, sha256(images.near), 1),
        (SECRET_URL, sha256(images.secret), 1),
    ]
    image_rows = rows(
        workspace,
        "SELECT url, sha256, md5, pdq IS NOT NULL, phash IS NOT NULL, width, quarantined "
        "FROM images ORDER BY url",
    )
    assert image_rows == [
        (NEAR_URL, sha256(images.near), md5(images.near), 1, 1, 300, 1),
        (SECRET_URL, sha256(images.secret), md5(images.secret), 1, 1, 320, 1),
    ]
    match_rows = rows(
        workspace,
        "SELECT image_url, image_sha256, distance, quarantined FROM matches ORDER BY image_url",
    )
    assert [(u, s, q) for u, s, _, q in match_rows] == [
        (NEAR_URL, sha256(images.near), 1),
        (SECRET_URL, sha256(images.secret), 1),
    ]
    assert match_rows[1][2] == 0 and 0 < int(str(match_rows[0][2])) <= 31

    # The unrelated image and the page are kept as usual.
    kept = rows(workspace, "SELECT url FROM captures WHERE record_type = 'response' ORDER BY url")
    assert kept == [(OTHER_URL,), (PAGE_URL,)]

    verified = cli("-w", workspace, "verify")
    assert verified.code == 0, verified.err
    assert "4 captures and 1 source files checked" in verified.out

    scanned = cli("-w", workspace, "scan")
    assert scanned.code == 0, scanned.err
    assert leaks(workspace, images.hidden) == []


@pytest.mark.parametrize("layout", ["gzip", "plain"])
def test_the_sanitized_copy_differs_only_by_the_replaced_records(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images, layout: str
) -> None:
    sensitive_bank(workspace, tmp_path, cli, images.secret, "pdq")
    archive = write_archive(tmp_path / f"crawl.{layout}", archive_records(images), layout)
    ingest(workspace, cli, archive)
    [(source_sha, evidence_file)] = rows(workspace, "SELECT sha256, evidence_file FROM sources")
    assert source_sha == sha256(archive.read_bytes())  # what was received
    copy = workspace / "evidence" / str(evidence_file)
    assert copy.name.startswith(sha256(copy.read_bytes()) + ".sanitized.warc")
    assert not (workspace / "evidence" / "sources" / f"{source_sha}.warc.gz").exists()

    original = records_of(archive.read_bytes())
    sanitized = records_of(copy.read_bytes())
    assert len(original) == len(sanitized)
    replaced = 0
    for before, after in zip(original, sanitized, strict=True):
        if before.url in (SECRET_URL, NEAR_URL) and before.kind == "response":
            replaced += 1
            assert after.kind == "metadata"
            assert after.headers["WARC-Refers-To"] == before.headers["WARC-Record-ID"]
            assert after.headers["WARC-Target-URI"] == before.url
            assert after.headers["Content-Type"] == "application/json"
            body = json.loads(after.body)
            assert body["quarantined"] is True
            assert {"md5", "sha256", "pdq", "phash", "bank", "distance"} <= set(body)
            assert body["bank"] == "secret"
        else:
            assert after.raw == before.raw  # byte for byte
    assert replaced == 2


@dataclass(frozen=True)
class RawRecord:
    kind: str
    url: str | None
    headers: dict[str, str]
    body: bytes
    raw: bytes


def records_of(data: bytes) -> list[RawRecord]:
    found: list[RawRecord] = []
    iterator = ArchiveIterator(io.BytesIO(data), ensure_http_headers=False)
    for record in iterator:
        body = record.content_stream().read()
        iterator.read_to_end()
        offset, length = iterator.get_record_offset(), iterator.get_record_length()
        headers = dict(record.rec_headers.headers)
        found.append(
            RawRecord(
                record.rec_type,
                headers.get("WARC-Target-URI"),
                headers,
                body,
                data[offset : offset + length],
            )
        )
    return found


def test_a_second_ingest_stores_nothing_new(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images
) -> None:
    sensitive_bank(workspace, tmp_path, cli, images.secret, "pdq")
    archive = write_archive(tmp_path / "crawl.warc.gz", archive_records(images), "gzip")
    ingest(workspace, cli, archive)
    tables = ("captures", "images", "matches", "sources")
    before = {t: rows(workspace, f"SELECT COUNT(*) FROM {t}") for t in tables}
    ingest(workspace, cli, archive)
    assert {t: rows(workspace, f"SELECT COUNT(*) FROM {t}") for t in tables} == before


def test_an_interrupted_import_resumes_onto_the_same_copy(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images
) -> None:
    sensitive_bank(workspace, tmp_path, cli, images.secret, "pdq")
    archive = write_archive(tmp_path / "crawl.warc.gz", archive_records(images), "gzip")
    ingest(workspace, cli, archive)
    # As if the run had stopped after storing only the first page.
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        db.execute("DELETE FROM matches")
        db.execute("DELETE FROM images")
        db.execute("DELETE FROM captures WHERE url != ?", (PAGE_URL,))
        db.execute("UPDATE sources SET status = 'running'")
    ingest(workspace, cli, archive)
    assert rows(workspace, "SELECT status FROM sources") == [("complete",)]
    assert rows(workspace, "SELECT COUNT(*) FROM captures") == [(4,)]
    assert rows(workspace, "SELECT COUNT(*) FROM images WHERE quarantined") == [(2,)]
    assert rows(workspace, "SELECT COUNT(*) FROM matches") == [(2,)]
    assert len(list((workspace / "evidence" / "sources").iterdir())) == 1
    assert cli("-w", workspace, "verify").code == 0
    assert leaks(workspace, images.hidden) == []


def test_verify_detects_tampering_with_the_sanitized_copy(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images
) -> None:
    sensitive_bank(workspace, tmp_path, cli, images.secret, "pdq")
    archive = write_archive(tmp_path / "crawl.warc", archive_records(images), "plain")
    ingest(workspace, cli, archive)
    [(evidence_file,)] = rows(workspace, "SELECT evidence_file FROM sources")
    copy = workspace / "evidence" / str(evidence_file)
    copy.chmod(0o644)
    data = bytearray(copy.read_bytes())
    at = data.find(b'"quarantined":true')
    data[at + 1 : at + 12] = b"Quarantined"  # the replacement record edited
    copy.write_bytes(bytes(data))
    result = cli("-w", workspace, "verify")
    assert result.code == 1
    assert "(file was altered)" in result.err
    assert "not a record of a quarantined image" in result.err


def test_verify_detects_a_changed_quarantined_digest(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images
) -> None:
    sensitive_bank(workspace, tmp_path, cli, images.secret, "pdq")
    ingest(workspace, cli, write_archive(tmp_path / "c.warc.gz", archive_records(images), "gzip"))
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        db.execute("UPDATE captures SET payload_sha256 = ? WHERE url = ?", ("0" * 64, SECRET_URL))
    result = cli("-w", workspace, "verify")
    assert result.code == 1
    assert f"({SECRET_URL}): payload SHA-256 mismatch" in result.err


def test_an_exact_bank_quarantines_only_the_same_bytes(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images
) -> None:
    sensitive_bank(workspace, tmp_path, cli, images.secret, "md5")
    ingest(workspace, cli, write_archive(tmp_path / "c.warc.gz", archive_records(images), "gzip"))
    assert leaks(workspace, [images.secret]) == []
    assert rows(workspace, "SELECT url FROM captures WHERE record_type = 'quarantined'") == [
        (SECRET_URL,)
    ]
    # Its PDQ and pHash are still computed for the images row.
    assert rows(workspace, "SELECT pdq IS NOT NULL, phash IS NOT NULL FROM images") == [(1, 1)]
    assert cli("-w", workspace, "verify").code == 0


def test_without_sensitive_banks_the_archive_is_kept_verbatim(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images
) -> None:
    bank_file = tmp_path / "bank.txt"
    bank_file.write_text(md5(images.secret) + "\n")
    assert cli("-w", workspace, "hashes", "import", "plain", bank_file, "--kind", "md5").code == 0
    archive = write_archive(tmp_path / "crawl.warc.gz", archive_records(images), "gzip")
    ingest(workspace, cli, archive)
    sha = sha256(archive.read_bytes())
    kept = workspace / "evidence" / "sources" / f"{sha}.warc.gz"
    assert kept.read_bytes() == archive.read_bytes()
    assert rows(workspace, "SELECT COUNT(*) FROM captures WHERE record_type = 'response'") == [(4,)]


def test_with_a_sensitive_bank_and_no_match_the_archive_is_kept_verbatim(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images
) -> None:
    sensitive_bank(workspace, tmp_path, cli, encoded(drawing(7), "JPEG"), "pdq")
    archive = write_archive(tmp_path / "crawl.warc.gz", archive_records(images), "gzip")
    ingest(workspace, cli, archive)
    sha = sha256(archive.read_bytes())
    assert (workspace / "evidence" / "sources" / f"{sha}.warc.gz").read_bytes() == (
        archive.read_bytes()
    )
    assert rows(workspace, "SELECT COUNT(*) FROM images") == [(0,)]


def test_bytes_after_a_fault_are_not_kept(
    workspace: Path, tmp_path: Path, cli: CliRunner, images: Images
) -> None:
    """A truncated record cannot be screened: neither it nor anything after it is kept."""
    sensitive_bank(workspace, tmp_path, cli, images.secret, "pdq")
    records = archive_records(images)
    whole = write_archive(tmp_path / "whole.warc", [records[0], records[1]], "plain")
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    # The page, then a record of an unbanked image cut short: unreadable, so unscreened.
    tail = write_archive(tmp_path / "tail.warc", [records[2]], "plain").read_bytes()
    cut.write_bytes(data + tail[: len(tail) // 2])
    result = cli("-w", workspace, "ingest", cut)
    assert result.code == 1
    assert "could not be screened for sensitive images" in result.err
    assert leaks(workspace, [images.secret]) == []
    [(evidence_file,)] = rows(workspace, "SELECT evidence_file FROM sources")
    kept = (workspace / "evidence" / str(evidence_file)).read_bytes()
    assert tail[len(tail) // 2 - 64 : len(tail) // 2] not in kept
    assert rows(workspace, "SELECT status FROM sources") == [("failed",)]
    assert rows(workspace, "SELECT url FROM captures ORDER BY url") == [(SECRET_URL,), (PAGE_URL,)]


def sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def md5(data: bytes) -> str:
    import hashlib

    return hashlib.md5(data).hexdigest()
