"""Exact Hamming-radius search over binary hashes (256-bit PDQ, 64-bit pHash).

Two layouts behind one class, chosen by size:

* **flat** (below ``FLAT_LIMIT`` hashes): faiss ``IndexBinaryFlat`` and its range search,
  a multithreaded popcount scan of every code. Saved with faiss's writer and loaded with
  ``IO_FLAG_MMAP_IFC``, which maps the codes in place. (Measured with faiss 1.15:
  ``IO_FLAG_MMAP`` still copies a binary flat index into anonymous memory; ``_IFC`` does not.)
* **multi** (multi-index hashing, Norouzi et al.): the code is cut into ``m = bits / 16``
  16-bit chunks and each chunk has a bucket table (``offsets`` into an ``ids`` array sorted by
  that chunk). Pigeonhole: if every chunk differed from the query's in more than
  ``t = radius // m`` bits the whole distance would be at least ``m * (t + 1) > radius``;
  so probing, in every table, the buckets within ``t`` bits of the query's chunk finds every
  code within ``radius``. Each candidate is then verified on the full code, so results are
  exact: recall 1.0, no false positives. For PDQ at radius 31: 16 tables, ``t = 1``, 17 probes
  per table, about ``272 * N / 65536`` candidates per query instead of ``N``.

Why our own multi-index and not faiss ``IndexBinaryMultiHash`` (same parameters, nhash=16,
b=16, nflip=1): measured at 1 M PDQ hashes it took 351 MB (11x the 32 MB of codes: 8-byte ids
in per-table hash maps) and was barely faster than the flat scan. Ours keeps 4-byte ids in
flat arrays: 32 + 16 * 4 = 96 bytes a PDQ hash (3x the raw codes). An exact index at radius 31
cannot do with fewer tables: with 4 tables (the 1.5x budget) each would have to be probed at
radius 7 over 64-bit chunks, some 6e8 probes a query.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import faiss
import numpy as np
import numpy.typing as npt

FLAT_LIMIT = 1_000_000
CHUNK_BITS = 16
BUCKETS = 1 << CHUNK_BITS
MAGIC = b"NPMIH1\n"
ALIGN = 64
# Candidates verified together: big enough to amortise numpy's per-call overhead, small
# enough that the transient arrays (about 100 bytes a candidate) stay in cache-sized,
# reused allocations instead of fresh page-faulting ones (measured: 1 M-candidate batches
# ran 2x slower at 10 M hashes than 64 k ones, in system time).
BATCH_CANDIDATES = 1 << 16
MAX_BATCH = 256

Layout = Literal["flat", "multi"]
U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class RangeResult:
    """Results of a batch search in CSR form: query ``i`` has ``ids[lims[i]:lims[i+1]]``."""

    lims: I64
    ids: I64
    distances: I64

    def as_lists(self) -> list[list[tuple[int, int]]]:
        out: list[list[tuple[int, int]]] = []
        for i in range(len(self.lims) - 1):
            lo, hi = int(self.lims[i]), int(self.lims[i + 1])
            pairs = zip(self.ids[lo:hi].tolist(), self.distances[lo:hi].tolist(), strict=True)
            out.append(sorted(pairs, key=lambda p: (p[1], p[0])))
        return out


def hex_to_codes(values_hex: Sequence[str], bits: int) -> U8:
    """Hex strings to an (n, bits/8) uint8 array; raises ValueError on a bad value."""
    nbytes = bits // 8
    codes = np.empty((len(values_hex), nbytes), dtype=np.uint8)
    for i, value in enumerate(values_hex):
        raw = bytes.fromhex(value)
        if len(raw) != nbytes:
            raise ValueError(f"hash {value!r} has {len(raw) * 8} bits, expected {bits}")
        codes[i] = np.frombuffer(raw, dtype=np.uint8)
    return codes


class HashIndex:
    """An immutable index of binary codes; positions are those of the build list."""

    def __init__(
        self,
        bits: int,
        layout: Layout,
        *,
        flat: faiss.IndexBinary | None = None,
        codes: U8 | None = None,
        offsets: npt.NDArray[np.uint32] | None = None,
        ids: npt.NDArray[np.uint32] | None = None,
    ) -> None:
        self.bits = bits
        self.layout: Layout = layout
        self._flat = flat
        self._codes = codes
        self._offsets = offsets
        self._ids = ids

    # --- building ---------------------------------------------------------------------

    @classmethod
    def build(
        cls, values_hex: Sequence[str], bits: int, *, layout: Layout | None = None
    ) -> HashIndex:
        return cls.from_codes(hex_to_codes(values_hex, bits), bits, layout=layout)

    @classmethod
    def from_codes(cls, codes: U8, bits: int, *, layout: Layout | None = None) -> HashIndex:
        if bits % CHUNK_BITS or codes.ndim != 2 or codes.shape[1] * 8 != bits:
            raise ValueError(f"codes of shape {codes.shape} are not {bits}-bit codes")
        chosen = layout or ("flat" if len(codes) < FLAT_LIMIT else "multi")
        codes = np.ascontiguousarray(codes, dtype=np.uint8)
        if chosen == "flat":
            flat = faiss.IndexBinaryFlat(bits)
            if len(codes):
                flat.add(codes)
            return cls(bits, "flat", flat=flat)
        if len(codes) >= 1 << 32:
            raise ValueError("a multi-index holds fewer than 2**32 codes")
        chunks = codes.view("<u2")  # (n, m): chunk j of every code
        m = chunks.shape[1]
        offsets = np.zeros((m, BUCKETS + 1), dtype=np.uint32)
        ids = np.empty((m, len(codes)), dtype=np.uint32)
        for j in range(m):
            key = chunks[:, j]
            # Stable sort of uint16 is a radix sort in numpy: linear, and ids stay ascending
            # within a bucket (sequential reads when candidates are verified).
            ids[j] = np.argsort(key, kind="stable")
            np.cumsum(np.bincount(key, minlength=BUCKETS), out=offsets[j, 1:])
        return cls(bits, "multi", codes=codes, offsets=offsets, ids=ids)

    # --- facts --------------------------------------------------------------------------

    def __len__(self) -> int:
        if self._flat is not None:
            return int(self._flat.ntotal)
        assert self._codes is not None
        return len(self._codes)

    @property
    def nbytes(self) -> int:
        """Bytes the index holds (mapped or not): its memory footprint once paged in."""
        if self._flat is not None:
            return len(self) * self.bits // 8
        assert self._codes is not None and self._offsets is not None and self._ids is not None
        return self._codes.nbytes + self._offsets.nbytes + self._ids.nbytes

    # --- search -------------------------------------------------------------------------

    def search(self, queries_hex: Sequence[str], radius: int) -> list[list[tuple[int, int]]]:
        """Per query, ``(position, distance)`` of every stored code within ``radius``."""
        return self.search_codes(hex_to_codes(queries_hex, self.bits), radius).as_lists()

    def search_codes(self, queries: U8, radius: int, *, threads: int | None = None) -> RangeResult:
        if radius < 0:
            raise ValueError("radius must be >= 0")
        queries = np.ascontiguousarray(queries, dtype=np.uint8)
        if len(self) == 0 or len(queries) == 0:
            return _empty(len(queries))
        if self._flat is not None:
            # faiss's binary range search keeps distances strictly below its radius.
            lims, dist, ids = self._flat.range_search(queries, radius + 1)
            return RangeResult(lims.astype(np.int64), ids.astype(np.int64), dist.astype(np.int64))
        m = self.bits // CHUNK_BITS
        per_query = len(_masks(radius // m)) * m * len(self) / BUCKETS
        step = int(min(MAX_BATCH, max(1, BATCH_CANDIDATES // max(per_query, 1))))
        batches = [queries[i : i + step] for i in range(0, len(queries), step)]
        workers = threads or os.cpu_count() or 1
        if workers > 1 and len(batches) > 1:
            # numpy releases the GIL in the gathers and popcounts that dominate a batch.
            with ThreadPoolExecutor(max_workers=workers) as pool:
                parts = list(pool.map(lambda b: self._multi_batch(b, radius), batches))
        else:
            parts = [self._multi_batch(b, radius) for b in batches]
        return _concat(parts)

    def _multi_batch(self, queries: U8, radius: int) -> RangeResult:
        assert self._codes is not None and self._offsets is not None and self._ids is not None
        m = self.bits // CHUNK_BITS
        flips = radius // m
        masks = _masks(flips)
        if len(masks) * m * len(self) / BUCKETS > len(self) / 2:
            # So wide a radius probes most buckets: a straight scan is cheaper.
            return _scan(self._codes, queries, radius)
        qchunks = queries.view("<u2")
        cand_q: list[I64] = []
        cand_id: list[npt.NDArray[np.uint32]] = []
        owner = np.repeat(np.arange(len(queries), dtype=np.int64), len(masks))
        for j in range(m):
            probes = (qchunks[:, j, None] ^ masks[None, :]).astype(np.int64)  # (B, P)
            starts = self._offsets[j][probes].astype(np.int64).ravel()
            lens = self._offsets[j][probes + 1].astype(np.int64).ravel() - starts
            total = int(lens.sum())
            if total == 0:
                continue
            # Expand the bucket ranges [start, start + len) into one index array.
            first = np.cumsum(lens) - lens
            pos = np.arange(total, dtype=np.int64) + np.repeat(starts - first, lens)
            cand_id.append(self._ids[j][pos])
            cand_q.append(np.repeat(owner, lens))
        if not cand_id:
            return _empty(len(queries))
        qs = np.concatenate(cand_q)
        ids = np.concatenate(cand_id)
        dist = _hamming(self._codes[ids], queries[qs])
        keep = dist <= radius
        # A code near the query in several chunks is found by several tables: dedupe.
        pair = qs[keep] * (1 << 32) + ids[keep].astype(np.int64)
        unique, first_at = np.unique(pair, return_index=True)
        found_q = unique >> 32
        lims = np.searchsorted(found_q, np.arange(len(queries) + 1)).astype(np.int64)
        return RangeResult(lims, unique & 0xFFFFFFFF, dist[keep][first_at])

    # --- persistence --------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the index to ``path`` (replaced atomically: readers see old or new)."""
        tmp = path.with_name(path.name + ".tmp")
        if self._flat is not None:
            faiss.write_index_binary(self._flat, str(tmp))
        else:
            assert self._codes is not None and self._offsets is not None and self._ids is not None
            arrays: dict[str, npt.NDArray[np.generic]] = {
                "codes": self._codes,
                "offsets": self._offsets,
                "ids": self._ids,
            }
            with tmp.open("wb") as out:
                header = {"bits": self.bits, "arrays": list(_layout(arrays))}
                text = json.dumps(header).encode()
                # Pad the header so the arrays start aligned (np.memmap offsets, SIMD).
                text += b" " * (-(len(MAGIC) + 4 + len(text)) % ALIGN)
                out.write(MAGIC + len(text).to_bytes(4, "little") + text)
                base = out.tell()
                for name, offset, _dtype, _shape in _layout(arrays):
                    out.write(b"\0" * (base + offset - out.tell()))
                    out.write(np.ascontiguousarray(arrays[name]).tobytes())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, *, mmap: bool = True) -> HashIndex:
        with path.open("rb") as head:
            start = head.read(len(MAGIC) + 4)
            if not start.startswith(MAGIC):
                flag = faiss.IO_FLAG_MMAP_IFC if mmap else 0
                flat = faiss.read_index_binary(str(path), flag)
                return cls(int(flat.d), "flat", flat=flat)
            header = json.loads(head.read(int.from_bytes(start[len(MAGIC) :], "little")))
            base = head.tell()
        arrays: dict[str, npt.NDArray[np.generic]] = {}
        for name, offset, dtype, shape in header["arrays"]:
            where = base + offset
            if mmap:
                arrays[name] = np.memmap(path, dtype=dtype, mode="r", offset=where, shape=shape)
            else:
                count = int(np.prod(shape))
                with path.open("rb") as raw:
                    raw.seek(where)
                    arrays[name] = np.fromfile(raw, dtype=dtype, count=count).reshape(shape)
        return cls(
            int(header["bits"]),
            "multi",
            codes=arrays["codes"].view(np.uint8),
            offsets=arrays["offsets"].view(np.uint32),
            ids=arrays["ids"].view(np.uint32),
        )


