"""PDQ bank search: our index beside faiss ``IndexBinaryFlat`` and a numpy brute force.

    .venv/bin/python benchmarks/hashes.py [--sizes 1000000 10000000] [--queries 1000]

For each size: a bank of random 256-bit codes and ``--queries`` queries, each a stored code
with 0..31 bits flipped (query i at distance i % 32), searched at radius 31. Prints, per
method, lookups/s, recall of the planted codes, and index memory beside the raw codes
(32 bytes a hash). The numpy brute force (XOR and popcount over uint64 words) is timed on a
subset of queries (``--brute-queries``) and its rate scaled: it is the floor, not a contender.
Build times are printed too. No assertions: figures for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import faiss
import numpy as np
import numpy.typing as npt

from netpatrol.media.index import HashIndex, RangeResult

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
        f"  {name:<26} {rate:>10,.0f} lookups/s  recall {rec:.3f}  "
        f"memory {nbytes / 1e6:>8,.0f} MB ({nbytes / raw:.2f}x raw)  {note}"
    )


def run(n: int, nq: int, brute_nq: int, seed: int) -> None:
    codes, queries, targets = planted(n, nq, seed)
    raw = codes.nbytes
    print(f"\n{n:,} hashes ({raw / 1e6:,.0f} MB raw), {nq} queries, radius 31")

    start = time.perf_counter()
    ours = HashIndex.from_codes(codes, 256)
    built = time.perf_counter() - start
    start = time.perf_counter()
    result = ours.search_codes(queries, 31)
    took = time.perf_counter() - start
    note = f"layout {ours.layout}, build {built:.1f} s"
    row("netpatrol HashIndex", took, nq, recall(result, targets), ours.nbytes, raw, note)
    if ours.layout != "multi":
        start = time.perf_counter()
        multi = HashIndex.from_codes(codes, 256, layout="multi")
        built = time.perf_counter() - start
        start = time.perf_counter()
        result = multi.search_codes(queries, 31)
        took = time.perf_counter() - start
        note = f"forced, build {built:.1f} s"
        row("netpatrol multi-index", took, nq, recall(result, targets), multi.nbytes, raw, note)
        del multi
    del ours

    start = time.perf_counter()
    flat = faiss.IndexBinaryFlat(256)
    flat.add(codes)
    built = time.perf_counter() - start
    start = time.perf_counter()
    lims, dist, ids = flat.range_search(queries, 32)  # faiss keeps distances < radius
    took = time.perf_counter() - start
    flat_result = RangeResult(lims.astype(np.int64), ids.astype(np.int64), dist.astype(np.int64))
    rec = recall(flat_result, targets)
    row("faiss IndexBinaryFlat", took, nq, rec, raw, raw, f"build {built:.1f} s")
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
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"faiss {faiss.__version__} ({faiss.omp_get_max_threads()} threads), "
        f"numpy {np.__version__}"
    )
    for n in args.sizes:
        run(n, args.queries, args.brute_queries, args.seed)


if __name__ == "__main__":
    main()
