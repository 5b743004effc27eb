"""What the STIX and MISP exports share: the identifier kinds both map alike (each format
then names them its own way), the stable keys of a report and a seller, and the helpers both
writers use."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import phonenumbers

from netpatrol.report.data import ReportData

# Cryptocurrency identifier kind -> its ticker.
COINS = {"btc": "BTC", "eth": "ETH", "xmr": "XMR", "ltc": "LTC"}
# Phone identifier kind -> the messenger service it was advertised on (None: a plain number).
PHONES: dict[str, str | None] = {"phone": None, "whatsapp": "whatsapp"}
IPS = ("ip", "ipv4", "ipv6", "hosting_ip")


class Tracker(NamedTuple):
    slug: str  # STIX tracking-id ``tracker``
    name: str  # MISP tracking-id ``tracker``


# Analytics / ad-network identifier kind -> the tracker it is an account of.
TRACKERS = {
    "google_analytics": Tracker("google-analytics", "Google Analytics"),
    "gtm": Tracker("google-tag-manager", "Google Tag Manager"),
    "adsense": Tracker("google-adsense", "Google AdSense"),
    "facebook_pixel": Tracker("facebook-pixel", "Facebook Pixel"),
}


def telegram_invite_url(code: str) -> str:
    return f"https://t.me/+{code}"


def phone_region(value: str) -> str | None:
    """ISO 3166 alpha-2 of an E.164 number, None when unknown."""
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(value))
    except phonenumbers.NumberParseException:
        return None
    return str(region) if region and region != "ZZ" else None


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def report_key(data: ReportData) -> str:
    """The stable key a report's ids derive from: its operation, else its title."""
    return data.operation.name if data.operation else data.title


def seller_key(site: str | None, handle: str) -> str:
    """``site/handle``, as network members name sellers (``-`` for no site)."""
    return f"{site or '-'}/{handle.casefold()}"
