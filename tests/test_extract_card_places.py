"""A result card's place from its own short texts, when its markup names none."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.card_places import card_place, is_place
from netpatrol.extract.labelled import badge_seller


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ('<div class="inzeratylok">Brno<br>602 00</div>', "Brno 602 00"),
        (
            '<span class="x1">8010 Graz</span><span>Privat</span><span>17.05.2025</span>',
            "8010 Graz",
        ),
        ("<p>Lyon 69003 Aujourd’hui, 14:22</p>", "Lyon 69003"),
        ("<span>Warszawa, Mokotów - Dzisiaj 12:30</span>", "Warszawa, Mokotów"),
        ("<div>Spain → EU · Escrow</div>", "Spain"),
        ("<p>Croydon, London</p>", "Croydon, London"),
        ("<span>Lillestrøm</span>", "Lillestrøm"),
        # Badges, shop names and commands that GeoNames also knows as towns.
        ("<span>Sale</span><span>Ad by MothAndMetamorph</span>", None),
        ("<span>From shop BloomAndBarJewels</span><a>Buy now</a>", None),
        ("<span>No reserve price</span><span>Gold</span>", None),
    ],
)
def test_card_place(card: str, expected: str | None) -> None:
    assert card_place(_card(f"<h3>Item title</h3>{card}<b>60 €</b>"), "Item title") == expected


def _card(inner: str) -> LexborNode:
    root = LexborHTMLParser(f"<div class=card>{inner}</div>").css_first("div.card")
    assert root is not None
    return root


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Roma (RM)", True),
        ("9020 Klagenfurt am Wörthersee", True),
        ("Paris Saint-Germain jersey", False),
        ("Nice", False),
    ],
)
def test_is_place(text: str, place: bool) -> None:
    assert is_place(text) is place


@pytest.mark.parametrize(
    ("card", "seller"),
    [
        ('<span class="badge">Forhandler</span> <span>Friluftsbua AS</span>', "Friluftsbua AS"),
        ("<span>Pro</span><span>Garage des Brotteaux</span>", "Garage des Brotteaux"),
        # The name before the badge, when its markup calls it a name; not the item's state.
        (
            '<p data-test-id="ad-pro-name">Garage des Brotteaux</p><span>Pro</span>',
            "Garage des Brotteaux",
        ),
        ("<span>Używane</span><span>Firma</span>", None),
        # After a badge: a delivery offer, a date.
        ("<span>Pro</span><span>Livraison possible</span>", None),
        ("<span>Händler</span><span>05.05.2025, 10:43 Uhr</span>", None),
    ],
)
def test_the_name_after_a_business_badge(card: str, seller: str | None) -> None:
    assert badge_seller(_card(f"<h3>Item</h3><div>{card}</div>")) == seller
