"""Prices split over several elements: superscript cents, a currency sign or the cents in
an element of their own. Each case is a product page around one price markup."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract.country import region_of_language
from netpatrol.extract.page import extract_page
from netpatrol.extract.price import parse_price
from netpatrol.extract.price_elements import price_elements, price_text


def _page(price_markup: str) -> bytes:
    return (
        "<html><head><title>Leather wallet</title></head><body><nav>Home | Shop</nav>"
        f"<h1>Leather wallet, brown</h1>{price_markup}"
        "<p>A fine leather wallet, handmade. Free shipping within the EU.</p></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("markup", "url", "price", "currency"),
    [
        # The cents in a superscript, with or without their mark, a sign before or in it.
        (
            '<span class="price">12<sup>,99</sup>&nbsp;€</span>',
            "https://a.example.fr/",
            12.99,
            "EUR",
        ),
        ('<span class="price">12€<sup>99</sup></span>', "https://a.example.fr/", 12.99, "EUR"),
        ('<span class="price">12<sup>€99</sup></span>', "https://a.example.fr/", 12.99, "EUR"),
        (
            '<span class="price">1.299<sup>99</sup> €</span>',
            "https://a.example.de/",
            1299.99,
            "EUR",
        ),
        ('<span class="price">$12<sup>99</sup></span>', "https://a.example.com/", 12.99, "USD"),
        # The sign or the cents in a sibling element.
        (
            '<div class="product-price"><span class="currency">£</span>'
            '<span class="amount">1,299.00</span></div>',
            "https://a.example.co.uk/",
            1299.0,
            "GBP",
        ),
        (
            '<div class="price"><span class="currency">EUR</span> '
            '<span class="value">49,90</span></div>',
            "https://a.example.de/",
            49.9,
            "EUR",
        ),
        (
            '<div class="price"><span class="value">49,90</span><span>€</span></div>',
            "https://a.example.fr/",
            49.9,
            "EUR",
        ),
        (
            '<span class="price"><span>12</span><span>,99 €</span></span>',
            "https://a.example.fr/",
            12.99,
            "EUR",
        ),
        # Superscripts that are not cents.
        ('<span class="price">49,90 €<sup>1</sup></span>', "https://a.example.de/", 49.9, "EUR"),
        (
            '<span class="price">12,50 € / m<sup>2</sup></span>',
            "https://a.example.de/",
            12.5,
            "EUR",
        ),
        # A number beside other small elements is no price.
        (
            '<div><span>Qty</span><span>2</span></div><span class="price">€ 19,99</span>',
            "https://a.example.ie/",
            19.99,
            "EUR",
        ),
    ],
)
def test_split_prices(markup: str, url: str, price: float, currency: str) -> None:
    (listing,) = extract_page(_page(markup), url)
    assert listing.price == pytest.approx(price)
    assert listing.currency == currency


def test_a_lone_number_beside_a_word_is_no_price_element() -> None:
    tree = LexborHTMLParser("<body><div><span>Qty</span> <span>2</span></div></body>")
    assert price_elements(tree) == []


def test_the_parent_of_a_split_price_is_found_once() -> None:
    tree = LexborHTMLParser(
        '<body><p class="p"><span>€</span><span>12</span><span>,99</span></p></body>'
    )
    assert [node.attributes.get("class") for node in price_elements(tree)] == ["p"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<span class="x">12<sup>,99</sup> €</span>', "12,99 €"),
        (
            '<span class="x"><b>Price:</b> <span>12</span><span>,99 €</span></span>',
            "Price: 12,99 €",
        ),
        ('<div class="x"><div>Price</div><div>12,99 €</div></div>', "Price 12,99 €"),
    ],
)
def test_price_text_reads_as_a_browser_shows_it(html: str, expected: str) -> None:
    node = LexborHTMLParser(f"<body>{html}</body>").css_first(".x")
    assert node is not None
    assert price_text(node) == expected


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Statt 29,99 € nur 19,99 €", 19.99),
        ("Was £29.99 Now £19.99", 19.99),
        ("RRP £29.99 Our price £19.99", 19.99),
        ("UVP: 29,99 € 19,99 €", 19.99),
        ("Antes 29,99 € Ahora 19,99 €", 19.99),
        ("Au lieu de 29,99 € : 19,99 €", 19.99),
        ("Invece di 29,99 € 19,99 €", 19.99),
        ("Prima: 29,99 € 19,99 €", 19.99),
        # No price after the old one: it is the only price the text states.
        ("Was £29.99", 29.99),
        # Not a label: "was" in a sentence before a price, "prima" without a colon.
        ("Price 19,99 € (it was a gift)", 19.99),
        ("Prima qualità 19,99 € spedizione 5 €", 19.99),
    ],
)
def test_a_labelled_old_price_gives_way_to_the_next(text: str, amount: float) -> None:
    found = parse_price(text, country="DE")
    assert found is not None
    assert found.amount == pytest.approx(amount)


@pytest.mark.parametrize(
    ("before", "markup", "url", "price"),
    [
        (
            '<header><a class="cart">Panier <span class="cart-price">0,00 €</span></a></header>',
            '<span class="price">24,90 €</span>',
            "https://a.example.fr/",
            24.9,
        ),
        (
            '<div class="minicart"><span class="amount">£0.00</span></div>',
            '<p class="price">£24.90</p>',
            "https://a.example.co.uk/",
            24.9,
        ),
        (
            '<section class="related-products"><span class="price">9,90 €</span></section>',
            '<span class="price">24,90 €</span>',
            "https://a.example.fr/",
            24.9,
        ),
        # The buy box's own "cart" wrapper is no mini-cart.
        (
            "",
            '<div class="cart-wrapper"><div class="price">24,90 €</div></div>',
            "https://a.example.fr/",
            24.9,
        ),
        # A price found only in the furniture is still the last resort.
        ('<header><span class="price">24,90 €</span></header>', "", "https://a.example.fr/", 24.9),
    ],
)
def test_prices_in_the_page_furniture_come_last(
    before: str, markup: str, url: str, price: float
) -> None:
    (listing,) = extract_page(_page(markup).replace(b"<body>", b"<body>" + before.encode()), url)
    assert listing.price == pytest.approx(price)


@pytest.mark.parametrize(
    ("markup", "url", "price", "currency"),
    [
        # An amount alone in an element called a price: the page's declared currency...
        (
            '<span class="price">24.90</span><meta itemprop="priceCurrency" content="GBP">',
            "https://a.example.com/",
            24.9,
            "GBP",
        ),
        (
            '<span itemprop="price" content="24.90">24,90</span>'
            '<span itemprop="priceCurrency" content="EUR">€</span>',
            "https://a.example.com/",
            24.9,
            "EUR",
        ),
        # ... else the currency of the site's country.
        ('<span class="price">24,90</span>', "https://a.example.fr/", 24.9, "EUR"),
        # Swiss francs written "Fr." or "SFr.".
        ('<span class="price">Fr. 49.90</span>', "https://a.example.ch/", 49.9, "CHF"),
        ('<span class="price">SFr. 49.90</span>', "https://a.example.ch/", 49.9, "CHF"),
    ],
)
def test_amounts_shown_without_their_currency(
    markup: str, url: str, price: float, currency: str
) -> None:
    (listing,) = extract_page(_page(markup), url)
    assert listing.price == pytest.approx(price)
    assert listing.currency == currency


def test_an_amount_alone_comes_after_every_price_shown_with_its_currency() -> None:
    markup = (
        '<span class="unit-price">3,00</span><span class="price-box">24,90</span><p>€ 19,99</p>'
    )
    (listing,) = extract_page(_page(markup), "https://a.example.ie/")
    assert listing.price == pytest.approx(19.99)


def test_a_struck_through_part_of_a_price_element_is_left_out() -> None:
    (listing,) = extract_page(
        _page('<p class="price"><s>29,99 €</s> 19,99 €</p>'), "https://a.example.fr/"
    )
    assert listing.price == pytest.approx(19.99)


def test_a_shipping_cost_comes_after_the_price() -> None:
    (listing,) = extract_page(
        _page("<p>Shipping: £4.95</p><p>£19.99</p>"), "https://a.example.co.uk/"
    )
    assert listing.price == pytest.approx(19.99)


def test_a_declared_zero_gives_way_to_the_price_shown() -> None:
    declared = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Wallet", "offers": {"@type": "Offer", "price": "0.00", '
        '"priceCurrency": "EUR"}}</script>'
    )
    page = _page('<p class="price">19,99 €</p>').replace(b"</head>", declared.encode() + b"</head>")
    (listing,) = extract_page(page, "https://a.example.fr/")
    assert (listing.price, listing.currency) == (19.99, "EUR")
    free = _page("<p>Gratuit</p>").replace(b"</head>", declared.encode() + b"</head>")
    (listing,) = extract_page(free, "https://a.example.fr/")
    assert (listing.price, listing.currency) == (0.0, "EUR")


@pytest.mark.parametrize(
    ("tag", "region"),
    [
        ("es-CL", "CL"),
        ("fr_CA", "CA"),
        ("zh-Hant-TW", "TW"),
        ("en", None),
        ("es-419", None),
        ("", None),
    ],
)
def test_region_of_language(tag: str, region: str | None) -> None:
    assert region_of_language(tag) == region


@pytest.mark.parametrize(
    ("lang", "text", "price", "currency"),
    [
        ("es-CL", "$5.000", 5000.0, "CLP"),
        ("es-MX", "$249.00", 249.0, "MXN"),
        ("en", "$24.99", 24.99, "USD"),
    ],
)
def test_a_generic_domain_takes_the_country_of_the_pages_language_tag(
    lang: str, text: str, price: float, currency: str
) -> None:
    page = f'<html lang="{lang}"><body><h1>X</h1><p class="price">{text}</p></body></html>'
    (listing,) = extract_page(page.encode(), "https://www.shop.example.com/p")
    assert (listing.price, listing.currency) == (price, currency)


@pytest.mark.parametrize(
    "markup",
    [
        # Magento 2 in B2B mode: the price before tax first, and large.
        '<div class="price-box"><span class="price-wrapper price-excluding-tax big">'
        '<span class="price">€ 1.073,55</span></span>'
        '<span class="price-wrapper price-including-tax small">'
        '<span class="price">€ 1.299,00</span></span></div>',
        # A Wix store: the crossed-out price is the "secondary" one, before the sale price.
        '<span class="secondary-price">1.480,00 €</span>'
        '<span class="primary-price">1.299,00 €</span>',
    ],
)
def test_the_price_a_consumer_pays_comes_before_the_other_shown_ones(markup: str) -> None:
    (listing,) = extract_page(_page(markup), "https://shop.example.nl/p/1")
    assert (listing.price, listing.currency) == (1299.0, "EUR")
