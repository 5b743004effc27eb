"""Site identity of a URL: its registered domain, offline."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# No network: the public-suffix snapshot bundled with tldextract, no cache directory.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def site_of(url: str | None) -> str | None:
    """``https://shop.example.co.uk/x`` -> ``example.co.uk``; onion and IP hosts as they are."""
    if not url:
        return None
    try:
        host = _host(url)
    except ValueError:
        return None
    return site_of_host(host) if host else None


def _host(url: str) -> str | None:
    # Fast path for the common absolute http(s) URL; urlsplit for everything else.
    scheme, sep, rest = url.partition("://")
    if sep and scheme in {"http", "https"}:
        authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        if "@" not in authority and "[" not in authority:
            return authority.split(":", 1)[0].lower() or None
    return urlsplit(url).hostname


@lru_cache(maxsize=65536)
def site_of_host(host: str) -> str:
    """Registered domain of a host name (cached: a crawl sees few hosts many times)."""
    host = host.rstrip(".").lower()
    if host.endswith(".onion"):
        return ".".join(host.split(".")[-2:])
    return registered_domain(host) or host


@lru_cache(maxsize=65536)
def registered_domain(host: str) -> str | None:
    """``www.shop.example.co.uk`` -> ``example.co.uk``; None when the suffix is unknown."""
    parts = _EXTRACT(host.rstrip(".").lower())
    return f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else None
