"""The photos of an offer: the page's images that show the item.

A page's first images are often the site's logo in the header, icons, payment and rating
badges, flags, a tracking pixel (Facebook's ``/tr?...&noscript=1``, 1x1) or an SVG
drawing. They are no evidence of the item: hashed, they would match across every page of
a site, or of every site with the same pixel.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.dom import absolute
from netpatrol.extract.furniture import Verdicts, in_furniture

# A word of the URL's path that names a picture of no item. Product names hold "star",
# "flag" or "logo" only in an alt text or a file name's middle ("star-necklace.jpg" is a
# photo; "/logo.svg", "/img/logo-shop.png" are not).
_NOT_A_PHOTO_URL = re.compile(
    r"(?:^|[/_.-])(?:logos?|icons?|ico|sprites?|pixel|spacer|blank|placeholder|"
    r"loader|loading|spinner|cart|basket|visa|mastercard|paypal|amex|maestro|klarna|"
    r"westernunion)(?=[/_.-]|$|\d)"
    r"|facebook\.com/tr\b|[?&]noscript=1|doubleclick\.net|google-analytics\.com|"
    r"\.svg(?:$|[?#])",
    re.IGNORECASE,
)
# ... and of its class or id.
_NOT_A_PHOTO_MARK = re.compile(
    r"(?:^|[_\s-])(?:logos?|icons?|ico|sprites?|pixel|badges?|flags?|payments?|"
    r"trustpilot|rating|stars?|avatar|spinner)(?=[_\s-]|$)",
    re.IGNORECASE,
)
MIN_SIDE = 16  # px: an image declared smaller is a pixel or an icon
_LAZY = ("data-src", "data-original", "data-lazy-src", "src")


def offer_images(
    root: LexborNode | LexborHTMLParser, base: str | None, limit: int = 10, page: bool = False
) -> list[str]:
    """Image URLs (lazy-loading attributes first), absolute, without duplicates, that may
    show the item. ``page``: the root is a whole page, whose furniture shows no item."""
    found: list[str] = []
    verdicts: Verdicts = {}
    for img in root.css("img"):
        attributes = img.attributes
        src = next((v for k in _LAZY if (v := attributes.get(k))), None)
        url = absolute(src, base)
        if not url or url.startswith("data:") or url in found or _no_photo(url, attributes):
            continue
        if page and in_furniture(img, verdicts):
            continue
        found.append(url)
        if len(found) >= limit:
            break
    return found


def _no_photo(url: str, attributes: dict[str, str | None]) -> bool:
    if _too_small(attributes.get("width")) or _too_small(attributes.get("height")):
        return True
    marks = " ".join(v for k in ("class", "id") if (v := attributes.get(k)))
    return _NOT_A_PHOTO_URL.search(url) is not None or _NOT_A_PHOTO_MARK.search(marks) is not None


def _too_small(side: str | None) -> bool:
    digits = (side or "").strip().removesuffix("px")
    return digits.isdigit() and int(digits) < MIN_SIDE
