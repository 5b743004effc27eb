"""Near-duplicate images grouped by PDQ: the same product photo on many listings and sites.

An image joins the cluster of the first known image within ``NEAR`` bits of it, else
starts its own; the cluster's name is its first image's PDQ, the value of the
``image_pdq`` identifier the Link stage joins listings by. Brute force over the known
hashes (numpy popcount, about 1 ms per 30,000 images): a workspace's own images, far
fewer than a hash bank's millions.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

NEAR = 31
WORDS = 4  # 256 bits as four uint64


def codes_of(values: Iterable[str]) -> npt.NDArray[np.uint64]:
    raw = b"".join(bytes.fromhex(v) for v in values)
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64).reshape(-1, WORDS)


class ImageClusters:
    def __init__(self, known: Iterable[tuple[str, str]] = ()) -> None:
        """``known``: (pdq, cluster) of the images already clustered."""
        pairs = list(known)
        self._codes = codes_of(p for p, _ in pairs) if pairs else np.zeros((0, WORDS), np.uint64)
        self._clusters = [c for _, c in pairs]

    def __len__(self) -> int:
        return len(self._clusters)

    def assign(self, pdq: str) -> str:
        """The cluster of ``pdq`` (a 64-hex-digit PDQ hash), remembered for the next ones."""
        code = codes_of([pdq])
        cluster = pdq
        if self._clusters:
            distances = np.bitwise_count(self._codes ^ code).sum(axis=1)
            nearest = int(np.argmin(distances))
            if int(distances[nearest]) <= NEAR:
                cluster = self._clusters[nearest]
        self._codes = np.vstack([self._codes, code])
        self._clusters.append(cluster)
        return cluster
