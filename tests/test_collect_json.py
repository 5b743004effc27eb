"""JSON and JSONL ad exports: the importer's record stream, then ``netpatrol ingest``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CliRunner
from helpers import stored_ads

from netpatrol.collect.base import ImportItem, ImportOptions, SourceFile
from netpatrol.collect.json_ads import JsonImporter
from netpatrol.errors import InputError
from netpatrol.model import Capture

ADS: list[dict[str, Any]] = [
    {
        "title": "Ivory carving",
        "price": 1200,
        "currency": "EUR",
        "seller": "a",
        "url": "https://shop.example/ad/1",
    },
    {
        "title": "Python skin bag",
        "price": 12.5,
        "seller": "b",
        "url": "https://shop.example/ad/2",
        "images": ["https://img.example/2.jpg"],
    },
    {"titre": "Carapace de tortue", "prix": "450", "vendeur": "Béatrice", "lieu": "Nîmes"},
]


def items(path: Path, options: ImportOptions | None = None) -> list[ImportItem]:
    return list(JsonImporter().records(SourceFile(path, path), options or ImportOptions()))


def fields(found: list[ImportItem]) -> list[dict[str, Any]]:
    return [json.loads(item.payload)["fields"] for item in found if isinstance(item, Capture)]


def errors(found: list[ImportItem]) -> list[str]:
    return [str(item) for item in found if isinstance(item, InputError)]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def jsonl(records: list[Any]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


# --- shapes of exports ------------------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        ADS,
        {"ads": ADS},
        {"data": {"items": ADS}},
        {"meta": {"count": 3, "tags": ["wildlife"]}, "results": ADS},
        {"data": [ADS]},
    ],
    ids=["array", "ads-key", "nested", "after-metadata", "array-in-array"],
)
def test_arrays_of_objects_are_found_wherever_they_are(tmp_path: Path, document: object) -> None:
    path = write(tmp_path, "export.json", json.dumps(document, indent=2))
    found = items(path)
    assert [f["title"] for f in fields(found)] == [
        "Ivory carving",
        "Python skin bag",
        "Carapace de tortue",
    ]
    assert [item.meta for item in found if isinstance(item, Capture)] == [
        {"source_path": str(path), "record": n} for n in (1, 2, 3)
    ]


def test_an_ad_becomes_a_capture_with_typed_row_and_text_fields(tmp_path: Path) -> None:
    found = items(write(tmp_path, "export.json", json.dumps(ADS)))
    second = found[1]
    assert isinstance(second, Capture)
    assert (second.record_type, second.url, second.content_type, second.captured_at) == (
        "ad",
        "https://shop.example/ad/2",
        "application/json",
        None,
    )
    assert json.loads(second.payload) == {
        "fields": {
            "title": "Python skin bag",
            "description": None,
            "price": "12.5",
            "currency": None,
            "seller": "b",
            "url": "https://shop.example/ad/2",
            "date": None,
            "location": None,
            "images": ["https://img.example/2.jpg"],
            "id": None,
        },
        "row": ADS[1],
    }
    assert fields(found)[0]["price"] == "1200"
    assert fields(found)[2] | {"images": None} == {
        "title": "Carapace de tortue",
        "price": "450",
        "seller": "Béatrice",
        "location": "Nîmes",
        "description": None,
        "currency": None,
        "url": None,
        "date": None,
        "id": None,
        "images": None,
    }


def test_jsonl_gives_the_same_captures_as_an_array(tmp_path: Path) -> None:
    array = items(write(tmp_path, "export.json", json.dumps(ADS)))
    lines = items(write(tmp_path, "export.jsonl", "\n" + jsonl(ADS)))
    assert [c.key for c in array if isinstance(c, Capture)] == [
        c.key for c in lines if isinstance(c, Capture)
    ]
    assert [c.meta["line"] for c in lines if isinstance(c, Capture)] == [2, 3, 4]


def test_jsonl_is_recognised_by_content_too(tmp_path: Path) -> None:
    found = items(write(tmp_path, "export.json", jsonl(ADS)))
    assert len(fields(found)) == 3


def test_a_single_object_is_one_ad_and_its_image_list_is_not_a_list_of_ads(
    tmp_path: Path,
) -> None:
    ad = {
        "title": "Shark fin",
        "images": [{"url": "https://img.example/1.jpg"}, {"src": "https://img.example/2.jpg"}],
    }
    found = items(write(tmp_path, "ad.json", json.dumps(ad)))
    assert [f["images"] for f in fields(found)] == [
        ["https://img.example/1.jpg", "https://img.example/2.jpg"]
    ]


def test_values_are_stripped_numbers_keep_their_text_and_nested_values_are_json(
    tmp_path: Path,
) -> None:
    ad = {
        "title": "  Coral  ",
        "price": 1e5,
        "seller": {"name": "x", "id": 7},
        "description": "",
        "date": None,
        "location": [],
    }
    (found,) = fields(items(write(tmp_path, "ad.json", json.dumps([ad]))))
    assert found["title"] == "Coral"
    assert found["price"] == "100000.0"
    assert found["seller"] == '{"id":7,"name":"x"}'
    assert found["description"] is None and found["date"] is None
    assert found["location"] is None


def test_empty_objects_are_skipped(tmp_path: Path) -> None:
    found = items(write(tmp_path, "export.json", json.dumps([{}, {"title": " "}, ADS[0]])))
    assert len(found) == 1


def test_gzip_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + json.dumps({"ads": ADS}).encode()
    assert len(fields(items(write(tmp_path, "export.json.gz", gzip.compress(content))))) == 3


def test_column_map_applies_to_json_keys(tmp_path: Path) -> None:
    records = [{"nom_annonce": "Pangolin", "title": "x"}, {"title": "no nom_annonce here"}]
    path = write(tmp_path, "export.json", json.dumps(records))
    found = items(path, ImportOptions(column_map={"title": "nom_annonce"}))
    # A later record without the key has no title: it is not taken from an alias.
    assert [f["title"] for f in fields(found)] == ["Pangolin", None]
    with pytest.raises(InputError) as caught:
        items(path, ImportOptions(column_map={"title": "Absent"}))
    assert str(caught.value) == (
        f"{path}: --map title=Absent: no such column; columns are: nom_annonce, title"
    )


# --- bad input --------------------------------------------------------------------------


def test_a_record_that_is_not_an_object_is_reported_and_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "export.json", json.dumps([ADS[0], "oops", [1], 3, None, ADS[1]]))
    found = items(path)
    assert errors(found) == [
        f"{path}: record 2 is a string, expected an object",
        f"{path}: record 3 is an array, expected an object",
        f"{path}: record 4 is a number, expected an object",
        f"{path}: record 5 is null, expected an object",
    ]
    assert len(fields(found)) == 2


def test_malformed_jsonl_stops_at_its_line_and_keeps_the_records_before(
    tmp_path: Path,
) -> None:
    text = jsonl([*ADS, {"title": "fourth"}]) + '{"title": "fifth",\n' + jsonl([ADS[0]])
    path = write(tmp_path, "export.jsonl", text)
    found: list[ImportItem] = []
    with pytest.raises(InputError) as caught:
        found.extend(JsonImporter().records(SourceFile(path, path), ImportOptions()))
    assert len(found) == 4
    assert str(caught.value) == (
        f"{path}, line 5: record 5: invalid JSON: Expecting property name enclosed in double "
        "quotes (column 19)"
    )


def test_a_truncated_array_keeps_the_records_before(tmp_path: Path) -> None:
    text = json.dumps(ADS)
    path = write(tmp_path, "export.json", text[: text.index('"titre"') + 10])
    found: list[ImportItem] = []
    with pytest.raises(InputError) as caught:
        found.extend(JsonImporter().records(SourceFile(path, path), ImportOptions()))
    assert len(found) == 2
    assert str(caught.value) == f"{path}: record 3: invalid JSON: parse error: premature EOF"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.json", b'[{"title": "caf\xe9"}]', "record 1: not valid UTF-8"),
        (
            "a.jsonl",
            b'{"title": "ok"}\n{"title": "caf\xe9"}\n',
            "line 2: record 2: not valid UTF-8 (byte 0xe9 at column 15)",
        ),
        ("a.jsonl", b'{"price": NaN}\n', "line 1: record 1: invalid JSON: NaN is not a JSON value"),
        ("a.json", b"", "empty file"),
        ("a.json", b" \n ", "empty file"),
    ],
)
def test_unreadable_json_is_refused(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as caught:
        items(path)
    assert str(caught.value) == f"{path}{', ' if message[0] == 'l' else ': '}{message}"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'[{"title": "a"}]', 90),
        (b'\xef\xbb\xbf  {"ads": []}', 90),
        (b'{"title": "a"}\n{"title": "b"}\n', 90),
        (b"[1, 2, 3]", 40),
        (b"title,price\na,1\n", 0),
        (b"<html><body>{}</body></html>", 0),
        (b"WARC/1.0\r\n", 0),
        (b"{{ template }}", 0),
    ],
)
def test_sniff_scores_by_content(head: bytes, expected: int) -> None:
    assert JsonImporter.sniff(head, Path("export")) == expected


# --- netpatrol ingest -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("array.json", json.dumps(ADS)),
        ("nested.json", json.dumps({"data": {"items": ADS}})),
        ("ads.jsonl", jsonl(ADS)),
    ],
)
def test_ingest_json_exports(
    cli: CliRunner, workspace: Path, tmp_path: Path, name: str, content: str
) -> None:
    path = write(tmp_path, name, content)
    result = cli("-w", workspace, "ingest", "--json", path)
    assert result.code == 0, result.err
    assert result.json()["files"][0]["format"] == "json"  # type: ignore[index]
    assert cli("-w", workspace, "stats", "--json").json()["captures"] == 3  # type: ignore[index]
    assert [ad["row"] for ad in stored_ads(workspace)] == ADS


def test_ingest_the_same_ads_from_json_and_jsonl_stores_them_once(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    assert cli("-w", workspace, "ingest", write(tmp_path, "a.json", json.dumps(ADS))).code == 0
    again = cli(
        "-w", workspace, "ingest", "--json", write(tmp_path, "b.jsonl", jsonl(list(reversed(ADS))))
    )
    assert again.code == 0
    outcome = again.json()["files"][0]  # type: ignore[index]
    assert (outcome["stored"], outcome["duplicates"]) == (0, 3)


def test_ingest_malformed_jsonl_keeps_records_before_it(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    records = [{"title": f"ad {n}"} for n in range(1, 5)]
    path = write(tmp_path, "ads.jsonl", jsonl(records) + "{oops\n" + jsonl([{"title": "6"}]))
    result = cli("-w", workspace, "ingest", path)
    assert result.code == 1
    assert f"error: {path}, line 5: record 5: invalid JSON" in result.err
    assert cli("-w", workspace, "stats", "--json").json()["captures"] == 4  # type: ignore[index]
    assert [ad["fields"]["title"] for ad in stored_ads(workspace)] == [
        "ad 1",
        "ad 2",
        "ad 3",
        "ad 4",
    ]
