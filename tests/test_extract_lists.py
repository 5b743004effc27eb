"""List and search-result pages -> one listing per item card; product pages with other
products around them -> one listing."""

from __future__ import annotations

import pytest

from netpatrol.extract.page import extract_page


def _cards(count: int, template: str, first: int = 0) -> str:
    return "".join(template.format(i=i, p=10 + i) for i in range(first, first + count))


def _page(body: str) -> bytes:
    head = "<html><head><title>Results</title></head>"
    return f"{head}<body><nav>Home</nav>{body}</body></html>".encode()


AD = (
    '<article class="ad"><h2><a href="/ad/{i}">Parrot {i}</a></h2>'
    '<p class="price">{p}0 €</p></article>'
)
TILE = '<div class="tile"><a href="/p/{i}">Other {i}</a><span class="price">{p},00 €</span></div>'
MAIN = '<div class="product"><h1>Main wallet</h1><p class="price">99,00 €</p></div>'


@pytest.mark.parametrize(
    ("body", "titles"),
    [
        # A header with a mini-cart and a free-shipping threshold around four ads.
        (
            '<header><div class="cart"><span class="total">0,00 €</span></div>'
            '<div class="promo">Livraison gratuite dès 49 €</div></header>'
            f'<div class="results">{_cards(4, AD)}</div>',
            [f"Parrot {i}" for i in range(4)],
        ),
        # Five ads and a sidebar of three promoted ones: both lists are listings.
        (
            f'<div class="results">{_cards(5, AD)}</div>'
            f'<aside class="promo">{_cards(3, TILE, first=5)}</aside>',
            [f"Parrot {i}" for i in range(5)] + [f"Other {i}" for i in range(5, 8)],
        ),
        # A product page with two boxes of other products: the product alone.
        (
            f'{MAIN}<div class="carousel">{_cards(6, TILE)}</div>'
            f'<div class="also">{_cards(4, TILE, first=6)}</div>',
            ["Main wallet"],
        ),
        (f'{MAIN}<div class="related-products">{_cards(4, TILE)}</div>', ["Main wallet"]),
    ],
)
def test_list_or_product(body: str, titles: list[str]) -> None:
    listings = extract_page(_page(body), "https://annonces.example.fr/list")
    assert [listing.title for listing in listings] == titles


def test_a_price_in_a_product_articles_own_header_is_the_offers() -> None:
    body = (
        '<article class="product"><header><h1>Main wallet</h1><span class="price">99,00 €'
        '</span></header><p>Leather.</p></article><div class="suggestions"><span class="price">'
        "9,00 €</span></div>"
    )
    (listing,) = extract_page(_page(body), "https://shop.example.fr/p/main")
    assert listing.price == 99.0


ITEM = (
    '<div class="item"><a href="/item/{i}"><img src="/i/{i}.jpg"></a>'
    '<a class="name" href="/item/{i}">Hash {i}g</a><span class="xmr">0.{p}0 XMR</span></div>'
)
FEEDBACK_ROW = "<tr><td>b***r</td><td>Fast stealth</td><td>0.{p}5 XMR</td><td>2 days ago</td></tr>"


def test_a_vendor_page_with_more_feedback_rows_than_items_lists_the_items() -> None:
    """The feedback's amounts are past orders: 12 rows of them do not outvote 4 items."""
    body = (
        f'<div class="items">{_cards(4, ITEM)}</div>'
        f'<div class="box"><h3>Latest feedback</h3><table>{_cards(12, FEEDBACK_ROW)}</table></div>'
    )
    listings = extract_page(_page(body), "http://vendor.example.onion/shop")
    assert [(listing.title, listing.price) for listing in listings] == [
        (f"Hash {i}g", float(f"0.{10 + i}0")) for i in range(4)
    ]


def test_a_card_title_is_the_first_link_with_text() -> None:
    """The first link of a card is often its picture's, with no text."""
    listings = extract_page(_page(f'<div class="items">{_cards(4, ITEM)}</div>'), None)
    assert [listing.title for listing in listings] == [f"Hash {i}g" for i in range(4)]


@pytest.mark.parametrize("heading", ["Laatst bekeken", "Last viewed", "Ostatnio oglądane"])
def test_a_box_of_recently_viewed_ads_beside_the_results_is_furniture(heading: str) -> None:
    body = (
        f'<div class="results">{_cards(9, AD)}</div>'
        f'<aside><div class="widget"><h3>{heading}</h3>{_cards(4, TILE, first=9)}</div></aside>'
    )
    listings = extract_page(_page(body), "https://vogels.example.nl/parkieten")
    assert [listing.title for listing in listings] == [f"Parrot {i}" for i in range(9)]


AUCTION = (
    '<article class="offer"><h2><a href="/oferta/{i}">Słuchawki {i} – licytacja od 1 zł</a></h2>'
    '<span class="mgn2_27">{p}0,00 zł</span></article>'
)


