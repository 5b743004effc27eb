"""Quantities and specimen counts: unit cases in European languages, properties, and
specimen counts against the bat-trade listings (tuned on half the sellers, reported on the
other half)."""

from __future__ import annotations

import csv
import math

import pytest
from conftest import SHARED_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from netpatrol.extract.page import extract_page
from netpatrol.extract.quantity import Quantity, count_specimens, parse_quantity, stated_count

BATS = SHARED_DATA / "bat-trade-listings-kpicta" / "Coleman_et_al_unique-listings-info.csv"
UNITS = {
    "item",
    "specimen",
    "tablet",
    "capsule",
    "ampoule",
    "vial",
    "blister",
    "kg",
    "g",
    "ml",
    "l",
}
# Measured on the held-out sellers: 5 of 8 answers right; the labels count K. picta
# individuals only and most listings state no count at all (see the report line).
MIN_SPECIMEN_PRECISION = 0.5


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Lot de 3 papillons naturalisés", 3, "item"),
        ("lot of five", 5, "item"),
        ("Set of 4 coasters", 4, "item"),
        ("Pack of 12", 12, "item"),
        ("Lote de 6 unidades", 6, "item"),
        ("Lotto di 3 farfalle", 3, "item"),
        ("Set van 3 vlinders", 3, "item"),
        ("3er-Pack Socken", 3, "item"),
        ("3 pcs", 3, "item"),
        ("3pcs", 3, "item"),
        ("3 pieces", 3, "item"),
        ("3 Stück", 3, "item"),
        ("zwei Stück", 2, "item"),
        ("5 szt.", 5, "item"),
        ("3 ks", 3, "item"),
        ("4 stuks", 4, "item"),
        ("6 pezzi", 6, "item"),
        ("Viagra x10", 10, "item"),
        ("10x Viagra", 10, "item"),
        ("10 x Cialis", 10, "item"),
        ("a pair of earrings", 2, "item"),
        ("une paire de défenses", 2, "specimen"),  # tusks: wildlife parts, counted as specimens
        ("Ein Paar Ohrringe", 2, "item"),
        ("3 pairs of socks", 6, "item"),
        ("a dozen eggs", 12, "item"),
        ("une douzaine d'oeufs", 12, "item"),
        ("half a dozen", 6, "item"),
        ("3 specimens", 3, "specimen"),
        ("5 kg", 5, "kg"),
        ("500 g", 500, "g"),
        ("1,5 kg", 1.5, "kg"),
        ("250ml", 250, "ml"),
        ("75 cl", 750, "ml"),
        ("1 oz", 28.349523125, "g"),
        ("100 tabs", 100, "tablet"),
        ("30 tablets", 30, "tablet"),
        ("28 Tabletten", 28, "tablet"),
        ("30 comprimés", 30, "tablet"),
        ("60 caps", 60, "capsule"),
        ("60 gélules", 60, "capsule"),
        ("10 amp", 10, "ampoule"),
        ("10 ampoules", 10, "ampoule"),
        ("5 vials", 5, "vial"),
        ("3 blisters", 3, "blister"),
        ("Viagra 100mg 30 tablets", 30, "tablet"),
        ("3 x 30 tablets", 90, "tablet"),
        ("2 x 500 g", 1000, "g"),
        ("lot de 3 - 500 g", 3, "item"),
        ("Cialis 20 mg x 10", 10, "item"),
    ],
)
def test_quantities(text: str, value: float, unit: str) -> None:
    found = parse_quantity(text)
    assert found is not None
    assert found.value == pytest.approx(value)
    assert found.unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "",
        "20 mg",
        "100mcg",
        "5 ml/kg",
        "100 mg/5 ml",
        "0.5%",
        "2019",
        "20 €",
        "30 cm",
        "12x18 cm",
        "12 x 18 cm",
        'Frame 6 1/2" x 4"',
        "1 tablet a day",
        "4G phone",
        "1st edition",
        "ein paar Tage",
        "Taxidermy painted bat",
        # Model codes.
        "Denon AVR-X1800H 7.2-channel receiver",
        "DeWalt Combi Drill (9087X)",
    ],
)
def test_not_quantities(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("title", "text", "count"),
    [
        ("Pair of mounted bats", None, 2),
        ("3 framed butterflies", None, 3),
        ("Taxidermy painted bat in glass dome", "A single specimen.", None),
        ("KERIVOULA PICTA - 3 FIRE BATS, SPREAD WINGS", None, 3),
        ("CHIROPTERA: KERIVOULA PICTA HANGING 2 PCS - FREEZE DRIED", None, 2),
        ("Bat lot", "THIS OFFERING IS FOR A LOT OF 3 RARE SPECIMENS", 3),
        ("Deux papillons naturalisés sous cadre", None, 2),
        ("Zwei Schmetterlinge im Rahmen", None, 2),
        ("Dos mariposas enmarcadas", None, 2),
        ("Tre farfalle in cornice", None, 3),
        ("Drie vlinders ingelijst", None, 3),
        ("Trzy motyle w ramce", None, 3),
        ("Dva netopýři v rámu", None, 2),
        ("u49 Taxidermy Real bat 1/2 Skeleton", None, None),
        ('Painted bat, mounted in 9 X 11" shadow box', None, None),
        ("Framed bat #3 Kerivoula picta", None, None),
        ("Painted bat", "Ships in 2 days. We have 5 bats available.", None),
        ("Painted bat", "Buy two items or more and save on shipping.", None),
        ("2022 insects collection", None, None),
    ],
)
def test_count_specimens(title: str, text: str | None, count: int | None) -> None:
    assert count_specimens(title, text) == count


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789 .,/x×%lotdepairofkgmltabsbat\"'"))
        | st.characters(),
        max_size=200,
    )
)
def test_parse_quantity_never_raises(text: str) -> None:
    found = parse_quantity(text)
    assert found is None or (
        isinstance(found, Quantity)
        and found.unit in UNITS
        and math.isfinite(found.value)
        and found.value > 0
    )
    count = count_specimens(text, text)
    assert count is None or count >= 1


