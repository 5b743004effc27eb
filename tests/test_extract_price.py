"""Prices and currencies: unit cases in European languages, properties, and accuracy on the
price-parser examples (tuned on the even rows, asserted on the odd rows)."""

from __future__ import annotations

import csv
import json
import math

import pytest
from conftest import SHARED_DATA
from hypothesis import given, settings
from hypothesis import strategies as st
from price_parser import Price

from netpatrol.extract.currency import CODES, find_currency, resolve_currency
from netpatrol.extract.price import PriceResult, parse_price, to_number

EXAMPLES = SHARED_DATA / "price-parser-examples" / "price_parsing_examples.csv"
# Lists the reference library marks as known failures or unsupported currencies.
HARD_LISTS = {
    "PRICE_PARSING_EXAMPLES_XFAIL",
    "PRICE_PARSING_EXAMPLES_XFAIL_CURRENCIES_TO_BE_ADDED",
}
MIN_AMOUNT_ACCURACY = 0.98  # measured 0.992 on the held-out half (main lists)
MIN_CURRENCY_ACCURACY = 0.97  # measured 0.988


PRICES = [
    ("19 500 €", 19500.0, "EUR"),
    ("19\u00a0500\u00a0€", 19500.0, "EUR"),
    ("19\u202f500\u202f€", 19500.0, "EUR"),
    ("1.234,56 €", 1234.56, "EUR"),
    ("Prix : 1 234,56 EUR TTC", 1234.56, "EUR"),
    ("1,234.56 USD", 1234.56, "USD"),
    ("12,50 zł", 12.5, "PLN"),
    ("Cena: 1 299 zł", 1299.0, "PLN"),
    ("CHF 1'234.50", 1234.5, "CHF"),
    ("Fr. 12.50", 12.5, "CHF"),
    ("12.- CHF", 12.0, "CHF"),
    ("£12", 12.0, "GBP"),
    ("$1,299.99", 1299.99, "USD"),
    ("US$ 12", 12.0, "USD"),
    ("0.0042 BTC", 0.0042, "BTC"),
    ("1.234 XMR", 1.234, "XMR"),
    ("120 EUR", 120.0, "EUR"),
    ("€ 9,-", 9.0, "EUR"),
    ("Preis: 1.899,- €", 1899.0, "EUR"),
    ("12€99", 12.99, "EUR"),
    ("1.500 €", 1500.0, "EUR"),
    ("2.500 Kč", 2500.0, "CZK"),
    ("Cena 1 200 Kč", 1200.0, "CZK"),
    ("R$ 1.500,00", 1500.0, "BRL"),
    ("150 euros", 150.0, "EUR"),
    ("Prezzo 45 euro", 45.0, "EUR"),
    ("30 dollars", 30.0, "USD"),
    ("3 x 20 €", 20.0, "EUR"),
    ("Lot de 3 pour 25€", 25.0, "EUR"),
    ("Price: 45.00 EUR (incl. VAT)", 45.0, "EUR"),
    ("20 lei", 20.0, "RON"),
    ("5 000 ₽", 5000.0, "RUB"),
    ("450 грн", 450.0, "UAH"),
    ("50 ₺", 50.0, "TRY"),
    ("₹1,299", 1299.0, "INR"),
    ("R 250", 250.0, "ZAR"),
    ("2500 тг", 2500.0, "KZT"),
    ("1.2 ₿", 1.2, "BTC"),
    ("3.000 Ft", 3000.0, "HUF"),
    ("35 лв.", 35.0, "BGN"),
    ("Precio: 35,50 €", 35.5, "EUR"),
    ("Prijs € 12,95", 12.95, "EUR"),
    ("SGD$4.90", 4.9, "SGD"),
]


@pytest.mark.parametrize(("text", "amount", "currency"), PRICES)
def test_prices(text: str, amount: float, currency: str) -> None:
    found = parse_price(text)
    assert found is not None
    assert found.amount == pytest.approx(amount)
    assert found.currency == currency
    assert not found.on_request


@pytest.mark.parametrize(
    ("text", "low", "high", "amount"),
    [
        ("10-20 €", 10.0, 20.0, 10.0),
        ("€10 - €20", 10.0, 20.0, 10.0),
        ("10 € bis 20 €", 10.0, 20.0, 10.0),
        ("de 15 à 30 €", 15.0, 30.0, 15.0),
        ("from 15 €", 15.0, None, 15.0),
        ("à partir de 30 €", 30.0, None, 30.0),
        ("ab 99 €", 99.0, None, 99.0),
        ("desde 40 €", 40.0, None, 40.0),
        ("up to 30 €", None, 30.0, 30.0),
    ],
)
def test_ranges(text: str, low: float | None, high: float | None, amount: float) -> None:
    assert parse_price(text) == PriceResult(amount, "EUR", low, high)


@pytest.mark.parametrize(
    "text",
    [
        "Price on request",
        "On request",
        "POA",
        "Prix sur demande",
        "prix à débattre",
        "Preis auf Anfrage",
        "Precio a consultar",
        "Prezzo su richiesta",
        "Prijs op aanvraag",
        "Cena na zapytanie",
        "Cena dohodou",
    ],
)
def test_on_request(text: str) -> None:
    assert parse_price(text) == PriceResult(None, None, None, None, on_request=True)


