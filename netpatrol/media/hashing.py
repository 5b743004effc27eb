"""Image hashes: MD5 and SHA-256 of the bytes, PDQ (Meta) and pHash of the pixels.

PDQ hex strings use the bit order of Meta's reference implementations (the first hex
digit holds bits 255..252), so hashes compare with ThreatExchange / HMA hash lists and
with the reference test vectors. pHash is imagehash's 64-bit DCT hash as 16 hex digits.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

import imagehash
import numpy as np
import pdqhash
from PIL import Image

from netpatrol.media.decode import decode_image

PDQ_BITS = 256
PHASH_BITS = 64
# Decoding size for hashing: images reduce by whole factors while their longer side stays
# >= 1024, which keeps PDQ within 4 bits of full size (see netpatrol.media.decode) at 2-3x
# the speed on large photos.
HASH_SIDE = 1024

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


@dataclass(frozen=True)
class ImageHashes:
    """Every hash of one image; ``pdq``/``phash`` are lowercase hex, width/height are pixels."""

    md5: str
    sha256: str
    pdq: str | None
    pdq_quality: int | None
    phash: str | None
    width: int
    height: int

    def as_dict(self) -> dict[str, str | int | None]:
        return asdict(self)


def digests(data: bytes) -> tuple[str, str]:
    """MD5 and SHA-256 of ``data`` as hex: they identify even an image that cannot be decoded."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest(), hashlib.sha256(data).hexdigest()


def hash_image(data: bytes, name: str | Path = "<bytes>") -> ImageHashes:
    """Decode ``data`` and hash it. Raises ``ImageError`` (naming ``name``) if it is no image."""
    md5, sha256 = digests(data)
    decoded = decode_image(data, name, HASH_SIDE)
    pdq, quality = pdq_hash(decoded.image)
    return ImageHashes(
        md5=md5,
        sha256=sha256,
        pdq=pdq,
        pdq_quality=quality,
        phash=phash(decoded.image),
        width=decoded.width,
        height=decoded.height,
    )


def pdq_hash(rgb: Image.Image) -> tuple[str, int]:
    """PDQ hash (64 hex digits, reference bit order) and quality 0..100 of an RGB image."""
    pixels = np.ascontiguousarray(np.asarray(rgb.convert("RGB"), dtype=np.uint8))
    bits, quality = pdqhash.compute(pixels)
    return bits_to_hex(bits), int(quality)


def phash(rgb: Image.Image) -> str:
    """imagehash's 64-bit perceptual hash as 16 hex digits."""
    return str(imagehash.phash(rgb))


def bits_to_hex(bits: np.ndarray) -> str:
    """A most-significant-first bit vector as hex (pdqhash returns the reference order)."""
    packed = np.packbits(np.asarray(bits, dtype=np.uint8) & 1)
    return packed.tobytes().hex()


def hamming(a_hex: str, b_hex: str) -> int:
    """Number of differing bits between two hex hashes of the same length."""
    if len(a_hex) != len(b_hex):
        raise ValueError(f"hashes differ in length: {len(a_hex)} and {len(b_hex)} hex digits")
    if not (a_hex and _HEX_DIGITS.issuperset(a_hex) and _HEX_DIGITS.issuperset(b_hex)):
        # int(x, 16) alone would also take "0x" prefixes, underscores and spaces
        raise ValueError(f"not hex hashes: {a_hex!r}, {b_hex!r}")
    return (int(a_hex, 16) ^ int(b_hex, 16)).bit_count()


def is_hex_hash(value: str, bits: int) -> bool:
    """Whether ``value`` is exactly ``bits`` bits written as hex digits (either case)."""
    return bits % 4 == 0 and len(value) == bits // 4 and _HEX_DIGITS.issuperset(value)
