"""Ethereum addresses (kind ``eth``; also every EVM chain: BSC, Polygon, USDT-ERC20).

``0x`` and 40 hex digits. All lower or all upper case carries no checksum and is accepted;
mixed case must pass EIP-55 (letter case from Keccak-256 of the address). The value is
lower case, so that both spellings of one address are one identifier. The zero address
(burns, placeholders in web3 scripts) is no one's wallet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from netpatrol.extract.identifiers.base import (
    FindContext,
    IdentifierFinder,
    mention,
    whole_token,
)
from netpatrol.extract.identifiers.keccak import keccak256
from netpatrol.model import IdentifierMention

_CANDIDATE = re.compile(r"0x[0-9a-fA-F]{40}(?![0-9A-Za-z_])")
_FORMAT = re.compile(r"0x[0-9a-fA-F]{40}")
ZERO_ADDRESS = "0x" + "0" * 40


def eip55_valid(address: str) -> bool:
    """Whether a ``0x`` address's letter case is right or carries no checksum."""
    digits = address[2:]
    if digits == digits.lower() or digits == digits.upper():
        return True
    hashed = keccak256(digits.lower().encode("ascii")).hex()
    return all(
        char.isupper() == (int(nibble, 16) >= 8)
        for char, nibble in zip(digits, hashed, strict=False)
        if char.isalpha()
    )


class EthereumFinder(IdentifierFinder):
    kind = "eth"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        if "0x" not in text:
            return
        for match in _CANDIDATE.finditer(text):
            raw = match.group(0)
            if whole_token(text, match.start()) and eip55_valid(raw) and self.validate(raw.lower()):
                yield mention(self.kind, raw.lower(), text, match.start(), match.end())

    @classmethod
    def validate(cls, value: str) -> bool:
        return _FORMAT.fullmatch(value) is not None and value != ZERO_ADDRESS and eip55_valid(value)
