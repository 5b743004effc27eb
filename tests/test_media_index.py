"""The Hamming index: exact recall at every distance to 31, both layouts, save/load, memory."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from netpatrol.media.index import HashIndex, Layout, hex_to_codes

LAYOUTS: tuple[Layout, ...] = ("flat", "multi")


def _planted(
    n: int, bits: int, distances: range, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Random codes, and one query per distance: a stored code with that many bits flipped."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, size=(n, bits // 8), dtype=np.uint8)
    targets = rng.choice(n, size=len(distances), replace=False)
    queries = codes[targets].copy()
    bitview = np.unpackbits(queries, axis=1)
    for row, distance in enumerate(distances):
        flip = rng.choice(bits, size=distance, replace=False)
        bitview[row, flip] ^= 1
    return codes, np.packbits(bitview, axis=1), targets, np.array(list(distances))


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


@pytest.mark.parametrize("layout", LAYOUTS)
def test_radius_is_inclusive_and_tight(layout: Layout) -> None:
    codes, queries, targets, _ = _planted(5_000, 256, range(10, 11))
    index = HashIndex.from_codes(codes, 256, layout=layout)
    assert index.search_codes(queries, 10).as_lists()[0] == [(int(targets[0]), 10)]
    assert index.search_codes(queries, 9).as_lists()[0] == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_64_bit_phash_codes(layout: Layout) -> None:
    codes, queries, targets, distances = _planted(20_000, 64, range(0, 13))
    index = HashIndex.from_codes(codes, 64, layout=layout)
    result = index.search_codes(queries, 12).as_lists()
    assert result == _brute(codes, queries, 12)
    assert all((int(t), int(d)) in r for t, d, r in zip(targets, distances, result, strict=True))


def test_multi_index_with_a_wide_radius_falls_back_to_a_scan() -> None:
    codes, queries, _, _ = _planted(3_000, 256, range(60, 64))
    index = HashIndex.from_codes(codes, 256, layout="multi")
    assert index.search_codes(queries, 70).as_lists() == _brute(codes, queries, 70)


def test_build_from_hex_and_search_by_hex() -> None:
    values = ["00" * 32, "ff" * 32, "0f" * 32]
    index = HashIndex.build(values, 256)
    assert index.search(["00" * 31 + "03"], 2) == [[(0, 2)]]
    assert index.search(["ff" * 32, "f0" * 32], 0) == [[(1, 0)], []]
    with pytest.raises(ValueError, match="expected 256"):
        hex_to_codes(["abcd"], 256)


def test_empty_index_and_empty_queries() -> None:
    for layout in LAYOUTS:
        index = HashIndex.build([], 256, layout=layout)
        assert index.search(["00" * 32], 31) == [[]]
        assert index.search([], 31) == []


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load(tmp_path: Path, layout: Layout, mmap: bool) -> None:
    codes, queries, _, _ = _planted(20_000, 256, range(0, 32, 3))
    index = HashIndex.from_codes(codes, 256, layout=layout)
    path = tmp_path / "bank.index"
    index.save(path)
    loaded = HashIndex.load(path, mmap=mmap)
    assert loaded.layout == layout and len(loaded) == len(index) and loaded.bits == 256
    assert loaded.search_codes(queries, 31).as_lists() == index.search_codes(queries, 31).as_lists()
    assert not path.with_name("bank.index.tmp").exists()


def test_multi_index_memory_is_codes_plus_four_bytes_a_table() -> None:
    codes, _, _, _ = _planted(100_000, 256, range(1))
    index = HashIndex.from_codes(codes, 256, layout="multi")
    # 32 bytes of code + 16 tables x 4-byte ids, + 16 bucket tables of 65,537 offsets.
    assert index.nbytes == 100_000 * (32 + 16 * 4) + 16 * 65_537 * 4


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


@pytest.mark.parametrize("layout", LAYOUTS)
def test_memory_stays_flat_over_rebuilds(layout: Layout) -> None:
    codes, queries, _, _ = _planted(100_000, 256, range(0, 32, 4))
    tracemalloc.start()
    try:
        sizes = []
        rss = []
        for _ in range(6):
            index = HashIndex.from_codes(codes, 256, layout=layout)
            index.search_codes(queries, 31)
            del index
            gc.collect()
            sizes.append(tracemalloc.get_traced_memory()[0])
            rss.append(_rss_mb())
    finally:
        tracemalloc.stop()
    # Python/numpy allocations: nothing kept from one rebuild to the next.
    assert max(sizes) - min(sizes) < 1_000_000, sizes
    # faiss allocates outside tracemalloc's view: RSS after the 2nd and the last rebuild
    # must agree to well under one index (3.2 MB of codes, 9.6 MB for the multi-index).
    assert rss[-1] - rss[1] < 3.0, rss
