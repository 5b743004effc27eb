"""Pure page readers: charset, structured data, item cards, country hints, language."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from conftest import SHARED_DATA
from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract.cards import find_cards
from netpatrol.extract.country import country_of, currency_of
from netpatrol.extract.decode import decode_html, normalise_charset
from netpatrol.extract.dom import main_text
from netpatrol.extract.language import detect_language
from netpatrol.extract.structured import structured_offers
from netpatrol.extract.titles import page_title

LEBONCOIN = SHARED_DATA / "leboncoin-2015-classified-ads-html"


@pytest.mark.parametrize(
    ("payload", "content_type", "expected"),
    [
        (b"<html>caf\xc3\xa9</html>", None, "<html>café</html>"),
        (b"<html>caf\xe9 19\xa0500\xa0\x80</html>", None, "<html>café 19\u00a0500\u00a0€</html>"),
        (
            b'<meta charset="ISO-8859-1"><p>\x80 5</p>',
            None,
            '<meta charset="ISO-8859-1"><p>€ 5</p>',
        ),
        (b"<p>\xe9</p>", "text/html; charset=latin-1", "<p>é</p>"),
        (b"\xef\xbb\xbf<p>\xc3\xa9</p>", "text/html; charset=iso-8859-1", "<p>é</p>"),
        (b'<meta charset="utf-8"><p>\xe9</p>', None, '<meta charset="utf-8"><p>\ufffd</p>'),
        (
            b'<meta charset="no-such-codec"><p>\xc3\xa9</p>',
            None,
            '<meta charset="no-such-codec"><p>é</p>',
        ),
    ],
)
def test_decode_html_like_a_browser(
    payload: bytes, content_type: str | None, expected: str
) -> None:
    assert decode_html(payload, content_type) == expected


def test_charset_labels() -> None:
    assert normalise_charset("ISO-8859-1") == "cp1252"
    assert normalise_charset("UTF8") == "utf-8"
    assert normalise_charset("windows-1250") == "cp1250"
    assert normalise_charset("x-unknown") is None


JSON_LD = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
 {"@type": "BreadcrumbList", "itemListElement": []},
 {"@type": "Product", "name": "Ivory carving", "sku": "A-1",
  "brand": {"@type": "Brand", "name": "Old Masters"},
  "image": ["https://shop.example.de/i/1.jpg"],
  "offers": {"@type": "Offer", "price": "1250.00", "priceCurrency": "EUR",
             "seller": {"@type": "Organization", "name": "Antik Berlin"}}}]}
</script><meta property="og:title" content="Ivory carving"></head><body></body></html>"""


def test_structured_offer_from_json_ld_graph() -> None:
    (offer,) = [
        o
        for o in structured_offers(JSON_LD, "https://shop.example.de/p/1")
        if o.syntax == "json-ld"
    ]
    assert (offer.name, offer.price, offer.currency, offer.seller, offer.brand, offer.sku) == (
        "Ivory carving",
        "1250.00",
        "EUR",
        "Antik Berlin",
        "Old Masters",
        "A-1",
    )
    assert offer.images == ("https://shop.example.de/i/1.jpg",)


def test_microdata_and_aggregate_offer() -> None:
    html = """<div itemscope itemtype="https://schema.org/Product">
      <span itemprop="name">Pangolin scales</span>
      <div itemprop="offers" itemscope itemtype="https://schema.org/AggregateOffer">
        <meta itemprop="lowPrice" content="40"><meta itemprop="highPrice" content="90">
        <meta itemprop="priceCurrency" content="USD"></div></div>"""
    (offer,) = structured_offers(html, "https://x.example.com/")
    assert (offer.name, offer.low_price, offer.high_price, offer.currency) == (
        "Pangolin scales",
        "40",
        "90",
        "USD",
    )


def test_broken_markup_gives_no_offers_not_an_exception() -> None:
    assert structured_offers('<script type="application/ld+json">{broken', None) == []


def cards_of(html: str) -> list[str]:
    group = find_cards(LexborHTMLParser(html))
    return [] if group is None else [c.text(strip=True) for c in group.cards]


def test_cards_are_the_repeated_blocks_holding_prices() -> None:
    items = "".join(
        f'<li class="ad"><a href="/a/{i}"><h3>Parrot {i}</h3></a>'
        f'<span class="price">{100 + i} €</span></li>'
        for i in range(5)
    )
    html = f"<html><body><h1>Results</h1><ul class='list'>{items}</ul></body></html>"
    assert cards_of(html) == [f"Parrot {i}{100 + i} €" for i in range(5)]


def test_two_prices_are_not_a_list() -> None:
    html = "<body><div><b>12 €</b></div><div><b>15 €</b></div></body>"
    assert cards_of(html) == []


@pytest.mark.skipif(not LEBONCOIN.exists(), reason=f"shared data set not present: {LEBONCOIN}")
def test_leboncoin_result_pages_have_9_and_35_cards() -> None:
    counts = []
    for name in (
        "voitures_renault_laguna_3_midi_py.htm",
        "voitures_renault_laguna_3_midi_py_p2.htm",
    ):
        tree = LexborHTMLParser(decode_html((LEBONCOIN / name).read_bytes()))
        group = find_cards(tree)
        counts.append(len(group.cards) if group else 0)
    assert counts == [9, 35]  # upstream test: 9 classifieds on page 1, ads skipped


@pytest.mark.parametrize(
    ("url", "country", "currency"),
    [
        ("https://www.leboncoin.fr/x", "FR", "EUR"),
        ("https://www.amazon.co.uk/dp/1", "GB", "GBP"),
        ("https://shop.example.com/", None, None),
        ("http://abcdefghijklmnop.onion/", None, None),
        (None, None, None),
    ],
)
def test_country_hints(url: str | None, country: str | None, currency: str | None) -> None:
    assert country_of(url) == country
    assert currency_of(country) == currency


def test_title_and_main_text_leave_out_navigation() -> None:
    tree = LexborHTMLParser(
        "<html><head><title>T</title></head><body><nav>Home | Shop</nav>"
        "<main><h1>Tortoise shell comb</h1><p>Antique, 19th century.</p></main>"
        "<footer>© shop</footer><script>var x=1</script></body></html>"
    )
    assert page_title(tree) == "Tortoise shell comb"
    assert main_text(tree) == "Tortoise shell comb Antique, 19th century."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Vends perroquet gris du Gabon, très bon état, cage fournie", "fr"),
        ("Verkaufe präparierte Fledermaus im Glasrahmen, sehr guter Zustand", "de"),
        ("Sprzedam papugę żako, bardzo ładna i oswojona", "pl"),
        ("ok", None),
        ("", None),
    ],
)
def test_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_gzip_page_fixture_decodes(tmp_path: Path) -> None:
    page = gzip.compress("<html><body>Prix : 12 €</body></html>".encode("cp1252"))
    assert "12 €" in decode_html(gzip.decompress(page))
