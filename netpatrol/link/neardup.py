"""Near-duplicates by MinHash LSH (datasketch): copied listing texts, shared page templates.

Each document (a listing's text, a site's set of tag paths) gets a datasketch MinHash;
the LSH banding (datasketch's optimal bands and rows for the threshold) is done on the
whole signature matrix at once with numpy (sort each band's row hashes, candidates are
runs of equal hashes), and each candidate pair is kept only when the signatures agree
on at least ``threshold`` of their positions. Linear in the number of documents, and a
few hundred bytes a document: a million listing texts fit in memory, which datasketch's
own ``MinHashLSH`` index (dictionaries of bytes keys per band) does not comfortably.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

from netpatrol.link.unionfind import UnionFind

NUM_PERM = 64
SEED = 1
_WORD = re.compile(r"\w+")
# A text shorter than this (a title: "5g MDMA") is shared by unrelated sellers.
MIN_TOKENS = 12
SHINGLE = 3  # words per shingle
CANDIDATE_SLACK = 0.2
_MIX = np.uint64(0x9E3779B97F4A7C15)


class NearDuplicates:
    """Collects documents as shingle sets; ``groups()`` gives the near-duplicate sets."""

    def __init__(self, threshold: float = 0.7) -> None:
        self.threshold = threshold
        # Bands tuned for a lower similarity than the one kept: more candidates, each
        # checked on the whole signature, so near-duplicates just above it are not missed.
        params = MinHashLSH(threshold=threshold - CANDIDATE_SLACK, num_perm=NUM_PERM)
        self.bands, self.rows = int(params.b), int(params.r)
        # crc32: a C function, ~30 µs for a 40-shingle text instead of ~90 with SHA-1.
        self._proto = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)
        self._keys: list[int] = []
        self._rows: list[npt.NDArray[np.uint32]] = []
        self._chunks: list[npt.NDArray[np.uint32]] = []
        self._exact: dict[bytes, int] = {}  # digest of the shingles -> first key
        self._same: list[tuple[int, int]] = []  # exact copies: (key, first key)

    def add(self, key: int, shingles: Iterable[bytes]) -> None:
        items = sorted(set(shingles))
        if not items:
            return
        digest = hashlib.blake2b(b"\x00".join(items), digest_size=12).digest()
        first = self._exact.setdefault(digest, key)
        if first != key:  # an exact copy: no MinHash needed
            self._same.append((key, first))
            return
        minhash = self._proto.copy()
        minhash.update_batch(items)
        self._append(key, np.asarray(minhash.hashvalues, dtype=np.uint32))

    def add_signature(self, key: int, signature: npt.NDArray[np.uint32]) -> None:
        """A document already MinHashed (``signature()``), e.g. a cached page template."""
        first = self._exact.setdefault(signature.tobytes(), key)
        if first != key:
            self._same.append((key, first))
            return
        self._append(key, signature)

    @staticmethod
    def signature(shingles: Iterable[bytes]) -> npt.NDArray[np.uint32]:
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)
        minhash.update_batch(sorted(set(shingles)))
        return np.asarray(minhash.hashvalues, dtype=np.uint32)

    def _append(self, key: int, row: npt.NDArray[np.uint32]) -> None:
        self._keys.append(key)
        self._rows.append(row)
        if len(self._rows) >= 4096:
            self._chunks.append(np.vstack(self._rows))
            self._rows = []

    def groups(self) -> list[list[int]]:
        """Sets of two or more keys whose documents are near-duplicates."""
        if self._rows:
            self._chunks.append(np.vstack(self._rows))
            self._rows = []
        index = {key: i for i, key in enumerate(self._keys)}
        sets = UnionFind(len(self._keys))
        if self._chunks:
            signatures = np.vstack(self._chunks)
            self._chunks = [signatures]
            for a, b in self._candidates(signatures):
                sets.union(a, b)
        for key, first in self._same:
            position = index.get(key)
            if position is None:
                position = sets.add()
                index[key] = position
                self._keys.append(key)
            sets.union(position, index[first])
        return [sorted(self._keys[i] for i in members) for members in sets.groups().values()]

    def _candidates(self, signatures: npt.NDArray[np.uint32]) -> list[tuple[int, int]]:
        pairs: list[tuple[int, int]] = []
        for band in range(self.bands):
            part = signatures[:, band * self.rows : (band + 1) * self.rows].astype(np.uint64)
            digest = np.zeros(len(part), dtype=np.uint64)
            for column in range(part.shape[1]):  # wrapping multiply-xor: a row's hash
                digest = (digest * _MIX) ^ part[:, column]
            order = np.argsort(digest, kind="stable")
            ordered = digest[order]
            same = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
            if not len(same):
                continue
            # Each member of a run of equal hashes is checked against the run's first.
            starts = np.where(np.r_[True, ordered[1:] != ordered[:-1]], np.arange(len(order)), 0)
            first = order[np.maximum.accumulate(starts)[same]]
            other = order[same]
            agree = (signatures[first] == signatures[other]).mean(axis=1) >= self.threshold
            pairs.extend(zip(first[agree].tolist(), other[agree].tolist(), strict=True))
        return pairs


def text_shingles(text: str | None) -> list[bytes]:
    """Word 3-grams of a listing's text, case-folded; none for a text too short to tell."""
    if not text:
        return []
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_TOKENS:
        return []
    return [" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)]
