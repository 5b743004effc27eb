"""The discount a listing claims, in the seven languages."""

from __future__ import annotations

import pytest

from netpatrol.detect.discount import deepest_discount


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Dyson V15 für nur 129 € statt 699 €. Nur heute!", 0.82),
        ("Statt 189,99 € nur 42,90 €! Alle Größen verfügbar", 0.77),
        ("North Face Nuptse, was $330 now $45.99", 0.86),
        ("Trenchcoat voor €199 (was €1.990). Gratis verzending", 0.90),
        ("only £99 today (RRP £479.99)", 0.79),
        ("Nike TN voor €49,95 i.p.v. €189,99", 0.74),
        ("Nike Dunk Low - Soldes -75%", 0.75),
        ("agora 29 € em vez de 650 €", 0.96),
        ("sconto del 80% su tutto", 0.80),
        ("Nike Air Max 90, €149.99, 20% off", 0.20),
    ],
)
def test_the_deepest_claimed_discount_is_read(text: str, share: float) -> None:
    assert deepest_discount(text) == pytest.approx(share, abs=0.01)


@pytest.mark.parametrize(
    "text",
    ["Size 38-40, 2 pieces", "Glock 19 - 15 rounds", "Preis 59 €", "was ist das? 12 Stück", ""],
)
def test_no_discount_where_none_is_claimed(text: str) -> None:
    assert deepest_discount(text) == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "BLACK WEEK : profitez de jusqu'à -80% sur une large sélection",
        "Sale: up to 75% off selected lines",
        "Nur heute bis zu -70% auf alles",
    ],
)
def test_a_shops_up_to_banner_is_no_items_discount(text: str) -> None:
    assert deepest_discount(text) == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "Rolex Datejust 41, was purchased 2019",  # a year and a size, no currency
        "Rolex Submariner, RRP £9,100, only 2 left at £8,900",  # a stock count
        "Price 1.299,00 € (incl. VAT and free shipping) statt 1.500 €",  # not cut at ",299"
    ],
)
def test_only_amounts_with_their_currency_are_prices(text: str) -> None:
    assert deepest_discount(text) < 0.2


def test_a_word_ending_like_up_to_is_no_banner() -> None:
    assert deepest_discount("Rolex Ultimate -80%") == pytest.approx(0.8)
