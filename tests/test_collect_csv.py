"""CSV ad exports: the importer's record stream, then ``netpatrol ingest`` end to end."""

from __future__ import annotations

import csv
import gzip
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED_DATA, CliRunner
from helpers import stored_ads

from netpatrol.collect.base import ImportItem, ImportOptions, SourceFile
from netpatrol.collect.csv_ads import CsvImporter
from netpatrol.errors import InputError
from netpatrol.model import Capture

BATS = SHARED_DATA / "bat-trade-listings-kpicta" / "Coleman_et_al_unique-listings-info.csv"
ADS = (
    "title,price,currency,seller,url,images\n"
    "Ivory carving,1200,EUR,seller_a,https://shop.example/ad/1,https://img.example/1.jpg\n"
    "Python skin bag,350,EUR,seller_b,https://shop.example/ad/2,\n"
    "Parrot (live),900,EUR,seller_a,https://shop.example/ad/3,a.jpg | b.jpg\n"
)
FRENCH = (
    "Titre;Prix;Vendeur;Lieu\r\n"
    "Défense d'éléphant sculptée;1 200,00 €;marché_noir;Marseille\r\n"
    "Carapace de tortue, écaille;450;Béatrice;Nîmes\r\n"
).encode("cp1252")


def items(path: Path, options: ImportOptions | None = None) -> list[ImportItem]:
    return list(CsvImporter().records(SourceFile(path, path), options or ImportOptions()))


def ads(path: Path, options: ImportOptions | None = None) -> list[Capture]:
    found = items(path, options)
    assert all(isinstance(item, Capture) for item in found), found
    return [item for item in found if isinstance(item, Capture)]


def errors(found: list[ImportItem]) -> list[str]:
    return [str(item) for item in found if isinstance(item, InputError)]


def doc(capture: Capture) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(capture.payload)
    return payload


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


# --- one row, one capture ---------------------------------------------------------------


