"""Which shown price is the offer's, continued (a fourth price probe's kinds): whole
amounts written with a dash, a mini-cart named in its markup, amounts without a currency
before a shipping note, an account's balance and exchange rates, an auction's current bid,
a buy box within a declared range of sellers' prices. Each case is a small page around
one layout seen on a real platform."""

from __future__ import annotations

import json

import pytest
from helpers import shown_price


@pytest.mark.parametrize(
    ("body", "url", "expected"),
    [
        # alza.cz: the price without a currency, "4 699,-"; the header's basket in Kč.
        (
            '<div class="header-alz__basket-link"><span class="header-alz__basket-price">'
            '449 Kč</span></div><h1>Multimeter</h1><div class="price-box">'
            '<span class="price-box__price">4\u00a0699,-</span></div>'
            "<div>AlzaPlus+ Cena pro členy <b>4\u00a0559\u00a0Kč</b></div>",
            "https://www.alza.cz/multimetr-d1234.htm",
            (4699.0, "CZK"),
        ),
        # tutti.ch: "250.–", the franc only on the shipping chip.
        (
            '<div data-testid="price-box"><div>Preis</div><div class="mui-9ig6fs">250.–</div>'
            "<span>Versand möglich: CHF 9.00</span></div>",
            "https://www.tutti.ch/de/vi/zuerich/elektronik/72145836",
            (250.0, "CHF"),
        ),
        # bol.com: amounts with no currency in elements called a price, after a shipping
        # note that names a threshold "25,-".
        (
            '<div class="buy-block__shipping">Verzendkosten 2,99 · gratis vanaf 25,-</div>'
            '<span class="promo-price">24<sup>99</sup></span>'
            '<meta itemprop="priceCurrency" content="EUR">',
            "https://www.bol.com/nl/nl/p/item/9300000123/",
            (24.99, "EUR"),
        ),
    ],
)
def test_whole_amounts_and_amounts_without_a_currency(
    body: str, url: str, expected: tuple[float, str]
) -> None:
    assert shown_price(body, url) == expected


def test_an_accounts_balance_and_the_markets_rates_are_no_price() -> None:
    body = (
        "<table><tr><td>Logged in as <b>nordwind</b> | Funds: <b>$0.00</b></td></tr>"
        '<tr><td><span class="alt">Rates: 1 XMR = $172.90 · 1 BTC = $65,418</span></td></tr>'
        "</table><h2>CZ 75 SP-01</h2><p>Price: USD 1,450.00</p><p>Ships from RS.</p>"
    )
    assert shown_price(body, "http://ironclad.example.onion/listing/81") == (1450.0, "USD")


def test_an_auctions_current_bid_comes_before_its_buy_now_price() -> None:
    body = (
        '<div><p>Sofort kaufen</p><p data-testid="buy-now-price">CHF 180.00</p></div>'
        '<div><p>Aktuelles Gebot</p><p data-testid="current-bid">CHF 45.00</p>'
        "<p>7 Gebote · Startpreis CHF 1.00</p></div>"
    )
    assert shown_price(body, "https://www.ricardo.ch/de/a/1234/") == (45.0, "CHF")


def test_a_buy_box_within_a_declared_range_of_sellers_prices_is_the_offers() -> None:
    """Cdiscount declares an AggregateOffer whose lowPrice is another seller's."""
    offer = {"@type": "AggregateOffer", "lowPrice": "45.90", "priceCurrency": "EUR"}
    data = {"@context": "https://schema.org", "@type": "Product", "name": "Sac", "offers": offer}
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    body = (
        '<div class="hdrBasket"><span class="hdrBasketAmount">0,00 €</span></div>'
        '<div class="fpPriceBloc"><del>89,99 €</del><p class="fpPrice price">49,99 €</p></div>'
        '<div class="otherSellers"><span class="price">45,90 €</span></div>'
    )
    assert shown_price(body, "https://www.cdiscount.com/f-1-sac.html", head) == (49.99, "EUR")


