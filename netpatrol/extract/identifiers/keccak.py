"""Keccak-256 as Ethereum and Monero use it (EIP-55 checksums, Monero address checksums).

``hashlib.sha3_256`` is not this function: FIPS 202 changed the padding byte from 0x01 to
0x06 after the Keccak competition, so the two give different digests for the same input.
"""

from __future__ import annotations

RATE = 136  # bytes absorbed per block: 1600 - 2 * 256 bits
_MASK = (1 << 64) - 1
_ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)  # fmt: skip
# Rotation of lane (x, y), lane index x + 5y.
_ROTATIONS = (
    0, 1, 62, 28, 27,
    36, 44, 6, 55, 20,
    3, 10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2, 61, 56, 14,
)  # fmt: skip
# rho-pi: lane (x, y) moves to (y, 2x + 3y).
_DESTINATIONS = tuple(y + 5 * ((2 * x + 3 * y) % 5) for y in range(5) for x in range(5))
_SOURCES = tuple(x + 5 * y for y in range(5) for x in range(5))


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK if shift else value


def _permute(lanes: list[int]) -> None:
    """Keccak-f[1600]: 24 rounds of theta, rho, pi, chi, iota on 25 64-bit lanes."""
    moved = [0] * 25
    for constant in _ROUND_CONSTANTS:
        columns = [
            lanes[x] ^ lanes[x + 5] ^ lanes[x + 10] ^ lanes[x + 15] ^ lanes[x + 20]
            for x in range(5)
        ]
        for x in range(5):
            d = columns[(x - 1) % 5] ^ _rotl(columns[(x + 1) % 5], 1)
            for y in range(0, 25, 5):
                lanes[x + y] ^= d
        for source, destination in zip(_SOURCES, _DESTINATIONS, strict=True):
            moved[destination] = _rotl(lanes[source], _ROTATIONS[source])
        for y in range(0, 25, 5):
            row = moved[y : y + 5]
            for x in range(5):
                lanes[x + y] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5])
        lanes[0] ^= constant


def keccak256(data: bytes) -> bytes:
    """The original Keccak-256 digest of ``data`` (padding 0x01 ... 0x80)."""
    padded = bytearray(data) + b"\x01" + b"\x00" * (-(len(data) + 1) % RATE)
    padded[-1] |= 0x80
    lanes = [0] * 25
    for block in range(0, len(padded), RATE):
        for i in range(RATE // 8):
            start = block + 8 * i
            lanes[i] ^= int.from_bytes(padded[start : start + 8], "little")
        _permute(lanes)
    return b"".join(lane.to_bytes(8, "little") for lane in lanes[:4])
