"""Litecoin addresses (kind ``ltc``), checksum-validated.

Base58check ``L...`` (P2PKH, version 0x30) and ``M...`` (P2SH, 0x32), segwit ``ltc1...``
(bech32 v0, bech32m v1). Old P2SH addresses ``3...`` (version 0x05) cannot be told from
Bitcoin's and are reported as ``btc`` only.
"""

from __future__ import annotations

import re

from netpatrol.extract.identifiers.base58 import B58
from netpatrol.extract.identifiers.bitcoin import Base58SegwitFinder, segwit_patterns


class LitecoinFinder(Base58SegwitFinder):
    kind = "ltc"
    base58 = re.compile(rf"[LM][{B58}]{{32,33}}(?![0-9A-Za-z_])")
    shortest = 33
    segwit = segwit_patterns("ltc")
    hrp = "ltc"
    versions = (("L", 0x30), ("M", 0x32))
