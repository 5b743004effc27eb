"""Near-duplicate clustering of PDQ hashes."""

from __future__ import annotations

import random

from netpatrol.media.clusters import ImageClusters


def _flip(value: str, bits: int, rng: random.Random) -> str:
    number = int(value, 16)
    for bit in rng.sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


def test_near_duplicates_share_the_first_images_cluster() -> None:
    rng = random.Random(7)
    first = f"{rng.getrandbits(256):064x}"
    other = f"{rng.getrandbits(256):064x}"
    clusters = ImageClusters()
    assert clusters.assign(first) == first
    assert clusters.assign(_flip(first, 31, rng)) == first
    assert clusters.assign(_flip(first, 20, rng)) == first
    assert clusters.assign(other) == other  # random hashes are ~128 bits apart
    assert clusters.assign(_flip(other, 5, rng)) == other
    assert len(clusters) == 5


def test_known_images_seed_the_clusters() -> None:
    rng = random.Random(3)
    seen = f"{rng.getrandbits(256):064x}"
    clusters = ImageClusters([(seen, "c" * 64)])
    assert clusters.assign(_flip(seen, 10, rng)) == "c" * 64
    far = _flip(seen, 40, rng)
    assert clusters.assign(far) == far
