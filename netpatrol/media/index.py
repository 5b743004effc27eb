"""Exact Hamming-radius search over binary hashes (256-bit PDQ, 64-bit pHash).

Two layouts behind one class, chosen by code size:

* **prefix** (256-bit PDQ): a two-stage exact search. The first 128 bits of every code (the
  "head") are scanned with faiss's multithreaded popcount range search; the last 128 bits
  (the "tail", same order) verify the survivors. The distance over the head is a lower bound
  of the full distance, so the head pass at the same radius finds a superset of the matches
  and the verification makes the result exact. For random codes at radius 31 almost nothing
  else survives (P(Bin(128, 1/2) <= 31) is about 1e-9), and a 16-byte code scans faster
  than a 32-byte one (1.4x measured at 1 M and 10 M). Memory is the raw codes: 32 bytes a hash.
* **flat** (other sizes, e.g. 64-bit pHash): the same scan over the whole code, no tail. A
  half of a 64-bit code is no filter at pHash radii.

Why not faiss ``IndexBinaryFlat``: it copies its codes into its own vector (a file maps only
with ``IO_FLAG_MMAP_IFC``, and the head and tail would need two files), and its range search
cannot be cut into bank blocks. We call faiss's ``hamming_range_search`` ourselves on blocks
of our own arrays, both memory-mapped from one file: a block bounds the candidates a call can
return (``PAIRS_PER_CALL``) when a bank of near-identical hashes defeats the head filter, and
a cache-sized block scanned by a batch of queries measured faster than an
``IndexBinaryFlat(128)`` over the same heads at 10 M hashes (305 against 240 lookups/s).
This replaces a multi-index (16 tables of 16-bit chunks with 4-byte positions): 1.1x to 1.4x
faster at 1 M and 10 M hashes, but 3x the raw codes against a 1.5x budget. See the
hash-bank section of docs/performance.md.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np
import numpy.typing as npt

HEAD_BITS = 128
# Rows per faiss call: 4 MB of heads, cache-resident while every query of a batch scans it.
BLOCK_ROWS = 1 << 18
# Query x row pairs per call (64 queries a block): bounds the candidates one call can return
# when the head filter lets everything through (a bank of near-identical hashes) to 16.8 M,
# 24 bytes each once copied out. 64, 128 and 256 queries a block measured the same speed.
PAIRS_PER_CALL = 1 << 24
# Candidates verified at once: the gathers and popcounts take ~70 bytes a candidate.
VERIFY_BATCH = 1 << 20
FORMAT_VERSION = 2
MAGIC = b"NPHIX2\n"
OLD_MULTI_MAGIC = b"NPMIH1\n"  # version 1: the multi-index layout
OLD_FLAT_MAGIC = b"IBxF"  # version 1: a bare faiss IndexBinaryFlat file
ALIGN = 64

Layout = Literal["flat", "prefix"]
U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

_log = logging.getLogger(__name__)


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


def default_layout(bits: int) -> Layout:
    """``prefix`` where a 128-bit head is a selective filter and the tail is whole words."""
    return "prefix" if bits >= 2 * HEAD_BITS and bits % 64 == 0 else "flat"


class HashIndex:
    """An immutable index of binary codes; positions are those of the build list."""

    def __init__(self, bits: int, head: U8, tail: U8) -> None:
        self.bits = bits
        self.layout: Layout = "prefix" if tail.shape[1] else "flat"
        self._head = head
        self._tail = tail

    # --- building ---------------------------------------------------------------------

    @classmethod
    def build(
        cls, values_hex: Sequence[str], bits: int, *, layout: Layout | None = None
    ) -> HashIndex:
        return cls.from_codes(hex_to_codes(values_hex, bits), bits, layout=layout)

    @classmethod
    def from_codes(cls, codes: U8, bits: int, *, layout: Layout | None = None) -> HashIndex:
        if bits <= 0 or bits % 8 or codes.ndim != 2 or codes.shape[1] * 8 != bits:
            raise ValueError(f"codes of shape {codes.shape} are not {bits}-bit codes")
        chosen = layout or default_layout(bits)
        if chosen == "prefix" and default_layout(bits) != "prefix":
            raise ValueError(f"the prefix layout needs codes of 256+ bits in whole words: {bits}")
        split = HEAD_BITS // 8 if chosen == "prefix" else bits // 8
        # Copies, never views: the index must not change when the caller's array does.
        head = np.array(codes[:, :split], dtype=np.uint8, order="C")
        tail = np.array(codes[:, split:], dtype=np.uint8, order="C")
        return cls(bits, head, tail)

    # --- facts --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._head)

    @property
    def nbytes(self) -> int:
        """Bytes the index holds (mapped or not): its memory footprint once paged in."""
        return int(self._head.nbytes + self._tail.nbytes)

    # --- search -------------------------------------------------------------------------

    def search(self, queries_hex: Sequence[str], radius: int) -> list[list[tuple[int, int]]]:
        """Per query, ``(position, distance)`` of every stored code within ``radius``."""
        return self.search_codes(hex_to_codes(queries_hex, self.bits), radius).as_lists()

    def search_codes(self, queries: U8, radius: int, *, threads: int | None = None) -> RangeResult:
        """Every stored code within ``radius`` (inclusive) of each query; ``threads`` caps
        faiss's OpenMP threads for this call (default: faiss's own setting)."""
        if radius < 0:
            raise ValueError("radius must be >= 0")
        queries = np.ascontiguousarray(queries, dtype=np.uint8)
        if queries.ndim != 2 or queries.shape[1] * 8 != self.bits:
            raise ValueError(f"queries of shape {queries.shape} are not {self.bits}-bit codes")
        if len(self) == 0 or len(queries) == 0:
            return _empty(len(queries))
        split = self._head.shape[1]
        q_head = np.ascontiguousarray(queries[:, :split])
        q_tail = np.ascontiguousarray(queries[:, split:])
        step = max(1, PAIRS_PER_CALL // min(len(self), BLOCK_ROWS))
        parts: list[tuple[I64, I64, I64]] = []
        with _omp_threads(threads):
            for q0 in range(0, len(queries), step):
                batch = slice(q0, q0 + step)
                for lo in range(0, len(self), BLOCK_ROWS):
                    owner, rows, dist = self._search_block(q_head[batch], q_tail[batch], lo, radius)
                    parts.append((owner + q0, rows, dist))
        return _merge(parts, len(queries))

    def _search_block(self, q_head: U8, q_tail: U8, lo: int, radius: int) -> tuple[I64, I64, I64]:
        """(query, position, distance) of the matches among one block of rows."""
        owner, rows, dist = _head_range(q_head, self._head[lo : lo + BLOCK_ROWS], radius)
        rows += lo
        if self._tail.shape[1] and len(rows):
            # Candidates are verified in slices of VERIFY_BATCH, each one numpy gather and
            # popcount: a bank of near-identical heads costs memory bandwidth, never a
            # Python step per candidate.
            for at in range(0, len(rows), VERIFY_BATCH):
                part = slice(at, at + VERIFY_BATCH)
                dist[part] += _hamming(self._tail[rows[part]], q_tail[owner[part]])
            keep = dist <= radius
            owner, rows, dist = owner[keep], rows[keep], dist[keep]
        return owner, rows, dist

    # --- persistence --------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the index to ``path`` (replaced atomically: readers see old or new)."""
        arrays: dict[str, U8] = {"head": self._head, "tail": self._tail}
        header = {"version": FORMAT_VERSION, "bits": self.bits, "arrays": list(_layout(arrays))}
        text = json.dumps(header).encode()
        # Pad the header so the arrays start aligned (np.memmap offsets, SIMD loads).
        text += b" " * (-(len(MAGIC) + 4 + len(text)) % ALIGN)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as out:
            out.write(MAGIC + len(text).to_bytes(4, "little") + text)
            base = out.tell()
            for name, offset, _dtype, _shape in _layout(arrays):
                out.write(b"\0" * (base + offset - out.tell()))
                out.write(np.ascontiguousarray(arrays[name]).tobytes())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, *, mmap: bool = True) -> HashIndex:
        """Read an index, its arrays memory-mapped unless ``mmap`` is false. A file of the
        version-1 layouts is read, rewritten in the current format and then loaded."""
        with path.open("rb") as raw:
            start = raw.read(len(MAGIC))
        if start == MAGIC:
            header, arrays = _read_arrays(path, mmap)
            return cls(int(header["bits"]), arrays["head"], arrays["tail"])
        if start == OLD_MULTI_MAGIC:
            header, arrays = _read_arrays(path, mmap=True)
            codes = np.asarray(arrays["codes"], dtype=np.uint8)
            old = cls.from_codes(codes, int(header["bits"]))
        elif start.startswith(OLD_FLAT_MAGIC):
            flat = faiss.read_index_binary(str(path))
            codes = faiss.vector_to_array(flat.xb)  # type: ignore[attr-defined]
            old = cls.from_codes(codes.reshape(int(flat.ntotal), -1), int(flat.d))
        else:
            raise ValueError(f"{path}: not a netpatrol hash index")
        return _upgrade(old, path, mmap)


