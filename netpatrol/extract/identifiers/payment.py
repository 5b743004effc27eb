"""Payment handles (kind ``paypal``): PayPal.Me links ``paypal.me/NAME`` and
``paypal.com/paypalme/NAME``. The value is the name in lower case (PayPal.Me names are
1-20 letters and digits, case-insensitive)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from netpatrol.extract.identifiers.base import (
    FindContext,
    IdentifierFinder,
    matches_at,
    mention,
    whole_token,
)
from netpatrol.model import IdentifierMention

# "paypal" in the usual casings, spelt out so that the pattern starts with [pP]: the regex
# engine skips ahead to that character (re.I would try every position of the page).
_LINK = re.compile(
    r"[pP](?:ay[pP]al|AYPAL)\.(?:[mM][eE]|com/paypalme)/([A-Za-z0-9]{1,20})(?![A-Za-z0-9_-])"
)
# Where _LINK's host ends: a literal first, which the engine skips ahead to, where _LINK
# itself stops at every "p" of the page. A match starts DOT_AT characters before it.
_DOT = re.compile(r"\.(?:[mM][eE]|com/paypalme)/")
DOT_AT = len("paypal")
HINTS = ("paypal", "PayPal", "Paypal", "PAYPAL")
RESERVED = frozenset({"my", "signup", "login", "home", "help"})  # pages of the site


class PayPalFinder(IdentifierFinder):
    kind = "paypal"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        # The places first: they cost less to find than the four hints, and few texts have one.
        starts = [dot.start() - DOT_AT for dot in _DOT.finditer(text)]
        if not starts or not any(hint in text for hint in HINTS):
            return
        for match in matches_at(_LINK, text, starts):
            value = match.group(1).lower()
            if whole_token(text, match.start()) and self.validate(value):
                yield mention(self.kind, value, text, match.start(), match.end())

    @classmethod
    def validate(cls, value: str) -> bool:
        return re.fullmatch(r"[a-z0-9]{1,20}", value) is not None and value not in RESERVED
