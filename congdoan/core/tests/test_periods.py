"""Period codes: parsing, labels, containment and ordering."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdoan.core.periods import (
    Period,
    PeriodError,
    format_period,
    parse_period,
    period_for_date,
    periods_in,
)

# The project carries its own copy of the reference vectors, so a plain clone can run its tests.
VECTORS_PATH = Path(__file__).resolve().parent / "data" / "vi_vectors.json"
V: dict[str, Any] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))


@st.composite
def period_codes(draw: st.DrawFn) -> str:
    year = draw(st.integers(2000, 2040))
    kind = draw(st.sampled_from(["year", "half", "quarter", "month", "term"]))
    if kind == "year":
        return str(year)
    if kind == "half":
        return f"{year}S{draw(st.integers(1, 2))}"
    if kind == "quarter":
        return f"{year}Q{draw(st.integers(1, 4))}"
    if kind == "month":
        return f"{year}{draw(st.integers(1, 12)):02d}"
    return f"{year}-{year + draw(st.integers(0, 6))}"


periods = period_codes().map(parse_period)


@pytest.mark.parametrize(("code", "label"), V["format_period"])
def test_format_period_vectors(code: str, label: str) -> None:
    assert format_period(code) == label
    assert format_period(parse_period(code)) == label
    assert parse_period(code).label == label


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024S1", "half", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024S2", "half", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024Q1", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31)),
        ("202402", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("202302", "month", date(2023, 2, 1), date(2023, 2, 28)),
        ("2023-2028", "term", date(2023, 1, 1), date(2028, 12, 31)),
    ],
)
def test_parse_period(code: str, kind: str, start: date, end: date) -> None:
    p = parse_period(code)
    assert (p.code, p.kind, p.start, p.end) == (code, kind, start, end)
    assert str(p) == code


def test_parse_is_lenient_about_case_and_spaces() -> None:
    assert parse_period(" 2024q2 ") == parse_period("2024Q2")
    assert parse_period("2023 - 2028").code == "2023-2028"


@pytest.mark.parametrize(
    "bad", ["2024Q5", "2024Q0", "2024S3", "202413", "202400", "24", "2028-2023", "", "abc"]
)
def test_invalid_codes_raise_vietnamese_error(bad: str) -> None:
    with pytest.raises(PeriodError, match="Mã kỳ không hợp lệ") as exc:
        parse_period(bad)
    assert isinstance(exc.value, ValueError)
    assert f"«{bad}»" in str(exc.value)
    assert "2024S1" in str(exc.value)


def test_periods_in_and_parent_year() -> None:
    year = parse_period("2024")
    assert [p.code for p in periods_in(year, "quarter")] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert [p.code for p in periods_in("2024", "half")] == ["2024S1", "2024S2"]
    assert len(periods_in(year, "month")) == 12
    assert [p.code for p in periods_in("2024S2", "quarter")] == ["2024Q3", "2024Q4"]
    assert [p.code for p in periods_in("2023-2028", "year")] == [str(y) for y in range(2023, 2029)]
    assert periods_in("2024Q1", "year") == []
    assert periods_in("2023-2028", "term") == [parse_period("2023-2028")]
    assert parse_period("202405").parent_year == year
    assert year.parent_year == year
    with pytest.raises(PeriodError):
        _ = parse_period("2023-2028").parent_year
    with pytest.raises(PeriodError):
        periods_in(year, "week")


def test_ordering_chronological_longer_first() -> None:
    codes = ["202401", "2024Q1", "2023-2028", "2024", "2023Q4", "2024S1", "2024Q2", "2023"]
    ordered = [p.code for p in sorted(parse_period(c) for c in codes)]
    assert ordered == ["2023-2028", "2023", "2023Q4", "2024", "2024S1", "2024Q1", "202401", "2024Q2"]


def test_previous_next_and_period_for_date() -> None:
    assert parse_period("2024Q1").previous().code == "2023Q4"
    assert parse_period("202412").next().code == "202501"
    assert parse_period("2024S2").next().code == "2025S1"
    assert parse_period("2023-2028").next().code == "2029-2034"
    assert period_for_date(date(2024, 8, 15), "quarter").code == "2024Q3"
    assert period_for_date(date(2024, 8, 15), "half").code == "2024S2"
    with pytest.raises(PeriodError):
        period_for_date(date(2024, 8, 15), "term")


@given(periods)
def test_code_round_trip(p: Period) -> None:
    assert parse_period(str(p)) == p
    assert p.start <= p.end
    assert p.contains(p)
    assert p.days == (p.end - p.start).days + 1


@given(periods, periods)
def test_containment_matches_date_ranges(a: Period, b: Period) -> None:
    days_b = {b.start, b.end, b.start + (b.end - b.start) // 2}
    if a.contains(b):
        assert all(a.contains_date(d) for d in days_b)
    else:
        assert not (a.contains_date(b.start) and a.contains_date(b.end))
    assert a.contains(b) == (a.start <= b.start and b.end <= a.end)


@given(periods, st.sampled_from(["year", "half", "quarter", "month"]))
def test_periods_in_tile_the_period(p: Period, kind: str) -> None:
    parts = periods_in(p, kind)
    assert all(p.contains(q) and q.kind == kind for q in parts)
    assert parts == sorted(parts)
    for x, y in zip(parts, parts[1:], strict=False):
        assert y.start == x.end + timedelta(days=1)  # contiguous, no overlap
    # Calendar periods nest (month < quarter < half < year < term), so the parts tile p exactly
    # whenever kind is not coarser than p.
    rank = ["month", "quarter", "half", "year", "term"]
    assert bool(parts) == (rank.index(kind) <= rank.index(p.kind))
    if parts:
        assert (parts[0].start, parts[-1].end) == (p.start, p.end)


@given(periods, st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_contains_date_consistent_with_period_for_date(p: Period, d: date) -> None:
    if p.kind != "term":
        assert p.contains_date(d) == (period_for_date(d, p.kind) == p)
    assert p.contains_date(d) == (p.start <= d <= p.end)


@given(periods)
def test_previous_next_inverse(p: Period) -> None:
    assert p.next().previous() == p
    assert p.previous().end < p.start
    assert p.next().start == p.end + timedelta(days=1)


def test_period_or_error_is_a_validation_error_on_the_field() -> None:
    from django.core.exceptions import ValidationError

    from congdoan.core.periods import period_or_error

    assert period_or_error("2024q2") == parse_period("2024Q2")
    with pytest.raises(ValidationError) as info:
        period_or_error("2024Q5")
    assert info.value.message_dict == {
        "period": ["Mã kỳ không hợp lệ: «2024Q5» (dùng 2024, 2024S1, 2024Q2, 202405 hoặc 2023-2028)"]
    }
    with pytest.raises(ValidationError) as info:
        period_or_error("abc", field="ky")
    assert list(info.value.message_dict) == ["ky"]
