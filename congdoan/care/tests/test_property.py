"""The invariant of issue 13 ("Done when"): for random campaigns, allocations and cases, every unit's
paid total equals the sum of its subtree's paid cases as of the period end, never above its
allocation, and reversals net to zero."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.care import services
from congdoan.care.models import Allocation, Case, CaseState, Payment, Reversal
from congdoan.conftest import Federation
from congdoan.core.periods import parse_period
from congdoan.indicators import engine
from congdoan.indicators.models import Indicator
from congdoan.org import tree

from .conftest import cccd, make_campaign

PAID_ON = dt.date(2026, 2, 1)
REVERSED_ON = dt.date(2026, 2, 10)

case_st = st.tuples(
    st.integers(0, 2),  # unit: GL1, DD1, GL2
    st.integers(0, 11),  # person (repeats are refused)
    st.integers(1, 700).map(lambda k: k * 1000),  # amount
    st.sampled_from(["proposed", "approved", "paid", "reversed"]),  # how far it goes
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kl=st.tuples(st.integers(0, 6), st.integers(0, 3_000_000)),
    gl2=st.tuples(st.integers(0, 6), st.integers(0, 3_000_000)),
    levels=st.integers(1, 2),
    cap=st.sampled_from([0, 400_000]),
    cases=st.lists(case_st, max_size=14),
)
def test_paid_totals_roll_up_within_allocations_and_reversals_net_to_zero(
    fed: Federation, kl: tuple[int, int], gl2: tuple[int, int], levels: int, cap: int, cases: list
) -> None:
    with transaction.atomic():
        campaign = make_campaign(fed, approval_levels=levels, cap_per_person=cap)
        services.allocation_set(actor=None, campaign=campaign, unit=fed.kl, people=kl[0], amount=kl[1])
        services.allocation_set(actor=None, campaign=campaign, unit=fed.gl2, people=gl2[0], amount=gl2[1])
        units = [fed.gl1, fed.dd1, fed.gl2]
        for u, n, amount, goal in cases:
            given_case = services.CaseInput(
                unit=units[u],
                amount=amount,
                cccd=cccd(n),
                full_name=f"Người {n}",
                proposed_on=dt.date(2026, 1, 5),
            )
            try:
                case = services.case_propose(actor=None, campaign=campaign, given=given_case)
            except ValidationError:
                continue
            if goal == "proposed":
                continue
            for unit_id in services.approval_chain(case):
                services.case_approve(actor=None, case=case, unit=type(fed.hn).objects.get(pk=unit_id))
            if goal == "approved":
                continue
            services.case_pay(actor=None, case=case, method="cash", paid_on=PAID_ON)
            if goal == "reversed":
                services.case_reverse(actor=None, case=case, reason="sai", on=REVERSED_ON)

        period = parse_period("2026")
        indicators = list(Indicator.objects.filter(code__in=["CL_TIEN", "CL_LUOT"]))
        table = engine.rollup_table(indicators=indicators, period=period, root=fed.hn, depth=None)
        end = dt.date(2026, 12, 31)
        paid_cases = Case.objects.filter(state=CaseState.PAID)
        for money, count in zip(table["CL_TIEN"], table["CL_LUOT"], strict=True):
            under = paid_cases.filter(unit_id__in=tree.subtree_ids(money.unit.pk, money.end))
            assert int(money.value or 0) == int(under.aggregate(s=Sum("amount"))["s"] or 0), money.unit.code
            assert int(count.value or 0) == under.count(), count.unit.code
        for allocation in Allocation.objects.filter(campaign=campaign):
            under = paid_cases.filter(unit_id__in=tree.subtree_ids(allocation.unit_id, end))
            assert under.count() <= allocation.people
            assert int(under.aggregate(s=Sum("amount"))["s"] or 0) <= allocation.amount
        reversed_paid = (
            Payment.objects.filter(case__state=CaseState.REVERSED).aggregate(s=Sum("amount"))["s"] or 0
        )
        reversals = Reversal.objects.aggregate(s=Sum("amount"))["s"] or 0
        assert reversed_paid + reversals == 0
        transaction.set_rollback(True)
