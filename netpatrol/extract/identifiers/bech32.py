"""Bech32 (BIP-173) and bech32m (BIP-350) as segwit addresses use them (bc1..., ltc1...)."""

from __future__ import annotations

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_INDEX = {char: value for value, char in enumerate(CHARSET)}
BECH32 = "02-9ac-hj-np-zAC-HJ-NP-Z"  # the charset, either case, as a regex character class
BECH32_CONST, BECH32M_CONST = 1, 0x2BC830A3  # checksums of witness v0, of v1 and later
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
MAX_LENGTH = 90


def _polymod(values: list[int]) -> int:
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                check ^= _GENERATOR[i]
    return check


def bech32_decode(text: str) -> tuple[str, list[int], int] | None:
    """(human-readable part, data values without checksum, checksum constant) of a valid
    bech32 or bech32m string; None if invalid (mixed case, bad character, checksum)."""
    if len(text) > MAX_LENGTH or (text.lower() != text and text.upper() != text):
        return None
    text = text.lower()
    separator = text.rfind("1")
    if separator < 1 or separator + 7 > len(text):
        return None
    hrp = text[:separator]
    data = [_INDEX.get(char, -1) for char in text[separator + 1 :]]
    if -1 in data or any(not 33 <= ord(char) <= 126 for char in hrp):
        return None
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    constant = _polymod(expanded + data)
    if constant not in (BECH32_CONST, BECH32M_CONST):
        return None
    return hrp, data[:-6], constant


def _to_bytes(data: list[int]) -> bytes | None:
    """5-bit groups -> bytes; None when the padding is over 4 bits or not zero."""
    accumulator = bits = 0
    out = bytearray()
    for value in data:
        accumulator = (accumulator << 5) | value
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((accumulator >> bits) & 0xFF)
    if bits >= 5 or accumulator & ((1 << bits) - 1):
        return None
    return bytes(out)


def segwit_program(address: str, hrp: str) -> tuple[int, bytes] | None:
    """(witness version, program) of a valid segwit address for ``hrp`` (BIP-173/350):
    v0 with bech32, v1 and later with bech32m, programs of 2 to 40 bytes (20 or 32 for v0)."""
    decoded = bech32_decode(address)
    if decoded is None or decoded[0] != hrp or not decoded[1]:
        return None
    _, data, constant = decoded
    version, program = data[0], _to_bytes(data[1:])
    if program is None or version > 16 or not 2 <= len(program) <= 40:
        return None
    if version == 0 and (constant != BECH32_CONST or len(program) not in (20, 32)):
        return None
    if version > 0 and constant != BECH32M_CONST:
        return None
    return version, program
