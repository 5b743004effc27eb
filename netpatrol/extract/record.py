"""Listings as the JSON lines of ``netpatrol extract`` (the contract in DESIGN.md)."""

from __future__ import annotations

from typing import Any

from netpatrol.model import Listing

TEXT_PREVIEW = 500


def listing_record(listing: Listing | None) -> dict[str, Any]:
    """The fields of one listing; all present, None where nothing was found."""
    if listing is None:
        return {
            "title": None,
            "text": None,
            "url": None,
            "language": None,
            "price": None,
            "currency": None,
            "price_eur": None,
            "quantity": None,
            "unit": None,
            "seller": None,
            "location": None,
            "images": [],
            "identifiers": [],
        }
    return {
        "title": listing.title,
        "text": listing.text[:TEXT_PREVIEW] if listing.text else None,
        "url": listing.url,
        "language": listing.language,
        "price": listing.price,
        "currency": listing.currency,
        "price_eur": listing.price_eur,
        "quantity": listing.quantity,
        "unit": listing.unit,
        "seller": listing.seller,
        "location": listing.location,
        "images": list(listing.images),
        "identifiers": [
            {
                "kind": m.identifier.kind,
                "value": m.identifier.value,
                "raw": m.raw,
                "start": m.start,
                "end": m.end,
            }
            for m in listing.identifiers
        ],
    }


def extract_record(record_id: Any, listings: list[Listing]) -> dict[str, Any]:
    """One output line per input: the first listing's fields at the top; every listing
    of a list page under ``listings``."""
    out: dict[str, Any] = {"id": record_id}
    out.update(listing_record(listings[0] if listings else None))
    out["listing_count"] = len(listings)
    if len(listings) > 1:
        out["listings"] = [listing_record(listing) for listing in listings]
    return out
