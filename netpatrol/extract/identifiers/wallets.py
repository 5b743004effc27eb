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

_B58 = "[1-9A-HJ-NP-Za-km-z]"
_CANDIDATES = (
    ("btc", re.compile(rf"(?<![\w])[13]{_B58}{{25,34}}(?![\w])")),
    ("btc", re.compile(r"(?<![\w])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![\w])")),
    ("ltc", re.compile(rf"(?<![\w])[LM]{_B58}{{26,33}}(?![\w])")),
    ("ltc", re.compile(r"(?<![\w])(?:ltc1|LTC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![\w])")),
    ("eth", re.compile(r"(?<![\w])0x[0-9a-fA-F]{40}(?![\w])")),
    ("xmr", re.compile(rf"(?<![\w])[48]{_B58}{{94}}(?:{_B58}{{11}})?(?![\w])")),
)
_VERSIONS = {"btc": {0x00, 0x05}, "ltc": {0x30, 0x32}}
_XMR_PREFIXES = {18, 19, 42}  # standard, integrated, subaddress (main network)


class WalletFinder(IdentifierFinder):
    kinds = ("btc", "ltc", "eth", "xmr")

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        for kind, pattern in _CANDIDATES:
            for match in pattern.finditer(text):
                raw = match.group(0)
                value = raw.lower() if kind == "eth" or raw[:3].lower() in ("bc1", "ltc") else raw
                if self.validate(kind, raw):
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
