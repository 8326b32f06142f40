"""The schedule arithmetic (pure): integer đồng, the last instalment absorbing rounding, the textbook
annuity, and a published Fineract schedule reproduced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from congdoan.loans import schedule

d = dt.date

amounts = st.integers(min_value=500_000, max_value=50_000_000)
terms = st.integers(min_value=1, max_value=24)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("36"), places=2)
methods = st.sampled_from([schedule.FLAT, schedule.DECLINING])
frequencies = st.sampled_from([schedule.WEEKLY, schedule.MONTHLY])
periods = st.sampled_from([schedule.PER_YEAR, schedule.PER_MONTH])


@settings(max_examples=300, deadline=None)
@given(
    amount=amounts,
    term=terms,
    rate=rates,
    method=methods,
    frequency=frequencies,
    period=periods,
    grace=st.integers(min_value=0, max_value=3),
)
def test_principal_sums_to_amount_and_balances_never_negative(
    amount, term, rate, method, frequency, period, grace
):  # type: ignore[no-untyped-def]
    """Σ principal is the amount to the đồng; every balance and part is ≥ 0 and the last balance is 0."""
    grace = min(grace, term - 1)
    lines = schedule.build(
        amount=amount,
        rate=rate,
        rate_period=period,
        term=term,
        frequency=frequency,
        method=method,
        start=d(2026, 1, 31),
        grace=grace,
    )
    assert len(lines) == term
    assert sum(ln.principal for ln in lines) == amount
    assert all(ln.principal >= 0 and ln.interest >= 0 and ln.balance >= 0 for ln in lines)
    assert lines[-1].balance == 0
    assert all(isinstance(ln.principal, int) and isinstance(ln.interest, int) for ln in lines)
    assert [ln.due_on for ln in lines] == sorted({ln.due_on for ln in lines})
    assert all(ln.principal == 0 for ln in lines[:grace])


@settings(max_examples=300, deadline=None)
@given(amount=amounts, term=st.integers(min_value=2, max_value=24), rate=rates, period=periods)
def test_declining_balance_matches_the_textbook_annuity(amount, term, rate, period):  # type: ignore[no-untyped-def]
    """Rates up to 36 %/year or 3 %/month (the funds lend at 0.5–1.5 %/month). Every instalment but the
    last is the textbook payment ``A·r / (1 − (1 + r)^−n)`` within 1 đồng, each interest is balance × r
    within half a đồng, and each balance follows ``A(1+r)^k − P((1+r)^k − 1)/r`` within the rounding of
    1 đồng per instalment carried forward."""
    rate = rate / 12 if period == schedule.PER_MONTH else rate
    r = schedule.periodic_rate(rate, period, schedule.MONTHLY)
    lines = schedule.build(
        amount=amount,
        rate=rate,
        rate_period=period,
        term=term,
        frequency=schedule.MONTHLY,
        method=schedule.DECLINING,
        start=d(2026, 1, 1),
    )
    payment = schedule.annuity_payment(amount, r, term)
    for k, ln in enumerate(lines[:-1], start=1):
        assert abs(ln.total - payment) <= 1  # the instalment: within 1 đồng
        assert abs(ln.interest - Decimal(lines[k - 2].balance if k > 1 else amount) * r) <= Decimal("0.5")
        # the balance: the rounding of ≤ 1 đồng per instalment, carried at (1 + r) a period
        assert abs(Decimal(ln.balance) - schedule.textbook_balance(amount, r, term, k)) <= k * (1 + r) ** k
    assert abs(lines[-1].total - payment) <= term * (1 + r) ** term


def test_fineract_published_schedule_reproduced():
    """Apache Fineract's e2e schedule for a progressive loan of 100 EUR at 7 %/year over 6 monthly
    instalments, equal instalments, declining balance, disbursed 01/01/2024 (apache/fineract,
    fineract-e2e-tests-runner/src/test/resources/features/LoanChargeOff.feature, the charge-off scenario
    "zero-interest and interestRecalculation", commit f6a35ce9): instalments 17.01 × 5 and 17.00,
    principal 16.43 16.52 16.62 16.72 16.81 16.90, interest 0.58 0.49 0.39 0.29 0.20 0.10, balances
    83.57 67.05 50.43 33.71 16.90 0.00, total interest 2.05. Counted here in cents as our integer unit."""
    lines = schedule.build(
        amount=10_000,
        rate=Decimal(7),
        rate_period="year",
        term=6,
        frequency="monthly",
        method="declining",
        start=d(2024, 1, 1),
    )
    assert [ln.principal for ln in lines] == [1643, 1652, 1662, 1672, 1681, 1690]
    assert [ln.interest for ln in lines] == [58, 49, 39, 29, 20, 10]
    assert [ln.balance for ln in lines] == [8357, 6705, 5043, 3371, 1690, 0]
    assert [ln.total for ln in lines] == [1701] * 5 + [1700]
    assert sum(ln.interest for ln in lines) == 205
    assert [ln.due_on for ln in lines] == [d(2024, m, 1) for m in range(2, 8)]


def test_flat_weekly_and_bullet():
    """Flat: interest on the amount each week (12%/year over 52 weeks), principal in equal parts with the
    last absorbing the rest; bullet: one instalment with the whole term's interest."""
    flat = schedule.build(
        amount=1_000_000,
        rate=Decimal(12),
        rate_period="year",
        term=3,
        frequency="weekly",
        method="flat",
        start=d(2026, 3, 2),
    )
    assert [ln.principal for ln in flat] == [333_333, 333_333, 333_334]
    assert {ln.interest for ln in flat} == {2_308}  # 1,000,000 × 1%/month × 12/52
    assert [ln.due_on for ln in flat] == [d(2026, 3, 9), d(2026, 3, 16), d(2026, 3, 23)]
    bullet = schedule.build(
        amount=10_000_000,
        rate=Decimal("1.2"),
        rate_period="month",
        term=6,
        frequency="bullet",
        method="flat",
        start=d(2026, 1, 31),
    )
    assert [(ln.due_on, ln.principal, ln.interest) for ln in bullet] == [
        (d(2026, 7, 31), 10_000_000, 720_000)
    ]


def test_month_end_dates_and_grace():
    lines = schedule.build(
        amount=3_000_000,
        rate=Decimal(12),
        rate_period="year",
        term=3,
        frequency="monthly",
        method="declining",
        start=d(2024, 1, 31),
        grace=1,
    )
    assert [ln.due_on for ln in lines] == [d(2024, 2, 29), d(2024, 3, 31), d(2024, 4, 30)]
    assert lines[0].principal == 0 and lines[0].interest == 30_000


def test_days_past_due_and_buckets():
    dues = [(d(2026, 1, 31), 100), (d(2026, 2, 28), 100), (d(2026, 3, 31), 100)]
    assert schedule.days_past_due(dues, 0, d(2026, 1, 31)) == 0  # due today: not late yet
    assert schedule.days_past_due(dues, 0, d(2026, 2, 1)) == 1
    assert schedule.days_past_due(dues, 150, d(2026, 3, 15)) == 15  # the second is half paid
    assert schedule.days_past_due(dues, 300, d(2026, 12, 1)) == 0
    assert [schedule.bucket_of(n) for n in (0, 1, 30, 31, 90, 91, 180, 181)] == [
        "current",
        "b1_30",
        "b1_30",
        "b31_90",
        "b31_90",
        "b91_180",
        "b91_180",
        "b180",
    ]