def _upgrade(index: HashIndex, path: Path, mmap: bool) -> HashIndex:
    """Rewrite a version-1 file in the current format, so that it maps from now on."""
    try:
        index.save(path)
    except OSError as exc:
        _log.warning("%s: old hash-index format, read into memory (cannot rewrite: %s)", path, exc)
        return index
    _log.warning("%s: old hash-index format, rewritten as format %d", path, FORMAT_VERSION)
    return HashIndex.load(path, mmap=mmap)


def _read_arrays(path: Path, mmap: bool) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
    """The JSON header and the arrays of a file in our own format (versions 1 and 2)."""
    with path.open("rb") as raw:
        start = raw.read(len(MAGIC) + 4)
        header: dict[str, Any] = json.loads(raw.read(int.from_bytes(start[len(MAGIC) :], "little")))
        base = raw.tell()
    arrays: dict[str, npt.NDArray[Any]] = {}
    for name, offset, dtype, shape in header["arrays"]:
        where = base + offset
        size = int(np.prod(shape)) * np.dtype(dtype).itemsize
        if size == 0:
            array = np.zeros(shape, dtype=dtype)  # mmap cannot map zero bytes
        elif mmap:
            array = np.memmap(path, dtype=dtype, mode="r", offset=where, shape=tuple(shape))
        else:
            with path.open("rb") as raw:
                raw.seek(where)
                array = np.fromfile(raw, dtype=dtype, count=int(np.prod(shape))).reshape(shape)
        arrays[name] = array
    return header, arrays


