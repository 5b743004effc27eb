"""MISP objects (pymisp's misp-objects templates) of netpatrol's identifiers, onion services
and sellers, with deterministic uuids: the building blocks of :mod:`netpatrol.report.misp`'s
event."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pymisp import MISPAttribute, MISPEvent, MISPObject

from netpatrol.report.cti_common import (
    COINS,
    IPS,
    PHONES,
    TRACKERS,
    phone_region,
    seller_key,
    telegram_invite_url,
)
from netpatrol.report.data import Finding

# Fixed forever: the uuids of events, objects and attributes derive from it.
NAMESPACE = uuid.UUID("5b0e8f5c-3c39-4b0a-9d0a-2a8f1a2c6e11")

# coin-address relation of a coin kind; others are ``address-crypto``.
COIN_RELATIONS = {"btc": "address", "xmr": "address-xmr"}


def stable_uuid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)))


class MispObjects:
    """An event's objects: one per identifier value (by kind), onion service and seller."""

    def __init__(self) -> None:
        self.event = MISPEvent()
        self.objects: dict[tuple[str, str], MISPObject] = {}
        self.sellers: dict[str, MISPObject] = {}
        self.unexpressed: dict[str, list[str]] = {}

    def uuid(self, *parts: object) -> str:
        return stable_uuid(*parts)

    def new(self, template: str, key: str, comment: str | None = None) -> MISPObject:
        obj = MISPObject(template, standalone=False, strict=True)
        obj.uuid = self.uuid("object", template, key)
        if comment:
            obj.comment = comment
        self.event.add_object(obj)
        return obj

    def attr(
        self, obj: MISPObject, relation: str, value: Any, to_ids: bool | None = None
    ) -> MISPAttribute:
        kwargs: dict[str, Any] = {} if to_ids is None else {"to_ids": to_ids}
        found = obj.add_attribute(relation, value=value, **kwargs)
        if found is None:  # pymisp returns None for an empty value
            raise ValueError(f"empty {relation} for {obj.name}")
        found.uuid = self.uuid("attribute", obj.uuid, relation, value)
        return found

    def reference(self, source: MISPObject, target: MISPObject, kind: str, note: str = "") -> None:
        if source is target:
            return
        ref = source.add_reference(target, kind, comment=note or None)
        ref.uuid = self.uuid("reference", source.uuid, kind, target.uuid, note)

    # -- identifiers --------------------------------------------------------------------

    def identifier(self, kind: str, value: str, finding: Finding) -> MISPObject | None:
        key = ("phone" if kind in PHONES else kind, value)
        found = self.objects.get(key)
        if found is not None:
            if kind == "whatsapp" and not found.get_attributes_by_relation("text"):
                self.attr(found, "text", "WhatsApp")
            return found
        obj = self._identifier(kind, value, finding.captured_at)
        if obj is not None:
            self.objects[key] = obj
        return obj

    def _identifier(self, kind: str, value: str, seen: datetime | None) -> MISPObject | None:
        if kind == "email":
            obj = self.new("email", value)
            self.attr(obj, "from", value, to_ids=True)
        elif kind in PHONES:
            obj = self._phone(kind, value)
        elif kind in COINS:
            obj = self._coin(kind, value, seen)
        elif kind == "iban":
            obj = self.new("bank-account", value)
            self.attr(obj, "iban", value, to_ids=True)
        elif kind == "telegram":
            obj = self.new("telegram-account", value)
            self.attr(obj, "username", value, to_ids=False)
        elif kind == "paypal":
            obj = self._paypal(value)
        elif kind == "telegram_invite":
            obj = self.new("url", f"telegram_invite:{value}")
            self.attr(obj, "url", telegram_invite_url(value), to_ids=True)
        elif kind in TRACKERS:
            obj = self.new("tracking-id", f"{kind}:{value}")
            self.attr(obj, "id", value, to_ids=False)
            self.attr(obj, "tracker", TRACKERS[kind].name)
        elif kind == "domain":
            obj = self.new("domain-ip", f"domain:{value}")
            self.attr(obj, "domain", value, to_ids=False)
        elif kind in IPS:
            obj = self.new("domain-ip", f"ip:{value}")
            self.attr(obj, "ip", value, to_ids=False)
        elif kind == "onion":
            obj = self.onion(value, seen)
        else:
            self.unexpressed.setdefault(kind, []).append(value)
            return None
        return obj

    def _phone(self, kind: str, value: str) -> MISPObject:
        obj = self.new("phone-number", value)
        self.attr(obj, "phone-number", value, to_ids=True)
        region = phone_region(value)
        if region:
            self.attr(obj, "country-code", region)
        if kind == "whatsapp":
            self.attr(obj, "text", "WhatsApp")
        return obj

    def _coin(self, kind: str, value: str, seen: datetime | None) -> MISPObject:
        obj = self.new("coin-address", f"{kind}:{value}")
        self.attr(obj, COIN_RELATIONS.get(kind, "address-crypto"), value, to_ids=True)
        self.attr(obj, "symbol", COINS[kind])
        if seen:
            self.attr(obj, "first-seen", seen)
        return obj

    def _paypal(self, value: str) -> MISPObject:
        obj = self.new("user-account", f"paypal:{value}")
        self.attr(obj, "username", value, to_ids=False)
        self.attr(obj, "account-type", "paypal")
        self.attr(obj, "link", f"https://paypal.me/{value}")
        return obj

    def onion(self, address: str, seen: datetime | None) -> MISPObject:
        key = ("onion", address)
        found = self.objects.get(key)
        if found is None:
            found = self.objects[key] = self.new("tor-hiddenservice", address)
            self.attr(found, "address", address, to_ids=True)
            if seen:
                self.attr(found, "first-seen", seen)
        return found

    def seller(self, finding: Finding) -> MISPObject | None:
        if not finding.seller:
            return None
        handle = finding.seller.strip()
        key = seller_key(finding.site, handle)
        found = self.sellers.get(key)
        if found is None:
            found = self.new("user-account", f"seller:{key}", f"seller on {finding.site or '?'}")
            self.attr(found, "username", handle, to_ids=False)
            self.sellers[key] = found
            self.sellers.setdefault(handle.casefold(), found)
        return found
