"""Crypto-currency wallet addresses, checksum-validated: BTC, LTC, ETH (EIP-55), XMR.

A candidate that fails its checksum is never reported: random base58 words are common.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder, mention
from netpatrol.extract.identifiers.encodings import (
    b58check,
    keccak256,
    monero_b58decode,
    segwit_valid,
)
from netpatrol.model import IdentifierMention

_B58_CHARS = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
_BECH32_CHARS = frozenset("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
_HEX = frozenset("0123456789abcdefABCDEF")
# Whole alphanumeric words of wallet length, found in one linear pass; each is then
# classified by prefix and length (a regex per kind would retry at every position).
_WORD = re.compile(r"[0-9A-Za-z]{25,110}")
_VERSIONS = {"btc": {0x00, 0x05}, "ltc": {0x30, 0x32}}
_XMR_PREFIXES = {18, 19, 42}  # standard, integrated, subaddress (main network)


def _kind_of(word: str) -> str | None:
    lowered = word[:4].lower()
    if word.startswith("0x") and len(word) == 42 and set(word[2:]) <= _HEX:
        return "eth"
    if lowered.startswith("bc1") and set(word[3:].lower()) <= _BECH32_CHARS:
        return "btc"
    if lowered.startswith("ltc1") and set(word[4:].lower()) <= _BECH32_CHARS:
        return "ltc"
    if not set(word) <= _B58_CHARS:
        return None
    if word[0] in "13" and 26 <= len(word) <= 35:
        return "btc"
    if word[0] in "LM" and 27 <= len(word) <= 34:
        return "ltc"
    if word[0] in "48" and len(word) in (95, 106):
        return "xmr"
    return None


class WalletFinder(IdentifierFinder):
    kinds = ("btc", "ltc", "eth", "xmr")

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        for match in _WORD.finditer(text):
            if (match.start() and text[match.start() - 1] == "_") or (
                match.end() < len(text) and text[match.end()] == "_"
            ):
                continue  # part of a longer identifier_like_this
            raw = match.group(0)
            kind = _kind_of(raw)
            if kind is None or not self.validate(kind, raw):
                continue
            value = raw.lower() if kind == "eth" or raw[:3].lower() in ("bc1", "ltc") else raw
            yield mention(kind, value, text, match.start(), match.end())

    @classmethod
    def validate(cls, kind: str, value: str) -> bool:
        if kind in ("btc", "ltc"):
            hrp = "bc" if kind == "btc" else "ltc"
            if value.lower().startswith(hrp + "1"):
                return segwit_valid(value, hrp)
            payload = b58check(value)
            return payload is not None and len(payload) == 21 and payload[0] in _VERSIONS[kind]
        if kind == "eth":
            return _eth_valid(value)
        if kind == "xmr":
            return _xmr_valid(value)
        return False


def _eth_valid(value: str) -> bool:
    digits = value[2:]
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", value):
        return False
    if digits.islower() or digits.isupper() or digits.isdigit():
        return True
    # EIP-55: mixed case encodes a checksum in the letters' case.
    hashed = keccak256(digits.lower().encode()).hex()
    return all(
        (c.isupper() if int(h, 16) >= 8 else c.islower())
        for c, h in zip(digits, hashed, strict=False)
        if c.isalpha()
    )


def _xmr_valid(value: str) -> bool:
    raw = monero_b58decode(value)
    if raw is None or len(raw) not in (69, 77):
        return False
    body, checksum = raw[:-4], raw[-4:]
    return raw[0] in _XMR_PREFIXES and keccak256(body)[:4] == checksum