def _held_out_bat_rows() -> list[dict[str, str]]:
    """Labelled listings of every other seller (sorted by name): the half not tuned on."""
    if not BATS.exists():
        pytest.skip(f"shared data not found: {BATS} (staged beside the repository)")
    with BATS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    sellers = sorted({row["seller"] for row in rows})
    held_out = {seller for index, seller in enumerate(sellers) if index % 2 == 1}
    return [row for row in rows if row["seller"] in held_out and row["individuals"]]


def test_specimen_counts_on_bat_listings(capsys: pytest.CaptureFixture[str]) -> None:
    """Sellers alternate between a tuning half (even) and this held-out half (odd)."""
    rows = _held_out_bat_rows()
    answered = right = right_or_one = 0
    for row in rows:
        expected = int(float(row["individuals"]))
        got = count_specimens(row["title"], row["description"])
        answered += got is not None
        right += got == expected
        right_or_one += (got if got is not None else 1) == expected
    always_one = sum(int(float(row["individuals"])) == 1 for row in rows)
    with capsys.disabled():
        print(
            f"\nbat listings, held-out sellers: n={len(rows)} coverage={answered / len(rows):.3f} "
            f"precision={right}/{answered} accuracy(None read as 1)={right_or_one / len(rows):.3f} "
            f"baseline(always 1)={always_one / len(rows):.3f}"
        )
    assert answered > 0
    assert right / answered >= MIN_SPECIMEN_PRECISION


def test_a_count_of_a_thousand_glued_to_its_x() -> None:
    assert parse_quantity("1000x LSD tabs") == Quantity(1000.0, "item")


@pytest.mark.parametrize(
    ("after_title", "quantity"),
    [
        (" Pair of antique netsuke, signed", (2.0, "item")),
        (" Lot de 3 défenses sculptées", (3.0, "item")),
        (" 30 Tabletten ab 49 €", (30.0, "tablet")),
        # A web page's words are no count: instalments, views, a product's weight.
        (" Payez en 4x : 4 x 12,50 €", None),
        (" 164x vu 9x sauvegardé", None),
        (" Poids 250 g Connectique USB-C", None),
    ],
)
def test_the_count_a_page_states_after_its_title(
    after_title: str, quantity: tuple[float, str] | None
) -> None:
    title = "Item"
    html = f"<html><body><nav>Menu 12 pcs</nav><h1>{title}</h1><p>{after_title}</p></body></html>"
    (listing,) = extract_page(html.encode(), "https://shop.example.fr/p/1")
    found = (listing.quantity, listing.unit) if listing.quantity is not None else None
    assert found == quantity


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Pair of Antique Victorian Mounted Morpho Butterflies", 2.0, "specimen"),
        ("Generic Viagra 100 mg × 60 tablets", 60.0, "tablet"),
        ("Opinel No. 8 zsebkés - 2 db-os csomag", 2.0, "item"),
        ("Амфетамин HQ 2 г", 2.0, "g"),
        ("Батарейки AA 10 шт", 10.0, "item"),
        ("Filiz Spagetti 5 adet", 5.0, "item"),
        # A weight first, then the count; containers of a volume.
        ("Filiz Spagetti Makarna 500 g x 5 Adet", 2500.0, "g"),
        ("Refresco de cola pack de 6 botellas de 1,5 l", 9.0, "l"),
        ("Insulin Syringes 1ml x 10", 10.0, "item"),
    ],
)
def test_counts_in_more_languages_and_units(text: str, value: float, unit: str) -> None:
    assert parse_quantity(text) == Quantity(value, unit)


def test_a_sirens_decibels_are_no_count() -> None:
    assert parse_quantity("Alarm siren 120 dB") is None


@pytest.mark.parametrize(
    ("after_title", "expected"),
    [
        (" Unit: 1 gram Stock: 84 units", Quantity(1.0, "g")),
        (" Size: 12 oz bag, whole bean", Quantity(340.1942775, "g")),
        # Stock and sales are no quantity.
        (" Stock 84 units", None),
        (" Skladem 5 ks", None),
    ],
)
def test_what_a_page_labels_as_the_amount(after_title: str, expected: Quantity | None) -> None:
    assert stated_count(after_title) == expected
