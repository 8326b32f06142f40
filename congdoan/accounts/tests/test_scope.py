"""Scoping follows the tree and time (architecture §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.accounts.models import RoleAssignment
from congdoan.accounts.scope import OutOfScope, scope_for
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
