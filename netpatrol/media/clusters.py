"""Near-duplicate images grouped by PDQ: the same product photo on many listings and sites.

An image joins the cluster of the nearest known image within ``NEAR`` bits of it (the
earliest one on a tie), else starts its own; the cluster's name is its first image's PDQ,
the value of the ``image_pdq`` identifier the Link stage joins listings by.

Brute force over the known hashes: a workspace's own images, far fewer than a hash bank's
millions. The codes live in a buffer whose capacity doubles, so adding one costs amortised
O(1) (growing the array a hash at a time copied it whole: quadratic over a scan), and the
scan is faiss's popcount range search (about 20x numpy's XOR and popcount a query at
50,000 codes). See the image-clustering figures in docs/performance.md.
"""

from __future__ import annotations

from collections.abc import Iterable

import faiss
import numpy as np
import numpy.typing as npt

NEAR = 31
BYTES = 32  # a 256-bit PDQ hash
INITIAL_CAPACITY = 1024

U8 = npt.NDArray[np.uint8]


def codes_of(values: Iterable[str]) -> U8:
    """Hex PDQ hashes as an (n, 32) uint8 array, the layout faiss scans."""
    raw = b"".join(bytes.fromhex(v) for v in values)
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, BYTES)


class ImageClusters:
    def __init__(self, known: Iterable[tuple[str, str]] = ()) -> None:
        """``known``: (pdq, cluster) of the images already clustered, oldest first."""
        pairs = list(known)
        seeded = codes_of(p for p, _ in pairs)
        self._codes = np.zeros((max(INITIAL_CAPACITY, 2 * len(seeded)), BYTES), np.uint8)
        self._codes[: len(seeded)] = seeded
        self._clusters = [c for _, c in pairs]

    def __len__(self) -> int:
        return len(self._clusters)

    def assign(self, pdq: str) -> str:
        """The cluster of ``pdq`` (a 64-hex-digit PDQ hash), remembered for the next ones."""
        code = codes_of([pdq])
        nearest = self._nearest(code)
        cluster = pdq if nearest is None else self._clusters[nearest]
        self._append(code)
        self._clusters.append(cluster)
        return cluster

    def _nearest(self, code: U8) -> int | None:
        """Position of the nearest known code within ``NEAR`` bits, the earliest on a tie."""
        if not self._clusters:
            return None
        rows, distances = _within(code, self._codes[: len(self._clusters)], NEAR)
        if len(rows) == 0:
            return None
        # Smallest distance, then smallest position: what argmin over all codes chose.
        return int(rows[np.lexsort((rows, distances))[0]])

    def _append(self, code: U8) -> None:
        size = len(self._clusters)
        if size == len(self._codes):
            grown = np.zeros((2 * size, BYTES), np.uint8)
            grown[:size] = self._codes
            self._codes = grown
        self._codes[size] = code[0]


def _within(
    query: U8, codes: U8, radius: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(positions, distances) of the codes within ``radius`` bits of the one query."""
    result = faiss.RangeSearchResult(1)
    # faiss keeps distances strictly below its radius argument.
    faiss.hamming_range_search(  # type: ignore[attr-defined]  # absent from faiss's stubs
        faiss.swig_ptr(np.ascontiguousarray(query)),
        faiss.swig_ptr(codes),
        1,
        len(codes),
        radius + 1,
        BYTES,
        result,
    )
    found = int(faiss.rev_swig_ptr(result.lims, 2)[1])
    if found == 0:
        none = np.zeros(0, dtype=np.int64)
        return none, none
    rows = np.array(faiss.rev_swig_ptr(result.labels, found), dtype=np.int64)
    distances = np.array(faiss.rev_swig_ptr(result.distances, found), dtype=np.int64)
    return rows, distances