def test_on_request_about_something_else_keeps_the_price() -> None:
    assert parse_price("Photos on request. 25 €") == PriceResult(25.0, "EUR")
    assert parse_price("250 € à débattre") == PriceResult(250.0, "EUR")


@pytest.mark.parametrize("text", ["Free", "gratuit", "Gratis", "kostenlos", "zdarma"])
def test_free_is_zero(text: str) -> None:
    found = parse_price(text, currency_hint="EUR")
    assert found == PriceResult(0.0, "EUR")


def test_free_shipping_is_no_price() -> None:
    assert parse_price("Free shipping") is None
    assert parse_price("Livraison gratuite - 25 €") == PriceResult(25.0, "EUR")


def test_bare_number_takes_the_hint() -> None:
    assert parse_price("1.500") == PriceResult(1500.0, None)
    assert parse_price("Price 29", currency_hint="GBP") == PriceResult(29.0, "GBP")
    assert parse_price("29", currency_hint="Prix en €") == PriceResult(29.0, "EUR")
    assert parse_price("12 €", currency_hint="GBP") == PriceResult(12.0, "EUR")


@pytest.mark.parametrize("text", ["", "   ", "Sheet Set", "30 cm", "50%", "Free shipping"])
def test_no_price(text: str) -> None:
    assert parse_price(text) is None


def test_country_settles_ambiguous_symbols() -> None:
    assert parse_price("C$ 15") == PriceResult(15.0, "CAD")
    assert parse_price("$15", country="CA") == PriceResult(15.0, "CAD")
    assert parse_price("$15", country="au") == PriceResult(15.0, "AUD")
    assert parse_price("$15") == PriceResult(15.0, "USD")
    assert parse_price("1.198,- kr", country="DK") == PriceResult(1198.0, "DKK")
    assert parse_price("199 kr") == PriceResult(199.0, "SEK")
    assert parse_price("199 kr", currency_hint="NOK") == PriceResult(199.0, "NOK")
    assert parse_price("¥3,000", country="CN") == PriceResult(3000.0, "CNY")
    assert parse_price("¥3,000") == PriceResult(3000.0, "JPY")


@pytest.mark.parametrize(
    ("mark", "country", "code"),
    [
        ("€", None, "EUR"),
        ("eur", None, "EUR"),
        ("Euros", None, "EUR"),
        ("usd", None, "USD"),
        ("$", "MX", "MXN"),
        ("$", "AR", "ARS"),
        ("$", "FR", "USD"),
        ("US$", "CA", "USD"),
        ("A$", None, "AUD"),
        ("kr", "NO", "NOK"),
        ("kr.", "IS", "ISK"),
        ("Kč", None, "CZK"),
        ("zł", None, "PLN"),
        ("Fr.", None, "CHF"),
        ("лв", None, "BGN"),
        ("₴", None, "UAH"),
        ("ر.س", None, "SAR"),
        ("Rs", "PK", "PKR"),
        ("₸", None, "KZT"),
        ("Ƀ", None, "BTC"),
        ("xmr", None, "XMR"),
        ("kn", None, "HRK"),
        ("pesos", "AR", "ARS"),
        ("pesos", None, None),
        ("₶", None, None),
        ("dram", None, None),
        (None, None, None),
        ("", None, None),
    ],
)
def test_resolve_currency(mark: str | None, country: str | None, code: str | None) -> None:
    assert resolve_currency(mark, country) == code


def test_find_currency_needs_a_digit_beside_short_marks() -> None:
    assert find_currency("R&D department") is None
    assert find_currency("R 250") == "ZAR"
    assert find_currency("Kr") == "SEK"
    assert find_currency("Prix en €") == "EUR"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.234,56", 1234.56),
        ("1,234.56", 1234.56),
        ("1.234.567", 1234567.0),
        ("1 234", 1234.0),
        ("1'234.50", 1234.5),
        ("12,5", 12.5),
        ("0.042", 0.042),
        ("9,-", 9.0),
        (".75", 0.75),
    ],
)
def test_to_number(raw: str, value: float) -> None:
    assert to_number(raw) == pytest.approx(value)


def test_three_decimal_currencies_and_crypto_keep_decimals() -> None:
    assert to_number("1.234", "BTC") == pytest.approx(1.234)
    assert to_number("423.923", "KWD") == pytest.approx(423.923)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789 .,'-€$£x%kKrRzłCHFEURBTCfreeon request\u00a0"))
        | st.characters(),
        max_size=200,
    )
)
def test_parse_price_never_raises(text: str) -> None:
    found = parse_price(text, country="CA", currency_hint="EUR")
    if found is None:
        return
    assert found.currency is None or found.currency in CODES
    for value in (found.amount, found.low, found.high):
        assert value is None or (math.isfinite(value) and value >= 0)
    assert (found.amount is None) == found.on_request


