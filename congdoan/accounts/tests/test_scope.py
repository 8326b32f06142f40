"""Scoping follows the tree and time (architecture §4)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.accounts.models import RoleAssignment
from congdoan.accounts.scope import OutOfScope, periods_starting_by_q, scope_for
from congdoan.core.periods import parse_period
from congdoan.org import selectors

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_ward_officer_sees_only_the_ward_subtree(fed) -> None:
    assert codes(selectors.unit_list(user=fed.kimlien)) == {"KL", "GL1", "DD1"}
    with pytest.raises(OutOfScope):
        selectors.unit_get(user=fed.kimlien, code="GL2")
    with pytest.raises(OutOfScope):
        selectors.unit_get(user=fed.kimlien, code="GL")  # the old district: never Kim Liên's


def test_ended_district_officer_sees_its_last_day_read_only(fed) -> None:
    scope = scope_for(fed.gialam, TODAY)
    assert scope.read_only_until == dt.date(2025, 6, 29)
    assert not scope.can_write_anything
    assert codes(selectors.unit_list(user=fed.gialam)) == {"GL", "GL1", "GL2"}
    assert codes(selectors.unit_list(user=fed.gialam, on=dt.date(2011, 1, 1))) == {"GL", "GL1"}
    # GL1 belongs to Kim Liên now, but it was Gia Lâm's: its page stays visible, not writable.
    assert selectors.unit_get(user=fed.gialam, code="GL1").code == "GL1"
    with pytest.raises(OutOfScope):
        selectors.unit_get_writable(user=fed.gialam, code="GL1")
    for code in ("KL", "DD1", "HN"):
        with pytest.raises(OutOfScope):
            selectors.unit_get(user=fed.gialam, code=code)


def test_city_officer_sees_today_and_history(fed) -> None:
    assert codes(selectors.unit_list(user=fed.thanhpho)) == {"HN", "KL", "GL1", "GL2", "DD1"}
    assert codes(selectors.unit_list(user=fed.thanhpho, on=dt.date(2024, 12, 31))) == {
        "HN",
        "GL",
        "GL1",
        "GL2",
        "DD",
        "DD1",
    }
    assert selectors.unit_get(user=fed.thanhpho, code="GL").code == "GL"  # history page of an ended unit


def test_cdcs_officer_and_unassigned_users(fed, django_user_model) -> None:
    assert codes(selectors.unit_list(user=fed.cdcs)) == {"DD1"}
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert codes(selectors.unit_list(user=nobody)) == set()
    assert codes(selectors.unit_list(user=fed.admin)) >= {"HN", "GL", "KL"}


def test_expired_assignment_gives_nothing(fed) -> None:
    RoleAssignment.objects.filter(user=fed.kimlien).update(valid_to=dt.date(2026, 1, 1))
    assert scope_for(fed.kimlien, TODAY).roots == []
    assert len(scope_for(fed.kimlien, dt.date(2025, 12, 1)).roots) == 1


def test_search_is_accent_insensitive_and_scoped(fed) -> None:
    assert codes(selectors.unit_list(user=fed.thanhpho, search="gia lam", on=dt.date(2024, 1, 1))) == {
        "GL",
        "GL1",
    }
    assert codes(selectors.unit_list(user=fed.kimlien, search="DANG XA")) == set()
    assert codes(selectors.unit_list(user=fed.thanhpho, search="đặng xá")) == {"GL2"}


# -- period-keyed rows (values, targets, report files) ---------------------------------------------

PERIOD_CODES = [
    code
    for year in (2024, 2025, 2026)
    for code in (
        [str(year), f"{year}S1", f"{year}S2"]
        + [f"{year}Q{n}" for n in range(1, 5)]
        + [f"{year}{m:02d}" for m in range(1, 13)]
        + [f"{year}-{year + 4}"]
    )
]


@pytest.fixture
def talks_by_period(fed):
    """GL1's entered talks for every kind of period from 2024 to 2026."""
    from congdoan.indicators import services
    from congdoan.indicators.models import Indicator

    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    for code in PERIOD_CODES:
        services.value_set(actor=None, unit=fed.gl1, indicator=talks, period=code, value=1)
    return fed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=dt.date(2023, 6, 1), max_value=dt.date(2027, 6, 30)))
def test_periods_starting_by_a_day_are_those_whose_start_is_not_later(talks_by_period, day) -> None:
    from congdoan.indicators.models import DataValue

    found = set(DataValue.objects.filter(periods_starting_by_q(day)).values_list("period", flat=True))
    assert found == {code for code in PERIOD_CODES if parse_period(code).start <= day}


def test_period_q_cuts_an_ended_units_rows_at_its_last_day(talks_by_period) -> None:
    from congdoan.indicators.models import DataValue

    fed = talks_by_period
    seen = set(
        DataValue.objects.filter(scope_for(fed.gialam, TODAY).period_q()).values_list("period", flat=True)
    )
    assert seen == {c for c in PERIOD_CODES if parse_period(c).start <= dt.date(2025, 6, 29)}
    assert "2025Q2" in seen and "202506" in seen and "2025-2029" in seen
    assert not seen & {"2025S2", "2025Q3", "202507", "2026", "2026-2030"}
    everything = set(PERIOD_CODES)
    for user in (fed.thanhpho, fed.kimlien):  # live units: the rule cuts nothing
        scope = scope_for(user, TODAY)
        assert set(DataValue.objects.filter(scope.period_q()).values_list("period", flat=True)) == everything
    assert not DataValue.objects.filter(scope_for(fed.cdcs, TODAY).period_q()).exists()  # not its unit
    scope = scope_for(fed.gialam, TODAY)
    scope.require_period(fed.gl1.pk, "2025S1")
    with pytest.raises(OutOfScope):
        scope.require_period(fed.gl1.pk, "2025S2")
    with pytest.raises(OutOfScope):
        scope.require_period(fed.dd1.pk, "2024")  # never Gia Lâm's