def test_each_row_becomes_an_ad_capture_with_a_canonical_payload(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", ADS)
    found = ads(path)
    assert len(found) == 3
    first = found[0]
    assert first.record_type == "ad"
    assert first.url == "https://shop.example/ad/1"
    assert first.content_type == "application/json"
    assert first.captured_at is None
    assert first.meta == {"source_path": str(path), "line": 2}
    assert doc(first) == {
        "fields": {
            "title": "Ivory carving",
            "description": None,
            "price": "1200",
            "currency": "EUR",
            "seller": "seller_a",
            "url": "https://shop.example/ad/1",
            "date": None,
            "location": None,
            "images": ["https://img.example/1.jpg"],
            "id": None,
        },
        "row": {
            "title": "Ivory carving",
            "price": "1200",
            "currency": "EUR",
            "seller": "seller_a",
            "url": "https://shop.example/ad/1",
            "images": "https://img.example/1.jpg",
        },
    }
    assert (
        first.payload
        == json.dumps(
            doc(first), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()
    )
    assert doc(found[1])["fields"]["images"] == []
    assert doc(found[2])["fields"]["images"] == ["a.jpg", "b.jpg"]


def test_the_same_row_anywhere_gives_the_same_capture_key(tmp_path: Path) -> None:
    lines = ADS.splitlines(keepends=True)
    one = ads(write(tmp_path, "one.csv", ADS))
    other = ads(write(tmp_path, "other.csv", lines[0] + "".join(reversed(lines[1:]))))
    assert {c.key for c in one} == {c.key for c in other}
    assert one[0].meta["line"] == 2 and other[-1].meta["line"] == 4


def test_values_are_stripped_blank_is_none_and_missing_fields_are_none(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "ads.csv", "title,price,seller\n  Rhino horn  ,  ,x\nTiger skin\n")
    first, second = ads(path)
    assert doc(first)["fields"]["title"] == "Rhino horn"
    assert doc(first)["fields"]["price"] is None
    assert doc(first)["row"] == {"title": "  Rhino horn  ", "price": "  ", "seller": "x"}
    assert doc(second)["fields"]["seller"] is None
    assert doc(second)["row"] == {"title": "Tiger skin", "price": None, "seller": None}


def test_empty_rows_are_skipped_and_lines_stay_physical(tmp_path: Path) -> None:
    content = 'title,description\n\n,\n"Bear, gall","line one\nline two"\n  ,  \nShark fin,\n'
    found = ads(write(tmp_path, "ads.csv", content))
    assert [c.meta["line"] for c in found] == [4, 7]
    assert doc(found[0])["fields"]["description"] == "line one\nline two"


def test_french_semicolon_cp1252_is_detected(tmp_path: Path) -> None:
    first, second = ads(write(tmp_path, "annonces.csv", FRENCH))
    assert doc(first)["fields"] | {"images": None} == {
        "title": "Défense d'éléphant sculptée",
        "price": "1 200,00 €",
        "seller": "marché_noir",
        "location": "Marseille",
        "description": None,
        "currency": None,
        "url": None,
        "date": None,
        "id": None,
        "images": None,
    }
    assert doc(second)["fields"]["title"] == "Carapace de tortue, écaille"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_byte_order_marks_choose_the_encoding(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    content = prefix + "titre,prix\nÉcaille de tortue,12\n".encode(encoding)
    (ad,) = ads(write(tmp_path, "ads.csv", content))
    assert doc(ad)["row"] == {"titre": "Écaille de tortue", "prix": "12"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_detected(tmp_path: Path, delimiter: str) -> None:
    rows = [["title", "price", "seller"], ["Ivory, carved", "10", "a"], ["Coral", "5", "b"]]
    path = tmp_path / "ads.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    assert [doc(c)["fields"]["title"] for c in ads(path)] == ["Ivory, carved", "Coral"]


def test_gzip_exports_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv.gz", gzip.compress(ADS.encode()))
    assert len(ads(path)) == 3


# --- columns ----------------------------------------------------------------------------


def test_column_map_overrides_the_aliases(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", "Nom_annonce,title,prix\nPangolin scales,ignored,30\n")
    (ad,) = ads(path, ImportOptions(column_map={"title": "Nom_annonce"}))
    assert doc(ad)["fields"]["title"] == "Pangolin scales"
    assert doc(ad)["fields"]["price"] == "30"


def test_a_mapped_column_that_is_missing_names_the_columns_there_are(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", "Titre;Prix\nCorail;12\n")
    with pytest.raises(InputError) as caught:
        items(path, ImportOptions(column_map={"title": "Nom_annonce"}))
    assert str(caught.value) == (
        f"{path}: --map title=Nom_annonce: no such column; columns are: Titre, Prix"
    )


def test_blank_and_repeated_header_names_are_kept_apart(tmp_path: Path) -> None:
    (ad,) = ads(write(tmp_path, "ads.csv", "title,,title\nA,B,C\n"))
    assert doc(ad)["row"] == {"title": "A", "column 2": "B", "title (2)": "C"}


# --- bad input --------------------------------------------------------------------------


def test_a_row_with_extra_fields_is_reported_and_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", "title,price\nA,1\nB,2,oops,more\nC,3,,\n")
    found = items(path)
    assert errors(found) == [
        f"{path}, line 3, column 'extra #3': row has 4 fields, the header has 2 (value: 'oops')"
    ]
    # Trailing empty fields lose nothing: the row is kept.
    assert [doc(c)["fields"]["title"] for c in found if isinstance(c, Capture)] == ["A", "C"]


def test_undecodable_bytes_are_reported_with_line_column_and_bytes(tmp_path: Path) -> None:
    content = b"title,seller\nGood,a\nIvoire sculpt\xe9,b\nAlso good,c\n"
    path = write(tmp_path, "ads.csv", content)
    found = items(path, ImportOptions(encoding="utf-8"))
    (error,) = [item for item in found if isinstance(item, InputError)]
    assert (error.line, error.column, error.value) == (3, "title", "Ivoire sculpt\\xe9")
    assert error.reason == "cannot decode as utf-8; try --encoding cp1252 (or latin-1)"
    assert len(found) == 3


def test_bad_bytes_after_the_first_megabyte_are_reported_in_auto_mode(
    tmp_path: Path,
) -> None:
    filler = "".join(f"Coral piece {i},{i}\n" for i in range(60_000)).encode()
    assert len(filler) > 1 << 20
    path = write(tmp_path, "ads.csv", b"title,price\n" + filler + b"Caf\xe9,1\n")
    found = items(path)
    (error,) = errors(found)
    assert error == (
        f"{path}, line 60002, column 'title': cannot decode as utf-8; try --encoding cp1252 "
        "(or latin-1) (value: 'Caf\\\\xe9')"
    )


def test_an_unclosed_quote_at_the_end_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", 'title,price\nA,1\n"B,2\nC,3\n')
    found = items(path)
    assert errors(found) == [
        f"{path}, line 3: a quoted field starting on this row is never closed "
        "(unexpected end of file)"
    ]
    assert len(found) == 2


def test_bad_quoting_is_reported_and_the_next_rows_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", 'title,price\n"A"x,1\nB,2\n')
    found = items(path)
    assert errors(found) == [f"{path}, line 2: cannot parse this row: ',' expected after '\"'"]
    assert [doc(c)["fields"]["title"] for c in found if isinstance(c, Capture)] == ["B"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\n\n  \n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (
            b"Ivory carving,https://shop.example/1,1200\n",
            "line 1: no header row: the first row holds data, not column names "
            "(value: 'https://shop.example/1')",
        ),
    ],
)
def test_empty_and_header_less_files_are_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = write(tmp_path, "ads.csv", content)
    with pytest.raises(InputError) as caught:
        items(path)
    assert str(caught.value) == f"{path}{', ' if message[0] == 'l' else ': '}{message}"


def test_a_file_cut_inside_a_utf16_character_is_refused_after_its_rows(
    tmp_path: Path,
) -> None:
    content = "title\nIvory\n".encode("utf-16") + b"x"
    path = write(tmp_path, "ads.csv", content)
    found: list[ImportItem] = []
    with pytest.raises(InputError) as caught:
        found.extend(CsvImporter().records(SourceFile(path, path), ImportOptions()))
    assert len(found) == 1
    assert str(caught.value) == f"{path}, line 3: cannot decode as utf-16-le: truncated data"


def test_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", ADS)
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        items(path, ImportOptions(encoding="klingon"))


# --- detection, progress, memory --------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (ADS.encode(), 95),
        (FRENCH, 85),
        (b"colour;size;weight\nred;1;2\nblue;3;4\n", 45),
        (b"url\nhttps://shop.example/1\n", 30),
        (b"<!DOCTYPE html><html><body>a,b,c\nd,e,f</body></html>", 0),
        (b"WARC/1.1\r\nWARC-Type: response\r\n", 0),
        (b'[{"title": "a", "price": 1}]', 0),
        (b'{"title": "a"}\n{"title": "b"}\n', 0),
        (b"Notes\n\nWe met, talked, and left.\nNothing else.\n", 0),
        (b"", 0),
    ],
)
def test_sniff_scores_by_content(head: bytes, expected: int) -> None:
    assert CsvImporter.sniff(head, Path("export")) == expected


def test_progress_is_reported_up_to_the_end_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", "title\n" + "".join(f"ad {i}\n" for i in range(1000)))
    positions: list[int] = []
    found = list(
        CsvImporter().records(SourceFile(path, path, on_progress=positions.append), ImportOptions())
    )
    assert len(found) == 1000
    assert len(positions) >= 5
    assert positions == sorted(positions)
    assert positions[-1] == path.stat().st_size


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    def peak(rows: int) -> int:
        path = tmp_path / f"ads{rows}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write("title,description,price\n")
            for i in range(rows):
                handle.write(f"Ad {i},{'Long text about the specimen ' * 5},{i}\n")
        tracemalloc.start()
        try:
            for _ in CsvImporter().records(SourceFile(path, path), ImportOptions()):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # Both files are larger than the 1 MiB sample read to guess the encoding.
    small, large = peak(7_000), peak(21_000)
    assert large < small * 1.2, (small, large)


# --- netpatrol ingest -------------------------------------------------------------------


def test_ingest_stores_each_row_once(cli: CliRunner, workspace: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", ADS)
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 0, result.err
    assert cli("-w", workspace, "stats", "--json").json()["captures"] == 3  # type: ignore[index]

    again = cli("-w", workspace, "ingest", "--json", path)
    assert again.code == 0
    assert again.json()["stored"] == 0  # type: ignore[index]

    lines = ADS.splitlines(keepends=True)
    shuffled = write(tmp_path, "shuffled.csv", lines[0] + lines[3] + lines[1] + lines[2])
    moved = cli("-w", workspace, "ingest", "--json", shuffled)
    assert moved.code == 0
    outcome = moved.json()["files"][0]  # type: ignore[index]
    assert (outcome["stored"], outcome["duplicates"]) == (0, 3)
    assert cli("-w", workspace, "stats", "--json").json()["captures"] == 3  # type: ignore[index]


def test_ingest_detects_a_french_cp1252_export(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "annonces.txt", FRENCH)  # content decides, not the extension
    result = cli("-w", workspace, "ingest", "--json", path)
    assert result.code == 0, result.err
    assert result.json()["files"][0]["format"] == "csv"  # type: ignore[index]
    fields = [ad["fields"] for ad in stored_ads(workspace)]
    assert [(f["title"], f["price"], f["seller"], f["location"]) for f in fields] == [
        ("Défense d'éléphant sculptée", "1 200,00 €", "marché_noir", "Marseille"),
        ("Carapace de tortue, écaille", "450", "Béatrice", "Nîmes"),
    ]


def test_ingest_map_option(cli: CliRunner, workspace: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "ads.csv", "Nom_annonce;Montant\nÉcailles de pangolin;30\n")
    result = cli("-w", workspace, "ingest", "--map", "title=Nom_annonce", path)
    assert result.code == 0, result.err
    (ad,) = stored_ads(workspace)
    assert (ad["fields"]["title"], ad["fields"]["price"]) == ("Écailles de pangolin", "30")

    other = write(tmp_path, "other.csv", "Titre;Prix\nCorail;12\n")
    missing = cli("-w", workspace, "ingest", "--map", "title=Nom_annonce", other)
    assert missing.code == 1
    assert (
        f"{other}: --map title=Nom_annonce: no such column; columns are: Titre, Prix" in missing.err
    )
    assert cli("-w", workspace, "stats", "--json").json()["captures"] == 1  # type: ignore[index]


def test_ingest_reports_a_bad_row_and_keeps_the_others(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    content = b"Titre;Prix\nCorail;12\nIvoire sculpt\xe9;800\nTortue;45\n"
    path = write(tmp_path, "annonces.csv", content)
    result = cli("-w", workspace, "ingest", "--encoding", "utf-8", path)
    assert result.code == 1
    assert (
        f"error: {path}, line 3, column 'Titre': cannot decode as utf-8; try --encoding "
        "cp1252 (or latin-1) (value: 'Ivoire sculpt\\\\xe9')" in result.err
    )
    assert [ad["fields"]["title"] for ad in stored_ads(workspace)] == ["Corail", "Tortue"]


def test_ingest_the_bat_trade_listings(cli: CliRunner, workspace: Path) -> None:
    if not BATS.exists():
        pytest.skip(f"shared data set not present: {BATS}")
    with BATS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    distinct = {tuple(row) for row in rows if any(cell.strip() for cell in row)}
    result = cli("-w", workspace, "ingest", BATS)
    assert result.code == 0, result.err
    assert cli("-w", workspace, "stats", "--json").json()["captures"] == len(distinct)  # type: ignore[index]
    first = stored_ads(workspace)[0]["fields"]
    assert first["title"].startswith("CHIROPTERA: KERIVOULA PICTA")
    assert first["seller"] == "seller_001"
    assert first["url"] == "https://www.ebay.com/itm/115537996068"
    assert first["description"].startswith("CHIROPTERA: KERIVOULA PICTA ALSO KNOWN")
    assert first["images"][0] == "https://i.ebayimg.com/images/g/2u0AAOSwDC9jLlX1/s-l500.jpg"
    assert len(first["images"]) == 5
