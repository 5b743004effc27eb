"""Offers declared in a page's structured data: JSON-LD, microdata and OpenGraph.

Read by ``markup`` from the page's selectolax tree (RDFa is left out: shops rarely use it
for offers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborHTMLParser

from netpatrol.extract.markup import read_markup

GROUP = "netpatrol:group"  # the key a variant carries its ProductGroup's name under
PRODUCT_TYPES = {
    "product",
    "individualproduct",
    "productmodel",
    "vehicle",
    "car",
    "somedproduct",
    "offer",
    "aggregateoffer",
    "book",
    "drug",
}


@dataclass(frozen=True)
class StructuredOffer:
    """What a page says about one offer, in schema.org or OpenGraph terms."""

    name: str | None = None
    description: str | None = None
    price: str | None = None
    low_price: str | None = None
    high_price: str | None = None
    currency: str | None = None
    seller: str | None = None
    brand: str | None = None
    sku: str | None = None
    url: str | None = None
    availability: str | None = None
    images: tuple[str, ...] = ()
    syntax: str = ""
    group: str | None = None  # the ProductGroup a variant belongs to
    # Every offer's price when a product lists one offer per variant (Shoptet's microdata).
    variant_prices: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def structured_offers(page: str | LexborHTMLParser, url: str | None) -> list[StructuredOffer]:
    """Product/offer items from JSON-LD and microdata, then OpenGraph if it has a price.

    ``page``: the HTML, or its tree before scripts are stripped."""
    tree = page if isinstance(page, LexborHTMLParser) else LexborHTMLParser(page)
    return offers_in(read_markup(tree, url), url)


def offers_in(data: dict[str, list[Any]], url: str | None = None) -> list[StructuredOffer]:
    """Offers of already read structured data (``markup.read_markup`` or extruct's
    ``uniform=True`` output); ``url``, the page's, selects among a product's variants."""
    offers = [
        _offer(item, syntax, url)
        for syntax in ("json-ld", "microdata")
        for item in _products(data.get(syntax, []))
    ]
    offers.extend(_opengraph(data.get("opengraph", [])))
    wanted = _variant_of(url)
    if wanted is not None:  # the selected variant's offer first
        offers.sort(key=lambda offer: _variant_of(offer.url) != wanted)
    return offers


def _products(items: list[Any]) -> Iterator[dict[str, Any]]:
    """Product-like objects, also inside @graph lists and ItemList elements."""
    stack = list(items)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        if "@graph" in item:
            stack.extend(_as_list(item["@graph"]))
        for element in _as_list(item.get("itemListElement")):
            if isinstance(element, dict):
                stack.append(element.get("item", element))
        # A ProductGroup's variants are products of their own (Shopify since 2024).
        group = _text(_name(item.get("name"))) or _text(item.get("@id")) or ""
        stack.extend(
            {**v, GROUP: group} for v in _as_list(item.get("hasVariant")) if isinstance(v, dict)
        )
        types = {str(t).rsplit("/", 1)[-1].lower() for t in _as_list(item.get("@type"))}
        if types & PRODUCT_TYPES:
            yield item


def _offer(item: dict[str, Any], syntax: str, url: str | None = None) -> StructuredOffer:
    offer = _first_offer(item, url)
    return StructuredOffer(
        name=_text(item.get("name")),
        description=_text(item.get("description")),
        price=_text(offer.get("price")),
        low_price=_text(offer.get("lowPrice")),
        high_price=_text(offer.get("highPrice")),
        currency=_text(offer.get("priceCurrency")),
        seller=_text(_name(offer.get("seller")) or _name(item.get("seller"))),
        brand=_text(_name(item.get("brand"))),
        sku=_text(item.get("sku")),
        url=_text(offer.get("url") or item.get("url")),
        availability=_text(offer.get("availability")),
        images=tuple(_images(item.get("image"))),
        syntax=syntax,
        group=_text(item.get(GROUP)),
        variant_prices=_variant_prices(item),
        raw=item,
    )


def _first_offer(item: dict[str, Any], url: str | None = None) -> dict[str, Any]:
    """The product's offer: the variant the page's URL (or the product's) selects, else
    the first one."""
    types = {str(t).lower() for t in _as_list(item.get("@type"))}
    if types & {"offer", "aggregateoffer"}:
        return item
    offers = _as_list(item.get("offers"))
    selected = _selected_variant(offers, url) or _selected_variant(offers, _text(item.get("url")))
    for offer in [selected, *offers] if selected else offers:
        if isinstance(offer, dict):
            nested = _as_list(offer.get("offers"))
            if offer.get("price") is None and nested and isinstance(nested[0], dict):
                return dict(
                    nested[0], lowPrice=offer.get("lowPrice"), highPrice=offer.get("highPrice")
                )
            # A price spec nests the amount one level down in some shops.
            spec = offer.get("priceSpecification")
            if offer.get("price") is None and isinstance(spec, dict):
                return {**offer, **{k: v for k, v in spec.items() if k.startswith("price")}}
            return offer
    return {}


def _variant_prices(item: dict[str, Any]) -> tuple[str, ...]:
    prices = [
        price
        for offer in _as_list(item.get("offers"))
        if isinstance(offer, dict) and (price := _text(offer.get("price")))
    ]
    return tuple(prices) if len(set(prices)) > 1 else ()


def _selected_variant(offers: list[Any], url: str | None) -> dict[str, Any] | None:
    """The offer of the variant a URL names ("?variant=4287..." on Shopify): a product's
    structured data lists every variant's offer, the page shows the selected one's."""
    wanted = _variant_of(url)
    if wanted is None or len(offers) < 2:
        return None
    return next(
        (o for o in offers if isinstance(o, dict) and _variant_of(_text(o.get("url"))) == wanted),
        None,
    )


def _variant_of(url: str | None) -> str | None:
    if not url or "variant=" not in url:
        return None
    values = parse_qs(urlsplit(url).query).get("variant")
    return values[0] if values else None


def _opengraph(items: list[Any]) -> Iterator[StructuredOffer]:
    for item in items:
        if not isinstance(item, dict):
            continue
        price = _text(
            item.get("product:price:amount") or item.get("og:price:amount") or item.get("og:price")
        )
        currency = _text(item.get("product:price:currency") or item.get("og:price:currency"))
        kind = item.get("og:type") or item.get("@type") or ""  # extruct moves og:type
        if price is None and str(kind).lower() != "product":
            continue
        yield StructuredOffer(
            name=_text(item.get("og:title")),
            description=_text(item.get("og:description")),
            price=price,
            currency=currency,
            url=_text(item.get("og:url")),
            images=tuple(_images(item.get("og:image"))),
            syntax="opengraph",
            raw=item,
        )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _name(value: Any) -> Any:
    if isinstance(value, list):
        value = value[0] if value else None
    return value.get("name") if isinstance(value, dict) else value


def _images(value: Any) -> Iterator[str]:
    for image in _as_list(value):
        if isinstance(image, dict):
            image = image.get("url") or image.get("contentUrl")
        if isinstance(image, str) and image.strip():
            yield image.strip()


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None