def _example_rows(half: int) -> list[dict[str, str]]:
    if not EXAMPLES.exists():
        pytest.skip(f"shared data not found: {EXAMPLES} (staged beside the repository)")
    with EXAMPLES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        row
        for index, row in enumerate(rows)
        if index % 2 == half and row["example_list"] != "PRICE_PARSING_DECIMAL_SEPARATOR_EXAMPLES"
    ]


def _amount_matches(got: float | None, row: dict[str, str]) -> bool:
    expected = float(row["expected_amount"]) if row["expected_amount"] else None
    if got is None or expected is None:
        return got is expected
    return math.isclose(got, expected)


def _score(rows: list[dict[str, str]]) -> tuple[float, float, int]:
    """(amount accuracy, currency accuracy, rows whose currency our table knows)."""
    amounts = currencies = known = 0
    for row in rows:
        found = parse_price(row["price_raw"], currency_hint=row["currency_hint"] or None)
        amounts += _amount_matches(found.amount if found is not None else None, row)
        code = resolve_currency(row["expected_currency"]) if row["expected_currency"] else None
        if code is not None or not row["expected_currency"]:
            known += 1
            currencies += (found.currency if found is not None else None) == code
    return amounts / len(rows), currencies / max(known, 1), known


def test_accuracy_on_price_parser_examples(capsys: pytest.CaptureFixture[str]) -> None:
    """Held-out half (odd rows); the even rows were used to tune the rules.

    Expected symbols are mapped to ISO codes through our own table; rows whose symbol it
    does not know (e.g. "₶", "KD") count for the amount only. The decimal-separator list is
    left out: parse_price takes no separator override.
    """
    held_out = _example_rows(half=1)
    main = [row for row in held_out if row["example_list"] not in HARD_LISTS]
    amount, currency, known = _score(main)
    all_amount, all_currency, all_known = _score(held_out)
    with capsys.disabled():
        print(
            f"\nprice-parser examples, held-out half: main lists n={len(main)} "
            f"amount={amount:.3f} currency={currency:.3f} (n={known}); "
            f"with known-hard lists n={len(held_out)} amount={all_amount:.3f} "
            f"currency={all_currency:.3f} (n={all_known})"
        )
    assert amount >= MIN_AMOUNT_ACCURACY
    assert currency >= MIN_CURRENCY_ACCURACY


def test_zyte_currency_marks_resolve(capsys: pytest.CaptureFixture[str]) -> None:
    """Every currency mark of the Zyte benchmark's ground truth resolves with the site's ccTLD."""
    path = SHARED_DATA / "zyte-product-extraction-benchmark" / "ground-truth.json"
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    truth = json.loads(path.read_text(encoding="utf-8"))
    marks = [
        (page["currency"][0], _cctld(page["url"])) for page in truth.values() if "currency" in page
    ]
    resolved = [
        resolve_currency(mark, country) or find_currency(mark, country) for mark, country in marks
    ]
    known = sum(code is not None for code in resolved)
    with capsys.disabled():
        print(f"\nzyte ground-truth currency marks resolved: {known}/{len(marks)}")
    assert known / len(marks) >= 0.9


def _cctld(url: str) -> str | None:
    host = url.split("/")[2]
    tld = host.rsplit(".", 1)[-1]
    return {"uk": "GB"}.get(tld, tld.upper()) if len(tld) == 2 else None


def _price_parser(text: str, hint: str | None = None) -> tuple[float | None, str | None]:
    """price-parser's answer, its currency symbol mapped through our table."""
    found = Price.fromstring(text, currency_hint=hint)
    amount = float(found.amount) if found.amount is not None else None
    return amount, resolve_currency(found.currency) if found.currency else None


def test_rules_beat_price_parser_on_patrol_formats(capsys: pytest.CaptureFixture[str]) -> None:
    """Why parse_price does not call price-parser: the formats above, both ways."""
    ours = theirs = 0
    for text, amount, currency in PRICES:
        found = parse_price(text)
        ours += found is not None and found.amount == pytest.approx(amount)
        ours += found is not None and found.currency == currency
        their_amount, their_currency = _price_parser(text)
        theirs += their_amount == pytest.approx(amount)
        theirs += their_currency == currency
    with capsys.disabled():
        print(
            f"\nunit price table (amount + currency, {2 * len(PRICES)} checks): "
            f"parse_price {ours}, price-parser {theirs}"
        )
    assert ours > theirs


def test_price_parser_baseline_on_held_out_half(capsys: pytest.CaptureFixture[str]) -> None:
    """price-parser on the same held-out rows (they are its own test suite: it passes them)."""
    held_out = [r for r in _example_rows(half=1) if r["example_list"] not in HARD_LISTS]
    right = sum(
        _amount_matches(_price_parser(r["price_raw"], r["currency_hint"] or None)[0], r)
        for r in held_out
    )
    with capsys.disabled():
        print(f"\nprice-parser, held-out half, main lists: amount={right / len(held_out):.3f}")
    assert right / len(held_out) >= MIN_AMOUNT_ACCURACY