def _layout(
    arrays: dict[str, npt.NDArray[np.generic]],
) -> Iterator[tuple[str, int, str, list[int]]]:
    """(name, offset from the end of the header, dtype, shape): offsets aligned for mmap."""
    offset = 0
    for name, array in arrays.items():
        offset += -offset % ALIGN
        yield name, offset, array.dtype.str, list(array.shape)
        offset += array.nbytes


@lru_cache(maxsize=CHUNK_BITS + 1)
def _masks(flips: int) -> npt.NDArray[np.uint16]:
    """Every 16-bit XOR mask with at most ``flips`` bits set, fewest bits first."""
    values = np.arange(BUCKETS, dtype=np.uint32)
    weight = np.bitwise_count(values)
    chosen = values[weight <= min(flips, CHUNK_BITS)]
    masks = chosen[np.argsort(weight[chosen], kind="stable")].astype(np.uint16)
    masks.setflags(write=False)  # shared by every caller through the cache
    return masks


def _hamming(a: U8, b: U8) -> I64:
    """Row-wise Hamming distance of two (n, k) uint8 arrays (k a multiple of 8)."""
    x = a.view(np.uint64) ^ b.view(np.uint64)
    dist: I64 = np.bitwise_count(x).sum(axis=1, dtype=np.int64)
    return dist


