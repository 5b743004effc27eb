"""Bank files: every format we read, bad lines reported by number, export round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import SHARED_DATA

from netpatrol.errors import InputError
from netpatrol.media.banks import BankEntry, read_bank_file, write_bank_file

HASHLISTS = SHARED_DATA / "pdq-test-vectors" / "hashlists"
PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
PDQ_B = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af"
MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def _write(tmp_path: Path, text: str, name: str = "bank.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _where(errors: list[InputError]) -> list[int | None]:
    return [e.line for e in errors]


def test_plain_list_with_comments_blank_lines_and_upper_case(tmp_path: Path) -> None:
    path = _write(tmp_path, f"# exported 2025-03-01\n\n{PDQ_A.upper()}\n  {PDQ_B}  \n")
    bank = read_bank_file(path, "pdq")
    assert bank.format == "plain"
    assert [e.value for e in bank.entries] == [PDQ_A, PDQ_B]
    assert [e.line for e in bank.entries] == [3, 4]
    assert bank.errors == []


@pytest.mark.skipif(not HASHLISTS.exists(), reason="shared PDQ test vectors not present")
def test_threatexchange_pdq_lists_read_whole() -> None:
    haystack = read_bank_file(HASHLISTS / "haystack.txt", "pdq")
    assert len(haystack.entries) == 1350 and haystack.errors == []
    edge = read_bank_file(HASHLISTS / "short256.dat", "pdq")
    # All-zero and all-f hashes are kept as they are (documented in netpatrol.media.banks).
    assert "0" * 64 in {e.value for e in edge.entries}


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_read(tmp_path: Path) -> None:
    text = f"{PDQ_A}\n{PDQ_A[:-2]}\nnot-a-hash-{'z' * 53}\n{MD5}\n{PDQ_B}\n"
    bank = read_bank_file(_write(tmp_path, text), "pdq")
    assert [e.value for e in bank.entries] == [PDQ_A, PDQ_B]
    assert _where(bank.errors) == [2, 3, 4]
    message = str(bank.errors[0])
    assert "bank.txt" in message and "line 2" in message and "64 hex digits" in message


def test_csv_with_hash_column_label_and_metadata(tmp_path: Path) -> None:
    text = (
        "md5,description,source,seized\n"
        f"{MD5.upper()},empty file,case 17,2025-01-02\n"
        "xyz,broken,case 17,\n"
        f"{'a' * 32},,case 18,\n"
    )
    bank = read_bank_file(_write(tmp_path, text, "bank.csv"), "md5")
    assert bank.format == "csv"
    assert bank.entries[0] == BankEntry(
        MD5, "empty file", {"source": "case 17", "seized": "2025-01-02"}, 2
    )
    assert bank.entries[1] == BankEntry("a" * 32, None, {"source": "case 18"}, 4)
    assert _where(bank.errors) == [3]
    assert bank.errors[0].column == "md5"


def test_csv_row_with_a_missing_field_is_an_error(tmp_path: Path) -> None:
    text = f"hash,label\n{PDQ_A},one\n{PDQ_B}\n"
    bank = read_bank_file(_write(tmp_path, text, "bank.csv"), "pdq")
    assert [e.value for e in bank.entries] == [PDQ_A]
    assert _where(bank.errors) == [3] and "expected 2 fields" in bank.errors[0].reason


def test_threatexchange_dataset_csv_export(tmp_path: Path) -> None:
    # ``threatexchange dataset -P --csv`` (python-threatexchange cli/dataset_cmd.py).
    text = (
        "collab,signal_type,signal_str,category,tags\n"
        f"Sample Data,pdq,{PDQ_A},POSITIVE_CLASS,media_type_photo\n"
        f"Sample Data,video_md5,{MD5},POSITIVE_CLASS,media_type_video\n"
        f"Sample Data,pdq,{PDQ_B[:10]},POSITIVE_CLASS,\n"
        f"Sample Data,pdq,{PDQ_B},NEGATIVE_CLASS,stock\n"
    )
    bank = read_bank_file(_write(tmp_path, text, "export.csv"), "pdq")
    assert bank.format == "threatexchange csv"
    assert [e.value for e in bank.entries] == [PDQ_A, PDQ_B]
    assert bank.entries[0].meta == {
        "collab": "Sample Data",
        "category": "POSITIVE_CLASS",
        "tags": "media_type_photo",
    }
    assert _where(bank.errors) == [3, 4]
    assert "md5 hash in a pdq bank" in bank.errors[0].reason
    md5 = read_bank_file(_write(tmp_path, text, "export.csv"), "md5")
    assert [e.value for e in md5.entries] == [MD5] and _where(md5.errors) == [2, 4, 5]


def test_threatexchange_file_exchange_typed_lines(tmp_path: Path) -> None:
    # LocalFileSignalExchangeAPI: ``SIGNAL_TYPE SIGNAL`` a line.
    text = f"pdq {PDQ_A}\nvideo_md5 {MD5}\nraw_text hello\npdq {PDQ_B}\n"
    bank = read_bank_file(_write(tmp_path, text), "pdq")
    assert bank.format == "typed lines"
    assert [e.value for e in bank.entries] == [PDQ_A, PDQ_B]
    assert _where(bank.errors) == [2, 3]


def test_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bank.bin"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match=r"bank\.bin"):
        read_bank_file(path, "pdq")


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown hash kind"):
        read_bank_file(_write(tmp_path, PDQ_A), "tmk")


def test_export_round_trip(tmp_path: Path) -> None:
    entries = [
        BankEntry(PDQ_A, "bridge", {"source": "case 1", "note": 'a "quoted", value'}),
        BankEntry(PDQ_B, None, {"source": "case 2"}),
        BankEntry("0" * 64, "flat image", {}),
    ]
    out = io.StringIO()
    assert write_bank_file(entries, out) == 3
    assert out.getvalue().splitlines()[0] == "hash,label,note,source"
    back = read_bank_file(_write(tmp_path, out.getvalue(), "export.csv"), "pdq")
    assert back.errors == []
    assert [(e.value, e.label, e.meta) for e in back.entries] == [
        (e.value, e.label, e.meta) for e in entries
    ]


def test_export_of_a_long_bank_keeps_late_metadata_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("netpatrol.media.banks.HEAD", 2)
    entries = [
        BankEntry(f"{i:064x}", f"n{i}", {"a": str(i)} if i < 2 else {"b": "late, key"})
        for i in range(4)
    ]
    out = io.StringIO()
    write_bank_file(iter(entries), out)
    assert out.getvalue().splitlines()[0] == "hash,label,a,meta"
    back = read_bank_file(_write(tmp_path, out.getvalue(), "export.csv"), "pdq")
    assert [(e.value, e.label, e.meta) for e in back.entries] == [
        (e.value, e.label, e.meta) for e in entries
    ]
