"""Outbound domains (kind ``domain``): sites a page links to or names, as registrable
domains (``https://shop.example.co.uk/x`` -> ``example.co.uk``).

Found in http(s) and protocol-relative URLs and in bare ``www.`` names. Not reported: the
page's own domain (``FindContext.page_domain``), onion hosts (kind ``onion``), names whose
suffix is not a public suffix (file names such as ``logo.png``), and the asset and CDN
domains below that nearly every page loads, which would tie every site to every other, and
the short links of messengers and PayPal.Me (reported as telegram, whatsapp, paypal).
Platforms where a seller can have a page (facebook.com, instagram.com, shopify.com) stay:
a link to one is evidence. Bare names without ``www.`` ("order at shop.com") are not
looked for: "file.name" and "e.g." look the same to a regex.

Domains are cut as ``store.sites`` cuts a page's own (one public-suffix table, private
suffixes such as ``blogspot.com`` not used), so that ``page_domain`` compares equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from netpatrol.extract.identifiers.base import FindContext, IdentifierFinder, mention
from netpatrol.model import IdentifierMention
from netpatrol.store.sites import registered_domain

# Host after "//" (http, https, protocol-relative) or a bare "www." name; both patterns
# start with a literal the regex engine can search for quickly.
_AFTER_SLASHES = re.compile(r"//([A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)")
_WWW = re.compile(r"(?:www|WWW)\.[A-Za-z0-9.-]{0,249}[A-Za-z0-9]")
# _WWW with one case of its prefix: a literal start, which the engine skips ahead to (the
# alternation makes it stop at every "w" and "W"). Where the text holds only one case, the
# other branch cannot match anywhere and the one-case pattern finds the same.
_WWW_LOWER = re.compile(r"www\.[A-Za-z0-9.-]{0,249}[A-Za-z0-9]")
_WWW_UPPER = re.compile(r"WWW\.[A-Za-z0-9.-]{0,249}[A-Za-z0-9]")
# Loaded by pages, not linked by sellers: fonts, scripts, CDNs, tag managers, XML names.
ASSET_DOMAINS = frozenset(
    {
        "googleapis.com",
        "gstatic.com",
        "google.com",  # reCAPTCHA, Maps embeds, fonts on nearly every shop
        "googletagmanager.com",
        "google-analytics.com",
        "doubleclick.net",
        "googlesyndication.com",
        "googleadservices.com",
        "cloudflare.com",
        "cloudfront.net",
        "akamaihd.net",
        "jsdelivr.net",
        "unpkg.com",
        "jquery.com",
        "bootstrapcdn.com",
        "fontawesome.com",
        "typekit.net",
        "fbcdn.net",
        "facebook.net",
        "twimg.com",
        "ytimg.com",
        "gravatar.com",
        "wp.com",
        "w3.org",
        "schema.org",
        "cookielaw.org",
        "onetrust.com",
        "hotjar.com",
    }
)
# Short-link domains of messengers and payment handles: the link is reported as its own kind
# (telegram, whatsapp, paypal); the domain alone would tie every seller to every other.
HANDLE_DOMAINS = frozenset(
    {"t.me", "telegram.me", "telegram.dog", "wa.me", "whatsapp.com", "paypal.me"}
)
FILE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".css", ".js")


class DomainFinder(IdentifierFinder):
    kind = "domain"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        own = (context.page_domain or "").lower()
        if "//" in text:
            for match in _AFTER_SLASHES.finditer(text):
                yield from self._host(text, match.start(1), match.end(1), own)
        if (www := _www_pattern(text)) is not None:
            for match in www.finditer(text):
                # After "//" the URL pattern has it; inside a longer word it is not a host.
                before = text[match.start() - 1] if match.start() else " "
                if not before.isalnum() and before not in "/.-_":
                    yield from self._host(text, match.start(), match.end(), own)

    def _host(self, text: str, start: int, end: int, own: str) -> Iterator[IdentifierMention]:
        host = text[start:end].lower()
        domain = None if host.endswith((".onion", *FILE_SUFFIXES)) else registered_domain(host)
        if domain is not None and domain != own and not _common(domain):
            yield mention(self.kind, domain, text, start, end)

    @classmethod
    def validate(cls, value: str) -> bool:
        return (
            re.fullmatch(r"[a-z0-9.-]{1,253}", value) is not None
            and registered_domain(value) == value
            and not _common(value)
        )


def _www_pattern(text: str) -> re.Pattern[str] | None:
    lower, upper = "www." in text, "WWW." in text
    if lower and upper:
        return _WWW
    return _WWW_LOWER if lower else _WWW_UPPER if upper else None


def _common(domain: str) -> bool:
    return domain in ASSET_DOMAINS or domain in HANDLE_DOMAINS
