"""Reporting periods with DHIS2-like codes (architecture §4 "Period"): one parser, one formatter.

Codes: ``2024`` (year), ``2024S1``/``2024S2`` (half), ``2024Q1``..``2024Q4`` (quarter), ``202405``
(month) and congress terms ``2023-2028`` (1 Jan of the first year to 31 Dec of the last year).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError

__all__ = [
    "KINDS",
    "Period",
    "PeriodError",
    "as_period",
    "current_reporting_year",
    "format_period",
    "parse_period",
    "period_or_error",
    "period_for_date",
    "periods_in",
]

KINDS: tuple[str, ...] = ("term", "year", "half", "quarter", "month")

_HINT = "dùng 2024, 2024S1, 2024Q2, 202405 hoặc 2023-2028"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_YEAR = r"([1-9]\d{3})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("year", re.compile(rf"{_YEAR}")),
    ("half", re.compile(rf"{_YEAR}S([12])")),
    ("quarter", re.compile(rf"{_YEAR}Q([1-4])")),
    ("month", re.compile(rf"{_YEAR}(0[1-9]|1[0-2])")),
    ("term", re.compile(rf"{_YEAR}-{_YEAR}")),
)


class PeriodError(ValueError):
    """Invalid period code or operation; the message is Vietnamese so it can be shown to users."""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """A closed date range [start, end] identified by its code.

    Ordering is chronological by start; at equal start the longer period comes first
    (term, year, S1, Q1, January), so sorted() gives a natural report order.
    """

    code: str
    kind: str
    start: date
    end: date

    def _order(self) -> tuple[date, int, str]:
        return (self.start, -(self.end - self.start).days, self.code)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._order() < other._order()

    def __str__(self) -> str:
        return self.code

    def contains(self, other: Period) -> bool:
        """True if *other* lies entirely inside this period (a period contains itself)."""
        return self.start <= other.start and other.end <= self.end

    def contains_date(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """Vietnamese label, e.g. "quý II/2024"."""
        return format_period(self)

    @property
    def parent_year(self) -> Period:
        """The calendar year containing this period (itself for a year).

        A term spans several years, so it has none: raises PeriodError rather than guessing.
        """
        if self.kind == "term":
            raise PeriodError(f"Nhiệm kỳ {self.code} kéo dài nhiều năm, không thuộc một năm")
        return parse_period(str(self.start.year))

    def previous(self) -> Period:
        """The period of the same kind just before this one (2024Q1 -> 2023Q4, 2023-2028 -> 2018-2022)."""
        return _shift(self, -1)

    def next(self) -> Period:
        return _shift(self, 1)


def _make(kind: str, year: int, n: int = 0, end_year: int = 0) -> Period:
    if kind == "year":
        return Period(f"{year}", kind, date(year, 1, 1), date(year, 12, 31))
    if kind == "half":
        first = 6 * (n - 1) + 1
        return Period(f"{year}S{n}", kind, date(year, first, 1), _month_end(year, first + 5))
    if kind == "quarter":
        first = 3 * (n - 1) + 1
        return Period(f"{year}Q{n}", kind, date(year, first, 1), _month_end(year, first + 2))
    if kind == "month":
        return Period(f"{year}{n:02d}", kind, date(year, n, 1), _month_end(year, n))
    if kind == "term":
        return Period(f"{year}-{end_year}", kind, date(year, 1, 1), date(end_year, 12, 31))
    raise PeriodError(f"Loại kỳ không hợp lệ: «{kind}» (dùng {', '.join(KINDS)})")


def parse_period(code: str) -> Period:
    """Parse a period code; tolerant of case and spaces ("2024q2", "2023 - 2028")."""
    raw = code
    code = re.sub(r"\s+", "", str(code)).upper()
    for kind, pattern in _PATTERNS:
        m = pattern.fullmatch(code)
        if not m:
            continue
        year = int(m.group(1))
        if kind == "year":
            return _make(kind, year)
        second = int(m.group(2))
        if kind == "term":
            if second < year:
                break
            return _make(kind, year, end_year=second)
        return _make(kind, year, second)
    raise PeriodError(f"Mã kỳ không hợp lệ: «{raw}» ({_HINT})")


def period_or_error(code: str, field: str = "period") -> Period:
    """``parse_period`` for services: a bad code is a ``ValidationError`` on ``field``."""
    try:
        return parse_period(code)
    except PeriodError as exc:
        raise ValidationError({field: [str(exc)]}) from exc


def as_period(code_or_period: str | Period) -> Period:
    return code_or_period if isinstance(code_or_period, Period) else parse_period(code_or_period)


def format_period(code_or_period: str | Period) -> str:
    """Vietnamese label: "năm 2024", "6 tháng đầu năm 2024", "quý II/2024", "tháng 5/2024"..."""
    p = as_period(code_or_period)
    y = p.start.year
    if p.kind == "year":
        return f"năm {y}"
    if p.kind == "half":
        return f"6 tháng {'đầu' if p.start.month == 1 else 'cuối'} năm {y}"
    if p.kind == "quarter":
        return f"quý {_ROMAN[(p.start.month - 1) // 3 + 1]}/{y}"
    if p.kind == "month":
        return f"tháng {p.start.month}/{y}"
    return f"nhiệm kỳ {y} - {p.end.year}"


def period_for_date(d: date, kind: str) -> Period:
    """The year/half/quarter/month containing *d* (terms are not calendar-derived)."""
    if kind == "year":
        return _make(kind, d.year)
    if kind == "half":
        return _make(kind, d.year, 1 if d.month <= 6 else 2)
    if kind == "quarter":
        return _make(kind, d.year, (d.month - 1) // 3 + 1)
    if kind == "month":
        return _make(kind, d.year, d.month)
    raise PeriodError(f"Không xác định được kỳ loại «{kind}» từ một ngày (dùng year, half, quarter, month)")


def periods_in(period: str | Period, kind: str) -> list[Period]:
    """All periods of *kind* contained in *period*, in order (e.g. the 4 quarters of a year).

    Empty when none fit (months of a month -> [itself]; years of a quarter -> []).
    """
    p = as_period(period)
    if kind not in KINDS:
        raise PeriodError(f"Loại kỳ không hợp lệ: «{kind}» (dùng {', '.join(KINDS)})")
    if kind == "term":
        return [p] if p.kind == "term" else []
    per_year = {"year": 1, "half": 2, "quarter": 4, "month": 12}[kind]
    out: list[Period] = []
    for year in range(p.start.year, p.end.year + 1):
        for n in range(1, per_year + 1):
            candidate = _make(kind, year, n)
            if p.contains(candidate):
                out.append(candidate)
    return out


def current_reporting_year(today: date) -> int:
    """The year pages and reports open on by default: the previous year until the day the reporting
    year closes (``settings.REPORTING_YEAR_CLOSES``, "MM-DD", default "03-31"), then this year.

    On 15/03/2026 officers still finish the 2025 report: 2025; from 01/04/2026 on: 2026. The one
    rule every page that picks a default year or period follows (``accounts.periods``)."""
    raw = str(getattr(settings, "REPORTING_YEAR_CLOSES", "03-31") or "")
    try:
        month, day = (int(part) for part in raw.split("-"))
        closes = date(today.year, month, day if (month, day) != (2, 29) else 28)
    except ValueError:
        closes = date(today.year, 3, 31)
    return today.year - 1 if today <= closes else today.year


def _shift(p: Period, step: int) -> Period:
    y = p.start.year
    if p.kind == "term":
        length = p.end.year - y + 1
        return _make("term", y + step * length, end_year=p.end.year + step * length)
    if p.kind == "year":
        return _make("year", y + step)
    per_year = {"half": 2, "quarter": 4, "month": 12}[p.kind]
    size = 12 // per_year
    index = y * per_year + (p.start.month - 1) // size + step
    return _make(p.kind, index // per_year, index % per_year + 1)
