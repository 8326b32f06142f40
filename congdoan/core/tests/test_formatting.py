"""Vietnamese number, percent, money and date formatting/parsing."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdoan.core.formatting import (
    EMPTY,
    format_date,
    format_fraction_percent,
    format_money,
    format_money_words,
    format_number,
    format_percent,
    parse_amount,
    parse_date,
    parse_number,
    parse_percent,
)

# The project carries its own copy of the reference vectors, so a plain clone can run its tests.
VECTORS_PATH = Path(__file__).resolve().parent / "data" / "vi_vectors.json"
V: dict[str, Any] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("n", "expected"), V["format_number"])
def test_format_number_vectors(n: int, expected: str) -> None:
    assert format_number(n) == expected


@pytest.mark.parametrize(
    ("n", "decimals", "expected"),
    [
        (Decimal("1234.5"), 2, "1.234,50"),
        (1.005, 2, "1,01"),  # half-up on the decimal value, not the binary float
        (-1234567, 0, "-1.234.567"),
        (Decimal("-0.001"), 2, "0,00"),
        (999.5, 0, "1.000"),
        (0, 0, "0"),
    ],
)
def test_format_number(n: Any, decimals: int, expected: str) -> None:
    assert format_number(n, decimals) == expected


def test_format_number_trim() -> None:
    assert format_number(Decimal("1.50"), 2, trim=True) == "1,5"
    assert format_number(2, 2, trim=True) == "2"


@pytest.mark.parametrize(("args", "expected"), V["format_percent"])
def test_format_percent_vectors(args: list[int], expected: str) -> None:
    assert format_percent(*args) == expected


def test_format_percent_zero_denominator_and_fraction() -> None:
    assert format_percent(5, 0) == EMPTY == "—"
    assert format_percent(5, None) == EMPTY
    assert format_fraction_percent(0.748) == "74,80%"  # one rule: always two decimals (a setting)
    assert format_fraction_percent(Decimal("1.2083")) == "120,83%"
    assert format_fraction_percent(0.5, 0) == "50%"
    assert format_fraction_percent(None) == EMPTY


@pytest.mark.parametrize(("dong", "expected"), V["format_money_vnd"])
def test_format_money_vectors(dong: int, expected: str) -> None:
    assert format_money(dong) == expected


@pytest.mark.parametrize(("dong", "expected"), V["format_money_words"])
def test_format_money_words_vectors(dong: int, expected: str) -> None:
    assert format_money_words(dong) == expected


@pytest.mark.parametrize(
    ("dong", "expected"),
    [
        (0, "0 đồng"),
        (500, "500 đồng"),
        (50_000, "50 nghìn đồng"),
        (12_500, "12,5 nghìn đồng"),
        (999_960, "1 triệu đồng"),
        (1_234_567, "1,2 triệu đồng"),
        (999_960_000, "1 tỷ đồng"),
        (1_000_050_000, "1 tỷ 0,1 triệu đồng"),
        (1_250_000_000_000, "1.250 tỷ đồng"),
        (-56_000_000, "-56 triệu đồng"),
    ],
)
def test_format_money_words_rounding(dong: int, expected: str) -> None:
    assert format_money_words(dong) == expected


@pytest.mark.parametrize(("text", "expected"), V["parse_amount"])
def test_parse_amount_vectors(text: str, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.250.300.000 đ", 1_250_300_000),
        ("1.250.300.000₫", 1_250_300_000),
        ("50k", 50_000),
        ("2tr", 2_000_000),
        ("1 TỶ 2 TRIỆU VNĐ", 1_002_000_000),
        ("  56 000 000 ", 56_000_000),
    ],
)
def test_parse_amount_more(text: str, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "bad", ["", "đồng", "abc", "1,5", "5 tỷ xyz", "1 tỷ, hai triệu", "56 000 00", "5 triệu 1 tỷ", "5 7"]
)
def test_parse_amount_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="Số"):
        parse_amount(bad)


@pytest.mark.parametrize(("text", "expected"), V["parse_percent"])
def test_parse_percent_vectors(text: str, expected: float) -> None:
    result = parse_percent(text)
    assert isinstance(result, Decimal)
    assert result == Decimal(str(expected))


def test_parse_percent_rejects() -> None:
    with pytest.raises(ValueError, match="phần trăm"):
        parse_percent("abc%")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23.736", Decimal(23736)),
        ("1,5", Decimal("1.5")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1.234.567", Decimal(1234567)),
        ("1,234,567", Decimal(1234567)),
        ("1.5", Decimal("1.5")),
        ("0.624", Decimal("0.624")),
        ("-12,5", Decimal("-12.5")),
        ("1 234", Decimal(1234)),
    ],
)
def test_parse_number(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("bad", ["", "abc", "1..2", "1,2,3.4.5", "--1", "12a"])
def test_parse_number_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="Số không hợp lệ"):
        parse_number(bad)


def test_dates() -> None:
    assert format_date(date(2021, 1, 15)) == "15/01/2021"
    assert format_date(datetime(2021, 1, 15, 10, 30)) == "15/01/2021"  # noqa: DTZ001
    assert parse_date("15/01/2021") == date(2021, 1, 15)
    assert parse_date("5/1/2021") == date(2021, 1, 5)
    assert parse_date("2021-01-15") == date(2021, 1, 15)
    assert parse_date(" 15.01.2021 ") == date(2021, 1, 15)
    for bad in ["31/02/2021", "2021/01/15", "15/01/21", "hôm nay", ""]:
        with pytest.raises(ValueError, match="Ngày"):
            parse_date(bad)


decimals_st = st.integers(0, 3)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False), decimals_st)
def test_number_round_trip(x: Decimal, decimals: int) -> None:
    q = x.quantize(Decimal(1).scaleb(-decimals))
    if q == 0:
        q = abs(q)
    text = format_number(q, decimals)
    assert parse_number(text) == q
    assert format_number(parse_number(text), decimals) == text


@given(st.integers(-(10**15), 10**15))
def test_money_round_trip(dong: int) -> None:
    assert parse_amount(format_money(dong)) == dong
    assert parse_number(format_number(dong)) == dong


@given(st.integers(0, 10**14))
def test_money_words_is_close(dong: int) -> None:
    # Words style rounds to 0,1 of a unit: within 50.000 đ above 1 triệu, within 50 đ below.
    back = parse_amount(format_money_words(dong))
    assert abs(back - dong) <= (50_000 if dong >= 999_950 else 50)


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_percent_round_trip(num: int, den: int) -> None:
    text = format_percent(num, den, 4)
    assert abs(parse_percent(text) - Decimal(num) / Decimal(den)) <= Decimal("0.0000005")


@given(st.dates())
def test_date_round_trip(d: date) -> None:
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d


def test_template_filters() -> None:
    from congdoan.core.templatetags import vi

    assert vi.vi_number(23736) == "23.736"
    assert vi.vi_number("1234.5", 1) == "1.234,5"
    assert vi.vi_number(None) == ""
    assert vi.vi_number("n/a") == "n/a"
    assert vi.vi_percent(0.748) == "74,80%"
    assert vi.vi_percent(Decimal("1.2083"), 1) == "120,8%"
    assert vi.vi_money(1_250_300_000) == "1.250.300.000 đ"
    assert vi.vi_money(Decimal(56_000_000)) == "56.000.000 đ"
    assert vi.vi_money_words(1_250_300_000) == "1 tỷ 250,3 triệu đồng"
    assert vi.vi_date(date(2021, 1, 15)) == "15/01/2021"
    assert vi.vi_date(None) == ""
    assert vi.vi_period("2024Q2") == "quý II/2024"
    assert vi.vi_period("2024Q5") == "2024Q5"


def test_one_percentage_rule_is_a_setting(settings) -> None:  # type: ignore[no-untyped-def]
    """Pages and reports show percentages with the same number of decimals (issue 12)."""
    from congdoan.core.formatting import percent_decimals

    assert percent_decimals() == 2
    assert [format_fraction_percent(v) for v in (2.1002, 1.383, 0.73, 0.615)] == [
        "210,02%",
        "138,30%",
        "73,00%",
        "61,50%",
    ]
    settings.PERCENT_DECIMALS = 1
    assert format_percent(29, 24) == "120,8%" and format_fraction_percent(0.73) == "73,0%"


def test_durations_are_said_in_seconds() -> None:
    from congdoan.core.formatting import format_duration
    from congdoan.core.templatetags import vi

    assert format_duration(1234) == "1,2 giây"
    assert format_duration(3) == "0,1 giây"
    assert format_duration(2000) == "2 giây"
    assert format_duration(95_000) == "1 phút 35 giây"
    assert format_duration(120_000) == "2 phút"
    assert vi.vi_duration(1234) == "1,2 giây" and vi.vi_duration(None) == ""
