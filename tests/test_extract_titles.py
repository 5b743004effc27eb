"""The offer's title when the page declares no product name."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract.page import extract_page
from netpatrol.extract.titles import page_title


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        # A promotion's heading before the offer's: the <title> names the offer.
        (
            "<h1>15% sparen</h1><h1>Wählen Sie die Anzahl</h1>",
            "Amazon.de: Ankerkraut Texas Chicken, 230g im Streuer: Lebensmittel",
            "Ankerkraut Texas Chicken, 230g im Streuer: Lebensmittel",
        ),
        # The heading the <title> names, of several.
        (
            "<h1>COVID-19 policies</h1><h1>Casio FX-991ES PLUS Scientific Calculator</h1>",
            "Casio FX-991ES PLUS Scientific Calculator Victoria City",
            "Casio FX-991ES PLUS Scientific Calculator",
        ),
        # A menu's heading is a category.
        (
            "<nav><ul><li><h1>Zdravstvene usluge</h1></li></ul></nav><h1>Ortopedski ulošci</h1>",
            "eKlinika - Zdravlje svima",
            "Ortopedski ulošci",
        ),
        # eBay's "Details about", and the site's segment of the <title>.
        (
            "<h1>Details about Pony Cart Harness</h1>",
            "Pony Cart Harness | eBay",
            "Pony Cart Harness",
        ),
        ("", "Hvalrostand, rå, 42 cm | Nordisk Jagt & Kniv", "Hvalrostand, rå, 42 cm"),
        # A brand's heading and a name's: the longer.
        (
            "<h1>Roadster</h1><h1>Men Navy Blue Checked Casual Shirt</h1>",
            "Buy Roadster Men Navy Blue Checked Casual Shirt - Myntra",
            "Men Navy Blue Checked Casual Shirt",
        ),
    ],
)
def test_page_title(body: str, title: str, expected: str) -> None:
    url_site = {"Amazon": "amazon.de", "eKlin": "eklinika.hr", "Pony": "ebay.co.uk"}
    site = next((s for k, s in url_site.items() if k in title), None)
    if "Nordisk" in title:
        site = "nordiskjagtogkniv.dk"
    tree = LexborHTMLParser(f"<html><head><title>{title}</title></head><body>{body}</body></html>")
    assert page_title(tree, site) == expected


def test_an_opengraph_title_is_read_as_the_documents() -> None:
    html = (
        '<html><head><meta property="og:title" content="Details about Pony Cart Harness | eBay">'
        "<title>x</title></head><body><h1>Details about Pony Cart Harness</h1></body></html>"
    )
    (listing,) = extract_page(html.encode(), "https://www.ebay.co.uk/itm/1")
    assert listing.title == "Pony Cart Harness"


def test_a_markets_item_heading_below_its_name() -> None:
    tree = LexborHTMLParser(
        "<html><head><title>Abacus Market | 10g MDMA Champagne Crystal 84%</title></head>"
        "<body><div class=logo>Abacus Market</div><h2>10g MDMA Champagne Crystal 84%</h2>"
        "<section class=related-items><h2>10g MDMA</h2></section></body></html>"
    )
    assert page_title(tree, "abacuseeettcn3n2zxo7tqy5vsxhqpha2jtjqs7cgdjzl2jascr4liad.onion") == (
        "10g MDMA Champagne Crystal 84%"
    )
