"""Weak evidence: the same seller handle, or nearly, on two platforms (rapidfuzz).

Handles are compared within blocks of the same first letters (normalised), so the work
stays near-linear; a block larger than ``MAX_BLOCK`` (a very common prefix) is skipped
rather than compared all against all: weak evidence is worth little, a quadratic blow-up
a lot.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from netpatrol.link.graph import SELLER, Principals

MIN_LENGTH = 4  # "bob" on two platforms is a coincidence
PREFIX = 2
MAX_BLOCK = 2000
_NON_ALNUM = re.compile(r"[\W_]+")


def normal_handle(handle: str) -> str:
    return _NON_ALNUM.sub("", handle.casefold())


def similar_handles(principals: Principals, threshold: float) -> list[tuple[int, int, float]]:
    """(principal, principal, score) of seller accounts on different platforms whose
    handles score at least ``threshold`` (0-100, ``fuzz.ratio``)."""
    blocks: dict[str, list[tuple[int, str, str]]] = {}
    for i, (key, kind) in enumerate(zip(principals.keys, principals.kinds, strict=True)):
        if kind != SELLER:
            continue
        platform, _, handle = key[len(SELLER) + 1 :].partition("/")
        name = normal_handle(handle)
        if len(name) >= MIN_LENGTH:
            blocks.setdefault(name[:PREFIX], []).append((i, name, platform))
    pairs: list[tuple[int, int, float]] = []
    for block in blocks.values():
        if len(block) < 2 or len(block) > MAX_BLOCK or len({p for _, _, p in block}) < 2:
            continue
        names = [name for _, name, _ in block]
        scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=threshold)
        for a, b in zip(*scores.nonzero(), strict=True):
            if a < b and block[a][2] != block[b][2]:
                pairs.append((block[a][0], block[b][0], float(scores[a, b])))
    return pairs
