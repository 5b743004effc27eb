"""Monero addresses (kind ``xmr``), checksum-validated.

Main network only: standard ``4...`` (95 characters, network byte 18), subaddress ``8...``
(95, byte 42) and integrated ``4...`` (106, byte 19: standard address + payment id), in
Monero's block base58; the last 4 bytes are the first 4 of Keccak-256 of the rest. Whether
the keys are points of the curve is not checked (the checksum already rules out typos and
random words: one chance in 4 billion).
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
from netpatrol.extract.identifiers.base58 import B58, base58_runs, monero_b58decode
from netpatrol.extract.identifiers.keccak import keccak256
from netpatrol.model import IdentifierMention

_CANDIDATE = re.compile(rf"[48][{B58}]{{94}}(?:[{B58}]{{11}})?(?![0-9A-Za-z_])")
SHORTEST = 95
# (network byte, decoded length): 1 + spend key 32 + view key 32 (+ payment id 8) + 4.
NETWORKS = {(18, 69), (42, 69), (19, 77)}


class MoneroFinder(IdentifierFinder):
    kind = "xmr"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        # Only in runs of base58 characters long enough to hold an address (see bitcoin.py).
        matches = (
            match
            for start, end in base58_runs(text, SHORTEST)
            for match in _CANDIDATE.finditer(text, start, end + 1)
        )
        for match in matches:
            if whole_token(text, match.start()) and self.validate(match.group(0)):
                yield mention(self.kind, match.group(0), text, match.start(), match.end())

    @classmethod
    def validate(cls, value: str) -> bool:
        raw = monero_b58decode(value)
        if not raw or (raw[0], len(raw)) not in NETWORKS:
            return False
        return keccak256(raw[:-4])[:4] == raw[-4:]
