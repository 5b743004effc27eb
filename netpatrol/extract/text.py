"""Listings from text fields: an ad export row, or ``{"title", "text"}`` given to extract."""

from __future__ import annotations

import json
import re
from typing import Any

from netpatrol.extract.country import country_of, currency_of
from netpatrol.extract.currency import resolve_currency
from netpatrol.extract.fields import Offer, build_listing
from netpatrol.extract.identifiers import FindContext, find_identifiers
from netpatrol.extract.price import PriceResult, parse_price
from netpatrol.model import Listing
from netpatrol.store.sites import site_of

_IMAGE_SPLIT = re.compile(r"[\s,;|]+")


def extract_text(
    title: str | None,
    text: str | None,
    url: str | None = None,
    *,
    price: str | None = None,
    currency: str | None = None,
    seller: str | None = None,
    location: str | None = None,
    images: tuple[str, ...] = (),
) -> Listing:
    """One listing from its fields; the price is read from ``price`` or else the text."""
    country = country_of(url)
    hint = resolve_currency(currency, country) if currency else currency_of(country)
    found = _price(price, title, text, country, hint)
    joined = "\n".join(filter(None, (title, text)))
    context = FindContext(region=country, page_domain=site_of(url))
    offer = Offer(
        title=title,
        text=text,
        url=url,
        price=found,
        seller=seller,
        location=location,
        images=images,
    )
    return build_listing(offer, country, find_identifiers(joined, context))


def _price(
    price: str | None,
    title: str | None,
    text: str | None,
    country: str | None,
    hint: str | None,
) -> PriceResult | None:
    if price:
        found = parse_price(price, country=country, currency_hint=hint)
        if found is not None:
            return found
    # In free text only a price with its currency counts: "2 pièces" is no price.
    for part in (title, text):
        if part:
            found = parse_price(part, country=country, currency_hint=None)
            if found is not None and (found.currency is not None or found.on_request):
                return found
    return None


def extract_ad(payload: bytes) -> Listing:
    """The listing of an ad-export capture (the JSON the CSV/JSON importers store)."""
    data: dict[str, Any] = json.loads(payload)
    fields: dict[str, Any] = data.get("fields", {})
    images = fields.get("images") or ()
    if isinstance(images, str):
        images = tuple(i for i in _IMAGE_SPLIT.split(images) if i)
    return extract_text(
        fields.get("title"),
        fields.get("description"),
        fields.get("url"),
        price=fields.get("price"),
        currency=fields.get("currency"),
        seller=fields.get("seller"),
        location=fields.get("location"),
        images=tuple(images),
    )
