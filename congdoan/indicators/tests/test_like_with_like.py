"""Item 17: under a target summed from the children's, the achievement compares like with like — the
actual of the children that have a target — and the pages say how many children have none. The
§5 row keeps its shape: ``value`` is still the whole actual, ``target`` the summed target."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.core.periods import parse_period
from congdoan.indicators import engine, services
from congdoan.indicators.management.commands.achievements import FIELDS
from congdoan.indicators.models import DataValue, Indicator, Target
from congdoan.org import services as org_services
from congdoan.org.models import OrgLink, OrgUnit

START = dt.date(2020, 1, 1)

trees = st.integers(min_value=2, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(min_value=0, max_value=n - 1), min_size=n - 1, max_size=n - 1),  # parents
        st.dictionaries(st.integers(0, n - 1), st.integers(1, 100), max_size=n),  # own targets
        st.dictionaries(st.integers(0, n - 1), st.integers(0, 100), max_size=n),  # entered values
    )
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=trees)
def test_a_summed_target_is_compared_with_the_actual_of_the_children_that_have_one(case) -> None:
    n, picks, own, values = case
    with transaction.atomic():
        indicator = Indicator.objects.create(code="X", name="X", aggregation="sum", source="entered")
        root = org_services.unit_create(
            actor=None, code="R", name="Gốc", type="TLD", parent=None, valid_from=START
        )
        units = [root]
        children: dict[int, list[int]] = {0: []}
        for i in range(1, n):
            parent_i = picks[i - 1] % i
            unit = OrgUnit.objects.create(code=f"U{i}", name=f"Đơn vị {i}", type="CDCS")
            OrgLink.objects.create(child=unit, parent=units[parent_i], valid_from=START)
            units.append(unit)
            children[parent_i].append(i)
            children[i] = []
        for i, value in own.items():
            Target.objects.create(unit=units[i], indicator=indicator, period="2024", value=value)
        for i, value in values.items():
            DataValue.objects.create(unit=units[i], indicator=indicator, period="2024", value=value)
        figures = {
            units.index(f.unit): f
            for f in engine.rollup(indicator=indicator, period=parse_period("2024"), root=root, depth=None)
        }

        # Brute force, top-down definitions.
        def total(i: int) -> Decimal | None:
            parts = [Decimal(values[i])] if i in values else []
            parts += [t for c in children[i] if (t := total(c)) is not None]
            return sum(parts, Decimal(0)) if parts else None

        def target(i: int) -> Decimal | None:
            if i in own:
                return Decimal(own[i])
            below = [t for c in children[i] if (t := target(c)) is not None]
            return sum(below, Decimal(0)) if below else None

        def covered(i: int) -> Decimal:
            """The actual that ``target(i)`` stands for."""
            if i in own:
                return total(i) or Decimal(0)
            return sum((covered(c) for c in children[i] if target(c) is not None), Decimal(0))

        for i, figure in figures.items():
            assert figure.value == total(i)  # the contract's value: the whole actual
            assert figure.target == target(i)
            if figure.value is None or not figure.target:
                assert figure.achievement is None
                continue
            assert figure.achievement == covered(i) / figure.target
            if i not in own:
                without = sum(1 for c in children[i] if target(c) is None)
                assert figure.children_without_target == without
                # A weighted mean of the targeted children's achievements: never outside them.
                targeted = [figures[c] for c in children[i] if target(c) is not None]
                shares = [f.achievement for f in targeted]
                if shares and all(share is not None for share in shares):
                    assert min(shares) <= figure.achievement <= max(shares)  # type: ignore[type-var]
        transaction.set_rollback(True)


@pytest.fixture
def city_2026(fed):
    """2026: Kim Liên (target 10) did 4 + 5 at its CĐCS; GL2, directly under the city with no target,
    did 20. The city's target is Kim Liên's: 10."""
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    for unit, value in ((fed.gl1, 4), (fed.dd1, 5), (fed.gl2, 20)):
        services.value_set(actor=None, unit=unit, indicator=talks, period="2026", value=value)
    services.target_set(actor=fed.thanhpho, unit=fed.kl, indicator=talks, period="2026", value=10)
    return fed


@pytest.mark.django_db
def test_cli_rows_keep_the_contract_and_compare_like_with_like(city_2026) -> None:
    out = io.StringIO()
    call_command(
        "achievements",
        "--indicator",
        "TUYEN_TRUYEN",
        "--period",
        "2026",
        "--under",
        "HN",
        "--format",
        "json",
        stdout=out,
    )
    rows = json.loads(out.getvalue())
    assert all(list(r) == FIELDS for r in rows)
    hn = rows[0]
    assert (hn["unit_code"], hn["value"], hn["target"]) == ("HN", 29, 10)
    assert (hn["achievement"], hn["achievement_display"]) == (0.9, "90,00%")  # 9/10, not 29/10 = 290%
    kl = next(r for r in rows if r["unit_code"] == "KL")
    assert (kl["value"], kl["target"], kl["achievement_display"]) == (9, 10, "90,00%")


@pytest.mark.django_db
def test_pages_say_how_many_children_have_no_target(city_2026) -> None:
    client = Client()
    client.force_login(city_2026.thanhpho)
    response = client.get("/chi-tieu/TUYEN_TRUYEN/", {"unit": "HN", "period": "2026"})
    head = response.context["head"]
    assert head.summary == "9/10 buổi — đạt 90,00% (tổng thực hiện 29 buổi)"
    assert head.target_note == "1 đơn vị trực thuộc chưa được giao chỉ tiêu, không tính vào tỷ lệ đạt."
    assert head.target_note in response.content.decode()
    dashboard = client.get("/chi-tieu/", {"unit": "HN", "period": "2026"}).content.decode()
    assert "1 đơn vị trực thuộc chưa được giao chỉ tiêu" in dashboard
    # Kim Liên's own page: every child has a target's share, nothing to say.
    response = client.get("/chi-tieu/TUYEN_TRUYEN/", {"unit": "KL", "period": "2026"})
    assert response.context["head"].target_note == ""
