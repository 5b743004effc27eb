"""Amounts beside a price that are not it (a tenth price probe's kinds): an option's extra
cost, a "from" price above the chosen configuration's, a maker's list price named "PRP".
Each case is a small page around one layout seen on a real platform."""

from __future__ import annotations

import pytest
from helpers import shown_price


@pytest.mark.parametrize(
    ("body", "url", "expected"),
    [
        # A configurator: each option's extra cost beside it, the total in the buy box.
        (
            '<fieldset><label><input type="radio" name="battery" checked>'
            '<span class="label">625 Wh</span><span class="delta">+ € 250</span></label>'
            "</fieldset>"
            '<div class="BuyBox_total"><span>Totaalprijs</span>'
            '<span class="PriceTag_amount">€ 2.149,00</span></div>',
            "https://www.fietsen.nl/e-bikes/e-urban-7",
            (2149.0, "EUR"),
        ),
        # nopCommerce's add-ons: "[+39,00 €]" before the product's own price.
        (
            '<div class="attributes"><ul><li>Εγκατάσταση <span class="price-adjustment">'
            '[+39,00 €]</span></li><li>Απόσυρση <span class="price-adjustment">[+15,00 €]'
            "</span></li></ul></div>"
            '<div class="prices"><span class="price actual-price">499,00 €</span></div>',
            "https://www.syskeves.gr/bosch-serie-6",
            (499.0, "EUR"),
        ),
        # A "from" price labelled by its parent, above the chosen configuration's.
        (
            '<p class="fromPrice">Vanaf <span class="amount">€ 1.899</span></p>'
            '<div class="total"><span class="amount">€ 2.149,00</span></div>',
            "https://www.fietsen.nl/e-bikes/e-urban-7",
            (2149.0, "EUR"),
        ),
        # ... or in its own text: "Desde $3,499.00" over the selected colour's price.
        (
            '<div class="price-range">Desde $3,499.00</div>'
            '<div class="sale-price"><span class="price-value">$3,899.00</span></div>',
            "https://www.hogar.com.mx/product/batidora",
            (3899.0, "MXN"),
        ),
        # A Romanian shop's maker's list price, "PRP", before the price.
        (
            '<div class="price-box"><div class="price-prp">PRP: '
            '<span class="price-prp__value">4.199,99 lei</span></div>'
            '<div class="price-current">3.299,99 lei</div></div>',
            "https://www.laptopuri.ro/laptop-lenovo-ideapad.html",
            (3299.99, "RON"),
        ),
    ],
)
def test_amounts_beside_the_price_that_are_not_it(
    body: str, url: str, expected: tuple[float, str]
) -> None:
    assert shown_price(body, url) == expected


def test_a_from_price_alone_is_the_price() -> None:
    body = '<div class="price">ab 49,00 €</div>'
    assert shown_price(body, "https://www.shop.de/p/sofa") == (49.0, "EUR")


def test_cents_in_an_element_named_cents_join_the_amount() -> None:
    # MercadoLibre: the sign, the whole part and the cents each in a span of their own.
    body = (
        '<div class="poly-price__current"><span class="andes-money-amount">'
        '<span class="andes-money-amount__currency-symbol">$</span>'
        '<span class="andes-money-amount__fraction">2,749</span>'
        '<span class="andes-money-amount__cents">50</span></span></div>'
    )
    assert shown_price(body, "https://www.mercadolibre.com.mx/p/MLM123") == (2749.5, "MXN")


def test_an_amount_in_arabic_dinars_is_a_price_in_the_sites_country() -> None:
    body = '<div class="postPrice">350 دينار</div>'
    assert shown_price(body, "https://www.souq.jo/ar/post/245592141") == (350.0, "JOD")