def test_an_amount_given_as_credit_or_off_is_no_price() -> None:
    body = (
        '<span class="_1_Nk">Kostenloser Versand</span>'
        '<span class="_1_Nk">5,00€ Guthaben bei Verspätung</span>'
        '<div class="_2x9"><span>7,83€</span></div><span>3,00€ Rabatt ab 25,00€</span>'
    )
    assert shown_price(body, "https://www.temu.com/de/messer-g-601099.html") == (7.83, "EUR")


def test_the_checked_packs_price_is_the_offers() -> None:
    """A rogue pharmacy's package table: a radio button per pack, the 60-pill one checked."""
    row = (
        '<tr class="pack-row"><td><input type="radio" name="pack"{checked}></td>'
        '<td class="pack-qty">{n} pills</td><td class="pack-ppp">${each}</td>'
        '<td class="pack-price">${total}</td></tr>'
    )
    rows = "".join(
        row.format(n=n, each=each, total=total, checked=" checked" if n == 60 else "")
        for n, each, total in (
            (30, "3.30", "99.00"),
            (60, "2.48", "149.00"),
            (90, "2.10", "189.00"),
        )
    )
    body = f"<h1>Viagra 100 mg</h1><table>{rows}</table>"
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Viagra 100 mg"}
    head = f'<script type="application/ld+json">{json.dumps(product)}</script>'
    assert shown_price(body, "https://rx-generics.example.com/viagra", head) == (149.0, "USD")


def test_coupon_estimates_club_prices_omnibus_references_and_free_delivery_come_last() -> None:
    """Shein's item page: the sale price among four other amounts of the same box."""
    body = (
        '<div class="header-v2__freeship">DARMOWA DOSTAWA od 99,00zł</div>'
        '<div class="mainprice"><div class="from discount"><span>32,49zł</span></div>'
        '<del class="del-price">64,99zł</del></div>'
        "<div>Najniższa cena z 30 dni przed obniżką: 34,99zł</div>"
        '<div><span class="estimated-price__text">Cena szacunkowa</span>'
        '<span class="estimated-price__price">27,61zł</span></div>'
        '<div>S-Club <span class="club-price">31,19zł</span></div>'
    )
    assert shown_price(body, "https://pl.shein.com/torebka-p-28451937.html") == (32.49, "PLN")


def test_a_price_its_parent_labels_before_tax_comes_after_the_only_other() -> None:
    """A theme that classes its one price "price-old-live" and shows the price before
    tax under the label "Brez DDV:" (Slovenian: without VAT) in the parent."""
    body = (
        '<ul id="price-list"><li class="price"><span class="price-old-live">40.00€</span></li>'
        '<li class="price-tax small">Brez DDV: <span class="price-tax-live">36.53€</span></li>'
        "</ul>"
    )
    assert shown_price(body, "https://www.vsezaoci.si/pripomocki/lece") == (40.0, "EUR")


def test_a_woocommerce_sale_gives_the_price_after_the_reduction() -> None:
    """WooCommerce 6+: the struck price is inside <del>, and screen-reader texts in the
    shop's language repeat both amounts ("O preço original era: 29,90 €.")."""
    amount = (
        '<span class="woocommerce-Price-amount amount"><bdi>{}&nbsp;'
        '<span class="woocommerce-Price-currencySymbol">€</span></bdi></span>'
    )
    body = (
        f'<p class="price"><del aria-hidden="true">{amount.format("29,90")}</del> '
        '<span class="screen-reader-text">O preço original era: 29,90 €.</span>'
        f'<ins aria-hidden="true">{amount.format("24,90")}</ins>'
        '<span class="screen-reader-text">O preço atual é: 24,90 €.</span></p>'
    )
    assert shown_price(body, "https://www.vidros.example.pt/produto/copos") == (24.9, "EUR")


def test_a_cart_named_by_the_parent_and_a_free_shipping_threshold_in_hungarian() -> None:
    body = (
        '<div id="fejlec">Ingyenes szállítás 30 000 Ft felett'
        '<div class="kosar-doboz"><a href="/kosar.php">Kosár (1) – <b>8 490 Ft</b></a></div>'
        '</div><h1>Bőr hátizsák</h1><div class="ar"><span class="szam">24 990</span> '
        "<span>Ft</span></div>"
    )
    assert shown_price(body, "https://www.borbolt.example.hu/hatizsak") == (24990.0, "HUF")
