"""Hypothesis: the tally is a recount of the stored ballots; grades follow the thresholds for random
sheets; a computed criterion equals the indicators engine's figure for that unit and year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.conftest import Federation
from congdoan.core.periods import parse_period
from congdoan.emulation import scoring, services
from congdoan.emulation.models import Ballot, VoteReceipt
from congdoan.indicators import services as indicator_services
from congdoan.indicators.engine import value_of
from congdoan.indicators.models import Indicator
from congdoan.members import services as member_services
from congdoan.org import services as org_services

from .conftest import YEAR, build_emu

d = dt.date
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Rollback(Exception):
    pass


def in_rollback(fn) -> None:  # type: ignore[no-untyped-def]
    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass


@SLOW
@given(casts=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=12))
def test_tally_equals_a_recount_of_the_stored_ballots(fed: Federation, casts: list[tuple[int, int]]) -> None:
    def run() -> None:
        emu = build_emu(fed)
        extra = [
            org_services.unit_create(
                actor=None,
                code=f"X{i}",
                name=f"LĐLĐ huyện Thử {i}",
                type="LDLD_HUYEN",
                parent=fed.hn,
                valid_from=d(2010, 1, 1),
                founded_on=d(2010, 1, 1),
            )
            for i in range(2)
        ]
        units = [emu.bv, emu.pt, fed.kl, *extra]
        cluster = org_services.cluster_create(
            actor=None, name="Cụm thử", year=YEAR, organiser=fed.hn, members=units
        )
        now = timezone.now()
        vote = services.vote_open(
            actor=None,
            cluster=cluster,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(hours=1),
        )
        accepted: Counter[int] = Counter()
        for voter, choice in casts:
            try:
                services.ballot_cast(actor=None, vote=vote, voter=units[voter], choice=units[choice])
                accepted[units[choice].pk] += 1
            except ValidationError:
                pass
        recount = Counter(Ballot.objects.filter(vote=vote).values_list("choice_id", flat=True))
        counted = services.tally(vote)
        assert {k: v for k, v in counted.items() if v} == dict(recount) == dict(accepted)
        assert sum(counted.values()) == VoteReceipt.objects.filter(vote=vote).count()
        assert set(counted) == {u.pk for u in units}

    in_rollback(run)


def reference_grade(
    template, entered: dict[int, Decimal], computed: dict[int, Decimal]
) -> tuple[Decimal, str]:  # type: ignore[no-untyped-def]
    """The guidance read literally, independent of ``scoring``."""
    nodes = list(template.criteria.all())
    total = Decimal(0)
    all_groups_half = True
    for group in (n for n in nodes if n.parent_id is None):
        got = sum(
            (entered.get(c.pk, computed.get(c.pk, Decimal(0))) for c in nodes if c.parent_id == group.pk),
            Decimal(0),
        )
        got = min(got, group.max_points)
        total += got
        if not group.bonus and got * 2 < group.max_points:
            all_groups_half = False
    for grade in template.grades:
        if total >= grade["min"] and (all_groups_half or not grade["groups"]):
            return total, grade["code"]
    raise AssertionError("no grade")


@SLOW
@given(data=st.data(), year=st.sampled_from([2018, YEAR]))
def test_grades_follow_the_thresholds_for_random_sheets(
    fed: Federation, data: st.DataObject, year: int
) -> None:
    def run() -> None:
        emu = build_emu(fed)
        sheet = services.sheet_open(actor=None, unit=emu.bv1, year=year, deadline=d(year, 12, 15))
        lines = list(sheet.lines.select_related("criterion"))
        points = {
            line.criterion_id: data.draw(
                st.integers(0, int(line.criterion.max_points * 100)).map(lambda n: Decimal(n) / 100),
                label=line.criterion.number,
            )
            for line in lines
            if not line.criterion.computed
        }
        computed = {line.criterion_id: line.appraised_points for line in lines if line.criterion.computed}
        services.sheet_self_score(actor=None, sheet=sheet, points=points, today=d(year, 12, 1))
        sheet = services.sheet_appraise(actor=None, sheet=sheet, by_unit=emu.bv, points=points)
        total, grade = reference_grade(sheet.template, points, computed)
        assert sheet.appraised_total == total
        assert sheet.grade == grade

    in_rollback(run)


@SLOW
@given(admitted=st.integers(0, 6), target=st.one_of(st.none(), st.integers(1, 8)))
def test_a_computed_criterion_equals_the_indicators_figure(
    fed: Federation, admitted: int, target: int | None
) -> None:
    def run() -> None:
        emu = build_emu(fed)
        for n in range(admitted):
            member_services.member_admit(
                actor=None,
                cdcs=emu.bv1,
                join_date=d(YEAR, 3, 1) + dt.timedelta(days=n),
                full_name=[
                    "Nguyễn Văn An",
                    "Trần Thị Bình",
                    "Lê Văn Cường",
                    "Phạm Thị Dung",
                    "Hoàng Văn Em",
                    "Vũ Thị Gấm",
                ][n],
                birth_date=d(1990, 1, 1),
                gender="Nữ",
                cccd="",
                card_number=None,
            )
        indicator = Indicator.objects.get(code="DV_KET_NAP")
        if target is not None:
            indicator_services.target_set(
                actor=None, unit=emu.bv1, indicator=indicator, period=str(YEAR), value=target
            )
        sheet = services.sheet_open(actor=None, unit=emu.bv1, year=YEAR, deadline=d(YEAR, 12, 15))
        line = sheet.lines.select_related("criterion").get(criterion__indicator_code="DV_KET_NAP")
        figure = value_of(indicator=indicator, period=parse_period(str(YEAR)), unit=emu.bv1)
        expected = None if figure.achievement is None else figure.achievement * 100
        if expected is None:
            assert line.figure is None and line.self_points == 0
        else:
            assert line.figure == expected.quantize(Decimal("0.0001"))
            c = line.criterion
            assert line.self_points == scoring.computed_points(c.max_points, c.low, c.high, expected)
            assert line.self_points == (c.max_points if admitted >= target else line.self_points)  # type: ignore[operator]

    in_rollback(run)