def _layout(arrays: dict[str, U8]) -> Iterator[tuple[str, int, str, list[int]]]:
    """(name, offset from the end of the header, dtype, shape): offsets aligned for mmap."""
    offset = 0
    for name, array in arrays.items():
        offset += -offset % ALIGN
        yield name, offset, array.dtype.str, list(array.shape)
        offset += array.nbytes


@contextmanager
def _omp_threads(threads: int | None) -> Iterator[None]:
    """OpenMP's thread count is per calling thread: setting it here leaves other threads'."""
    if threads is None:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _head_range(queries: U8, codes: U8, radius: int) -> tuple[I64, I64, I64]:
    """(query, row, distance) of every code within ``radius`` of a query, by faiss."""
    result = faiss.RangeSearchResult(len(queries))
    # faiss keeps distances strictly below its radius argument.
    faiss.hamming_range_search(  # type: ignore[attr-defined]  # absent from faiss's stubs
        faiss.swig_ptr(queries),
        faiss.swig_ptr(codes),
        len(queries),
        len(codes),
        radius + 1,
        codes.shape[1],
        result,
    )
    lims = np.array(faiss.rev_swig_ptr(result.lims, len(queries) + 1), dtype=np.int64)
    total = int(lims[-1])
    if total == 0:
        none = np.zeros(0, dtype=np.int64)
        return none, none, none.copy()
    rows = np.array(faiss.rev_swig_ptr(result.labels, total), dtype=np.int64)
    dist = np.array(faiss.rev_swig_ptr(result.distances, total), dtype=np.int64)
    owner = np.repeat(np.arange(len(queries), dtype=np.int64), np.diff(lims))
    return owner, rows, dist


def _hamming(a: U8, b: U8) -> I64:
    """Row-wise Hamming distance of two (n, k) uint8 arrays (k a multiple of 8)."""
    x = a.view(np.uint64) ^ b.view(np.uint64)
    dist: I64 = np.bitwise_count(x).sum(axis=1, dtype=np.int64)
    return dist


def _merge(parts: list[tuple[I64, I64, I64]], n: int) -> RangeResult:
    """Blocks' (query, position, distance) triples into CSR, positions ascending per query."""
    owner = np.concatenate([p[0] for p in parts])
    rows = np.concatenate([p[1] for p in parts])
    dist = np.concatenate([p[2] for p in parts])
    order = np.lexsort((rows, owner))
    lims = np.searchsorted(owner[order], np.arange(n + 1)).astype(np.int64)
    return RangeResult(lims, rows[order], dist[order])


def _empty(n: int) -> RangeResult:
    none = np.zeros(0, dtype=np.int64)
    return RangeResult(np.zeros(n + 1, dtype=np.int64), none, none)
