"""Which of a page's prices is the offer's: declared structured data against the page's
own price texts. Project-owned synthetic snippets, one per rule."""

from __future__ import annotations

import json

from netpatrol.extract.fields import choose_price
from netpatrol.extract.page import extract_page
from netpatrol.extract.structured import StructuredOffer


def _auction_page(opening: int, current: int, label: str) -> bytes:
    declared = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Mounted butterfly case",
        "offers": {"@type": "Offer", "price": opening, "priceCurrency": "USD"},
    }
    return f"""<html><head>
<script type="application/ld+json">{json.dumps(declared)}</script>
<meta property="og:type" content="product">
<meta property="product:price:amount" content="{current}">
<meta property="product:price:currency" content="USD">
</head><body><h1>Mounted butterfly case</h1>
<div class="bidding"><span class="price">${current}</span> <span>3 bids</span>
<span class="print-only">{label} ${opening}</span></div>
<p>Buyer's premium 25% up to $500</p></body></html>""".encode()


def test_auction_current_bid_beats_the_declared_opening_bid() -> None:
    # The JSON-LD price of an auction lot is its opening bid; the lot is worth the
    # current bid the page leads with.
    (listing,) = extract_page(
        _auction_page(90, 400, "Starting Price"), "https://auctions.example.com/lot/1"
    )
    assert (listing.price, listing.currency) == (400.0, "USD")


def test_opening_bid_in_other_languages() -> None:
    for label in ("Startgebot", "Mise à prix", "Opening bid", "Cena wywoławcza"):
        (listing,) = extract_page(_auction_page(50, 120, label), "https://lots.example.com/x")
        assert listing.price == 120.0, label


def test_declared_price_stays_when_the_page_does_not_call_it_an_opening_bid() -> None:
    # A struck-out original price that leads the page is no reason to leave the declared
    # sale price: only the page's own "starting bid" label is.
    declared = StructuredOffer(name="Vase", price="50", currency="EUR", syntax="json-ld")
    found = choose_price(declared, ["120,00 €", "50,00 €", "Livraison 5,00 €"], "FR")
    assert found is not None and (found.amount, found.currency) == (50.0, "EUR")


def test_opening_bid_alone_is_still_the_price() -> None:
    # No other price on the page: the opening bid is better than nothing.
    declared = StructuredOffer(name="Lot", price="90", currency="USD", syntax="json-ld")
    found = choose_price(declared, ["Starting Price $90"], None)
    assert found is not None and (found.amount, found.currency) == (90.0, "USD")


def test_current_bid_takes_the_declared_currency_when_it_names_none() -> None:
    declared = StructuredOffer(name="Lot", price="90", currency="USD", syntax="json-ld")
    found = choose_price(declared, ["400", "Starting bid 90"], None)
    assert found is not None and (found.amount, found.currency) == (400.0, "USD")


def _page_price(body: str) -> tuple[float | None, str | None]:
    html = f"<html><head><title>Lamp</title></head><body><h1>Lamp</h1>{body}</body></html>"
    found = extract_page(html.encode(), "https://shop.example.si/lamp")
    return found[0].price, found[0].currency


def test_a_price_marked_old_is_kept_when_the_page_has_no_other() -> None:
    assert _page_price('<p><span class="old-price">19,90 €</span></p>') == (19.9, "EUR")


def test_an_old_price_beside_a_current_one_stays_left_out() -> None:
    body = '<p><span class="old-price">29,90 €</span> <span class="price">19,90 €</span></p>'
    assert _page_price(body) == (19.9, "EUR")
