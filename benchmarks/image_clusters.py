"""Near-duplicate clustering as ``netpatrol scan`` does it: one ``assign`` a hashed image.

    .venv/bin/python benchmarks/image_clusters.py [--sizes 20000 50000] [--seed 1]

For each size: that many PDQ hashes, one in ten a near-duplicate (0 to 31 bits flipped) of
an earlier one, the rest random, assigned one by one to a fresh ``ImageClusters`` (the
images of a scan arrive one at a time). Prints the time, assignments per second, the
clusters made and a digest of the assignments: equal digests mean equal cluster choices
(compare the digest before and after a change to ``netpatrol/media/clusters.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import time

import numpy as np

from netpatrol.media.clusters import ImageClusters


def planted(n: int, seed: int) -> list[str]:
    """``n`` hex PDQ hashes: every tenth a copy of an earlier one with i % 32 bits flipped."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    for row in range(10, n, 10):
        bits = np.unpackbits(codes[rng.integers(0, row)])
        bits[rng.choice(256, size=row % 32, replace=False)] ^= 1
        codes[row] = np.packbits(bits)
    return [bytes(code).hex() for code in codes]


def run(n: int, seed: int) -> None:
    hashes = planted(n, seed)
    clusters = ImageClusters()
    start = time.perf_counter()
    chosen = [clusters.assign(h) for h in hashes]
    elapsed = time.perf_counter() - start
    digest = hashlib.sha256("\n".join(chosen).encode()).hexdigest()[:16]
    print(
        f"{n:>9,} images  {elapsed:8.2f} s  {n / elapsed:>9,.0f} assigns/s  "
        f"{len(set(chosen)):>7,} clusters  digest {digest}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 50_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.seed)


if __name__ == "__main__":
    main()
