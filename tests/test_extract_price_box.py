"""Which shown price is the offer's: a sale beside stale structured data, a price shown as
a heading, labelled old and before-tax prices, a mini-cart by its label, an ad given away.
Each case is a small page around one layout seen on a real platform."""

from __future__ import annotations

import json

import pytest
from helpers import product_page, shown_price

from netpatrol.extract.page import extract_page

_RELATED = (
    '<section class="similar-ads"><h2>Ähnliche Anzeigen</h2><ul>'
    '<li><a href="/d/1"><h3>Sofa Leder</h3><span class="price">€ 250</span></a></li>'
    '<li><a href="/d/2"><h3>Schlafsofa</h3><span class="price">€ 120</span></a></li>'
    '<li><a href="/d/3"><h3>Couchtisch</h3><span class="price">€ 1.150</span></a></li>'
    "</ul></section>"
)


def _json_ld(price: str, currency: str) -> str:
    offer = {"@type": "Offer", "price": price, "priceCurrency": currency}
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Garmin"}
    data = json.dumps({**product, "offers": offer})
    return f'<script type="application/ld+json">{data}</script>'


def _prices(body: str, url: str) -> list[tuple[float | None, str | None]]:
    """(price, currency) of every listing the page gives: one, unless it is read as a list."""
    return [(x.price, x.currency) for x in extract_page(product_page(body), url)]


@pytest.mark.parametrize(
    ("body", "declared", "price"),
    [
        # BigCommerce: the structured data kept the price before the sale.
        (
            '<div class="price-section"><span class="price price--rrp">€249.99</span>'
            '<span class="price price--non-sale">€229.99</span>'
            '<span class="price price--withoutTax">€199.99</span></div>',
            "229.99",
            199.99,
        ),
        # bol.com: amounts without a sign, the old one struck through.
        (
            '<div class="buy-block"><span class="promo-price">29<sup>99</sup></span>'
            '<del class="buy-block__list-price">49,99</del></div>',
            "49.99",
            29.99,
        ),
    ],
)
def test_a_declared_price_shown_only_as_the_old_one_gives_way_to_the_sale(
    body: str, declared: str, price: float
) -> None:
    url = "https://shop.example.nl/p/1"
    assert shown_price(body, url, _json_ld(declared, "EUR")) == (price, "EUR")


def test_another_products_sale_at_the_declared_price_changes_nothing() -> None:
    # spartoo: the product at 26 €, another colour on sale from 26 € to 22,10 € below.
    body = (
        '<div class="price">26,00 €</div>'
        '<div class="otherColors"><a class="carousel_info prix"><s>26,00 €</s> 22,10 €</a></div>'
    )
    url = "https://www.shop.example.pt/p/1"
    assert shown_price(body, url, _json_ld("26.00", "EUR")) == (26.0, "EUR")


def test_a_sale_far_below_the_declared_price_is_another_amount() -> None:
    body = '<div class="price-box"><s>€199.99</s><span class="price">€9.99</span></div>'
    url = "https://shop.example.ie/p/1"
    assert shown_price(body, url, _json_ld("199.99", "EUR")) == (199.99, "EUR")


def test_a_price_shown_as_a_heading_comes_before_related_products_prices() -> None:
    # OpenCart's default theme.
    body = (
        '<ul class="list-unstyled"><li><span style="text-decoration: line-through;">'
        "14 490,00 Kč</span></li><li><h2>12 990,00 Kč</h2></li>"
        "<li>Bez DPH: 10 735,54 Kč</li></ul><h3>Související produkty</h3>"
        '<div class="row"><div class="product-thumb"><p class="price">'
        '<span class="price-new">7 490,00 Kč</span> <span class="price-old">8 990,00 Kč</span>'
        "</p></div></div>"
    )
    assert shown_price(body, "https://www.eshop.example.cz/robot") == (12990.0, "CZK")


def test_a_mini_cart_by_its_label_and_labelled_old_and_net_prices_come_last() -> None:
    body = (
        '<div class="top"><span class="k">Kosár: 0 termék – 0 Ft</span></div>'
        '<div class="box"><span class="regi-ar">Régi ár: 14.900 Ft</span>'
        '<span class="netto">Nettó ár: 11.905 Ft + 5% ÁFA</span>'
        '<span class="ar">12.500 Ft</span></div>'
    )
    assert shown_price(body, "https://www.bolt.example.hu/kave") == (12500.0, "HUF")


@pytest.mark.parametrize(
    "text",
    ["Régi ár: 14.900 Ft", "Før 1.499 kr.", "Tidligere pris 1.499 kr.", "Ord. pris 1 499 kr"],
)
def test_old_price_labels_of_other_languages(text: str) -> None:
    body = f'<div class="box"><span class="a">{text}</span><span class="b">999 kr.</span></div>'
    price, _ = shown_price(body, "https://www.shop.example.dk/p")
    assert price == 999.0