def test_an_amount_in_a_cards_title_comes_after_the_cards_price() -> None:
    listings = extract_page(_page(f"<main>{_cards(4, AUCTION)}</main>"), "https://allegro.pl/s")
    assert [(listing.price, listing.currency) for listing in listings] == [
        (float(f"{10 + i}0"), "PLN") for i in range(4)
    ]


RESULT = (
    '<div class="s-result-item{variant}"><h2><a href="/dp/{i}">Whey {i}</a></h2>'
    '<span class="a-price">{i},90 €</span></div>'
)


def test_sponsored_results_of_a_variant_class_count_with_the_results() -> None:
    """Ten results and four sponsored ones ("s-result-item AdHolder") among them: a list
    of fourteen, though the priced group of the most frequent class holds ten."""
    cards = [
        RESULT.format(i=i, variant=" AdHolder" if i in (11, 14, 17, 20) else "")
        for i in range(10, 24)
    ]
    listings = extract_page(
        _page(f'<div class="s-main-slot">{"".join(cards)}</div>'), "https://www.amazon.fr/s"
    )
    assert [listing.title for listing in listings] == [f"Whey {i}" for i in range(10, 24)]


@pytest.mark.parametrize(
    "box",
    [
        '<div id="priceRefinements"><ul>{ranges}</ul></div>',
        '<div class="facets__price"><ul>{ranges}</ul></div>',
        '<div class="rhf"><h2>Articles consultés récemment</h2><ul>{ranges}</ul></div>',
    ],
)
def test_price_filters_and_recently_viewed_boxes_are_furniture(box: str) -> None:
    ranges = "".join(f"<li><a href='?p={i}'>{i}0 à {i + 1}0 EUR</a></li>" for i in range(4))
    body = f'<div class="results">{_cards(9, AD)}</div>{box.format(ranges=ranges)}'
    listings = extract_page(_page(body), "https://annonces.example.fr/list")
    assert [listing.title for listing in listings] == [f"Parrot {i}" for i in range(9)]


@pytest.mark.parametrize(
    "ad",
    [
        '<article class="ad"><h2><a href="https://www.googleadservices.com/pagead/aclk?x=1">'
        "Schildkrötenfutter -30 %</a></h2><p class='price'>12,99 €</p></article>",
        '<article class="ad"><span>Anzeige</span><h2><a href="https://shop.example.com/x">'
        "Terrarien ab 49 €</a></h2><p class='price'>49,00 €</p></article>",
    ],
)
def test_an_ad_networks_box_among_the_cards_is_no_listing(ad: str) -> None:
    body = f'<div class="results">{_cards(3, AD)}{ad}{_cards(3, AD, first=3)}</div>'
    listings = extract_page(_page(body), "https://www.kleinanzeigen.de/s-haustiere")
    assert [listing.title for listing in listings] == [f"Parrot {i}" for i in range(6)]


def test_a_card_linking_to_another_site_without_an_ad_label_stays() -> None:
    """A price comparison page's offers all lead to the shops."""
    offer = (
        '<article class="ad"><h2><a href="https://shop{i}.example.com/p">Parrot {i}</a></h2>'
        '<p class="price">{p}0 €</p></article>'
    )
    listings = extract_page(_page(f'<div class="results">{_cards(5, offer)}</div>'), None)
    assert [listing.title for listing in listings] == [f"Parrot {i}" for i in range(5)]


WOO_CARD = (
    '<li class="product type-product post-{i}{extra} status-publish instock">'
    '<a href="/product/horn-{i}/" class="woocommerce-LoopProduct-link">'
    '<h2 class="woocommerce-loop-product__title">Kudu horn {i}</h2><span class="price">'
    '<del aria-hidden="true"><span class="amount"><bdi><span class="currencySymbol">R</span>'
    "{p},950.00</bdi></span></del> "
    '<span class="screen-reader-text">Original price was: R{p},950.00.</span>'
    '<ins aria-hidden="true"><span class="amount"><bdi><span class="currencySymbol">R</span>'
    "{p},200.00</bdi></span></ins>"
    '<span class="screen-reader-text">Current price is: R{p},200.00.</span></span></a></li>'
)


def test_woocommerce_cards_whose_classes_name_their_post_are_one_list_in_rand() -> None:
    cards = "".join(
        WOO_CARD.format(i=i, p=i + 1, extra=" first" if i % 4 == 0 else "") for i in range(6)
    )
    body = (
        f'<ul class="products columns-4">{cards}</ul><aside class="widget">'
        '<ul class="product_list_widget"><li><a href="/product/x/">Top rated</a>'
        '<span class="amount">R385.00</span></li></ul></aside>'
    )
    listings = extract_page(_page(body), "https://www.hornandhide.co.za/product-category/horn/")
    assert [(x.title, x.price, x.currency) for x in listings] == [
        (f"Kudu horn {i}", float((i + 1) * 1000 + 200), "ZAR") for i in range(6)
    ]


