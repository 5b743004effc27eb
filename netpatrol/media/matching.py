"""Matching image hashes against every bank in the store.

``BankIndex`` holds one searchable structure per bank: a ``HashIndex`` for the perceptual
kinds (PDQ, pHash), a sorted array for the exact kinds (MD5, SHA-256). Each is built from the
store once and cached on disk under ``folder`` (memory-mapped on the next load), keyed by the
bank's row count and last row id, so an import rebuilds it and nothing else does.

Rules (``decide``, pure):

* A bank's hit counts when its distance is within the bank's threshold (0 for exact kinds).
* **Negative banks** hold known false positives (stock photos, logos). Their hits are never
  reported. A negative hit of kind K suppresses the other banks' hits of kind K for the same
  image: a PDQ query within the negative bank's threshold of a known stock photo is not
  reported as a PDQ match of any other bank. A negative hit on an exact kind (the image *is*
  the known false positive, byte for byte) suppresses every kind. A perceptual negative hit
  does not suppress an exact hit of another bank: identical bytes outrank "looks like a logo".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from netpatrol.media.banks import KINDS, normalise
from netpatrol.media.index import HashIndex, hex_to_codes
from netpatrol.store.banks import (
    EXACT_KINDS,
    BankInfo,
    entries_by_id,
    hashes_by_id,
    list_banks,
)
from netpatrol.store.store import Store

# Bumped when the cached file layout changes: old caches are then rebuilt, not misread.
CACHE_VERSION = 1
BLOCK = 1 << 16


@dataclass(frozen=True)
class Hit:
    """A bank row within reach of a query hash, before the rules are applied."""

    bank: BankInfo
    kind: str
    hash_id: int
    distance: int


@dataclass(frozen=True)
class MatchResult:
    bank: str
    kind: str
    value: str
    label: str | None
    distance: int
    sensitive: bool
    hash_id: int


def decide(hits: Sequence[Hit]) -> list[Hit]:
    """The hits to report: within threshold, not from or suppressed by a negative bank."""
    within = [h for h in hits if h.distance <= h.bank.threshold]
    negative_kinds = {h.kind for h in within if h.bank.negative}
    if negative_kinds & EXACT_KINDS:
        return []
    return [h for h in within if not h.bank.negative and h.kind not in negative_kinds]


class _ExactSet:
    """Sorted hex digests and their row ids: binary search, 1 byte a hex digit."""

    def __init__(self, values: npt.NDArray[np.bytes_], ids: npt.NDArray[np.int64]) -> None:
        self.values = values
        self.ids = ids

    def lookup(self, value: str) -> int | None:
        key = np.bytes_(value.encode())
        at = int(np.searchsorted(self.values, key))
        if at < len(self.values) and self.values[at] == key:
            return int(self.ids[at])
        return None


@dataclass
class _Loaded:
    bank: BankInfo
    index: HashIndex | _ExactSet
    ids: npt.NDArray[np.int64]


class BankIndex:
    """Every bank of a store, searchable; ``refresh()`` picks up imports since the build."""

    def __init__(self, store: Store, folder: Path, *, mmap: bool = True) -> None:
        self.store = store
        self.folder = folder
        self.mmap = mmap
        self._banks: dict[int, _Loaded] = {}
        self.refresh()

    def refresh(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        current = {b.id: b for b in list_banks(self.store)}
        for bank_id in list(self._banks):
            if bank_id not in current:
                del self._banks[bank_id]
        for bank in current.values():
            loaded = self._banks.get(bank.id)
            if loaded is None or loaded.bank.version != bank.version:
                self._banks[bank.id] = self._load(bank)
            else:
                loaded.bank = bank  # threshold or flags may have changed; rows did not

    @property
    def banks(self) -> list[BankInfo]:
        return [b.bank for b in self._banks.values()]

    def match(self, hashes: Mapping[str, str]) -> list[MatchResult]:
        return self.match_many([hashes])[0]

    def match_many(self, queries: Sequence[Mapping[str, str]]) -> list[list[MatchResult]]:
        """Per image (``{kind: hex}``), what it matches. Kinds without a bank, and values
        that are not hashes of their kind (the hasher reports those), are ignored."""
        hits: list[list[Hit]] = [[] for _ in queries]
        for loaded in self._banks.values():
            kind = loaded.bank.kind
            wanted = [
                (i, value)
                for i, q in enumerate(queries)
                if (value := normalise(q.get(kind) or "", kind)) is not None
            ]
            if not wanted or loaded.bank.count == 0:
                continue
            for i, hit in _search(loaded, wanted):
                hits[i].append(hit)
        decided = [decide(h) for h in hits]
        rows = hashes_by_id(self.store, [h.hash_id for hs in decided for h in hs])
        return [
            [
                MatchResult(
                    bank=h.bank.name,
                    kind=h.kind,
                    value=rows[h.hash_id].value,
                    label=rows[h.hash_id].label,
                    distance=h.distance,
                    sensitive=h.bank.sensitive,
                    hash_id=h.hash_id,
                )
                for h in sorted(hs, key=lambda h: (h.distance, h.bank.name, h.hash_id))
            ]
            for hs in decided
        ]

    # --- cache --------------------------------------------------------------------------

    def _load(self, bank: BankInfo) -> _Loaded:
        stem = f"bank-{bank.id}.v{CACHE_VERSION}-{bank.version}"
        index_path = self.folder / f"{stem}.index"
        ids_path = self.folder / f"{stem}.ids.npy"
        values_path = self.folder / f"{stem}.values.npy"
        exact = bank.kind in EXACT_KINDS
        if not (ids_path.exists() and (values_path if exact else index_path).exists()):
            self._build(bank, index_path, ids_path, values_path)
        mode: Literal["r"] | None = "r" if self.mmap else None
        ids = np.load(ids_path, mmap_mode=mode)
        if exact:
            return _Loaded(bank, _ExactSet(np.load(values_path, mmap_mode=mode), ids), ids)
        return _Loaded(bank, HashIndex.load(index_path, mmap=self.mmap), ids)

    def _build(self, bank: BankInfo, index_path: Path, ids_path: Path, values_path: Path) -> None:
        for stale in self.folder.glob(f"bank-{bank.id}.*"):
            stale.unlink()
        ids, values = _read_bank(self.store, bank)
        if bank.kind in EXACT_KINDS:
            order = np.argsort(values, kind="stable")
            _save_npy(values_path, values[order])
            _save_npy(ids_path, ids[order])
            return
        HashIndex.from_codes(values, KINDS[bank.kind]).save(index_path)
        _save_npy(ids_path, ids)


def _read_bank(store: Store, bank: BankInfo) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
    """Row ids and values (codes for perceptual kinds, ``S`` hex for exact ones), converted
    a block at a time: a 10 M-row bank never exists as 10 M Python objects."""
    exact = bank.kind in EXACT_KINDS
    id_parts: list[npt.NDArray[np.int64]] = []
    value_parts: list[npt.NDArray[Any]] = []
    block_ids: list[int] = []
    block_values: list[str] = []

    def flush() -> None:
        id_parts.append(np.array(block_ids, dtype=np.int64))
        if exact:
            value_parts.append(np.array(block_values, dtype=f"S{KINDS[bank.kind] // 4}"))
        else:
            value_parts.append(hex_to_codes(block_values, KINDS[bank.kind]))
        block_ids.clear()
        block_values.clear()

    for row in entries_by_id(store, bank.id):
        block_ids.append(row.id)
        block_values.append(row.value)
        if len(block_ids) >= BLOCK:
            flush()
    flush()
    return np.concatenate(id_parts), np.concatenate(value_parts)


def _search(loaded: _Loaded, wanted: list[tuple[int, str]]) -> list[tuple[int, Hit]]:
    bank = loaded.bank
    out: list[tuple[int, Hit]] = []
    if isinstance(loaded.index, _ExactSet):
        for i, value in wanted:
            found = loaded.index.lookup(value)
            if found is not None:
                out.append((i, Hit(bank, bank.kind, found, 0)))
        return out
    result = loaded.index.search_codes(
        hex_to_codes([v for _, v in wanted], KINDS[bank.kind]), bank.threshold
    )
    for n, (i, _) in enumerate(wanted):
        lo, hi = int(result.lims[n]), int(result.lims[n + 1])
        for position, distance in zip(result.ids[lo:hi], result.distances[lo:hi], strict=True):
            out.append((i, Hit(bank, bank.kind, int(loaded.ids[position]), int(distance))))
    return out


def _save_npy(path: Path, array: npt.NDArray[np.generic]) -> None:
    """Write then rename, so a reader never maps a half-written file."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as out:
        np.save(out, array)
    tmp.replace(path)
