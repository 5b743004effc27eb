"""Our structured-data readers against extruct (the reference) on real product pages."""

from __future__ import annotations

import gzip
import json
import re

import extruct
import pytest
from conftest import SHARED_DATA
from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract.decode import decode_html
from netpatrol.extract.markup import json_ld, microdata, opengraph, read_markup
from netpatrol.extract.structured import StructuredOffer, offers_in

ZYTE = SHARED_DATA / "zyte-product-extraction-benchmark"
_SPACES = re.compile(r"\s+")


def _fields(offers: list[StructuredOffer]) -> list[tuple[object, ...]]:
    # extruct keeps the raw whitespace of an element's text, we collapse it.
    return [
        tuple(_SPACES.sub("", v) if isinstance(v, str) else v for v in _offer_fields(o))
        for o in offers
    ]


def _offer_fields(o: StructuredOffer) -> tuple[str | None, ...]:
    return (o.syntax, o.name, o.price, o.currency, o.brand, o.sku)


def _pages() -> list[tuple[str, str]]:
    if not ZYTE.exists():
        pytest.skip(f"{ZYTE} absent (the shared datasets are not beside this checkout)")
    truth = json.loads((ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        (decode_html(gzip.decompress(p.read_bytes())), truth[p.name.split(".")[0]]["url"])
        for p in sorted((ZYTE / "html").glob("*.html.gz"))
    ]


def test_offers_agree_with_extruct_on_real_pages() -> None:
    pages = _pages()
    differ = []
    for html, url in pages:
        reference = extruct.extract(
            html, base_url=url, syntaxes=["json-ld", "microdata", "opengraph"], uniform=True
        )
        expected = _fields(offers_in(reference))
        found = _fields(offers_in(read_markup(LexborHTMLParser(html), url)))
        declared = [f for f in found if f[0] != "opengraph"]
        # OpenGraph: we also read product:* tags extruct skips without a prefix declaration.
        if declared != [f for f in expected if f[0] != "opengraph"] or not set(expected) <= set(
            found
        ):
            differ.append(url)
    assert differ == []


def test_json_ld_skips_broken_blocks_and_reads_lists() -> None:
    tree = LexborHTMLParser(
        '<script type="application/ld+json">{broken</script>'
        '<script type="application/ld+json">[{"@type": "Product", "name": "A"}, {"b": 1}]</script>'
        '<script type="Application/LD+JSON"><!-- {"@type": "Offer", "price": "3"} --></script>'
    )
    assert json_ld(tree) == [
        {"@type": "Product", "name": "A"},
        {"b": 1},
        {"@type": "Offer", "price": "3"},
    ]


def test_microdata_nests_items_and_reads_attribute_values() -> None:
    tree = LexborHTMLParser(
        '<div itemscope itemtype="https://schema.org/Product">'
        '<h1 itemprop="name">Ivory <b>carving</b></h1>'
        '<img itemprop="image" src="/i/1.jpg">'
        '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<meta itemprop="priceCurrency" content="EUR"><span itemprop="price" content="450">'
        "450 €</span></div></div>"
    )
    (item,) = microdata(tree, "https://shop.example.fr/p/1")
    assert item["@type"] == "Product"
    assert item["name"] == "Ivory carving"
    assert item["image"] == "https://shop.example.fr/i/1.jpg"
    assert item["offers"]["price"] == "450"
    assert item["offers"]["priceCurrency"] == "EUR"


def test_opengraph_keeps_repeated_properties() -> None:
    tree = LexborHTMLParser(
        '<meta property="og:image" content="a.jpg"><meta property="og:image" content="b.jpg">'
        '<meta property="product:price:amount" content="12"><meta name="description" content="x">'
    )
    assert opengraph(tree) == [{"og:image": ["a.jpg", "b.jpg"], "product:price:amount": "12"}]
