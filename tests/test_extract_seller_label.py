"""A seller named by a label in the text: dark-web markets and bare classified pages."""

from __future__ import annotations

import pytest

from netpatrol.extract.page import extract_page
from netpatrol.extract.seller_label import seller_by_label


@pytest.mark.parametrize(
    ("text", "seller"),
    [
        ("Vendor: BalkanSupply [112 sales] [4.8/5] Ships from: Serbia", "BalkanSupply"),
        ("seller: saigon_green Level 6 Trust 4.91/5", "saigon_green"),
        ("Sold by John Lewis & Partners. Free delivery", "John Lewis & Partners"),
        ("vendu par Boutique Y", "Boutique Y"),
        ("Verkäufer: Harrington & Vale Antiques", "Harrington & Vale"),
        # German capitalises nouns: after the role word, the handle alone.
        ("Versand durch: Amazon Verkauft von: Amazon Spar-Abo 15% sparen", "Amazon"),
        ("Sprzedający: monika_gda", "monika_gda"),
        # A result card's shop line.
        ("Price €31.00 Star Seller From shop SilverLetterCo SilverLetterCo", "SilverLetterCo"),
        ("Ad by MothAndMetamorph Ad from shop MothAndMetamorph", "MothAndMetamorph"),
        # Words after a label that name no one.
        ("Vendor: please contact us", None),
        ("Seller: the best prices", None),
        ("Top seller of the month", None),
        ("", None),
    ],
)
def test_seller_by_label(text: str, seller: str | None) -> None:
    assert seller_by_label(text) == seller


MARKET = (
    "<html><body><h1>CZ 75 P-07</h1><table>"
    "<tr><td class=lbl>Price:</td><td>USD 1,450.00</td></tr>"
    '<tr><td class=lbl>Vendor:</td><td><a href="?page=vendor&id=212">BalkanSupply</a>'
    " [112 sales] [4.8/5]</td></tr>"
    "<tr><td class=lbl>Ships from:</td><td>Serbia</td></tr></table></body></html>"
)


def test_a_market_tables_vendor_and_origin() -> None:
    (listing,) = extract_page(MARKET.encode(), "http://market.onion/index.php?page=item&id=7")
    assert (listing.seller, listing.location) == ("BalkanSupply", "Serbia")


def test_a_shops_vendor_that_is_the_brand_is_no_seller() -> None:
    page = (
        '<html><head><script type="application/ld+json">{"@type": "Product", "name": "Air Max",'
        ' "brand": {"@type": "Brand", "name": "Nike"}, "offers": {"@type": "Offer",'
        ' "price": "120.00", "priceCurrency": "EUR"}}</script></head>'
        "<body><h1>Air Max</h1><p>Vendor: Nike</p></body></html>"
    )
    (listing,) = extract_page(page.encode(), "https://shoes.example.de/p/air-max")
    assert listing.seller is None


@pytest.mark.parametrize(
    ("url", "seller"),
    [
        # The shop itself, named in its JSON-LD: no seller account.
        ("https://www.walmart.com/ip/1", "Walmart.com"),
        ("https://www.johnlewis.com/p/1", "John Lewis & Partners"),
    ],
)
def test_a_site_selling_on_its_own_pages_is_no_seller(url: str, seller: str) -> None:
    page = (
        '<html><head><script type="application/ld+json">{"@type": "Product", "name": "Air Fryer",'
        ' "offers": {"@type": "Offer", "price": "89.00", "priceCurrency": "USD",'
        f' "seller": {{"@type": "Organization", "name": "{seller}"}}}}}}</script></head>'
        "<body><h1>Air Fryer</h1></body></html>"
    )
    (listing,) = extract_page(page.encode(), url)
    assert listing.seller is None


def test_a_third_party_seller_on_a_marketplace_stays() -> None:
    page = (
        "<html><body><h1>Varta AA 12er Pack</h1><p class=price>9,99 €</p>"
        "<p>Verkauf durch: Akku-Discount24</p></body></html>"
    )
    (listing,) = extract_page(page.encode(), "https://www.amazon.de/dp/B0001")
    assert listing.seller == "Akku-Discount24"
