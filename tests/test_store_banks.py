"""Hash banks in the store (SQLite and PostgreSQL) and matching against them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from netpatrol.media.banks import BankEntry
from netpatrol.media.matching import BankIndex, Hit, decide
from netpatrol.store import Store
from netpatrol.store.banks import (
    BankError,
    add_hashes,
    bank_entries,
    create_or_get_bank,
    get_bank,
    list_banks,
)

RNG = np.random.default_rng(11)


def _pdq() -> str:
    return RNG.integers(0, 256, size=32, dtype=np.uint8).tobytes().hex()


def _flip(value: str, bits: int) -> str:
    """``value`` with its first ``bits`` bits flipped: at Hamming distance ``bits``."""
    number = int(value, 16) ^ (((1 << bits) - 1) << (256 - bits))
    return f"{number:064x}"


def test_create_then_get_keeps_the_kind_and_defaults_the_threshold(store: Store) -> None:
    bank = create_or_get_bank(store, "seized", "pdq", source="case-17.csv")
    assert (bank.kind, bank.threshold, bank.sensitive, bank.negative) == ("pdq", 31, False, False)
    again = create_or_get_bank(store, "seized", "pdq", sensitive=True, threshold=20)
    assert again.id == bank.id and again.sensitive and again.threshold == 20
    # A later import without --sensitive never un-marks the bank.
    assert create_or_get_bank(store, "seized", "pdq").sensitive
    assert create_or_get_bank(store, "digests", "md5").threshold == 0
    assert create_or_get_bank(store, "thumbs", "phash").threshold == 8


def test_a_banks_kind_never_changes(store: Store) -> None:
    create_or_get_bank(store, "seized", "pdq")
    with pytest.raises(BankError, match="'seized' holds pdq hashes"):
        create_or_get_bank(store, "seized", "md5")
    with pytest.raises(BankError, match="threshold must be 0"):
        create_or_get_bank(store, "digests", "sha256", threshold=3)
    with pytest.raises(BankError, match="no hash bank named"):
        get_bank(store, "missing")


def test_import_is_idempotent_and_keeps_labels_and_metadata(store: Store) -> None:
    bank = create_or_get_bank(store, "seized", "pdq")
    values = [_pdq() for _ in range(2_500)]  # more than one insert batch
    entries = [
        BankEntry(v, f"item {i}", {"case": "17"} if i % 2 else {}) for i, v in enumerate(values)
    ]
    assert add_hashes(store, bank.id, entries) == (2_500, 0)
    assert add_hashes(store, bank.id, entries) == (0, 2_500)
    # Duplicates inside one import count as already there too.
    assert add_hashes(store, bank.id, [BankEntry(values[0]), BankEntry(values[0])]) == (0, 2)
    stored = list(bank_entries(store, "seized"))
    assert [s.value for s in stored] == values
    assert (stored[0].label, stored[0].meta) == ("item 0", None)
    assert (stored[1].label, stored[1].meta) == ("item 1", {"case": "17"})
    (info,) = list_banks(store)
    assert (info.name, info.count) == ("seized", 2_500)


def test_list_banks_counts_each_bank(store: Store) -> None:
    a = create_or_get_bank(store, "a", "md5")
    create_or_get_bank(store, "b", "pdq", negative=True)
    add_hashes(store, a.id, [BankEntry(f"{i:032x}") for i in range(3)])
    assert [(b.name, b.count, b.negative) for b in list_banks(store)] == [
        ("a", 3, False),
        ("b", 0, True),
    ]


def test_banks_created_before_migration_0003_read_as_positive(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO hash_banks (name, hash_type, sensitive, created_at) "
                "VALUES ('old', 'pdq', false, CURRENT_TIMESTAMP)"
            )
        )
    bank = get_bank(store, "old")
    assert (bank.negative, bank.threshold) == (False, 31)


def _index(store: Store, tmp_path: Path) -> BankIndex:
    return BankIndex(store, tmp_path / "index-cache")


def test_matching_applies_thresholds_and_exact_kinds(store: Store, tmp_path: Path) -> None:
    seized = create_or_get_bank(store, "seized", "pdq", sensitive=True)
    strict = create_or_get_bank(store, "strict", "pdq", threshold=5)
    digests = create_or_get_bank(store, "digests", "md5")
    base = _pdq()
    add_hashes(store, seized.id, [BankEntry(base, "original")])
    add_hashes(store, strict.id, [BankEntry(base)])
    add_hashes(store, digests.id, [BankEntry("ab" * 16, "exact file")])
    index = _index(store, tmp_path)

    found = index.match({"pdq": _flip(base, 20), "md5": ("AB" * 16)})
    assert [(m.bank, m.kind, m.distance, m.sensitive) for m in found] == [
        ("digests", "md5", 0, False),
        ("seized", "pdq", 20, True),
    ]
    assert found[1].value == base and found[1].label == "original"
    assert [m.bank for m in index.match({"pdq": _flip(base, 4)})] == ["seized", "strict"]
    assert index.match({"pdq": _flip(base, 32)}) == []
    assert index.match({"md5": "ab" * 15 + "ac", "phash": "0" * 16}) == []


def test_negative_bank_suppresses_matches_of_other_banks(store: Store, tmp_path: Path) -> None:
    seized = create_or_get_bank(store, "seized", "pdq")
    logos = create_or_get_bank(store, "logos", "pdq", negative=True, threshold=10)
    digests = create_or_get_bank(store, "digests", "md5")
    stock = create_or_get_bank(store, "stock-files", "md5", negative=True)
    logo, product = _pdq(), _pdq()
    add_hashes(store, seized.id, [BankEntry(logo), BankEntry(product)])
    add_hashes(store, logos.id, [BankEntry(logo, "brand logo")])
    add_hashes(store, digests.id, [BankEntry("cd" * 16), BankEntry("ef" * 16)])
    add_hashes(store, stock.id, [BankEntry("ef" * 16)])
    index = _index(store, tmp_path)

    # Within the negative bank's threshold of the logo: not reported for "seized".
    assert index.match({"pdq": _flip(logo, 8)}) == []
    # Beyond it (but within seized's 31): reported.
    assert [m.bank for m in index.match({"pdq": _flip(logo, 15)})] == ["seized"]
    # A perceptual negative does not hide an exact match of another bank.
    assert [m.bank for m in index.match({"pdq": logo, "md5": "cd" * 16})] == ["digests"]
    # An exact negative (the very file of a stock photo) suppresses every kind.
    assert index.match({"pdq": product, "md5": "ef" * 16}) == []
    assert [m.bank for m in index.match({"pdq": product})] == ["seized"]


def test_index_cache_is_reused_and_rebuilt_when_a_bank_grows(store: Store, tmp_path: Path) -> None:
    bank = create_or_get_bank(store, "seized", "pdq")
    first, second = _pdq(), _pdq()
    add_hashes(store, bank.id, [BankEntry(first)])
    cache = tmp_path / "index-cache"
    BankIndex(store, cache)
    files = sorted(p.name for p in cache.iterdir())
    assert len(files) == 2
    reopened = BankIndex(store, cache)  # loaded from disk, memory-mapped
    assert sorted(p.name for p in cache.iterdir()) == files
    assert reopened.match({"pdq": second}) == []
    add_hashes(store, bank.id, [BankEntry(second)])
    reopened.refresh()
    assert [m.value for m in reopened.match({"pdq": second})] == [second]
    assert len(list(cache.iterdir())) == 2  # the stale files were removed


def test_match_many_keeps_queries_apart(store: Store, tmp_path: Path) -> None:
    bank = create_or_get_bank(store, "seized", "pdq")
    values = [_pdq() for _ in range(50)]
    add_hashes(store, bank.id, [BankEntry(v) for v in values])
    index = _index(store, tmp_path)
    queries = [{"pdq": _flip(v, i % 32)} for i, v in enumerate(values)] + [{"pdq": "zz"}]
    results = index.match_many(queries)
    assert [[m.value for m in r] for r in results] == [[v] for v in values] + [[]]


def test_decide_is_pure_and_needs_no_store(store: Store) -> None:
    pos = create_or_get_bank(store, "p", "pdq")
    neg = create_or_get_bank(store, "n", "pdq", negative=True, threshold=4)
    assert decide([Hit(pos, "pdq", 1, 30), Hit(neg, "pdq", 2, 5)]) == [Hit(pos, "pdq", 1, 30)]
    assert decide([Hit(pos, "pdq", 1, 30), Hit(neg, "pdq", 2, 4)]) == []
