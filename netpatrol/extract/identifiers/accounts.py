"""Payment accounts: IBANs (ISO 13616 checksum, per-country length) and PayPal.me names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder, mention
from netpatrol.model import IdentifierMention

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,4})?\b")
_PAYPAL = re.compile(r"paypal\.(?:me|com/paypalme)/([A-Za-z0-9]{1,20})\b", re.I)


class AccountFinder(IdentifierFinder):
    kinds = ("iban", "paypal")

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        for match in _IBAN.finditer(text):
            value = re.sub(r"\s", "", match.group(0))
            if self.validate("iban", value):
                yield mention("iban", value, text, match.start(), match.end())
        if "paypal" in text.lower():
            for match in _PAYPAL.finditer(text):
                yield mention("paypal", match.group(1).lower(), text, match.start(), match.end())

    @classmethod
    def validate(cls, kind: str, value: str) -> bool:
        if kind == "paypal":
            return re.fullmatch(r"[a-z0-9]{1,20}", value) is not None
        try:
            return bool(stdnum_iban.validate(value)) and value == stdnum_iban.compact(value)
        except ValidationError:
            return False
