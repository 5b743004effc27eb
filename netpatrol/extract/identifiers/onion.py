"""Tor onion services (kind ``onion``): v3 addresses, 56 base32 characters + ``.onion``,
validated as the Tor rend-spec says: base32(public key 32 | checksum 2 | version 1), version
3, checksum = SHA3-256(".onion checksum" | public key | version)[:2] (this one is FIPS SHA3,
not Keccak). The value is the lower-case ``<56 chars>.onion``.

Version 2 addresses (16 characters) are not reported: Tor dropped them in October 2021, so
no live service has one, and 16 base32 letters before ".onion" carry no checksum.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder, mention
from netpatrol.model import IdentifierMention

# Found from the ".onion" back: 56 characters tried at every letter of a page is slow.
_SUFFIX = re.compile(r"\.onion(?![A-Za-z0-9-])", re.I)
_LABEL = re.compile(r"(?<![A-Za-z0-9])[A-Za-z2-7]{56}\Z")
LABEL_LENGTH = 56
VERSION = b"\x03"


class OnionFinder(IdentifierFinder):
    kind = "onion"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        if ".onion" not in text and ".ONION" not in text:
            return
        for suffix in _SUFFIX.finditer(text):
            start = suffix.start() - LABEL_LENGTH
            if start < 0 or not _LABEL.search(text, start, suffix.start()):
                continue
            value = text[start : suffix.end()].lower()
            if self.validate(value):
                yield mention(self.kind, value, text, start, suffix.end())

    @classmethod
    def validate(cls, value: str) -> bool:
        label, _, suffix = value.partition(".")
        if suffix != "onion" or re.fullmatch(r"[a-z2-7]{56}", label) is None:
            return False
        raw = base64.b32decode(label.upper())
        key, checksum, version = raw[:32], raw[32:34], raw[34:]
        expected = hashlib.sha3_256(b".onion checksum" + key + version).digest()[:2]
        return version == VERSION and checksum == expected
