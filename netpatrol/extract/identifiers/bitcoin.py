"""Bitcoin addresses (kind ``btc``), checksum-validated; and what Litecoin shares with them.

Legacy P2PKH ``1...`` and P2SH ``3...`` (base58check, version bytes 0x00 and 0x05), segwit
v0 ``bc1q...`` (bech32, 42 or 62 characters) and taproot ``bc1p...`` (bech32m, 62). Testnet
and signet addresses are left out: nobody is paid there. Segwit versions that no output
type uses yet (v1 with other lengths, v2-v16) are valid encodings but never a real payee.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from netpatrol.extract.identifiers.base import (
    FindContext,
    IdentifierFinder,
    mention,
    whole_token,
)
from netpatrol.extract.identifiers.base58 import B58, b58check, base58_runs
from netpatrol.extract.identifiers.bech32 import BECH32, segwit_program
from netpatrol.model import IdentifierMention

SEGWIT = {(0, 20), (0, 32), (1, 32)}  # (version, program bytes): P2WPKH, P2WSH, P2TR
_END = r"(?![0-9A-Za-z_])"


def segwit_patterns(hrp: str) -> tuple[re.Pattern[str], ...]:
    """``hrp1`` + 39 or 59 characters, in lower or upper case (bech32 allows either, not a
    mix). One literal-prefixed pattern per case: the regex engine finds those fast."""
    body = rf"1[{BECH32}]{{39}}(?:[{BECH32}]{{20}})?{_END}"
    return re.compile(hrp + body), re.compile(hrp.upper() + body)


class Base58SegwitFinder(IdentifierFinder):
    """Addresses of a Bitcoin-like coin: base58check with given version bytes, or segwit
    with a human-readable part. Subclasses give the data."""

    base58: ClassVar[re.Pattern[str]]  # made of base58 characters only
    shortest: ClassVar[int]  # characters of the shortest match of ``base58``
    segwit: ClassVar[tuple[re.Pattern[str], ...]]
    hrp: ClassVar[str]
    versions: ClassVar[tuple[tuple[str, int], ...]]  # (first character, version byte)

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        for match in self._candidates(text):
            raw = match.group(0)
            segwit = raw[: len(self.hrp) + 1].lower() == self.hrp + "1"
            value = raw.lower() if segwit else raw
            if whole_token(text, match.start()) and self.validate(value):
                yield mention(self.kind, value, text, match.start(), match.end())

    def _candidates(self, text: str) -> Iterator[re.Match[str]]:
        """Matches of ``base58`` then of each segwit pattern, as ``finditer`` over the whole
        text gives them. A base58 match lies inside a run of base58 characters, and nearly
        no page has a run long enough: the pattern runs only on those that are, up to one
        character past the run, which its end-of-token test must see."""
        for start, end in base58_runs(text, self.shortest):
            yield from self.base58.finditer(text, start, end + 1)
        for pattern in self.segwit:  # they start with a literal: found fast as they are
            yield from pattern.finditer(text)

    @classmethod
    def validate(cls, value: str) -> bool:
        if value.startswith(cls.hrp + "1"):
            decoded = segwit_program(value, cls.hrp)
            return value.islower() and decoded is not None and _standard(*decoded)
        payload = b58check(value)
        version = dict(cls.versions).get(value[:1])
        return payload is not None and len(payload) == 21 and payload[0] == version


def _standard(version: int, program: bytes) -> bool:
    return (version, len(program)) in SEGWIT


class BitcoinFinder(Base58SegwitFinder):
    kind = "btc"
    base58 = re.compile(rf"(?:1[{B58}]{{25,33}}|3[{B58}]{{33}}){_END}")
    shortest = 26
    segwit = segwit_patterns("bc")
    hrp = "bc"
    versions = (("1", 0x00), ("3", 0x05))
