"""Market listing fields: where an offer ships from, a seller's name without its rating,
and the EUR value of a price in a cryptocurrency from the fiat price beside it."""

from __future__ import annotations

import pytest

from netpatrol.extract.page import extract_page
from netpatrol.extract.shipping import ships_from

ONION = "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/listing/1"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Cocaine 1g Vendor: darkstar Ships from: Netherlands Ships to: Worldwide", "Netherlands"),
        ("Ships from: United States of America. Escrow: yes", "United States of America"),
        ("Ships From: United Kingdom Ships To: Europe", "United Kingdom"),
        ("SHIPS FROM: Germany 0.002 BTC", "Germany"),
        ("Versand aus: Deutschland", "Deutschland"),
        ("Expédié depuis : France métropolitaine", "France"),
        ("Enviado desde: España", "España"),
        ("Ships from: Germany, Netherlands", "Germany"),
        # No label, or no place after it.
        ("We ship from Germany", None),
        ("Ships from: the moon", None),
        ("", None),
    ],
)
def test_ships_from(text: str, place: str | None) -> None:
    assert ships_from(text) == place


def test_a_market_listing_gives_its_place_seller_and_eur_value() -> None:
    page = (
        "<html><body><div class='listing'><h1>Cocaine 1g 90%</h1>"
        "<div class='price'>0.0021 BTC</div><div class='price-usd'>USD 65.00</div>"
        "<div class='vendor'>Vendor: darkstar (98%)</div>"
        "<div class='ships'>Ships from: Netherlands</div><div>Ships to: Worldwide</div>"
        "</div></body></html>"
    )
    (listing,) = extract_page(page.encode(), ONION)
    assert (listing.price, listing.currency) == (0.0021, "BTC")  # as the page gives it
    assert listing.price_eur is not None and 50 < listing.price_eur < 65  # from USD 65.00
    assert (listing.seller, listing.location) == ("darkstar", "Netherlands")


def test_a_crypto_price_alone_has_no_eur_value() -> None:
    page = "<html><body><h1>MDMA 10 pills</h1><span class='price'>0.35 XMR</span></body></html>"
    (listing,) = extract_page(page.encode(), ONION)
    assert (listing.price, listing.currency, listing.price_eur) == (0.35, "XMR", None)


@pytest.mark.parametrize(
    ("markup", "seller"),
    [
        ("<div class='vendor'>shop_one [4.9]</div>", "shop_one"),
        ("<div class='seller'><a href='/u/x'>xyz (1234)</a></div>", "xyz"),
        ("<div class='seller'>Agent 47</div>", "Agent 47"),
        # A rating alone names no one.
        ("<div class='seller'>(98%)</div>", None),
    ],
)
def test_a_sellers_rating_is_not_part_of_the_name(markup: str, seller: str | None) -> None:
    page = f"<html><body><h1>Item</h1><p class='price'>12,00 €</p>{markup}</body></html>"
    (listing,) = extract_page(page.encode(), "https://market.example.de/item/1")
    assert listing.seller == seller
