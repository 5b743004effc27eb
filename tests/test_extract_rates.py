"""EUR conversion: the shipped ECB table, the ECB's CSV layout, currency,rate files and
the errors a bad file gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from netpatrol.errors import InputError
from netpatrol.extract.rates import RateTable, load_rates, parse_rates

ECB_SINGLE_DAY = "Date, USD, JPY, GBP, CHF, \n30 October 2026, 1.1172, 175.68, 0.83380, 0.9194, \n"
ECB_HISTORY = (
    "Date,USD,JPY,BGN,GBP,\n"
    "2026-10-30,1.1172,175.68,N/A,0.8338,\n"
    "2026-10-29,1.113,175.92,N/A,0.83578,\n"
)


def test_shipped_table_is_the_ecb_of_30_october_2026() -> None:
    table = load_rates()
    assert table.date == date(2026, 10, 30)
    assert table.source.endswith("ecb-eur-2026-10-30.csv")
    assert len(table.rates) == 29
    assert table.rate("USD") == 1.1172
    assert table.rate("JPY") == 175.68
    assert table.to_eur(111.72, "USD") == pytest.approx(100.0)
    assert table.to_eur(100.0, "EUR") == 100.0
    assert table.to_eur(100.0, "eur") == 100.0


def test_unknown_currencies_and_crypto_give_none() -> None:
    table = load_rates()
    assert table.to_eur(1.0, "BTC") is None
    assert table.to_eur(1.0, "XMR") is None
    assert table.to_eur(1.0, "RUB") is None  # not quoted by the ECB since 2022
    assert table.to_eur(1.0, "XYZ") is None
    assert table.to_eur(float("nan"), "USD") is None


def test_legacy_euro_currencies_use_the_fixed_rates() -> None:
    table = load_rates()
    assert table.to_eur(7.5345, "HRK") == pytest.approx(1.0)
    assert table.to_eur(1.95583, "BGN") == pytest.approx(1.0)


def test_ecb_single_day_file(tmp_path: Path) -> None:
    path = tmp_path / "eurofxref.csv"
    path.write_text(ECB_SINGLE_DAY, encoding="utf-8")
    table = load_rates(path)
    assert table == RateTable(
        date(2026, 10, 30),
        {"USD": 1.1172, "JPY": 175.68, "GBP": 0.8338, "CHF": 0.9194},
        str(path),
    )


def test_ecb_history_file_uses_the_newest_row_and_skips_na() -> None:
    table = parse_rates(ECB_HISTORY, "hist.csv")
    assert table.date == date(2026, 10, 30)
    assert table.rates == {"USD": 1.1172, "JPY": 175.68, "GBP": 0.8338}


def test_two_column_file_with_a_date_comment() -> None:
    table = parse_rates("# date: 2026-11-02\ncurrency,rate\nusd,1.12\nGBP,0.84\n", "mine.csv")
    assert table.date == date(2026, 11, 2)
    assert table.rates == {"USD": 1.12, "GBP": 0.84}
    assert table.to_eur(1.12, "USD") == pytest.approx(1.0)


def test_two_column_file_without_date() -> None:
    assert parse_rates("currency,rate\nUSD,1.12\n").date is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "mine.csv: empty rate file; expected an ECB eurofxref CSV or currency,rate"),
        (
            "code;value\nUSD;1.1\n",
            "mine.csv, line 1: unknown rate file format; expected an ECB eurofxref CSV "
            "(header 'Date, USD, ...') or a two-column CSV with header 'currency,rate' "
            "(value: 'code;value')",
        ),
        (
            "currency,rate\nUSD,1.1\nGBP,abc\n",
            "mine.csv, line 3, column 'rate': rate must be a positive number of units per "
            "1 EUR (value: 'abc')",
        ),
        (
            "currency,rate\nUSD,-1\n",
            "mine.csv, line 2, column 'rate': rate must be a positive number of units per "
            "1 EUR (value: '-1')",
        ),
        (
            "currency,rate\nDOLLAR,1.1\n",
            "mine.csv, line 2, column 'currency': not an ISO 4217 currency code (value: 'DOLLAR')",
        ),
        (
            "currency,rate\nUSD,1.1,x\n",
            "mine.csv, line 2: expected 2 cells (currency,rate), found 3",
        ),
        ("Date, USD\n", "mine.csv, line 1: no data row after the header"),
        (
            "Date, USD\nyesterday, 1.1\n",
            "mine.csv, line 2, column 'Date': date must read like '30 October 2026' or "
            "'2026-10-30' (value: 'yesterday')",
        ),
        (
            "Date, USD\n30 October 2026, 1.1, 2.2\n",
            "mine.csv, line 2: more cells than header columns (value: ' 2.2')",
        ),
    ],
)
def test_bad_files_name_line_column_and_value(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_rates(text, "mine.csv")
    assert str(caught.value) == message


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read rate file"):
        load_rates(tmp_path / "missing.csv")
