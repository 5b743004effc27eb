"""Identifiers of a site: analytics and ad-network ids, onion v3 addresses, outbound domains."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder, mention
from netpatrol.model import IdentifierMention
from netpatrol.store.sites import registered_domain

_TRACKING = (
    ("google_analytics", re.compile(r"\bUA-\d{4,10}-\d{1,4}\b")),
    (
        "google_analytics",
        re.compile(
            r"""(?:gtag\(\s*['"]config['"]\s*,\s*['"]|['"]measurementId['"]\s*:\s*['"]|"""
            r"""googletagmanager\.com/gtag/js\?id=)(G-[A-Z0-9]{6,12})\b"""
        ),
    ),
    ("gtm", re.compile(r"\bGTM-[A-Z0-9]{4,9}\b")),
    ("adsense", re.compile(r"\b(?:ca-)?pub-(\d{16})\b")),
    ("facebook_pixel", re.compile(r"""fbq\(\s*['"]init['"]\s*,\s*['"](\d{15,16})['"]""")),
)
# Literal text each tracking pattern needs: a cheap test before the regex runs.
_TRACKING_HINTS = ("UA-", "G-", "GTM-", "pub-", "fbq(")
_ONION = re.compile(r"\b([a-z2-7]{56})\.onion\b", re.I)
_URL_HOST = re.compile(r"(?:https?://|\bwww\.)([A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24})\b", re.I)
# Asset hosts and CDNs that every page loads: not evidence of a link between sites.
ASSET_DOMAINS = frozenset(
    {
        "googleapis.com",
        "gstatic.com",
        "googletagmanager.com",
        "google-analytics.com",
        "doubleclick.net",
        "googlesyndication.com",
        "cloudflare.com",
        "cloudfront.net",
        "jsdelivr.net",
        "jquery.com",
        "bootstrapcdn.com",
        "w3.org",
        "schema.org",
        "akamaihd.net",
        "fbcdn.net",
        "facebook.net",
        "twimg.com",
        "ytimg.com",
        "gravatar.com",
        "wp.com",
        "cookielaw.org",
        "onetrust.com",
        "hotjar.com",
        "typekit.net",
        "fontawesome.com",
    }
)
_ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".js", ".css", ".ico")


class WebFinder(IdentifierFinder):
    kinds = ("google_analytics", "gtm", "adsense", "facebook_pixel", "onion", "domain")

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        for (kind, pattern), hint in zip(_TRACKING, _TRACKING_HINTS, strict=True):
            if hint not in text:
                continue
            for match in pattern.finditer(text):
                value = match.group(match.lastindex or 0)
                value = f"pub-{value}" if kind == "adsense" else value
                yield mention(kind, value, text, match.start(), match.end())
        onions = _ONION.finditer(text) if ".onion" in text.lower() else iter(())
        for match in onions:
            value = match.group(0).lower()
            if self.validate("onion", value):
                yield mention("onion", value, text, match.start(), match.end())
        yield from self._domains(text, context)

    def _domains(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        for match in _URL_HOST.finditer(text):
            host = match.group(1).lower().rstrip(".")
            if host.endswith(_ASSET_SUFFIXES) or host.endswith(".onion"):
                continue
            domain = registered_domain(host)
            if domain is None:
                continue
            if domain != context.page_domain and domain not in ASSET_DOMAINS:
                yield mention("domain", domain, text, match.start(1), match.end(1))

    @classmethod
    def validate(cls, kind: str, value: str) -> bool:
        if kind == "onion":
            return _onion_v3_valid(value)
        if kind == "domain":
            return registered_domain(value) == value
        patterns = {
            "google_analytics": r"UA-\d{4,10}-\d{1,4}|G-[A-Z0-9]{6,12}",
            "gtm": r"GTM-[A-Z0-9]{4,9}",
            "adsense": r"pub-\d{16}",
            "facebook_pixel": r"\d{15,16}",
        }
        return kind in patterns and re.fullmatch(patterns[kind], value) is not None


def _onion_v3_valid(value: str) -> bool:
    """Tor rend-spec v3: base32(pubkey 32 | checksum 2 | version 1), version 3,
    checksum = SHA3-256(".onion checksum" | pubkey | version)[:2]."""
    label = value.removesuffix(".onion")
    if len(label) != 56:
        return False
    try:
        raw = base64.b32decode(label.upper())
    except ValueError:
        return False
    pubkey, checksum, version = raw[:32], raw[32:34], raw[34:]
    expected = hashlib.sha3_256(b".onion checksum" + pubkey + version).digest()[:2]
    return version == b"\x03" and checksum == expected
