"""Repayment schedules in integer đồng: pure functions, no database.

The arithmetic is Apache Fineract's (no interest recalculation): the periodic rate is the yearly rate
divided by the periods in a year (12 months, 52 weeks) or the monthly rate as it is (a weekly instalment
of a monthly rate is a quarter of a month's, 12/52); each instalment's interest is the balance times
the periodic rate, rounded half up to the đồng; the last instalment takes what is left of the principal,
so Σ principal is exactly the amount.

- ``flat``: interest on the original amount every period; principal in equal parts.
- ``declining`` (annuity, "dư nợ giảm dần"): equal instalments ``A·r / (1 − (1 + r)^−n)`` rounded to
  the đồng; interest on the balance; principal = instalment − interest.
- ``bullet``: one repayment at the end (principal and the interest of the whole term).
- ``grace``: the first ``grace`` periods pay interest only; the principal is spread over the rest.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

WEEKLY = "weekly"
MONTHLY = "monthly"
BULLET = "bullet"
FLAT = "flat"
DECLINING = "declining"
PER_YEAR = "year"
PER_MONTH = "month"


@dataclass(frozen=True)
class Line:
    """One instalment: its number (1…), due date, the principal and interest due and the principal
    still owed after it is paid."""

    number: int
    due_on: dt.date
    principal: int
    interest: int
    balance: int

    @property
    def total(self) -> int:
        return self.principal + self.interest


def round_dong(value: Decimal) -> int:
    """Half up to the whole đồng."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day (31/01 + 1 month = 29/02 in 2024)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periodic_rate(rate: Decimal, rate_period: str, frequency: str) -> Decimal:
    """The rate of one period as a fraction (``rate`` is a percentage per year or per month)."""
    with localcontext() as ctx:
        ctx.prec = 40
        fraction = Decimal(rate) / 100
        per_month = fraction / 12 if rate_period == PER_YEAR else fraction
        if frequency == WEEKLY:
            return per_month * 12 / 52
        return per_month


def due_dates(start: dt.date, frequency: str, count: int) -> list[dt.date]:
    """The due dates of ``count`` instalments after ``start`` (the disbursement day)."""
    if frequency == WEEKLY:
        return [start + dt.timedelta(weeks=k) for k in range(1, count + 1)]
    return [add_months(start, k) for k in range(1, count + 1)]


def annuity_payment(amount: int, rate: Decimal, periods: int) -> Decimal:
    """The textbook equal instalment ``A·r / (1 − (1 + r)^−n)`` (not rounded); ``A/n`` at rate 0."""
    with localcontext() as ctx:
        ctx.prec = 40
        if rate == 0:
            return Decimal(amount) / periods
        return Decimal(amount) * rate / (1 - (1 + rate) ** -periods)


def build(
    *,
    amount: int,
    rate: Decimal,
    rate_period: str,
    term: int,
    frequency: str,
    method: str,
    start: dt.date,
    grace: int = 0,
) -> list[Line]:
    """The schedule of a loan of ``amount`` đồng disbursed on ``start``, over ``term`` periods (weeks
    for a weekly loan, months otherwise; a bullet loan is repaid once, ``term`` months after ``start``)."""
    if amount <= 0 or term <= 0:
        raise ValueError("amount and term must be positive")
    if not 0 <= grace < max(term, 1) and frequency != BULLET:
        raise ValueError("grace must leave at least one principal instalment")
    if frequency == BULLET:
        r = periodic_rate(rate, rate_period, MONTHLY)
        interest = round_dong(Decimal(amount) * r * term)
        return [Line(1, add_months(start, term), amount, interest, 0)]
    r = periodic_rate(rate, rate_period, frequency)
    dates = due_dates(start, frequency, term)
    paying = term - grace  # instalments that repay principal
    lines: list[Line] = []
    balance = amount
    if method == FLAT:
        interest = round_dong(Decimal(amount) * r)
        part = amount // paying
        for k, due in enumerate(dates, start=1):
            principal = 0 if k <= grace else (balance if k == term else part)
            balance -= principal
            lines.append(Line(k, due, principal, interest, balance))
        return lines
    if method != DECLINING:
        raise ValueError(f"unknown method {method!r}")
    payment = round_dong(annuity_payment(amount, r, paying))
    for k, due in enumerate(dates, start=1):
        interest = round_dong(Decimal(balance) * r)
        if k <= grace:
            principal = 0
        elif k == term:
            principal = balance
        else:
            principal = min(balance, max(0, payment - interest))
        balance -= principal
        lines.append(Line(k, due, principal, interest, balance))
    return lines


def textbook_balance(amount: int, rate: Decimal, periods: int, k: int) -> Decimal:
    """The exact annuity balance after ``k`` of ``periods`` payments (for the property tests)."""
    with localcontext() as ctx:
        ctx.prec = 40
        if rate == 0:
            return Decimal(amount) * (periods - k) / periods
        growth = (1 + rate) ** k
        payment = annuity_payment(amount, rate, periods)
        return Decimal(amount) * growth - payment * (growth - 1) / rate


# -- arrears (pure) ---------------------------------------------------------------------------------

BUCKETS: tuple[tuple[str, str, int, int | None], ...] = (
    ("current", "Trong hạn", 0, 0),
    ("b1_30", "1–30 ngày", 1, 30),
    ("b31_90", "31–90 ngày", 31, 90),
    ("b91_180", "91–180 ngày", 91, 180),
    ("b180", "Trên 180 ngày", 181, None),
)


def bucket_of(days: int) -> str:
    """The ageing bucket of ``days`` past due (0: current)."""
    for key, _, low, high in BUCKETS:
        if days >= low and (high is None or days <= high):
            return key
    return "current"


def bucket_label(key: str) -> str:
    return next((label for k, label, *_ in BUCKETS if k == key), key)


def bucket_range(key: str) -> tuple[int, int | None] | None:
    """The days past due of bucket ``key`` (low, high or None), or None for an unknown key."""
    return next(((low, high) for k, _, low, high in BUCKETS if k == key), None)


def days_past_due(dues: list[tuple[dt.date, int]], paid: int, on: dt.date) -> int:
    """Days past due on ``on``: ``dues`` are the instalments (due date, principal + interest) in
    order, ``paid`` what was paid of them by ``on``; payments go to the oldest first, so the oldest
    instalment not covered by ``paid`` is the one in arrears (0 when none is due and unpaid)."""
    covered = 0
    for due_on, total in dues:
        if due_on > on:
            return 0
        covered += total
        if covered > paid:
            return (on - due_on).days
    return 0
