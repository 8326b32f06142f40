""" "A membership held on a day" is one rule (``members.models.active_on_q``), used by the member
figures of the indicators and by the coverage of a unit (``members.selectors.active_on``)."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.indicators.providers import BATCHES, REGISTRY
from congdoan.members import selectors, services

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def roster(fed):
    """At GL2: Lan from 01/03/2024 (left on 01/07/2024), Minh from 01/07/2024 (a woman and a man)."""
    lan = services.member_admit(
        actor=None, cdcs=fed.gl2, join_date=d(2024, 3, 1), full_name="Trần Thị Lan", gender="F"
    )
    services.member_leave(actor=None, membership=lan, on=d(2024, 7, 1), reason="Nghỉ việc")
    services.member_admit(
        actor=None, cdcs=fed.gl2, join_date=d(2024, 7, 1), full_name="Lê Văn Minh", gender="M"
    )
    return fed


@pytest.mark.parametrize(
    ("day", "names"),
    [
        (d(2024, 2, 29), set()),
        (d(2024, 3, 1), {"Trần Thị Lan"}),  # held from the day it begins
        (d(2024, 6, 30), {"Trần Thị Lan"}),
        (d(2024, 7, 1), {"Lê Văn Minh"}),  # over on its end day; the next begins that day
    ],
)
def test_active_on_at_the_edges(roster, day: dt.date, names: set[str]) -> None:
    fed = roster
    assert {m.person.full_name for m in selectors.active_on([fed.gl2.pk], day)} == names
    assert not selectors.active_on([fed.gl1.pk], day).exists()  # keeps to the CĐCS given


def test_coverage_and_member_figures_count_the_same_members(roster) -> None:
    """The unit's summary, each member provider and the providers' one-pass batch agree."""
    fed = roster
    units = [fed.gl2.pk]
    for day, members, women in ((d(2024, 6, 30), 1, 1), (d(2024, 7, 1), 1, 0), (d(2024, 2, 1), 0, 0)):
        summary = selectors.member_summary(unit=fed.gl2, on=day)
        assert (summary["members"], summary["women_members"]) == (members, women)
        start = d(day.year, 1, 1)
        alone = {
            code: REGISTRY[code].values(units, start, day) for code in ("members_total", "members_female")
        }
        batch = BATCHES["memberships"](units, start, day)
        for values in (alone, batch):
            assert values["members_total"].get(fed.gl2.pk, 0) == members
            assert values["members_female"].get(fed.gl2.pk, 0) == women
