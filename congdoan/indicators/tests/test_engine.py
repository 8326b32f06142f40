"""The roll-up engine against brute force: random trees, dated moves, random records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from congdoan.core.periods import parse_period
from congdoan.indicators import engine, services
from congdoan.indicators.models import DataValue, Indicator, Target
from congdoan.org import services as org_services
from congdoan.org.models import OrgLink, OrgUnit
from congdoan.org.tests.test_tree import brute_subtree, parents_from_history

START = dt.date(2020, 1, 1)
d = dt.date


def entered(code: str, aggregation: str = "sum") -> Indicator:
    return Indicator.objects.create(code=code, name=code, aggregation=aggregation, source="entered")


cases = st.integers(min_value=2, max_value=10).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(min_value=0, max_value=n - 1), min_size=n - 1, max_size=n - 1),
        st.lists(  # dated moves (day offset, unit, new parent)
            st.tuples(st.integers(1, 2000), st.integers(1, n - 1), st.integers(0, n - 1)), max_size=8
        ),
        st.lists(  # records: (unit, year, numerator value, denominator extra)
            st.tuples(
                st.integers(0, n - 1),
                st.sampled_from([2022, 2023, 2024]),
                st.integers(0, 50),
                st.integers(0, 50),
            ),
            max_size=25,
        ),
        st.sampled_from([2022, 2023, 2024]),
    )
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases)
def test_rollup_equals_records_under_each_unit_at_period_end(case) -> None:
    """Every unit's figure is the sum of the records of the units under it on the period's last day;
    a ratio is the ratio of those sums."""
    n, picks, moves, records, year = case
    with transaction.atomic():
        num, den = entered("NUM"), entered("DEN")
        ratio = Indicator.objects.create(
            code="RATE", name="Tỷ lệ", aggregation="ratio", source="computed", numerator=num, denominator=den
        )
        root = org_services.unit_create(
            actor=None, code="R", name="Gốc", type="TLD", parent=None, valid_from=START
        )
        units = [root]
        initial: dict[int, int] = {}
        for i in range(1, n):
            parent = units[picks[i - 1] % i]
            unit = OrgUnit.objects.create(code=f"U{i}", name=f"Đơn vị {i}", type="CDCS")
            OrgLink.objects.create(child=unit, parent=parent, valid_from=START)
            units.append(unit)
            initial[unit.pk] = parent.pk
        history = []
        for offset, child_i, parent_i in sorted(moves):
            when = START + dt.timedelta(days=offset)
            from django.core.exceptions import ValidationError

            from congdoan.org.tests.test_tree import _move_any_level

            try:
                with transaction.atomic():
                    _move_any_level(units[child_i], units[parent_i], when)
            except ValidationError:
                continue
            history.append((when, units[child_i].pk, units[parent_i].pk))
        sums: dict[tuple[int, int, str], Decimal] = {}
        for unit_i, rec_year, a, b in records:
            for code, value in (("NUM", a), ("DEN", a + b)):
                key = (units[unit_i].pk, rec_year, code)
                sums[key] = sums.get(key, Decimal(0)) + value
        for (unit_id, rec_year, code), value in sums.items():
            DataValue.objects.create(
                unit_id=unit_id, indicator=num if code == "NUM" else den, period=str(rec_year), value=value
            )
        period = parse_period(str(year))
        parent_on = parents_from_history(history, initial, period.end)
        figures = {f.unit.pk: f for f in engine.rollup(indicator=num, period=period, root=root, depth=None)}
        ratios = {f.unit.pk: f for f in engine.rollup(indicator=ratio, period=period, root=root, depth=None)}
        for unit in units:
            under = brute_subtree(parent_on, unit.pk)
            parts = [sums[(u, year, "NUM")] for u in under if (u, year, "NUM") in sums]
            expected = sum(parts, Decimal(0)) if parts else None
            assert figures[unit.pk].value == expected
            den_total = sum((sums.get((u, year, "DEN"), Decimal(0)) for u in under), Decimal(0))
            assert ratios[unit.pk].value == ((expected or 0) / den_total if den_total else None)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_past_periods_roll_up_the_old_tree_and_ended_units_say_so(fed) -> None:
    """2024 counts GL1 under Gia Lâm; in 2025 Gia Lâm shows its figures up to 29/06/2025."""
    ind = entered("TRO_CAP")
    for code, period, value in (
        ("GL1", "2024", 10),
        ("GL2", "2024", 5),
        ("GL1", "2025S1", 3),
        ("GL1", "2025S2", 4),
        ("DD1", "2025", 7),
    ):
        services.value_set(
            actor=None, unit=OrgUnit.objects.get(code=code), indicator=ind, period=period, value=value
        )
    y2024 = {f.unit.code: f for f in engine.rollup(indicator=ind, period=parse_period("2024"), root=fed.hn)}
    assert y2024["HN"].value == 15 and y2024["GL"].value == 15 and "KL" not in y2024
    y2025 = {f.unit.code: f for f in engine.rollup(indicator=ind, period=parse_period("2025"), root=fed.hn)}
    assert y2025["KL"].value == 14  # GL1 (3 + 4) and DD1 (7) sit under Kim Liên on 31/12/2025
    assert y2025["GL"].ended and y2025["GL"].end == d(2025, 6, 29)
    assert y2025["GL"].value == 3  # only the first half-year, before Gia Lâm ended
    assert y2025["HN"].value == 14


@pytest.mark.django_db
def test_targets_fall_back_to_the_sum_of_children(fed) -> None:
    ind = Indicator.objects.get(code="CDCS_TONG")
    services.target_set(actor=fed.thanhpho, unit=fed.gl, indicator=ind, period="2024", value=3)
    services.target_set(actor=fed.thanhpho, unit=fed.dd, indicator=ind, period="2024", value="2")
    rows = {f.unit.code: f for f in engine.rollup(indicator=ind, period=parse_period("2024"), root=fed.hn)}
    assert rows["HN"].target == 5 and rows["HN"].value == 3
    assert rows["GL"].value == 2 and rows["GL"].achievement == Decimal(2) / 3
    services.target_set(actor=None, unit=fed.hn, indicator=ind, period="2024", value=4)
    assert engine.value_of(indicator=ind, period=parse_period("2024"), unit=fed.hn).target == 4


@pytest.mark.django_db
def test_target_rules(fed) -> None:
    from django.core.exceptions import ValidationError

    from congdoan.accounts.scope import OutOfScope

    ind = Indicator.objects.get(code="DV_KET_NAP")
    with pytest.raises(ValidationError, match="cấp trên giao"):
        services.target_set(actor=fed.kimlien, unit=fed.kl, indicator=ind, period="2026", value=10)
    with pytest.raises(OutOfScope):
        services.target_set(actor=fed.kimlien, unit=fed.gl2, indicator=ind, period="2026", value=10)
    with pytest.raises(ValidationError, match="Mã kỳ"):
        services.target_set(actor=fed.thanhpho, unit=fed.kl, indicator=ind, period="2026Q5", value=10)
    with pytest.raises(ValidationError, match="không phải là số"):
        services.target_set(actor=fed.thanhpho, unit=fed.kl, indicator=ind, period="2026", value="mười")
    services.target_set(actor=fed.kimlien, unit=fed.gl1, indicator=ind, period="2026", value=10)


@pytest.mark.django_db
def test_approved_report_locks_values(fed) -> None:
    from django.core.exceptions import ValidationError

    from congdoan.indicators.models import ReportForm

    form = ReportForm.objects.get(code="BC_HDCD")
    for ind in form.indicators.all():
        services.value_set(actor=fed.cdcs, unit=fed.dd1, indicator=ind, period="2025", value=1)
    submission = services.submission_submit(actor=fed.cdcs, form=form, unit=fed.dd1, period="2025")
    with pytest.raises(ValidationError):
        services.submission_approve(actor=fed.cdcs, submission=submission)  # not its own
    services.submission_approve(actor=fed.kimlien, submission=submission)
    with pytest.raises(ValidationError, match="đã được duyệt"):
        services.value_set(
            actor=fed.cdcs, unit=fed.dd1, indicator=form.indicators.first(), period="2025", value=2
        )
    with pytest.raises(ValidationError, match="không nhập tay"):
        services.value_set(
            actor=None, unit=fed.dd1, indicator=Indicator.objects.get(code="DV_TONG"), period="2025", value=2
        )


period_codes = st.sampled_from(["2024", "2025", "2025S1", "2025S2", "2025Q1", "2025Q3", "202502", "202511"])


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.integers(0, 100), min_size=1, max_size=9),
    values=st.lists(
        st.tuples(st.integers(0, 4), period_codes, st.integers(0, 40), st.booleans()), max_size=30
    ),
    depth=st.sampled_from([0, 1, 2]),
    clip=st.booleans(),
    targets=st.lists(st.tuples(st.integers(0, 9), st.integers(1, 50)), max_size=6),
)
@example(
    picks=[0, 0], values=[(1, "2025S1", 4, True), (1, "2025S2", 8, True)], depth=1, clip=False, targets=[]
)
@example(  # an own target at a shown unit above a target below the shown levels
    picks=[0, 1, 2], values=[(3, "2025", 4, False)], depth=1, clip=False, targets=[(1, 10), (3, 7)]
)
def test_dashboard_sums_per_anchor_as_the_whole_table(picks, values, depth, clip, targets) -> None:
    """A depth-limited table (a dashboard: on PostgreSQL its entered values are summed per anchor in SQL)
    shows, for its units, the figures of the table of every unit (summed in Python), whatever mix of
    the period's own value and its parts (halves, quarters, months; ``sum`` and ``last``), zeros, a
    window clipped by a viewer's last day and targets at any level (compared like with like: a shown
    unit's own target hides the targets below it, a summed one does not)."""
    with transaction.atomic():
        total, latest = entered("SUM_IND"), entered("LAST_IND", "last")
        root = org_services.unit_create(
            actor=None, code="R", name="Gốc", type="TLD", parent=None, valid_from=START
        )
        units = [root]
        for i, pick in enumerate(picks, start=1):
            unit = OrgUnit.objects.create(code=f"U{i}", name=f"Đơn vị {i}", type="CDCS")
            OrgLink.objects.create(child=unit, parent=units[pick % i], valid_from=START)
            units.append(unit)
        for unit_i, code, value, last in values:
            DataValue.objects.update_or_create(
                unit=units[unit_i % len(units)],
                indicator=latest if last else total,
                period=code,
                defaults={"value": Decimal(value) / 4},
            )
        for unit_i, value in targets:
            Target.objects.update_or_create(
                unit=units[unit_i % len(units)], indicator=total, period="2025", defaults={"value": value}
            )
        period = parse_period("2025")
        until = d(2025, 4, 15) if clip else None
        kwargs = {"indicators": [total, latest], "period": period, "root": root, "until": until}
        whole = engine.rollup_table(depth=None, **kwargs)
        shown = engine.rollup_table(depth=depth, **kwargs)
        for code in ("SUM_IND", "LAST_IND"):
            every = {
                f.unit.pk: (f.depth, f.value, f.target, f.compared, f.children_without_target)
                for f in whole[code]
            }
            mine = [
                (f.unit.pk, f.depth, f.value, f.target, f.compared, f.children_without_target)
                for f in shown[code]
            ]
            assert mine and all(every[pk] == tuple(rest) for pk, *rest in mine)
            assert len(mine) == sum(row[0] <= depth for row in every.values())
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_dashboard_last_value_of_the_parts_is_the_latest(fed) -> None:
    """``last``: without a value for the year, a unit's figure is its latest half's, on the dashboard
    (summed per anchor in SQL on PostgreSQL) as in the table of every unit; ``sum`` adds the halves."""
    latest, total = entered("LAST_IND", "last"), entered("SUM_IND")
    for code, indicator, period, value in (
        ("GL1", latest, "2025S1", 1),
        ("GL1", latest, "2025S2", 2),
        ("GL2", latest, "2025Q1", 10),
        ("GL2", latest, "2025Q4", 20),
        ("GL1", total, "2025S1", 1),
        ("GL1", total, "2025S2", 2),
        ("GL2", total, "2025", 0),
    ):
        services.value_set(
            actor=None, unit=OrgUnit.objects.get(code=code), indicator=indicator, period=period, value=value
        )
    for depth in (0, 1, None):
        table = engine.rollup_table(
            indicators=[latest, total], period=parse_period("2025"), root=fed.hn, depth=depth
        )
        assert table["LAST_IND"][0].value == 22
        assert table["SUM_IND"][0].value == 3
