"""Near-duplicate clustering of PDQ hashes."""

from __future__ import annotations

import random

from netpatrol.media.clusters import NEAR, ImageClusters


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


def test_the_nearest_wins_and_the_earliest_on_a_tie() -> None:
    rng = random.Random(11)
    base = f"{rng.getrandbits(256):064x}"
    far, near = _flip(base, 30, rng), _flip(base, 4, rng)
    clusters = ImageClusters([(far, "far"), (near, "near"), (base, "base")])
    assert clusters.assign(base) == "base"  # distance 0 beats the earlier ones
    twin = ImageClusters([(base, "first"), (base, "second")])
    assert twin.assign(_flip(base, 3, rng)) == "first"


def test_many_images_cluster_as_a_brute_force_does() -> None:
    # Past the buffer's first capacity, seeded and grown: the same choices as argmin over all.
    rng = random.Random(5)
    hashes = [f"{rng.getrandbits(256):064x}" for _ in range(1500)]
    hashes += [_flip(rng.choice(hashes), rng.randrange(40), rng) for _ in range(1500)]
    rng.shuffle(hashes)
    known: list[tuple[str, str]] = []
    for value in hashes[:700]:
        known.append((value, _brute_force(known, value)))
    clusters = ImageClusters(known)
    for value in hashes[700:]:
        expected = _brute_force(known, value)
        assert clusters.assign(value) == expected
        known.append((value, expected))
    assert len(clusters) == len(hashes)


def _brute_force(known: list[tuple[str, str]], value: str) -> str:
    number = int(value, 16)
    best = (
        min(((int(p, 16) ^ number).bit_count(), i) for i, (p, _) in enumerate(known))
        if known
        else (NEAR + 1, -1)
    )
    return known[best[1]][1] if best[0] <= NEAR else value
