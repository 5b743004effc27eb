"""``scan`` hashes image captures, matches them against banks and ties listings that show
the same photo (re-encoded or resized too) with an ``image_pdq`` identifier."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

from conftest import CliRunner
from PIL import Image, ImageDraw
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def _photo(seed: int, size: tuple[int, int] = (640, 480), quality: int = 90) -> bytes:
    """A benign synthetic 'product photo': gradient background and shapes."""
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 8):
        draw.rectangle([x, 0, x + 8, size[1]], fill=((x * seed) % 255, (x * 3) % 255, 120))
    for i in range(6):
        box = [(37 * i * seed) % size[0], (53 * i + seed * 11) % size[1]]
        draw.ellipse(
            [*box, box[0] + 120, box[1] + 90], fill=(20 * i, 200 - 20 * i, seed * 30 % 255)
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _resized(jpeg: bytes, factor: float) -> bytes:
    image = Image.open(io.BytesIO(jpeg))
    out = io.BytesIO()
    image.resize((int(image.width * factor), int(image.height * factor))).save(
        out, "JPEG", quality=60
    )
    return out.getvalue()


def _warc(path: Path, records: list[tuple[str, str, bytes]]) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, content_type, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            )


def _page(title: str, image_url: str, price: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f'<img src="{image_url}"><span class="price">{price}</span>'
        "<p>Stuffed hawk, real taxidermy, ships worldwide.</p></body></html>"
    ).encode()


def test_scan_hashes_images_and_ties_listings_that_share_a_photo(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    photo, other = _photo(3), _photo(7)
    archive = tmp_path / "shops.warc.gz"
    _warc(
        archive,
        [
            (
                "https://shop-a.example.fr/p/1",
                "text/html",
                _page("Faucon naturalisé", "/img/1.jpg", "300 €"),
            ),
            ("https://shop-a.example.fr/img/1.jpg", "image/jpeg", photo),
            # The same photo, resized and re-encoded, on another site, after its page.
            (
                "https://shop-b.example.de/item/9",
                "text/html",
                _page("Präparierter Falke", "https://cdn.example.de/9.jpg", "280 €"),
            ),
            ("https://cdn.example.de/9.jpg", "image/jpeg", _resized(photo, 0.5)),
            ("https://shop-c.example.it/x", "text/html", _page("Lampada", "/lamp.jpg", "40 €")),
            ("https://shop-c.example.it/lamp.jpg", "image/jpeg", other),
            ("https://shop-c.example.it/broken.jpg", "image/jpeg", b"\xff\xd8\xff not really"),
        ],
    )
    bank = tmp_path / "known.txt"
    computed = tmp_path / "photo.jpg"
    computed.write_bytes(photo)
    pdq = json.loads(cli("hashes", "compute", computed).out)["pdq"]
    bank.write_text(pdq + "\n", "utf-8")
    assert cli("-w", workspace, "hashes", "import", "known", bank).code == 0
    assert cli("-w", workspace, "ingest", archive).code == 0

    result = cli("-w", workspace, "--set", "progress=false", "scan")
    assert result.code == 0, result.err
    assert "4 images (2 bank matches)" in result.out

    with sqlite3.connect(workspace / "netpatrol.db") as db:
        images = db.execute(
            "select url, pdq, pdq_cluster, error from images order by id"
        ).fetchall()
        shared = db.execute(
            "select count(distinct m.listing_id) from identifiers i "
            "join identifier_mentions m on m.identifier_id = i.id "
            "where i.kind = 'image_pdq' group by i.id order by 1 desc"
        ).fetchall()
        matched = {row[0] for row in db.execute("select image_url from matches")}
        # Linking finds the listings that show a photo through this indexed table.
        shown = set(
            db.execute(
                "select c.url, li.url from listing_images li join listings l"
                " on l.id = li.listing_id join captures c on c.id = l.capture_id"
            )
        )
    by_url = {url: (p, cluster, error) for url, p, cluster, error in images}
    assert (
        by_url["https://shop-a.example.fr/img/1.jpg"][1]
        == by_url["https://cdn.example.de/9.jpg"][1]
    )
    assert (
        by_url["https://shop-c.example.it/lamp.jpg"][1]
        != by_url["https://shop-a.example.fr/img/1.jpg"][1]
    )
    assert by_url["https://shop-c.example.it/broken.jpg"][2]  # named, not a crash
    assert ("https://shop-b.example.de/item/9", "https://cdn.example.de/9.jpg") in shown
    assert shared[0] == (2,)  # one image_pdq identifier shows on both shops' listings
    assert matched == {"https://shop-a.example.fr/img/1.jpg", "https://cdn.example.de/9.jpg"}
