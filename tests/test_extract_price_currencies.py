"""Which shown price is the offer's, and in which currency (a sixth price probe's kinds):
currencies the table lacked, a declared price the page shows only as the price before tax,
Magento's and Trendyol's old prices, WooCommerce's sale in Serbian, and the variant a
Shopify URL selects. Each case is a small page around one layout seen on a real platform."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import product_page, shown_price

from netpatrol.extract.page import extract_page
from netpatrol.extract.price_like import price_like


def _ld_json(data: dict[str, Any]) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.mark.parametrize(
    ("body", "url", "expected"),
    [
        # olx.ba: the convertible mark is "KM", the only hint of the currency.
        (
            '<div class="price-box"><span class="price">450 KM</span></div>'
            "<p>Kupljen za 1.049 KM, prešao 0 km.</p>",
            "https://olx.ba/artikal/61234567",
            (450.0, "BAM"),
        ),
        # Peru's sol, "S/", and Serbia's dinar written in Latin script, "din.".
        (
            '<div class="product-price"><span class="price">S/ 249.90</span></div>',
            "https://www.tienda.com.pe/producto/zapatillas",
            (249.9, "PEN"),
        ),
        (
            '<p class="price"><span class="amount">10.999,00&nbsp;din.</span></p>',
            "https://www.patike.rs/proizvod/nike-air-max/",
            (10999.0, "RSD"),
        ),
        # Trendyol: "prc-org" is the original price, "prc-dsc" the one a buyer pays; "TL".
        (
            '<div class="pr-bx-nm with-org-prc"><span class="prc-org">3.599,99 TL</span>'
            '<span class="prc-dsc">2.879,99 TL</span></div>'
            '<div class="pr-omnibus">Son 30 günün en düşük fiyatı: 2.799,99 TL</div>',
            "https://www.trendyol.com/nike/court-vision-p-3456",
            (2879.99, "TRY"),
        ),
        # WooCommerce in Serbian: the screen-reader text names the struck price as the
        # original one ("Prvobitna cena je bila").
        (
            '<p class="price"><del aria-hidden="true"><span class="amount"><bdi>12.990,00'
            '&nbsp;<span class="currencySymbol">din.</span></bdi></span></del> '
            '<span class="screen-reader-text">Prvobitna cena je bila: 12.990,00&nbsp;din..'
            '</span><ins aria-hidden="true"><span class="amount"><bdi>10.999,00&nbsp;'
            '<span class="currencySymbol">din.</span></bdi></span></ins>'
            '<span class="screen-reader-text">Trenutna cena je: 10.999,00&nbsp;din..</span></p>',
            "https://www.patike.rs/proizvod/nike-air-max-sc/",
            (10999.0, "RSD"),
        ),
    ],
)
def test_currencies_and_old_prices_of_more_platforms(
    body: str, url: str, expected: tuple[float, str]
) -> None:
    assert shown_price(body, url) == expected


def test_km_in_any_other_case_is_a_distance() -> None:
    assert price_like("450 KM") and price_like("KM 1.049")
    assert not price_like("120 000 km") and not price_like("5 Km")


def test_a_rand_amount_has_cents_or_thousands_and_ratings_do_not() -> None:
    assert price_like("R4,950.00") and price_like("R 1 299") and price_like("R 249.99")
    assert not price_like("R18") and not price_like("R2-D2") and not price_like("Ryzen R5 3600")


MAGENTO_BOX = (
    '<div class="price-box price-final_price">'
    '<span class="special-price"><span class="price-container"><span class="price-label">'
    'Prix spécial</span><span id="product-price-4812" data-price-amount="1299" '
    'data-price-type="finalPrice" class="price-wrapper"><span class="price">'
    "CHF 1'299.00</span></span></span></span>"
    '<span class="old-price"><span class="price-container"><span class="price-label">'
    'Prix normal</span><span id="old-price-4812" data-price-amount="1499" '
    'data-price-type="oldPrice" class="price-wrapper"><span class="price">'
    "CHF 1'499.00</span></span></span></span>"
    '<span class="price-container price-excluding-tax-container"><span class="price-label">'
    'Hors TVA</span> <span id="price-excluding-tax-4812" data-price-amount="1201.67" '
    'data-price-type="basePrice" class="price-wrapper"><span class="price">'
    "CHF 1'201.67</span></span></span></div>"
)


def test_a_declared_price_shown_only_before_tax_gives_way_to_the_shown_price() -> None:
    # Magento marks the old price and the price before tax on the amount's parent; the
    # shop's structured data gives the price before tax.
    declared = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Scott Speedster Gravel 40",
        "offers": {"@type": "Offer", "price": "1201.67", "priceCurrency": "CHF"},
    }
    url = "https://www.cycles.ch/fr/velo-gravel-scott-speedster-gravel-40.html"
    assert shown_price(MAGENTO_BOX, url, _ld_json(declared)) == (1299.0, "CHF")


def test_a_declared_price_shown_as_current_stays_the_price() -> None:
    declared = {
        "@type": "Product",
        "name": "Scott Speedster Gravel 40",
        "offers": {"@type": "Offer", "price": "1299.00", "priceCurrency": "CHF"},
    }
    url = "https://www.cycles.ch/fr/velo-gravel-scott-speedster-gravel-40.html"
    assert shown_price(MAGENTO_BOX, url, _ld_json(declared)) == (1299.0, "CHF")


def test_a_declared_price_without_a_currency_takes_the_sites_country() -> None:
    declared = {"@type": "Product", "name": "Europa Point print", "offers": {"price": 35.0}}
    url = "https://www.rockandtideprints.gi/shop/p/europa-point-print"
    body = '<div class="product-price">£35.00</div>'
    assert shown_price(body, url, _ld_json(declared)) == (35.0, "GBP")


def _variant(number: int, price: str) -> dict[str, Any]:
    return {
        "@type": "Offer",
        "price": price,
        "priceCurrency": "NZD",
        "url": f"https://www.merino.co.nz/products/crew-top?variant={number}",
    }


def test_the_variant_the_url_selects_gives_the_declared_price() -> None:
    product = {
        "@type": "Product",
        "name": "Merino Crew Top",
        "offers": [_variant(41, "109.0"), _variant(42, "129.0")],
    }
    body = '<span class="product__price">NZ$129.00</span>'
    head = _ld_json(product)
    assert shown_price(body, "https://www.merino.co.nz/products/crew-top?variant=42", head) == (
        129.0,
        "NZD",
    )
    assert shown_price(body, "https://www.merino.co.nz/products/crew-top", head) == (
        109.0,
        "NZD",
    )


def test_a_product_groups_variants_are_one_product_and_the_url_selects_one() -> None:
    group = {
        "@context": "https://schema.org/",
        "@type": "ProductGroup",
        "name": "Dark roast coffee",
        "hasVariant": [
            {"@type": "Product", "name": f"Dark roast coffee - {size}", "offers": _variant(n, p)}
            for n, size, p in ((1, "500 g", "349.00"), (2, "1 kg", "649.00"))
        ],
    }
    related = "".join(
        f'<div class="card"><a href="/products/p{i}">Tea {i}</a><span class="price">'
        f"NZ${i}9.00</span></div>"
        for i in range(1, 7)
    )
    page = product_page(f'<span class="price">NZ$649.00</span>{related}', _ld_json(group))
    (listing,) = extract_page(page, "https://www.merino.co.nz/products/coffee?variant=2")
    assert (listing.price, listing.title) == (649.0, "Dark roast coffee - 1 kg")


def _shoptet_offer(price: str) -> str:
    return (
        '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        f'<meta itemprop="price" content="{price}"><meta itemprop="priceCurrency" content="CZK">'
        "</div>"
    )


def test_the_variant_a_drop_down_selects_among_one_offer_per_variant() -> None:
    # Shoptet: microdata with one Offer per variant; the drop-down has the 12 kg bag.
    def page(selected: int) -> str:
        options = "".join(
            f'<option value="{i}"{" selected" if i == selected else ""}>{label}</option>'
            for i, label in enumerate(("3 kg - Skladem - 699 Kč", "12 kg - Skladem - 1 890 Kč"))
        )
        return (
            '<div itemscope itemtype="https://schema.org/Product"><meta itemprop="name" '
            f'content="Vetfood Adult">{_shoptet_offer("699.00")}{_shoptet_offer("1890.00")}'
            f'</div><select name="variant">{options}</select>'
            '<div class="p-final-price-wrapper"><span class="price-final">1 890 Kč</span></div>'
        )

    url = "https://www.psimlsky.cz/granule-pro-psy/vetfood-adult/"
    assert shown_price(page(1), url) == (1890.0, "CZK")
    assert shown_price(page(0), url) == (699.0, "CZK")


def test_a_declared_markdown_between_a_sales_old_and_new_price_gives_way() -> None:
    # Wayfair: the structured data kept an earlier markdown, the buy box shows the sale.
    declared = {
        "@type": "Product",
        "name": "Dawson sofa",
        "offers": {"@type": "Offer", "price": "689.99", "priceCurrency": "USD"},
    }
    body = (
        '<div class="price-box"><span class="SalePrice">$629.99</span>'
        '<s class="ListPrice">$1,099.00</s></div>'
    )
    url = "https://www.wayfair.com/furniture/pdp/dawson-sofa-w001.html"
    assert shown_price(body, url, _ld_json(declared)) == (629.99, "USD")


def test_an_element_struck_by_its_own_style_is_an_old_price() -> None:
    # Nike: the initial price is struck by an inline style; the structured data gives it.
    declared = {
        "@type": "Product",
        "name": "Pegasus 41",
        "offers": {"@type": "Offer", "price": "140", "priceCurrency": "USD"},
    }
    body = (
        '<div data-testid="price-container"><span data-testid="currentPrice-container" '
        'class="css-v0oey">$104.97</span> <span class="css-1vvg8mw" '
        'style="text-decoration:line-through">$140</span></div>'
    )
    url = "https://www.nike.com/t/pegasus-41-mens-road-running-shoes-abc/FD2722-002"
    assert shown_price(body, url, _ld_json(declared)) == (104.97, "USD")


def test_a_checked_radio_beside_its_label_selects_the_labels_price() -> None:
    # Samsung UK: each storage option is <li><input checked><label>... price</label></li>.
    options = "".join(
        f'<li class="s-option-box"><input type="radio" name="storage" id="s{i}"'
        f'{" checked" if i == 1 else ""}><label for="s{i}"><span>{size}</span>'
        f'<span class="s-option-box__price"><span class="price-now">{price}</span>'
        "</span></label></li>"
        for i, (size, price) in enumerate(
            (("256 GB", "£1,049.00"), ("512 GB", "£1,199.00"), ("1 TB", "£1,399.00"))
        )
    )
    body = (
        f'<div class="pd-option-selector"><div>Storage</div><ul class="option-storage">'
        f"{options}</ul></div>"
        '<div class="pd-buying-price"><div>Total</div><div class="new-price">£1,199.00</div>'
        '<button type="button">Continue</button></div>'
    )
    url = "https://www.samsung.com/uk/smartphones/galaxy-s24-ultra/buy/"
    assert shown_price(body, url) == (1199.0, "GBP")


def _stale_offer(price: str, currency: str) -> str:
    return _ld_json(
        {
            "@type": "Product",
            "name": "Item",
            "offers": {"@type": "Offer", "price": price, "priceCurrency": currency},
        }
    )


@pytest.mark.parametrize(
    ("body", "url", "head", "expected"),
    [
        # ASOS: the old price's box is a test id, "previous-price".
        (
            '<div data-testid="product-price"><span data-testid="current-price">'
            '<span>Now £28.00</span></span><span data-testid="previous-price"><span>Was</span> '
            "<span>£40.00</span></span></div>",
            "https://www.asos.com/asos-design/satin-midi-dress/prd/205123456",
            _stale_offer("40.0", "GBP"),
            (28.0, "GBP"),
        ),
        # Crutchfield: "Instant savings -$150.00" between the regular and the final price.
        (
            '<div class="price-detail"><div class="price-row"><span class="label">Reg.</span>'
            '<span class="value strike">$699.99</span></div><div class="price-row">'
            '<span class="label">Instant savings</span><span class="value savings">-$150.00'
            '</span></div><div class="price-row"><span class="label">Your price</span>'
            '<span class="value final-price">$549.99</span></div></div>',
            "https://www.crutchfield.com/p_150RX6A85B/Yamaha-RX-A6A.html",
            _stale_offer("699.99", "USD"),
            (549.99, "USD"),
        ),
        # Officeworks: a "SAVE $30" badge before the price, the old price labelled "Was".
        (
            '<div class="price-box"><span class="badge">SAVE $30</span>'
            '<span class="price-dollars">$249.00</span><span class="was">Was $279.00</span></div>',
            "https://www.officeworks.com.au/shop/officeworks/p/chair-123",
            _stale_offer("279.00", "AUD"),
            (249.0, "AUD"),
        ),
        # Darty: the struck price is named "prix barré".
        (
            '<div class="darty_prix_barre_container"><span class="darty_prix_barre">599,99 €'
            '</span></div><div class="product_price"><span class="darty_prix">549<sup>€99</sup>'
            "</span></div>",
            "https://www.darty.com/nav/achat/gros_electromenager/lave-vaisselle/bosch.html",
            "",
            (549.99, "EUR"),
        ),
        # Croma: India groups by lakh, and the MRP stands apart from the buy box.
        (
            '<h1>Samsung refrigerator</h1><div class="mrp">MRP <span class="old-price">'
            '₹1,12,990.00</span></div><div class="pdp-price"><span class="amount">₹82,990.00'
            "</span></div>",
            "https://www.croma.com/samsung-633-litres-refrigerator/p/270001",
            _stale_offer("84990", "INR"),
            (82990.0, "INR"),
        ),
        # Yodobashi: the fullwidth yen sign.
        (
            '<div class="pPriceBox"><span class="productPrice">￥218,900（税込）</span></div>',
            "https://www.yodobashi.com/product/100000001008123456/",
            "",
            (218900.0, "JPY"),
        ),
    ],
)
def test_large_retailers_buy_boxes(
    body: str, url: str, head: str, expected: tuple[float, str]
) -> None:
    assert shown_price(body, url, head) == expected


def test_the_selected_price_within_a_range_shown_first() -> None:
    # Next: the sizes' range heads the box; the selected size's price follows it.
    body = (
        '<div class="pdp-price"><span class="range">£28 - £36</span>'
        '<span class="selected">Size 4 (Older): £32</span></div>'
    )
    assert shown_price(body, "https://www.next.co.uk/style/st123/456789") == (32.0, "GBP")


def test_a_declared_range_beside_its_first_offer_gives_the_buy_box_price() -> None:
    # Best Buy: the AggregateOffer's first offer is the open-box one, the range its bounds.
    declared = {
        "@type": "Product",
        "name": "65in OLED TV",
        "offers": {
            "@type": "AggregateOffer",
            "lowPrice": "1079.99",
            "highPrice": "1299.99",
            "priceCurrency": "USD",
            "offers": [{"@type": "Offer", "price": "1079.99", "priceCurrency": "USD"}],
        },
    }
    body = '<div class="priceView-customer-price"><span>$1,299.99</span></div>'
    url = "https://www.bestbuy.com/site/lg-65-class-oled/6535928.p"
    assert shown_price(body, url, _ld_json(declared)) == (1299.99, "USD")


def test_cents_in_a_superscript_after_the_whole_part_in_its_own_element() -> None:
    # Bass Pro: "<span class=dollars>79</span><sup class=cents>99</sup>" after a range.
    body = (
        '<div class="price-box"><div class="price-range-note">$69.99 - $89.99 '
        '<span>depending on model</span></div><div class="selected-price">'
        '<span class="currency">$</span><span class="dollars">79</span>'
        '<sup class="cents">99</sup></div></div>'
    )
    url = "https://www.basspro.com/shop/en/sienna-fg-spinning-reel"
    assert shown_price(body, url) == (79.99, "USD")