def _scan(codes: U8, queries: U8, radius: int) -> RangeResult:
    """Brute force: every code against every query (the fallback for very wide radii)."""
    q_out: list[I64] = []
    id_out: list[I64] = []
    d_out: list[I64] = []
    words = codes.view(np.uint64)
    for i, query in enumerate(queries.view(np.uint64)):
        dist = np.bitwise_count(words ^ query).sum(axis=1, dtype=np.int64)
        hit = np.flatnonzero(dist <= radius)
        q_out.append(np.full(len(hit), i, dtype=np.int64))
        id_out.append(hit.astype(np.int64))
        d_out.append(dist[hit])
    qs = np.concatenate(q_out)
    lims = np.searchsorted(qs, np.arange(len(queries) + 1)).astype(np.int64)
    return RangeResult(lims, np.concatenate(id_out), np.concatenate(d_out))


def _empty(n: int) -> RangeResult:
    none = np.zeros(0, dtype=np.int64)
    return RangeResult(np.zeros(n + 1, dtype=np.int64), none, none)


def _concat(parts: list[RangeResult]) -> RangeResult:
    lims = [np.zeros(1, dtype=np.int64)]
    base = 0
    for part in parts:
        lims.append(part.lims[1:] + base)
        base += int(part.lims[-1])
    return RangeResult(
        np.concatenate(lims),
        np.concatenate([p.ids for p in parts]),
        np.concatenate([p.distances for p in parts]),
    )
