"""An offer's seller and location from the elements whose markup names them."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract.hints import fields_by_class, hinted_fields, seller_and_location, words_of
from netpatrol.extract.page import extract_page
from netpatrol.extract.shipping import located_in

FIELDS = ("seller", "location")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("SellerInfo-name", ["seller", "info", "name"]),
        ("nav-global-location-slot", ["nav", "global", "location", "slot"]),
        ("Review__dateAndLocation__dX1", ["review", "date", "and", "location", "d", "x"]),
        ("Verkäufer", ["verkäufer"]),
    ],
)  # fmt: skip
def test_words_of_a_class(value: str, words: list[str]) -> None:
    assert words_of(value) == words


@pytest.mark.parametrize(
    ("klass", "fields"),
    [
        ("seller-name", ("seller",)),
        ("shopName", ("seller",)),
        ("shop_name", ("seller",)),
        ("bigusername", ("seller",)),
        ("sellerInfo", ("seller",)),
        ("hz-Listing-location", ("location",)),
        ("shipsFrom", ("location",)),
        ("ort", ("location",)),
        ("placement", ("location",)),
        # Words inside other words, and the best sellers' box.
        ("short-description", ()),
        ("original-price current-price", ()),
        ("review-sort", ()),
        ("report", ()),
        ("klarna-placement", ()),
        ("best-sellers", ()),
        # Controls that set or check a place.
        ("x-update-location-link", ()),
        ("registration_error city_missing", ()),
    ],
)
def test_hinted_fields_match_whole_words(klass: str, fields: tuple[str, ...]) -> None:
    assert hinted_fields((klass, None, None), FIELDS) == fields


def _fields(body: str, page: bool = True) -> dict[str, str]:
    tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
    assert tree.body is not None
    return fields_by_class(tree.body, FIELDS, page=page)


def test_review_authors_and_their_cities_are_not_the_offers() -> None:
    body = (
        "<main><h1>Nest Mini</h1><section class=reviews><article class=review>"
        "<span class=author>Megan F</span><span class=city>Newport</span></article>"
        '</section><div itemprop="review"><span class="username">chris40</span></div></main>'
    )
    assert _fields(body) == {}


def test_the_page_furniture_and_other_offers_boxes_are_not_the_offers() -> None:
    body = (
        '<header><div id="nav-global-location-slot">Deliver to Netherlands</div></header>'
        "<main><h1>Chess set</h1>"
        '<section class="similar-ads"><div class="card-location">Kassel</div></section>'
        '<div class="item-location">Göttingen</div></main>'
    )
    assert _fields(body) == {"location": "Göttingen"}
    # A card has no furniture of its own: its root's words are its own.
    assert _fields(body, page=False) == {"location": "Deliver to Netherlands"}


def test_form_controls_and_page_commands_are_no_values() -> None:
    body = (
        '<select class="city"><option>Zagreb</option><option>Split</option></select>'
        '<a class="username" href="/login">Sign In</a>'
        '<div class="storeSeller"><a href="/shop">Visit Shop</a></div>'
        '<button class="seller">Contact</button><div class="location">Report</div>'
    )
    assert _fields(body) == {}


def test_a_seller_box_gives_way_to_the_name_inside_it() -> None:
    body = (
        '<aside class="SellerInfo-root"><div class="SellerInfo-name">Marc L.</div>'
        "<div>Actif depuis 7 ans</div></aside>"
    )
    assert _fields(body) == {"seller": "Marc L."}


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            '<span class="seller">sammlerstube-ruhr (4904) 98,7%</span>',
            {"seller": "sammlerstube-ruhr"},
        ),
        (
            '<div class="shop-name-with-rating">4.9 out of 5 stars (38,949) 38,949 reviews</div>',
            {},
        ),
        (
            '<div class="css-seller">Privat · Peter M. · auf tutti.ch seit 2013</div>',
            {"seller": "Peter M."},
        ),
        (
            '<div class="ml-seller">Sprzedający monika_gda · Na Allegro od 2025</div>',
            {"seller": "monika_gda"},
        ),
        ('<div class="seller">Save this seller</div>', {}),
        ('<p class="shop-name">4.8 out of 5 stars 4.8 (4,935 reviews)</p>', {}),
        ('<h2 class="seller-info__title">Información del vendedor</h2>', {}),
        ('<div class="seller">Vândut și livrat de: eMAG</div>', {"seller": "eMAG"}),
        (
            '<span class="item-location">Milano (MI) Oggi alle 11:42</span>',
            {"location": "Milano (MI)"},
        ),
        ('<span class="location">26,00 €</span>', {}),
        ('<span class="item-location">Lyon 69003 · 2 km</span>', {"location": "Lyon 69003"}),
        ('<span class="location">Hamburg, Versand möglich</span>', {"location": "Hamburg"}),
        ('<span class="item-location">aus China</span>', {"location": "China"}),
        ('<span class="item-location">Unspecified</span>', {}),
        # A region code alone is read with the place beside it.
        (
            '<div><span class="x">Milano </span><span class="city">(MI)</span>'
            "<span> Oggi alle 11:42</span></div>",
            {"location": "Milano (MI)"},
        ),
        ('<div id="shipsFromSoldBy">Verkauf und Versand durch Amazon.</div>', {}),
        (
            '<div itemprop="emplacement">Villeurbanne, France</div>',
            {"location": "Villeurbanne, France"},
        ),
    ],
)
def test_values_read_as_a_name_or_a_place(markup: str, expected: dict[str, str]) -> None:
    assert _fields(markup) == expected


@pytest.mark.parametrize(
    ("markup", "seller", "location"),
    [
        (
            '<div class="vendor">Sold by <a href="/s/1">ShopX</a></div>'
            '<div class="location">Item location: Berlin, Germany</div>',
            "ShopX",
            "Berlin, Germany",
        ),
        (
            '<div class="seller">Vendu par <b>Boutique Y</b></div>'
            '<div class="item-location">Localisation : Lyon</div>',
            "Boutique Y",
            "Lyon",
        ),
        (
            '<div class="seller-name">nick_42</div>'
            '<div class="item-location">Located in: Antwerp, Belgium</div>',
            "nick_42",
            "Antwerp, Belgium",
        ),
        (
            '<div class="verkaeufer">Verkauft von Autohaus Z</div>'
            '<div class="standort">Standort: 10115 Berlin</div>',
            "Autohaus Z",
            "10115 Berlin",
        ),
        # A seller box: the name its link shows, not the heading and ratings around it.
        (
            '<div class="seller-info"><h3>Seller information</h3><a href="/u/x">xyz_shop</a>'
            " <span>(1234)</span> <span>99.5% positive</span></div>",
            "xyz_shop",
            None,
        ),
        # A link that names no one leaves the box's own text.
        (
            '<div class="vendor">Vendor: darkstar <a href="/m">Contact vendor</a></div>',
            "darkstar",
            None,
        ),
    ],
)
def test_seller_and_location_values(markup: str, seller: str, location: str | None) -> None:
    html = (
        f"<html><body><main><h1>Thing</h1><p class=price>12,00 €</p>{markup}</main></body></html>"
    )
    (listing,) = extract_page(html.encode(), "https://x.example.de/p")
    assert (listing.seller, listing.location) == (seller, location)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # Key and value: a definition list, a table row, a form-like row, a heading's box.
        (
            '<dl><dt>Vendor</dt><dd><a href="/v/IberiaDirect">IberiaDirect</a> Level 5</dd>'
            "<dt>Shipping from</dt><dd>Spain</dd></dl>",
            {"seller": "IberiaDirect", "location": "Spain"},
        ),
        (
            "<table><tr><th>Ships from</th><td><span></span> Belgium</td></tr></table>",
            {"location": "Belgium"},
        ),
        (
            "<div><label>Vendor</label> <span><a href=/m>TulipRush</a> (1342) (4.93★)</span></div>",
            {"seller": "TulipRush"},
        ),
        (
            '<h2>Localitate</h2><div><p>Cluj-Napoca</p></div><h2>Vânzător</h2><div><a href="/u">'
            '<h4 class="user-name">Andrei</h4><p>Pe OLX din 2017</p></a></div>',
            {"seller": "Andrei", "location": "Cluj-Napoca"},
        ),
        # A table's header row labels columns, not a value.
        ("<table><tr><th>Vânzător</th><th>Preț</th></tr></table>", {}),
        # A label beside a control: the control's options are no value.
        ("<label>Ships from</label><select><option>Any</option></select>", {}),
    ],
)
def test_values_a_key_element_labels(markup: str, expected: dict[str, str]) -> None:
    tree = LexborHTMLParser(f"<html><body>{markup}</body></html>")
    assert tree.body is not None
    assert seller_and_location(tree.body, page=True) == expected


def test_a_pin_icon_marks_the_place_beside_it() -> None:
    card = '<div class="aditem"><i class="icon icon-pin-gray"></i> 50667 Köln Altstadt-Nord</div>'
    assert _fields(card, page=False) == {"location": "50667 Köln Altstadt-Nord"}


def test_a_seller_card_gives_its_first_block() -> None:
    card = (
        '<div data-testid="seller-card"><p class="font-bold">Kjell Arne</p>'
        "<p>Har vært på FINN siden 2011 · Verifisert</p><button>Send melding</button></div>"
    )
    assert _fields(card) == {"seller": "Kjell Arne"}


def test_the_visitors_own_account_is_no_seller() -> None:
    header = (
        '<div class="user"><span class="username">Logged in as <a href="/p">kiwi</a></span></div>'
    )
    assert _fields(header, page=False) == {}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Postage: £24.99 Located in: Hexham, United Kingdom Returns: 30 days",
            "Hexham, United Kingdom",
        ),
        ("Located in: Nürnberg, Germany May not ship to Ireland", "Nürnberg, Germany"),
        ("Standort: 10245 Berlin - Friedrichshain", "10245 Berlin"),
        # A site picker's list of places is not one place.
        ("Location: 100 Mile Abbotsford Agassiz Alberni", None),
        ("Location: the shop", None),
    ],
)
def test_located_in(text: str, place: str | None) -> None:
    assert located_in(text) == place
