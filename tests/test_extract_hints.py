"""fields_by_class (one Python walk) picks what lexbor attribute selectors picked."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.dom import _CLASS_HINTS, _SUBSTRINGS, MAX_FIELD_TEXT, clean, fields_by_class
from netpatrol.extract.page import extract_page

FIELDS = ("seller", "location")


def _by_selectors(root: LexborNode, fields: tuple[str, ...]) -> dict[str, str]:
    """The former implementation: candidates from ~70 attribute-substring selectors."""
    found: dict[str, str] = {}
    for field in fields:
        selector = ", ".join(
            f"[{attribute}*={word} i]"
            for word in _SUBSTRINGS[field]
            for attribute in ("class", "id", "itemprop")
        )
        for node in root.css(selector):
            attributes = node.attributes
            marker = " ".join(
                filter(None, (attributes.get(a) for a in ("class", "id", "itemprop")))
            )
            if not _CLASS_HINTS[field].search(marker):
                continue
            text = clean(node.text(separator=" "))
            if text and len(text) <= MAX_FIELD_TEXT:
                found[field] = text
                break
    return found


PAGES = [
    '<div class="sort">x</div><div class="seller-name">Bob</div><p class="city">Lyon</p>',
    '<div class="Sort-Order">1</div><span id="shipsFrom">Hong Kong</span>',
    '<div class="VERKÄUFER">nope</div><div class="Verkäufer">Hans</div>',
    '<div class="seller">' + "long " * 40 + '</div><b class="Seller">Ann</b>',
    '<div itemprop="author">Zoe</div><div itemprop="addressLocality">Riga</div>',
    '<div class="port">no</div><div class="ort">Bern</div><div class="ort-x">Basel</div>',
    '<div class="shop_name">no</div><div class="shopName">Shop</div>',
    '<div class="seller"></div><div class="seller"> </div><div class="seller">Eve</div>',
    '<div class="x"><!-- c --><i class="location"><b>Oslo</b> <u>NO</u></i></div>',
    '<div class="relationship">no</div><div class="shipping-from">Porto</div>',
    '<svg class="city"><text>Nice</text></svg>',
    '<div class>x</div><div id="">y</div><div class="username">kim</div>',
]


@pytest.mark.parametrize("html", PAGES)
def test_fields_by_class_as_the_selectors_found_them(html: str) -> None:
    tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
    assert tree.body is not None
    assert fields_by_class(tree.body, FIELDS) == _by_selectors(tree.body, FIELDS)
    for field in FIELDS:
        assert fields_by_class(tree.body, (field,)) == _by_selectors(tree.body, (field,))


def test_the_root_itself_is_a_candidate() -> None:
    tree = LexborHTMLParser('<div class="card seller-box">Ann</div>')
    card = tree.css_first("div")
    assert card is not None
    assert fields_by_class(card, FIELDS) == {"seller": "Ann"} == _by_selectors(card, FIELDS)


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
