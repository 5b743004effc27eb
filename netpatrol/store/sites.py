"""Site identity of a URL: its registered domain, offline."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# No network: the public-suffix snapshot bundled with tldextract, no cache directory.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def site_of(url: str | None) -> str | None:
    """``https://shop.example.co.uk/x`` -> ``example.co.uk``; onion and IP hosts as they are."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    if host.endswith(".onion"):
        return ".".join(host.split(".")[-2:])
    parts = _EXTRACT(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return host
