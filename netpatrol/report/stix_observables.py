"""STIX 2.1 observables (SCOs) of netpatrol's identifiers, sites and sellers, and the patterns
that match them: the first layer of :mod:`netpatrol.report.stix`'s bundle."""

from __future__ import annotations

import ipaddress
from typing import Any

from stix2 import v21

from netpatrol.report.cti_common import (
    COINS,
    IPS,
    PHONES,
    TRACKERS,
    phone_region,
    seller_key,
    telegram_invite_url,
)
from netpatrol.report.data import Finding, ReportData
from netpatrol.report.stix_ext import BankAccount, CryptocurrencyWallet, PhoneNumber, TrackingId

ACCOUNTS = {"telegram": "telegram", "paypal": "paypal"}
# Identifier kinds whose SCO gets an indicator: values one operator controls.
INDICATED = {"email", "phone", "whatsapp", "iban", "onion", *COINS}
# SCO type -> the property a pattern matches it by, for the types that get indicators.
PATTERNED = {
    "email-addr": "value",
    "domain-name": "value",
    "phone-number": "value",
    "cryptocurrency-wallet": "address",
    "bank-account": "iban",
}


def escape(value: str) -> str:
    """A STIX pattern string literal's content: backslash and quote escaped."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


def pattern(obj: Any) -> str | None:
    """The STIX pattern that matches one SCO, for the kinds that get indicators."""
    prop = PATTERNED.get(obj.type)
    return f"[{obj.type}:{prop} = '{escape(str(obj[prop]))}']" if prop else None


def phone_services(data: ReportData) -> dict[str, set[str]]:
    """Each phone number -> the messengers any finding advertised it on."""
    services: dict[str, set[str]] = {}
    for finding in data.findings:
        for kind, value in finding.identifiers:
            if kind in PHONES:
                found = services.setdefault(value, set())
                if PHONES[kind]:
                    found.add(str(PHONES[kind]))
    return services


class Observables:
    """The bundle's objects by id, with the SCOs of identifiers, sites and sellers."""

    def __init__(self, data: ReportData) -> None:
        self.objects: dict[str, Any] = {}
        self.unexpressed: dict[str, int] = {}
        self.services = phone_services(data)
        self.sellers: dict[str, str] = {}  # "platform/handle" and "handle" -> SCO id

    def add(self, obj: Any) -> str:
        found: str = obj.id
        self.objects.setdefault(found, obj)
        return found

    def domain(self, value: str) -> str:
        return self.add(v21.DomainName(value=value))

    def identifier(self, kind: str, value: str) -> str | None:
        """The SCO id for one identifier; None (counted as unexpressed) when STIX has none."""
        if kind == "email":
            return self.add(v21.EmailAddress(value=value))
        if kind in PHONES:
            return self.phone(value)
        if kind in COINS:
            return self.add(CryptocurrencyWallet(address=value, currency=COINS[kind]))
        if kind == "iban":
            return self.add(BankAccount(iban=value, country=value[:2].upper()))
        if kind in TRACKERS:
            return self.add(TrackingId(tracker=TRACKERS[kind].slug, value=value))
        if kind in ACCOUNTS:
            return self.add(
                v21.UserAccount(account_type=ACCOUNTS[kind], account_login=value, user_id=value)
            )
        if kind == "telegram_invite":
            return self.add(v21.URL(value=telegram_invite_url(value)))
        if kind in ("domain", "onion"):
            return self.domain(value)
        if kind in IPS:
            return self.ip(kind, value)
        self._unexpressed(kind)
        return None

    def phone(self, value: str) -> str:
        return self.add(
            PhoneNumber(
                value=value,
                services=sorted(self.services.get(value, ())) or None,
                country=phone_region(value),
            )
        )

    def ip(self, kind: str, value: str) -> str | None:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            self._unexpressed(kind)
            return None
        cls = v21.IPv4Address if address.version == 4 else v21.IPv6Address
        return self.add(cls(value=str(address)))

    def _unexpressed(self, kind: str) -> None:
        self.unexpressed[kind] = self.unexpressed.get(kind, 0) + 1

    def seller(self, finding: Finding) -> str | None:
        if not finding.seller:
            return None
        handle = finding.seller.strip()
        key = seller_key(finding.site, handle)
        found = self.add(v21.UserAccount(user_id=key, account_login=handle, display_name=handle))
        self.sellers.setdefault(key, found)
        self.sellers.setdefault(handle.casefold(), found)
        return found

    def network_seller(self, value: str) -> str:
        """A network member ``seller:VALUE``: the seller's SCO, or a new one for VALUE."""
        found = self.sellers.get(value.casefold())
        if found is None:
            platform, _, handle = value.rpartition("/")
            found = self.add(
                v21.UserAccount(
                    user_id=value.casefold() if platform else f"-/{value.casefold()}",
                    account_login=handle,
                    display_name=handle,
                )
            )
        return found
