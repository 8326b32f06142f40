"""The kernel's public scope contract: ``scoped``/``get_scoped`` for reads, ``require_writable`` and
``can_write`` for writes, ``is_global`` (see ``accounts/permissions.py``)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.db.models import Q

from congdoan.accounts.permissions import (
    can_write,
    get_scoped,
    is_global,
    require_writable,
    scope_q,
    scoped,
)
from congdoan.accounts.scope import OutOfScope
from congdoan.members import services as member_services
from congdoan.members.models import Membership
from congdoan.org import tree
from congdoan.org.models import OrgUnit

pytestmark = pytest.mark.django_db
d = dt.date


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


@pytest.fixture
def members(fed) -> dict[str, Membership]:
    def admit(cdcs: OrgUnit, joined: dt.date, name: str) -> Membership:
        return member_services.member_admit(
            actor=None, cdcs=cdcs, join_date=joined, full_name=name, birth_date=d(1990, 1, 1), gender="F"
        )

    return {
        "before": admit(fed.gl1, d(2024, 3, 1), "Trước Mốc"),  # GL1 under Gia Lâm
        "after": admit(fed.gl1, d(2026, 2, 1), "Sau Mốc"),  # GL1 under Kim Liên, after Gia Lâm ended
        "gl2": admit(fed.gl2, d(2024, 3, 1), "Ngoài Kim Liên"),
    }


def test_scoped_units_today_ever_and_writable(fed) -> None:
    units = OrgUnit.objects.all()
    assert codes(scoped(units, fed.kimlien)) == {"KL", "GL1", "DD1"}
    assert codes(scoped(units, fed.gialam)) == {"GL", "GL1", "GL2"}  # as on its last day
    assert codes(scoped(units, fed.gialam, writable=True)) == set()
    assert codes(scoped(units, fed.kimlien, writable=True)) == {"KL", "GL1", "DD1"}
    assert "GL" not in codes(scoped(units, fed.kimlien, ever=True))
    assert codes(scoped(units, fed.admin)) == codes(units)


def test_scoped_dated_rows_stop_at_an_ended_units_last_day(fed, members) -> None:
    rows = Membership.objects.all()
    gialam = set(scoped(rows, fed.gialam, unit="cdcs_id", date="join_date"))
    assert gialam == {members["before"], members["gl2"]}
    gialam_ever = set(scoped(rows, fed.gialam, unit="cdcs_id", date="join_date", ever=True))
    assert gialam_ever == {members["before"], members["gl2"]}
    # Without the date field, history pages would show GL1's member admitted after Gia Lâm ended.
    assert members["after"] in set(scoped(rows, fed.gialam, unit="cdcs_id", ever=True))
    kimlien = set(scoped(rows, fed.kimlien, unit="cdcs_id", date="join_date"))
    assert kimlien == {members["before"], members["after"]}


def test_get_scoped_is_404_outside_the_scope(fed, members) -> None:
    assert get_scoped(OrgUnit.objects.all(), fed.gialam, ever=True, code="GL1") == fed.gl1
    with pytest.raises(OutOfScope):
        get_scoped(OrgUnit.objects.all(), fed.kimlien, ever=True, code="GL2")
    with pytest.raises(OutOfScope):
        after = members["after"].pk
        get_scoped(Membership.objects.all(), fed.gialam, unit="cdcs_id", date="join_date", pk=after)
    with pytest.raises(OutOfScope):
        get_scoped(OrgUnit.objects.all(), fed.gialam, writable=True, code="GL1")


def test_a_callers_subtree_form_keeps_the_kernels_rule(fed, members) -> None:
    """The member search's literal id lists go through ``scope_q(subtree=...)``: same rows."""

    def recursive(root_id: int, day: dt.date) -> Q:
        return Q(cdcs_id__in=tree.in_subtree([root_id], day))

    rows = Membership.objects.all()
    for user in (fed.gialam, fed.kimlien, fed.cdcs, fed.admin):
        default = set(rows.filter(scope_q(user, unit="cdcs_id", date="join_date")))
        own_form = set(rows.filter(scope_q(user, unit="cdcs_id", date="join_date", subtree=recursive)))
        assert default == own_form, user.username


def test_require_writable(fed) -> None:
    require_writable(None, fed.gl2)  # the system itself
    require_writable(fed.kimlien, fed.gl1, fed.dd1)
    with pytest.raises(OutOfScope):
        require_writable(fed.kimlien, fed.gl1, fed.gl2)  # one unit out of scope: all refused
    with pytest.raises(OutOfScope):
        require_writable(fed.gialam, fed.gl1)  # read-only: its unit has ended
    with pytest.raises(OutOfScope):
        require_writable(fed.viewer, fed.gl2)  # a viewer never writes
    require_writable(fed.admin, fed.gl2)


def test_can_write(fed) -> None:
    assert can_write(fed.kimlien, fed.gl1)
    assert not can_write(fed.kimlien, fed.gl2)
    assert not can_write(fed.gialam, fed.gl1)
    assert not can_write(fed.gialam, fed.gl2)
    gl = OrgUnit.objects.get(code="GL")
    assert not can_write(fed.admin, gl)  # ended: nothing to change today
    assert can_write(fed.admin, fed.gl2)


def test_is_global(fed) -> None:
    assert is_global(fed.admin)
    assert not is_global(fed.thanhpho)
    assert not is_global(None)


def test_the_kernel_imports_no_domain_app() -> None:
    domain = ("org", "members", "bargaining", "conferences", "indicators", "imports", "reports", "api")
    source = Path(__file__).resolve().parents[1] / "permissions.py"
    imported = [
        node.module or ""
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.ImportFrom)
    ]
    assert not [m for m in imported if m.split(".")[:2] in [["congdoan", app] for app in domain]]
