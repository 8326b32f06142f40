""" "A unit alive on a day" is one rule (``org.models.alive_on``), said the same in Python, in SQL
(``alive_on_q``) and for grassroots unions (``org.selectors.cdcs_alive_on``)."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.org import selectors
from congdoan.org.models import OrgUnit, alive_on, alive_on_q

d = dt.date
# Around the edges of the shared federation: GL/DD end on 30/06/2025, KL begins 01/07/2025, GL1 began
# 01/03/2010, GL2 01/09/2012.
DAYS = [d(2010, 2, 28), d(2010, 3, 1), d(2012, 9, 1), d(2025, 6, 29), d(2025, 6, 30), d(2025, 7, 1)]


def test_the_rule_at_its_edges() -> None:
    founded, dissolved = d(2025, 7, 1), d(2026, 1, 1)
    assert not alive_on(founded, dissolved, d(2025, 6, 30))
    assert alive_on(founded, dissolved, founded)  # alive on the day it is founded
    assert alive_on(founded, dissolved, d(2025, 12, 31))
    assert not alive_on(founded, dissolved, dissolved)  # gone on its dissolved_on
    assert alive_on(None, None, d(1900, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("day", DAYS)
def test_python_and_sql_agree(fed, day: dt.date) -> None:
    units = list(OrgUnit.objects.all())
    in_python = {u.code for u in units if u.is_alive_on(day)}
    in_sql = set(OrgUnit.objects.filter(alive_on_q(day)).values_list("code", flat=True))
    assert in_python == in_sql
    grassroots = set(
        selectors.cdcs_alive_on(OrgUnit.objects.values("id"), day).values_list("code", flat=True)
    )
    assert grassroots == {u.code for u in units if u.is_grassroots and u.code in in_python}


@pytest.mark.django_db
def test_cdcs_alive_on_keeps_to_the_given_units_and_their_life(fed) -> None:
    """Only grassroots unions, only among ``units``, only while they live."""
    day = d(2025, 6, 30)
    found = selectors.cdcs_alive_on([fed.gl.pk, fed.gl1.pk, fed.gl2.pk], day)
    assert set(found.values_list("code", flat=True)) == {"GL1", "GL2"}  # GL is no CĐCS (and gone)
    assert not selectors.cdcs_alive_on([fed.gl1.pk], d(2010, 2, 28)).exists()  # before GL1 began
    assert not selectors.cdcs_alive_on([fed.kl.pk, fed.hn.pk], day).exists()


@pytest.mark.django_db
def test_pages_offer_changes_only_for_living_units_in_the_writable_scope(fed) -> None:
    """``accounts.permissions.can_write``: the rule every page's edit buttons follow (org, members,
    bargaining, indicators each wrote it out before)."""
    from django.test import Client
    from django.urls import reverse

    from congdoan.accounts.permissions import can_write

    def editable(*, user, unit):  # type: ignore[no-untyped-def]
        return can_write(user, unit)

    assert editable(user=fed.thanhpho, unit=fed.gl1)
    assert not editable(user=fed.thanhpho, unit=fed.gl)  # ended 30/06/2025: history is read-only
    assert not editable(user=fed.admin, unit=fed.gl)
    assert not editable(user=fed.kimlien, unit=fed.gl2)  # not Kim Liên's
    assert not editable(user=fed.viewer, unit=fed.gl1)  # a viewer writes nothing
    client = Client()
    client.force_login(fed.thanhpho)
    assert client.get(reverse("org:unit_detail", args=["GL1"])).context["can_write"] is True
    assert client.get(reverse("org:unit_detail", args=["GL"])).context["can_write"] is False