def test_for_is_no_old_price_label() -> None:
    body = '<div class="box"><span class="a">3 for £25.00</span></div>'
    assert shown_price(body, "https://www.shop.example.co.uk/p") == (25.0, "GBP")


def test_an_ad_given_away_is_one_listing_at_zero_not_a_list_of_the_ads_beside_it() -> None:
    body = (
        '<div class="price-box"><span class="price-value">Zu verschenken</span></div>'
        "<p>Wir ziehen um, Neupreis war 899 €.</p>" + _RELATED
    )
    assert _prices(body, "https://www.willhaben.example.at/d/sofa") == [(0.0, "EUR")]


def test_free_shipping_in_a_price_element_is_no_gift() -> None:
    body = '<div class="price-info">Free shipping</div>' + _RELATED
    (listing,) = extract_page(product_page(body), "https://www.shop.example.at/p")
    assert listing.price == 250.0  # the furniture's first price, as before: no gift


def test_test_ids_name_the_furniture_where_class_names_are_generated() -> None:
    # Gumtree: CSS-in-JS class names; data-q says which box is the similar ads.
    cards = "".join(
        f'<article class="css-1ea4c9e" data-q="search-result"><a href="/p/{i}">'
        f'<div class="css-1de61eh" data-q="tile-title">Wardrobe {i}</div>'
        f'<div class="css-1ev0wvr" data-q="tile-price">£{100 + i * 15}</div></a></article>'
        for i in range(12)
    )
    body = (
        '<section class="css-ghvx4m"><h3 class="css-1ev0wvr" data-q="ad-price">£85</h3>'
        '<span class="css-1fkiz4r">ONO</span></section>'
        f'<section class="css-1mavfq0" data-q="similar-ads"><h2>Similar ads</h2>{cards}</section>'
    )
    assert _prices(body, "https://www.gumtree.example.co.uk/p/wardrobe") == [(85.0, "GBP")]


def test_a_bold_current_price_is_not_an_old_one() -> None:
    # Aukro (Tailwind): "tw-font-bold" holds "old"; the starting price is labelled.
    body = (
        '<div class="auk-bid-box"><div class="tw-text-sm">Aktuální cena</div>'
        '<div class="tw-text-3xl tw-font-bold" data-testid="current-price">1 260 Kč</div>'
        '<div class="tw-text-sm"><a href="#h">9 příhozů</a> · Vyvolávací cena: 500 Kč</div>'
        '<button class="auk-btn">1 310 Kč</button></div>'
    )
    assert shown_price(body, "https://aukro.example.cz/soska") == (1260.0, "CZK")


@pytest.mark.parametrize(
    "heading",
    [
        "More Lots From This Auction",
        "Související produkty",
        "Ähnliche Anzeigen",
        "Vous aimerez aussi",
    ],
)
def test_a_box_headed_as_other_offers_is_furniture(heading: str) -> None:
    tiles = "".join(
        f'<li class="lot-tile"><a href="/lot/{i}">Lot {i}</a>'
        f'<span class="price">${100 + i}</span></li>'
        for i in range(12)
    )
    body = (
        '<div class="current-bid"><span class="label">Current Bid</span>'
        '<span class="current-bid-amount"><span class="currency-symbol">$</span>'
        '<span class="amount">1,250</span></span></div>'
        f'<section class="upcoming-lots"><h2>{heading}</h2><ul>{tiles}</ul></section>'
    )
    assert _prices(body, "https://www.auctions.example.com/lot/412") == [(1250.0, "USD")]


def test_a_list_keeps_its_cards_with_no_price_and_its_variant_cards() -> None:
    def card(i: int, extra: str = "", price: str | None = "120 zł") -> str:
        shown = f'<p class="price">{price}</p>' if price else "<p>Zamienię</p>"
        return (
            f'<div class="l-card{extra}"><a href="/d/{i}"><h6>Rower miejski nr {i}</h6></a>'
            f"{shown}<span>Warszawa</span></div>"
        )

    cards = [card(i) for i in range(10)]
    cards.insert(2, card(90, price=None))  # a swap: no price
    cards.insert(4, card(91, extra=" l-card--promoted", price="450 zł"))
    body = f'<div class="listing-grid">{"".join(cards)}</div>'
    listings = extract_page(product_page(body), "https://www.olx.example.pl/rowery/")
    assert [x.title for x in listings][2:5] == [
        "Rower miejski nr 90",
        "Rower miejski nr 2",
        "Rower miejski nr 91",
    ]
    assert len(listings) == 12
    assert listings[2].price is None and listings[4].price == 450.0


def test_a_full_price_beside_a_discounted_one_is_the_old_price() -> None:
    # Depop's result cards.
    body = (
        '<div class="styles_priceContainer__aP7HR">'
        '<p aria-label="Full price" class="styles_discountedFullPrice__JTi1d">£30.00</p>'
        '<p aria-label="Discounted price" class="styles_price__H8qdh">£22.00</p></div>'
    )
    assert shown_price(body, "https://www.depop.example.com/products/x/") == (22.0, "GBP")
