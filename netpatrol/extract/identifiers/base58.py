"""Base58 as Bitcoin-family coins write addresses (base58check) and as Monero does (in
blocks of 8 bytes, so that a corrupted character changes only its own block)."""

from __future__ import annotations

import hashlib

from netpatrol.extract.identifiers.charclass import class_string, class_table, runs

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: digit for digit, char in enumerate(ALPHABET)}
B58 = "1-9A-HJ-NP-Za-km-z"  # the alphabet as a regex character class
_B58_CLASSES = class_table({ALPHABET: "b"})
# Monero: characters of an encoded block -> bytes it holds (a full block is 11 -> 8).
_MONERO_BLOCK_BYTES = {0: 0, 2: 1, 3: 2, 5: 3, 6: 4, 7: 5, 9: 6, 10: 7, 11: 8}


def _number(text: str) -> int | None:
    number = 0
    for char in text:
        digit = _INDEX.get(char)
        if digit is None:
            return None
        number = number * 58 + digit
    return number


def b58decode(text: str) -> bytes | None:
    """Bytes of a base58 string (leading '1's are zero bytes); None if a character is
    not in the alphabet."""
    number = _number(text)
    if number is None:
        return None
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\x00" * (len(text) - len(text.lstrip("1"))) + body


def b58check(text: str) -> bytes | None:
    """Payload (version byte first) when the 4-byte double SHA-256 checksum holds."""
    raw = b58decode(text)
    if raw is None or len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


def monero_b58decode(text: str) -> bytes | None:
    """Bytes of a Monero base58 string: 11-character blocks of 8 bytes, a shorter last
    block; None for a bad character, a bad last-block length or a block that overflows."""
    out = bytearray()
    for start in range(0, len(text), 11):
        chunk = text[start : start + 11]
        size = _MONERO_BLOCK_BYTES.get(len(chunk))
        number = _number(chunk)
        if size is None or number is None or number >= 1 << (8 * size):
            return None
        out += number.to_bytes(size, "big")
    return bytes(out)


def base58_runs(text: str, minimum: int) -> list[tuple[int, int]]:
    """(start, end) of each maximal run of base58 characters in ``text`` at least
    ``minimum`` long: an address in base58 lies inside one."""
    return runs(class_string(text, _B58_CLASSES), b"b", minimum)
