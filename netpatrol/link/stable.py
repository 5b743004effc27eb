"""Stable network ids: a network keeps its id from one ``link`` run to the next when its
membership overlaps the old one's; when networks merge, the one sharing most members
keeps its id and the others are recorded as merged into it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Matching:
    ids: list[int | None]  # for each new network, the old id it keeps (None: a new one)
    merged: dict[int, int]  # old id -> old id kept by the network it went into
    gone: list[int]  # old ids whose members are in no network any more


def match_ids(new: Sequence[Sequence[str]], old: Mapping[int, Sequence[str]]) -> Matching:
    """``new``: each new network's principal keys; ``old``: the stored networks' keys."""
    owner = {key: old_id for old_id, keys in old.items() for key in keys}
    overlaps: list[tuple[int, int, int]] = []  # (shared members, new index, old id)
    for index, keys in enumerate(new):
        for old_id, shared in Counter(owner[k] for k in keys if k in owner).items():
            overlaps.append((shared, index, old_id))
    # Largest overlap first; ties to the older (smaller) id, for repeatable results.
    overlaps.sort(key=lambda o: (-o[0], o[2], o[1]))
    ids: list[int | None] = [None] * len(new)
    taken: set[int] = set()
    for _, index, old_id in overlaps:
        if ids[index] is None and old_id not in taken:
            ids[index] = old_id
            taken.add(old_id)
    merged: dict[int, int] = {}
    for _, index, old_id in overlaps:
        kept = ids[index]
        if old_id not in taken and old_id not in merged and kept is not None:
            merged[old_id] = kept
    gone = sorted(set(old) - taken - set(merged))
    return Matching(ids, merged, gone)
