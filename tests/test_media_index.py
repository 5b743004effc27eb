"""The Hamming index: exact against a brute force on random and clustered banks, both
layouts, any radius, save/load (mapped), old file formats, memory."""

from __future__ import annotations

import gc
import json
import logging
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np
import pytest

from netpatrol.media import index as index_module
from netpatrol.media.index import HashIndex, Layout, hex_to_codes

LAYOUTS: tuple[Layout, ...] = ("flat", "prefix")


def _flip(codes: np.ndarray, distances: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each row of ``codes`` with ``distances[row]`` distinct bits flipped."""
    bits = np.unpackbits(codes, axis=1)
    for row, distance in enumerate(distances):
        bits[row, rng.choice(bits.shape[1], size=int(distance), replace=False)] ^= 1
    return np.packbits(bits, axis=1)


def _planted(
    n: int, bits: int, distances: range, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Random codes, and one query per distance: a stored code with that many bits flipped."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, size=(n, bits // 8), dtype=np.uint8)
    targets = rng.choice(n, size=len(distances), replace=False)
    wanted = np.array(list(distances))
    return codes, _flip(codes[targets], wanted, rng), targets, wanted


def _clustered(seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """40 centres with 150 members each within 0..20 bits; queries at 0..40 bits from a
    centre. Many codes share most of their head, so the head filter passes many."""
    rng = np.random.default_rng(seed)
    centres = rng.integers(0, 256, size=(40, 32), dtype=np.uint8)
    members = np.repeat(centres, 150, axis=0)
    codes = _flip(members, rng.integers(0, 21, size=len(members)), rng)
    queries = _flip(np.repeat(centres, 41, axis=0)[::7], np.arange(41 * 40)[::7] % 41, rng)
    return codes, queries


def _brute(codes: np.ndarray, queries: np.ndarray, radius: int) -> list[list[tuple[int, int]]]:
    words = codes.view(np.uint64)
    out = []
    for query in queries.view(np.uint64):
        dist = np.bitwise_count(words ^ query).sum(axis=1)
        hit = np.flatnonzero(dist <= radius)
        out.append(sorted(((int(i), int(dist[i])) for i in hit), key=lambda p: (p[1], p[0])))
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_recall_is_exact_at_every_distance_up_to_31(layout: Layout) -> None:
    codes, queries, targets, distances = _planted(50_000, 256, range(32))
    index = HashIndex.from_codes(codes, 256, layout=layout)
    assert index.layout == layout and len(index) == 50_000
    result = index.search_codes(queries, 31).as_lists()
    for row, (target, distance) in enumerate(zip(targets, distances, strict=True)):
        assert (int(target), int(distance)) in result[row]
    assert result == _brute(codes, queries, 31)


def test_256_bit_codes_default_to_the_prefix_layout_and_others_to_flat() -> None:
    assert HashIndex.from_codes(np.zeros((3, 32), np.uint8), 256).layout == "prefix"
    assert HashIndex.from_codes(np.zeros((3, 8), np.uint8), 64).layout == "flat"
    with pytest.raises(ValueError, match="prefix layout"):
        HashIndex.from_codes(np.zeros((3, 8), np.uint8), 64, layout="prefix")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_radius_is_inclusive_and_tight(layout: Layout) -> None:
    codes, queries, targets, _ = _planted(5_000, 256, range(10, 11))
    index = HashIndex.from_codes(codes, 256, layout=layout)
    assert index.search_codes(queries, 10).as_lists()[0] == [(int(targets[0]), 10)]
    assert index.search_codes(queries, 9).as_lists()[0] == []


@pytest.mark.parametrize("radius", [0, 5, 16, 31, 40, 64])
def test_clustered_bank_is_exact_at_any_radius(radius: int) -> None:
    codes, queries = _clustered()
    index = HashIndex.from_codes(codes, 256)
    assert index.search_codes(queries, radius).as_lists() == _brute(codes, queries, radius)


def test_a_bank_sharing_one_head_is_exact_across_blocks_and_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every head is equal: the filter passes the whole bank and verification does it all.
    # Small blocks, query batches and verify slices cut the work into many pieces.
    monkeypatch.setattr(index_module, "BLOCK_ROWS", 700)
    monkeypatch.setattr(index_module, "PAIRS_PER_CALL", 700 * 9)
    monkeypatch.setattr(index_module, "VERIFY_BATCH", 1000)
    codes, queries, _, _ = _planted(5_000, 256, range(0, 41, 2))
    codes[:, :16] = codes[0, :16]
    queries[:, :16] = codes[0, :16]
    index = HashIndex.from_codes(codes, 256)
    for radius in (0, 20, 31, 40):
        assert index.search_codes(queries, radius).as_lists() == _brute(codes, queries, radius)


def test_64_bit_phash_codes() -> None:
    codes, queries, targets, distances = _planted(20_000, 64, range(0, 13))
    index = HashIndex.from_codes(codes, 64)
    result = index.search_codes(queries, 12).as_lists()
    assert result == _brute(codes, queries, 12)
    assert all((int(t), int(d)) in r for t, d, r in zip(targets, distances, result, strict=True))


def test_threads_option_gives_the_same_result_and_leaves_the_setting() -> None:
    codes, queries, _, _ = _planted(20_000, 256, range(0, 32, 2))
    index = HashIndex.from_codes(codes, 256)
    before = faiss.omp_get_max_threads()
    one = index.search_codes(queries, 31, threads=1).as_lists()
    assert one == index.search_codes(queries, 31).as_lists()
    assert faiss.omp_get_max_threads() == before


def test_build_from_hex_and_search_by_hex() -> None:
    values = ["00" * 32, "ff" * 32, "0f" * 32]
    index = HashIndex.build(values, 256)
    assert index.search(["00" * 31 + "03"], 2) == [[(0, 2)]]
    assert index.search(["ff" * 32, "f0" * 32], 0) == [[(1, 0)], []]
    with pytest.raises(ValueError, match="expected 256"):
        hex_to_codes(["abcd"], 256)


def test_empty_index_and_empty_queries(tmp_path: Path) -> None:
    for layout in LAYOUTS:
        index = HashIndex.build([], 256, layout=layout)
        assert index.search(["00" * 32], 31) == [[]]
        assert index.search([], 31) == []
        index.save(tmp_path / "empty.index")
        assert HashIndex.load(tmp_path / "empty.index").search(["00" * 32], 31) == [[]]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load(tmp_path: Path, layout: Layout, mmap: bool) -> None:
    codes, queries, _, _ = _planted(20_000, 256, range(0, 32, 3))
    index = HashIndex.from_codes(codes, 256, layout=layout)
    path = tmp_path / "bank.index"
    index.save(path)
    loaded = HashIndex.load(path, mmap=mmap)
    assert loaded.layout == layout and len(loaded) == len(index) and loaded.bits == 256
    assert loaded.nbytes == index.nbytes
    assert isinstance(loaded._head, np.memmap) == mmap
    assert loaded.search_codes(queries, 31).as_lists() == index.search_codes(queries, 31).as_lists()
    assert not path.with_name("bank.index.tmp").exists()


def _write_version_1_multi(path: Path, codes: np.ndarray) -> None:
    """The version-1 multi-index file: magic, JSON header, aligned arrays (codes first)."""
    arrays = {"codes": codes, "ids": np.arange(len(codes), dtype=np.uint32)}
    offsets, offset = [], 0
    for array in arrays.values():
        offset += -offset % 64
        offsets.append(offset)
        offset += array.nbytes
    layout = [
        [name, at, array.dtype.str, list(array.shape)]
        for (name, array), at in zip(arrays.items(), offsets, strict=True)
    ]
    text = json.dumps({"bits": codes.shape[1] * 8, "arrays": layout}).encode()
    text += b" " * (-(7 + 4 + len(text)) % 64)
    with path.open("wb") as out:
        out.write(b"NPMIH1\n" + len(text).to_bytes(4, "little") + text)
        base = out.tell()
        for at, array in zip(offsets, arrays.values(), strict=True):
            out.write(b"\0" * (base + at - out.tell()) + array.tobytes())


def _write_version_1_flat(path: Path, codes: np.ndarray) -> None:
    flat = faiss.IndexBinaryFlat(codes.shape[1] * 8)
    flat.add(codes)
    faiss.write_index_binary(flat, str(path))


@pytest.mark.parametrize("writer", [_write_version_1_multi, _write_version_1_flat])
def test_version_1_files_are_read_and_rewritten(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    writer: Callable[[Path, np.ndarray], None],
) -> None:
    codes, queries, _, _ = _planted(3_000, 256, range(0, 32, 4))
    path = tmp_path / "old.index"
    writer(path, codes)
    with caplog.at_level(logging.WARNING):
        loaded = HashIndex.load(path)
    assert "old hash-index format, rewritten" in caplog.text
    assert path.read_bytes().startswith(index_module.MAGIC)
    assert loaded.layout == "prefix" and isinstance(loaded._head, np.memmap)
    assert loaded.search_codes(queries, 31).as_lists() == _brute(codes, queries, 31)


def test_a_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.index"
    path.write_bytes(b"not an index at all")
    with pytest.raises(ValueError, match="not a netpatrol hash index"):
        HashIndex.load(path)


def test_memory_is_the_raw_codes() -> None:
    codes, _, _, _ = _planted(100_000, 256, range(1))
    for layout in LAYOUTS:
        assert HashIndex.from_codes(codes, 256, layout=layout).nbytes == codes.nbytes


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


@pytest.mark.parametrize("layout", LAYOUTS)
def test_memory_stays_flat_over_rebuilds(layout: Layout, tmp_path: Path) -> None:
    codes, queries, _, _ = _planted(100_000, 256, range(0, 32, 4))
    tracemalloc.start()
    try:
        sizes = []
        rss = []
        for _ in range(6):
            index = HashIndex.from_codes(codes, 256, layout=layout)
            index.search_codes(queries, 31)
            index.save(tmp_path / "bank.index")
            HashIndex.load(tmp_path / "bank.index").search_codes(queries, 31)
            del index
            gc.collect()
            sizes.append(tracemalloc.get_traced_memory()[0])
            rss.append(_rss_mb())
    finally:
        tracemalloc.stop()
    # Python/numpy allocations: nothing kept from one rebuild to the next.
    assert max(sizes) - min(sizes) < 1_000_000, sizes
    # faiss's range-search results are allocated outside tracemalloc's view: RSS after the
    # 2nd and the last rebuild must agree to well under one index (3.2 MB of codes).
    assert rss[-1] - rss[1] < 3.0, rss
