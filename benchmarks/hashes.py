"""PDQ bank search: our index beside faiss ``IndexBinaryFlat`` and a numpy brute force.

    .venv/bin/python benchmarks/hashes.py [--sizes 1000000 10000000] [--queries 1000]

For each size: a bank of random 256-bit codes and ``--queries`` queries, each a stored code
with 0..31 bits flipped (query i at distance i % 32), searched at radius 31. Prints, per
method, lookups/s, recall of the planted codes, and index memory beside the raw codes
(32 bytes a hash): the bytes the index's arrays hold (faiss: code size x count), and the
growth of the process's resident memory over the build and the search. Our index is timed
built in memory, then saved and memory-mapped back (page cache warm), and with its flat
layout forced (the whole 256-bit code scanned, no head/tail split). Searches are timed
``--repeats`` times and the fastest kept (a shared machine: the least disturbed run).
The numpy brute force (XOR and popcount over uint64 words) is timed on a subset of queries
(``--brute-queries``) and its rate scaled: it is the floor, not a contender.
Build times are printed too. No assertions: figures for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

from netpatrol.media.index import HashIndex, Layout, RangeResult

U8 = npt.NDArray[np.uint8]


def planted(n: int, nq: int, seed: int) -> tuple[U8, U8, npt.NDArray[np.int64]]:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    targets = rng.choice(n, size=nq, replace=False).astype(np.int64)
    bits = np.unpackbits(codes[targets], axis=1)
    for row in range(nq):
        bits[row, rng.choice(256, size=row % 32, replace=False)] ^= 1
    return codes, np.packbits(bits, axis=1), targets


def recall(result: RangeResult, targets: npt.NDArray[np.int64]) -> float:
    found = 0
    for i, target in enumerate(targets):
        found += int(target in result.ids[result.lims[i] : result.lims[i + 1]])
    return found / len(targets)


def brute(codes: U8, queries: U8, radius: int) -> RangeResult:
    words = codes.view(np.uint64)
    ids: list[npt.NDArray[np.int64]] = []
    dists: list[npt.NDArray[np.int64]] = []
    lims = [0]
    for query in queries.view(np.uint64):
        dist = np.bitwise_count(words ^ query).sum(axis=1, dtype=np.int64)
        hit = np.flatnonzero(dist <= radius)
        ids.append(hit.astype(np.int64))
        dists.append(dist[hit])
        lims.append(lims[-1] + len(hit))
    return RangeResult(np.array(lims), np.concatenate(ids), np.concatenate(dists))


def row(name: str, seconds: float, nq: int, rec: float, nbytes: int, raw: int, note: str) -> None:
    rate = nq / seconds
    print(
        f"  {name:<30} {rate:>10,.0f} lookups/s  recall {rec:.3f}  "
        f"memory {nbytes / 1e6:>8,.0f} MB ({nbytes / raw:.2f}x raw)  {note}"
    )


def flat_search(flat: faiss.IndexBinaryFlat, queries: U8) -> RangeResult:
    lims, dist, ids = flat.range_search(queries, 32)  # faiss keeps distances < radius
    return RangeResult(lims.astype(np.int64), ids.astype(np.int64), dist.astype(np.int64))


def rss() -> int:
    """Resident bytes of this process (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def best(search: Callable[[], RangeResult], repeats: int) -> tuple[float, RangeResult]:
    """Fastest of ``repeats`` runs: the machine is shared, the minimum is the least disturbed."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = search()
        times.append(time.perf_counter() - start)
    return min(times), result


def ours(
    codes: U8,
    queries: U8,
    targets: npt.NDArray[np.int64],
    layout: Layout | None,
    label: str,
    repeats: int,
) -> None:
    raw = codes.nbytes
    before = rss()
    start = time.perf_counter()
    index = HashIndex.from_codes(codes, 256, layout=layout)
    built = time.perf_counter() - start
    took, result = best(partial(index.search_codes, queries, 31), repeats)
    grown = rss() - before
    note = f"layout {index.layout}, build {built:.1f} s, RSS +{grown / 1e6:,.0f} MB"
    row(label, took, len(queries), recall(result, targets), index.nbytes, raw, note)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.index"
        index.save(path)
        del index
        before = rss()
        mapped = HashIndex.load(path)
        took, result = best(partial(mapped.search_codes, queries, 31), repeats)
        note = f"file {path.stat().st_size / 1e6:,.0f} MB, RSS +{(rss() - before) / 1e6:,.0f} MB"
        rec = recall(result, targets)
        row(f"{label}, mmap", took, len(queries), rec, mapped.nbytes, raw, note)
        del mapped


def run(n: int, nq: int, brute_nq: int, seed: int, repeats: int) -> None:
    codes, queries, targets = planted(n, nq, seed)
    raw = codes.nbytes
    print(f"\n{n:,} hashes ({raw / 1e6:,.0f} MB raw), {nq} queries, radius 31")
    ours(codes, queries, targets, None, "netpatrol HashIndex", repeats)
    ours(codes, queries, targets, "flat", "netpatrol, flat forced", repeats)

    before = rss()
    start = time.perf_counter()
    flat = faiss.IndexBinaryFlat(256)
    flat.add(codes)
    built = time.perf_counter() - start
    took, flat_result = best(partial(flat_search, flat, queries), repeats)
    rec = recall(flat_result, targets)
    note = f"build {built:.1f} s, RSS +{(rss() - before) / 1e6:,.0f} MB"
    row("faiss IndexBinaryFlat", took, nq, rec, flat.code_size * flat.ntotal, raw, note)
    del flat

    sub = min(brute_nq, nq)
    start = time.perf_counter()
    result = brute(codes, queries[:sub], 31)
    took = (time.perf_counter() - start) * nq / sub
    note = f"timed on {sub} queries, scaled"
    row("numpy brute force", took, nq, recall(result, targets[:sub]), raw, raw, note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--brute-queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20251124)
    parser.add_argument("--repeats", type=int, default=3, help="searches timed, fastest kept")
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"faiss {faiss.__version__} ({faiss.omp_get_max_threads()} threads), "
        f"numpy {np.__version__}"
    )
    for n in args.sizes:
        run(n, args.queries, args.brute_queries, args.seed, args.repeats)


if __name__ == "__main__":
    main()