VINTED_CARD = (
    '<div class="feed-grid__item"><div class="new-item-box__container">'
    '<img src="/i/{i}.jpg" alt="Sac Neverfull {i}, marque: Louis Vuitton, état: Très bon état">'
    '<a href="/items/{i}-sac" class="new-item-box__overlay" title="Sac Neverfull {i}, marque: '
    'Louis Vuitton, état: Très bon état, taille: Taille unique, {p}0,00 €"></a>'
    '<p class="new-item-box__description-title">Louis Vuitton</p>'
    '<p class="new-item-box__description-subtitle">Très bon état</p>'
    '<p class="new-item-box__price">{p}0,00 €</p></div></div>'
)


def test_a_card_showing_only_the_brand_is_named_by_its_links_title() -> None:
    body = f'<div class="feed-grid">{_cards(4, VINTED_CARD)}</div>'
    listings = extract_page(_page(body), "https://www.vinted.fr/catalog?search_text=sac")
    assert [x.title for x in listings] == [f"Sac Neverfull {i}" for i in range(4)]


FROM_CARD = (
    '<div class="product-tile"><h3><a href="/sofa/{i}">Sofa {i}</a></h3>'
    '<span class="price">ab {p}9,00 €</span><span class="size-note">Ecksofa 9{p}9,00 €</span></div>'
)


def test_a_cards_from_price_is_its_price() -> None:
    # A product page's "from" price gives way to the chosen configuration's; a card
    # advertises its cheapest.
    listings = extract_page(_page(f"<main>{_cards(4, FROM_CARD)}</main>"), "https://moebel.de/s")
    assert [listing.price for listing in listings] == [float(f"{10 + i}9") for i in range(4)]


NUMBERED_CARD = (
    '<li class="EntityList-item EntityList-item--Regular EntityList-item--n{i}">'
    '<article><h3 class="entity-title"><a href="/oglas/{i}">Trofej {i}</a></h3>'
    '<strong class="price">{p}0 €</strong></article></li>'
)


def test_cards_numbered_by_a_bem_modifier_are_one_list() -> None:
    body = f'<main><ul class="EntityList-items">{_cards(6, NUMBERED_CARD)}</ul></main>'
    listings = extract_page(_page(body), "https://www.njuskalo.hr/lov-ribolov")
    assert [x.title for x in listings] == [f"Trofej {i}" for i in range(6)]


MUI_CARD = (
    '<div class="MuiGrid-item"><a href="/item/{i}" title="Python skin boots {i}">'
    '<span class="MuiTypography-subtitle1" data-testid="item-tile-price">${p}0</span>'
    '<span class="MuiTypography-body2" data-testid="item-tile-title">Python skin boots {i}'
    "</span></a></div>"
)


def test_a_card_title_is_no_price_styled_as_a_subtitle() -> None:
    body = f'<main><div class="grid">{_cards(5, MUI_CARD)}</div></main>'
    listings = extract_page(_page(body), "https://offerup.com/search?q=skin")
    assert [(x.title, x.price) for x in listings] == [
        (f"Python skin boots {i}", float(f"{10 + i}0")) for i in range(5)
    ]


GIVEAWAY_CARD = (
    '<article class="ad"><h2><a href="/ad/{i}">Gammel kam {i}</a></h2>'
    '<span class="tag">{price}</span></article>'
)


def test_a_giveaway_card_costs_nothing_and_an_also_searched_strip_is_furniture() -> None:
    cards = "".join(
        GIVEAWAY_CARD.format(i=i, price="Gis bort" if i == 0 else f"{i}00 kr") for i in range(6)
    )
    also = (
        '<section class="also-searched"><h3>Ezek is érdekelhetnek</h3><ul>'
        + "".join(f'<li><a href="/x/{i}">Kam</a> <span>{i}5 kr</span></li>' for i in range(3))
        + "</ul></section>"
    )
    listings = extract_page(_page(f"<main>{cards}</main>{also}"), "https://www.finn.no/bap")
    assert [(x.title, x.price) for x in listings] == [
        (f"Gammel kam {i}", float(f"{i}00")) for i in range(6)
    ]
    assert listings[0].currency == "NOK"


FEATURED_CARD = (
    '<div class="list-item reListElement{variant}"><h3><a href="/ad/{i}">Teknős {i}</a></h3>'
    '<span class="item-price">{p}000 Ft</span></div>'
)


def test_a_featured_block_above_the_results_adds_its_cards_in_page_order() -> None:
    featured = "".join(FEATURED_CARD.format(variant=" highlighted", i=i, p=90 + i) for i in (0, 1))
    results = "".join(FEATURED_CARD.format(variant="", i=i, p=10 + i) for i in range(2, 10))
    picks = (
        '<div class="strip"><h2>Today\'s picks</h2>'
        + "".join(FEATURED_CARD.format(variant="", i=i, p=50 + i) for i in range(10, 13))
        + "</div>"
    )
    body = (
        f'<main><section class="top">{featured}</section><section>{results}</section>{picks}</main>'
    )
    listings = extract_page(_page(body), "https://www.jofogas.hu/magyarorszag/teknos")
    assert [x.title for x in listings] == [f"Teknős {i}" for i in range(10)]
