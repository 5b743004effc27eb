"""The images of an offer: photos of the item, not the site's logo, icons or pixels."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract.page import extract_page
from netpatrol.extract.photos import offer_images

PAGE = """<html><body>
<header><a href="/"><img src="/img/shop.png" alt="Shop"></a></header>
<img src="https://www.facebook.com/tr?id=873216540129384&ev=PageView&noscript=1">
<img src="/static/icons/cart.png"><img src="/theme/logo-shop.png"><img src="/a/b.svg">
<img class="payment-icon" src="/p/1.png"><img src="/track.gif" width="1" height="1">
<main><h1>Carved tusk</h1><p>1 200 €</p>
<img data-src="/photos/tusk-1.jpg" src="data:image/gif;base64,R0lGOD"><img src="/photos/tusk-2.jpg">
<section class="related-products"><img src="/photos/other.jpg"></section></main>
</body></html>"""


def test_a_page_gives_the_photos_of_its_item() -> None:
    tree = LexborHTMLParser(PAGE)
    found = offer_images(tree, "https://shop.example.fr/p/1", page=True)
    assert found == [
        "https://shop.example.fr/photos/tusk-1.jpg",
        "https://shop.example.fr/photos/tusk-2.jpg",
    ]


def test_extract_page_lists_the_items_photos() -> None:
    (listing,) = extract_page(PAGE.encode(), "https://shop.example.fr/p/1")
    assert listing.images[0] == "https://shop.example.fr/photos/tusk-1.jpg"


@pytest.mark.parametrize(
    "img",
    [
        '<img src="/il/star-sign-necklace.jpg" alt="Zodiac Necklace, Star Sign Gift">',
        '<img src="/p/flag-pole-6m.jpg" alt="Flag pole">',
        # (A file named "logo-..." is taken for a logo: "/p/logo-tee.jpg" is lost.)
        '<img src="/p/12345.jpg" alt="Logo T-shirt">',
    ],
)
def test_a_products_name_is_no_reason_to_drop_its_photo(img: str) -> None:
    tree = LexborHTMLParser(f"<div class=card>{img}</div>")
    card = tree.css_first("div")
    assert card is not None
    assert len(offer_images(card, "https://shop.example/")) == 1
