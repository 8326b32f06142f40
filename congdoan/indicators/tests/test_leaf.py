"""Leaf figures (issue 18): kept per CĐCS and period by the write path, equal to the live count.

The live engine is the reference: after every write (admit, leave, transfer, back-dated correction,
gender change, import, agreement, dialogue, restructuring) ``leaf.verify`` finds no difference and the
table summed from kept figures equals the table counted live."""

from __future__ import annotations

import datetime as dt
import gc
import io
import queue
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from congdoan.bargaining import services as bargaining_services
from congdoan.bargaining.models import CollectiveAgreement
from congdoan.conferences import services as conference_services
from congdoan.conferences.models import Conference
from congdoan.conftest import Federation
from congdoan.core.periods import parse_period
from congdoan.indicators import engine, leaf
from congdoan.indicators.models import Indicator, KeptPeriod, LeafFigure
from congdoan.members import services as member_services
from congdoan.members.member_import import import_members
from congdoan.members.models import Membership
from congdoan.org import services as org_services
from congdoan.org.models import OrgUnit

pytestmark = pytest.mark.django_db
d = dt.date

PERIODS = [parse_period(code) for code in ("2024", "2025", "2025S1", "2025Q3", "2025Q4", "2026", "202603")]
MEMBER_CODES = ("DV_TONG", "DV_NU", "DV_KET_NAP")
# The providers that also read the unit's type, sector and dates (and the workforce counts).
UNIT_CODES = (
    "LD_TONG", "TL_BAO_PHU", "CDCS_THANH_LAP", "CDCS_TONG", "TU_CON_HIEU_LUC", "TU_CO_CDCS_DN",
    "TL_CO_THOA_UOC", "HN_NLD", "DN_CO_CDCS", "TL_HN_NLD", "HN_CBCCVC", "HCSN_CO_CDCS", "TL_HN_CBCCVC",
)  # fmt: skip
ALL_CODES = (
    *MEMBER_CODES, "TU_KY_MOI", "TU_XEP_LOAI", "TU_LOAI_AB", "TL_LOAI_AB", "DOI_THOAI", *UNIT_CODES
)  # fmt: skip
SECTORS = ["DN_NGOAI_NHA_NUOC", "HCSN", "FDI", ""]
NAMES = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Thị Hoa", "Phạm Văn Nam", "Hoàng Thị Mai", "Vũ Văn Hùng"]


def table(
    fed: Federation,
    period: Any,
    *,
    kept: bool,
    codes: tuple[str, ...] = ALL_CODES,
    depth: int | None = None,
) -> dict[str, Any]:
    """The subtree of HN (every unit, or down to ``depth``: a dashboard, whose kept figures are summed
    per anchor in SQL on PostgreSQL): {indicator: [(unit, value, num, den)]}, and whether kept figures
    were read."""
    indicators = list(Indicator.objects.filter(code__in=codes))
    with override_settings(LEAF_FIGURES=kept, LEAF_FIGURES_MIN_UNITS=0):
        columns = engine.rollup_table(indicators=indicators, period=period, root=fed.hn, depth=depth)
    return {
        code: (
            [(f.unit.code, f.value, f.numerator, f.denominator) for f in column],
            column.kept_at is not None,
        )
        for code, column in columns.items()
    }


def assert_same_as_live(fed: Federation) -> None:
    assert leaf.verify() == []
    for period in PERIODS:
        live, kept = table(fed, period, kept=False), table(fed, period, kept=True)
        assert {c: v[0] for c, v in kept.items()} == {c: v[0] for c, v in live.items()}, period.code
        assert all(from_kept for _, from_kept in kept.values()), period.code
        assert not any(from_kept for _, from_kept in live.values())
        live, kept = table(fed, period, kept=False, depth=1), table(fed, period, kept=True, depth=1)
        assert {c: v[0] for c, v in kept.items()} == {c: v[0] for c, v in live.items()}, period.code


def admit(fed: Federation, n: int, cdcs: Any, on: dt.date, gender: str = "Nữ") -> Membership:
    return member_services.member_admit(
        actor=None,
        cdcs=cdcs,
        join_date=on,
        full_name=NAMES[n % len(NAMES)],
        birth_date=d(1980, 1, 1) + dt.timedelta(days=n),
        gender=gender,
        cccd="",
        card_number=None,
    )


# -- the random sequence of writes -----------------------------------------------------------------

days = st.integers(0, 1000).map(lambda n: d(2024, 1, 1) + dt.timedelta(days=n))  # to 27/09/2026
ops = st.one_of(
    st.tuples(st.just("admit"), st.integers(0, 2), days, st.sampled_from(["Nữ", "Nam"])),
    st.tuples(st.just("leave"), st.integers(0, 50), st.integers(0, 400)),
    st.tuples(st.just("transfer"), st.integers(0, 50), st.integers(0, 2), st.integers(0, 400)),
    st.tuples(st.just("gender"), st.integers(0, 50)),
    st.tuples(
        st.just("import"),
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 8), days), max_size=4, unique_by=lambda r: r[:2]
        ),
    ),
    st.tuples(st.just("restructure"), st.integers(0, 2), days),
    # The other kept sources: agreements (new, graded, re-graded, back-dated) and dialogues (moved).
    st.tuples(st.just("agree"), st.integers(0, 2), days, st.sampled_from(["", "A", "B", "C"])),
    st.tuples(st.just("regrade"), st.integers(0, 20), st.sampled_from(["", "A", "B"]), days),
    st.tuples(st.just("dialogue"), st.integers(0, 2), days),
    st.tuples(st.just("move_dialogue"), st.integers(0, 20), days),
    # The unit's own attributes (issue 18: the unit-attribute providers kept too) and workforce counts.
    st.tuples(st.just("new_cdcs"), st.sampled_from(SECTORS), st.none() | days),
    st.tuples(st.just("sector"), st.integers(0, 8), st.sampled_from(SECTORS)),
    st.tuples(st.just("founded"), st.integers(0, 8), st.none() | days),
    st.tuples(st.just("retype"), st.integers(0, 8)),
    st.tuples(st.just("dissolve"), st.integers(0, 8), days),
    st.tuples(st.just("merge"), st.integers(0, 8), st.integers(0, 2), days),
    st.tuples(st.just("workforce"), st.integers(0, 8), days, st.integers(0, 500)),
    st.tuples(st.just("conference"), st.integers(0, 8), st.sampled_from(["workers", "civil"]), days),
)


def extras() -> list[Any]:
    """The units the sequence created (``new_cdcs``): the ones it may re-date, dissolve or merge."""
    return list(OrgUnit.objects.filter(code__startswith="X").order_by("pk"))


def unit_write(fed: Federation, op: tuple[Any, ...], counter: list[int]) -> None:
    """A write to a unit's type, sector or dates, a workforce count or a conference; one the services
    refuse (a date out of order, a conference of the wrong sector, …) changes nothing."""
    from django.db import IntegrityError

    grassroots = [fed.gl1, fed.gl2, fed.dd1, *extras()]
    kind = op[0]
    try:
        with transaction.atomic():
            if kind == "new_cdcs":  # under HN; back-dated, or without a founding date (always there)
                counter[0] += 1
                org_services.unit_create(
                    actor=None, code=f"X{counter[0]}", name=f"CĐCS Công ty Mới {counter[0]}", type="CDCS",
                    parent=fed.hn, sector=op[1], founded_on=op[2],
                )  # fmt: skip
            elif kind == "sector":
                org_services.unit_update(actor=None, unit=grassroots[op[1] % len(grassroots)], sector=op[2])
            elif kind == "founded" and len(grassroots) > 3:
                unit = grassroots[3 + op[1] % (len(grassroots) - 3)]
                org_services.unit_update(actor=None, unit=unit, founded_on=op[2])
            elif kind == "retype" and len(grassroots) > 3:  # a CĐCS under HN becomes a union of a ward
                unit = grassroots[3 + op[1] % (len(grassroots) - 3)]
                unit.refresh_from_db()
                new_type = "CD_XA" if unit.type == "CDCS" else "CDCS"
                org_services.unit_update(actor=None, unit=unit, type=new_type)
            elif kind in ("dissolve", "merge") and len(grassroots) > 3:
                unit = grassroots[3 + op[1] % (len(grassroots) - 3)]
                unit.refresh_from_db()
                if kind == "dissolve":
                    org_services.unit_dissolve(actor=None, unit=unit, on=op[2])
                else:
                    into = [fed.gl1, fed.gl2, fed.dd1][op[2]]
                    into.refresh_from_db()
                    org_services.unit_merge(actor=None, unit=unit, into=into, on=op[3])
            elif kind == "workforce":
                member_services.workforce_set(
                    actor=None, cdcs=grassroots[op[1] % len(grassroots)], as_of=op[2], workers=op[3]
                )
            elif kind == "conference":
                unit = grassroots[op[1] % len(grassroots)]
                unit.refresh_from_db()
                conference_services.conference_create(actor=None, unit=unit, kind=op[2], held_on=op[3])
    except (ValidationError, IntegrityError):
        pass


def apply(fed: Federation, op: tuple[Any, ...], counter: list[int], tmp: Path) -> None:
    cdcs = [fed.gl1, fed.gl2, fed.dd1]
    active = list(Membership.objects.filter(status="active").order_by("pk").select_related("person", "cdcs"))
    kind = op[0]
    if kind == "admit":
        counter[0] += 1
        admit(fed, counter[0], cdcs[op[1]], op[2], op[3])
    elif kind in ("leave", "transfer") and active:
        membership = active[op[1] % len(active)]
        on = min(membership.join_date + dt.timedelta(days=op[-1]), d(2026, 11, 30))  # back-dated too
        if kind == "leave":
            member_services.member_leave(actor=None, membership=membership, on=on, reason="Nghỉ việc")
        elif cdcs[op[2]].pk != membership.cdcs_id:
            member_services.member_transfer(actor=None, membership=membership, to=cdcs[op[2]], on=on)
    elif kind == "gender" and active:
        person = active[op[1] % len(active)].person
        member_services.person_update(
            actor=None, person=person, gender="Nam" if person.gender == "F" else "Nữ"
        )
    elif kind == "import" and op[1]:
        # Rows matched by name and birth date: a known person in the same CĐCS has the join date corrected.
        lines = ["Mã CĐCS,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Ngày vào công đoàn"]
        for unit_i, n, on in op[1]:
            birth = d(1980, 1, 1) + dt.timedelta(days=n)
            lines.append(f"{cdcs[unit_i].code},{NAMES[n % len(NAMES)]},{birth:%d/%m/%Y},Nữ,,{on:%d/%m/%Y}")
        path = tmp / f"import-{counter[0]}.csv"
        counter[0] += 1
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = import_members(actor=None, source=path)
        assert result.errors == [] and result.created + result.updated + result.unchanged == len(op[1])
    elif kind == "agree":
        from congdoan.bargaining.tests.conftest import agree

        try:
            with transaction.atomic():  # an agreement overlapping one of the same employer is refused
                agree(cdcs[op[1]], [employers(fed)[op[1]]], op[2], years=2, grade=op[3])
        except ValidationError:
            pass
    elif kind == "regrade":
        agreements = list(CollectiveAgreement.objects.order_by("pk"))
        if agreements:
            agreement = agreements[op[1] % len(agreements)]
            fields: dict[str, Any] = {"grade": op[2]}
            if agreement.superseded_on is None and op[3] < agreement.expires_on:
                fields["effective_on"] = op[3]  # back-dated or later: every period between moves
            try:
                with transaction.atomic():
                    bargaining_services.agreement_update(actor=None, agreement=agreement, **fields)
            except ValidationError:
                pass
    elif kind == "dialogue":
        conference_services.conference_create(
            actor=None, unit=cdcs[op[1]], kind="dialogue_periodic", held_on=op[2],
            employer=employers(fed)[op[1]], employer_side=3, employee_side=3,
        )  # fmt: skip
    elif kind == "move_dialogue":
        conferences = list(Conference.objects.order_by("pk"))
        if conferences:
            conference = conferences[op[1] % len(conferences)]
            conference_services.conference_update(actor=None, conference=conference, held_on=op[2])
    elif kind in UNIT_WRITES:
        unit_write(fed, op, counter)
    elif kind == "restructure":
        # A CĐCS moves between HN and Kim Liên: the tree changes, the kept figures do not.
        unit = cdcs[op[1]]
        unit.refresh_from_db()
        on = max(op[2], d(2025, 8, 2))
        try:
            with transaction.atomic():
                org_services.unit_move(
                    actor=None, unit=unit, new_parent=fed.kl if op[1] != 1 else fed.hn, on=on
                )
        except ValidationError:  # a move refused by the tree's rules changes nothing
            pass


UNIT_WRITES = ("new_cdcs", "sector", "founded", "retype", "dissolve", "merge", "workforce", "conference")


def employers(fed: Federation) -> list[Any]:
    """One employer of each CĐCS of the sequence (created once per example, in its transaction)."""
    from congdoan.bargaining.tests.conftest import employer
    from congdoan.org.models import Employer

    out = []
    for unit in (fed.gl1, fed.gl2, fed.dd1):
        found = Employer.objects.filter(cdcs=unit).order_by("pk").first()
        out.append(found or employer(f"Công ty Ngẫu Nhiên {unit.code}", fed.hn, unit))
    return out


def ended() -> bool:
    return Membership.objects.exclude(status="active").exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(ops, min_size=1, max_size=8))
def test_random_writes_keep_leaf_figures_equal_to_live_count(fed: Federation, tmp_path: Path, steps) -> None:
    with transaction.atomic():
        # One CĐCS of the sequence's own from the start, so that re-dating, re-typing, dissolving and
        # merging (of the units the sequence created, not the fixture's) have one to act on.
        org_services.unit_create(
            actor=None, code="X0", name="CĐCS Công ty Ngẫu Nhiên", type="CDCS", parent=fed.hn,
            sector="FDI", founded_on=d(2024, 6, 1),
        )  # fmt: skip
        leaf.rebuild(PERIODS)
        counter = [0]
        for step, op in enumerate(steps):
            apply(fed, op, counter, tmp_path)
            assert leaf.verify() == [], op
            # The sums over the tree too (the tree may just have changed), for one period each step.
            period = PERIODS[step % len(PERIODS)]
            live, kept = table(fed, period, kept=False), table(fed, period, kept=True)
            assert {c: v[0] for c, v in kept.items()} == {c: v[0] for c, v in live.items()}, (op, period)
        event(f"kept rows > 0: {LeafFigure.objects.exists()}; memberships ended: {ended()}")
        event(f"agreements: {CollectiveAgreement.objects.exists()}; dialogues: {Conference.objects.exists()}")
        event(f"own units: {len(extras())}; unit writes: {sum(o[0] in UNIT_WRITES for o in steps)}")
        assert_same_as_live(fed)
        transaction.set_rollback(True)


# -- the write paths one by one --------------------------------------------------------------------


def test_admit_updates_kept_figures_in_the_same_transaction(fed: Federation) -> None:
    leaf.rebuild(PERIODS)
    members = LeafFigure.objects.filter(code__startswith="members_")
    assert members.count() == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        admit(fed, 1, fed.gl1, d(2025, 3, 1))
        assert LeafFigure.objects.filter(unit=fed.gl1, code="members_total", period="2025").get().value == 1
        raise RuntimeError  # the admission rolls back: so do its kept figures
    assert members.count() == 0
    admit(fed, 1, fed.gl1, d(2025, 3, 1))
    rows = dict(members.filter(unit=fed.gl1, period="2025").values_list("code", "value"))
    assert rows == {"members_total": 1, "members_female": 1, "members_admitted": 1}
    # Before the admission: nothing in 2024; in 2025S1 admitted and counted; 2025Q3: counted, not admitted.
    assert not members.filter(period="2024").exists()
    q3 = dict(members.filter(unit=fed.gl1, period="2025Q3").values_list("code", "value"))
    assert q3 == {"members_total": 1, "members_female": 1}
    assert_same_as_live(fed)


def test_back_dated_transfer_moves_every_later_period(fed: Federation) -> None:
    membership = admit(fed, 1, fed.gl1, d(2024, 2, 1))
    leaf.rebuild(PERIODS)
    member_services.member_transfer(actor=None, membership=membership, to=fed.dd1, on=d(2024, 6, 1))
    for period in ("2024", "2025", "2026"):
        totals = dict(
            LeafFigure.objects.filter(code="members_total", period=period).values_list("unit__code", "value")
        )
        assert totals == {"DD1": 1}, period
    assert_same_as_live(fed)


def test_restructuring_changes_no_kept_figure(fed: Federation) -> None:
    admit(fed, 1, fed.gl2, d(2024, 2, 1))
    leaf.rebuild(PERIODS)
    before = list(
        LeafFigure.objects.order_by("pk").values_list("unit_id", "code", "period", "value", "written_at")
    )
    org_services.unit_move(actor=None, unit=fed.gl2, new_parent=fed.kl, on=d(2025, 9, 1))
    after = list(
        LeafFigure.objects.order_by("pk").values_list("unit_id", "code", "period", "value", "written_at")
    )
    assert before == after
    assert_same_as_live(fed)


def test_agreements_and_dialogues_are_kept(fed: Federation) -> None:
    from congdoan.bargaining.tests.conftest import agree, employer

    leaf.rebuild(PERIODS)
    may = employer("Công ty May Gia Lâm", fed.kl, fed.gl1)
    first = agree(fed.gl1, [may], d(2024, 3, 1), years=3, grade="B")
    assert LeafFigure.objects.filter(code="agreements_new", period="2024", unit=fed.gl1).get().value == 1
    assert LeafFigure.objects.filter(code="agreements_grade_ab", period="2025").get().value == 1
    # Re-signed from 01/07/2025: the first one is superseded (its predecessor's kept figures change too).
    second = bargaining_services.agreement_renew(
        actor=None,
        agreement=first,
        kind="resigned",
        signed_on=d(2025, 7, 1),
        expires_on=d(2027, 6, 30),
        approval_share=Decimal("0.9"),
    )
    assert (
        LeafFigure.objects.filter(code="agreements_graded", period="2025").count() == 0
    )  # the new one: no grade
    assert_same_as_live(fed)
    bargaining_services.agreement_update(actor=None, agreement=second, grade="A")  # graded later
    second.refresh_from_db()
    bargaining_services.agreement_update(actor=None, agreement=second, effective_on=d(2025, 9, 1))
    assert_same_as_live(fed)
    first.refresh_from_db()
    assert first.superseded_on == d(2025, 9, 1)
    assert_same_as_live(fed)
    conference = conference_services.conference_create(
        actor=None, unit=fed.gl1, kind="dialogue_periodic", held_on=d(2025, 10, 1), employer=may,
        employer_side=3, employee_side=3,
    )  # fmt: skip
    assert LeafFigure.objects.filter(code="dialogues", period="2025Q4").get().value == 1
    conference_services.conference_update(actor=None, conference=conference, held_on=d(2024, 5, 1))
    assert not LeafFigure.objects.filter(code="dialogues", period="2025Q4").exists()
    assert LeafFigure.objects.filter(code="dialogues", period="2024").get().value == 1
    assert_same_as_live(fed)


def test_engine_counts_live_below_the_threshold_when_switched_off_or_not_kept(fed: Federation) -> None:
    admit(fed, 1, fed.gl1, d(2025, 3, 1))
    indicator = Indicator.objects.get(code="DV_TONG")
    period = parse_period("2025")

    def column(**overrides: Any) -> Any:
        with override_settings(**overrides):
            return engine.rollup_table(indicators=[indicator], period=period, root=fed.hn, depth=None)[
                "DV_TONG"
            ]

    assert column(LEAF_FIGURES_MIN_UNITS=0).kept_at is None  # not kept yet: live
    leaf.rebuild([period])
    assert column(LEAF_FIGURES_MIN_UNITS=0).kept_at is not None
    assert column(LEAF_FIGURES_MIN_UNITS=1000).kept_at is None  # a small scope: live
    assert column(LEAF_FIGURES_MIN_UNITS=0, LEAF_FIGURES=False).kept_at is None
    # A read-only viewer's window closing before the period end: live (kept figures are whole periods).
    with override_settings(LEAF_FIGURES_MIN_UNITS=0):
        clipped = engine.rollup_table(
            indicators=[indicator], period=period, root=fed.hn, depth=None, until=d(2025, 6, 30)
        )["DV_TONG"]
    assert clipped.kept_at is None


def test_verify_lists_differences_and_the_command_fails(fed: Federation) -> None:
    admit(fed, 1, fed.gl1, d(2025, 3, 1))
    call_command("leaf_figures", "rebuild", "--period", "2025")
    assert set(KeptPeriod.objects.values_list("period", flat=True)) == {"2025"}
    out = io.StringIO()
    call_command("leaf_figures", "verify", stdout=out)
    assert "Không có chênh lệch" in out.getvalue()
    LeafFigure.objects.filter(code="members_total").update(value=7)  # as if a write path forgot them
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("leaf_figures", "verify", "--period", "2025", "--under", "HN", stdout=out, stderr=err)
    assert exc.value.code == 1
    assert out.getvalue().splitlines() == ["members_total\t2025\tGL1\t7\t1"]
    assert "1 chênh lệch" in err.getvalue()
    call_command("leaf_figures", "rebuild", "--period", "2025", stdout=io.StringIO())
    assert leaf.verify() == []
    call_command("leaf_figures", "drop", stdout=io.StringIO())
    assert not KeptPeriod.objects.exists() and not LeafFigure.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement recount is PostgreSQL's")
def test_period_bounds_in_sql_are_parse_periods() -> None:
    """``mark_dirty`` reads the kept periods and their bounds in its statement: the bounds computed in SQL
    from the codes equal ``parse_period``'s, for every kind that can be kept (leap years included)."""
    codes = ["2024", "2025", "2024S1", "2024S2", "2023Q1", "2024Q1", "2024Q4", "202402", "202302", "202412"]
    codes += [f"2025{m:02d}" for m in range(1, 13)]
    KeptPeriod.objects.bulk_create(
        KeptPeriod(code="members_total", period=code, built_at=timezone.now()) for code in codes
    )
    with connection.cursor() as cursor:
        cursor.execute(leaf._KEPT_SQL, [["members_total"]])
        bounds = {period: (start, end) for _, period, start, end in cursor.fetchall()}
    assert bounds == {code: (parse_period(code).start, parse_period(code).end) for code in codes}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("first_write", "second_write"), [("admit", "admit"), ("admit", "leave"), ("leave", "admit")]
)
def test_two_writes_at_once_in_one_cdcs_both_count(
    fed: Federation, first_write: str, second_write: str
) -> None:
    """Two officers write into one CĐCS at the same moment (an admission adds to the figures, a leave
    recounts them): the second waits for the first transaction, then counts its change too. Without the
    wait a recount counted from a snapshot that did not hold the other's change and overwrote it: two
    admissions at once kept one member."""
    staying = [admit(fed, n, fed.gl1, d(2024, 6, 1)) for n in (3, 4)]
    leaf.rebuild(PERIODS)
    first_written, release = threading.Event(), threading.Event()
    second_backend: queue.Queue[int] = queue.Queue()
    errors: list[BaseException] = []

    def write(kind: str, n: int) -> None:
        if kind == "admit":
            admit(fed, n, fed.gl1, d(2025, 3, n))
        else:
            member_services.member_leave(
                actor=None, membership=staying[n % 2], on=d(2025, 5, n), reason="Nghỉ việc"
            )

    def first() -> None:
        try:
            with transaction.atomic():
                write(first_write, 1)
                first_written.set()
                release.wait(30)
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            first_written.set()
            connection.close()

    def second() -> None:
        try:
            connection.ensure_connection()
            second_backend.put(connection.connection.info.backend_pid)
            write(second_write, 2)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_written.wait(30)
    threads[1].start()
    try:
        # The second write waits for the first transaction: its own backend holds a lock not granted
        # (if it ended first, it never waited, and the test would prove nothing).
        pid = second_backend.get(timeout=30)
        for _ in range(600):  # 30 s at most
            if _waits_for_a_lock(pid):
                break
            threads[1].join(0.05)
            if not threads[1].is_alive():
                pytest.fail("the second write ended without waiting for the first")
        else:
            pytest.fail("the second write never waited for a lock")
    finally:
        release.set()
        for thread in threads:
            thread.join(30)
    assert errors == []
    expected = 2 + [first_write, second_write].count("admit") - [first_write, second_write].count("leave")
    total = LeafFigure.objects.get(unit=fed.gl1, code="members_total", period="2025")
    assert total.value == expected
    assert leaf.verify() == []


def _waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [pid])
        return bool(cursor.fetchone()[0])


def test_cli_figures_words(fed: Federation) -> None:
    from congdoan.cli import command_words

    assert command_words(["congdoan", "figures", "verify", "--period", "2025"]) == [
        "congdoan",
        "leaf_figures",
        "verify",
        "--period",
        "2025",
    ]
    assert command_words(["congdoan", "migrate"]) == ["congdoan", "migrate"]
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("leaf_figures", "verify", "--under", "KHONG_CO")
    with pytest.raises(CommandError):
        call_command("leaf_figures", "verify", "--period", "2025X")


# -- the page and the API say where the figures come from -------------------------------------------


def test_page_and_api_say_when_figures_come_from_kept_figures(fed: Federation, client: Any) -> None:
    admit(fed, 1, fed.gl1, d(2025, 3, 1))
    client.force_login(fed.thanhpho)
    url = "/api/v1/achievements/?indicator=DV_TONG&period=2025&under=HN&depth=1"
    with override_settings(LEAF_FIGURES_MIN_UNITS=0):
        live = client.get(url).json()
        assert {row["figures_source"] for row in live} == {"live"}
        assert {row["kept_at"] for row in live} == {None}
        page = client.get("/chi-tieu/?unit=HN&period=2025").content.decode()
        assert "kept-note" not in page
        leaf.rebuild([parse_period("2025")])
        kept = client.get(url).json()
        assert [(r["unit_code"], r["value"]) for r in kept] == [(r["unit_code"], r["value"]) for r in live]
        assert kept[0]["figures_source"] == "kept" and kept[0]["kept_at"]
        page = client.get("/chi-tieu/?unit=HN&period=2025").content.decode()
        assert "kept-note" in page and "lưu sẵn" in page
        page = client.get("/chi-tieu/DV_TONG/?unit=HN&period=2025").content.decode()
        assert "kept-note" in page
    with override_settings(LEAF_FIGURES_MIN_UNITS=100_000):  # a small scope: counted live, no note
        assert "kept-note" not in client.get("/chi-tieu/?unit=HN&period=2025").content.decode()


def test_unit_writes_keep_the_unit_attribute_figures(fed: Federation, tmp_path: Path) -> None:
    """Creating a CĐCS, re-dating its founding, changing its sector, a workforce count, a conference,
    merging, dissolving and importing units: each rewrites the kept figures of the providers reading
    the unit (``keep(…, reads_units=True)``) in its transaction."""
    from congdoan.org.unit_import import import_units

    def kept(unit: Any, period: str) -> dict[str, int]:
        return dict(LeafFigure.objects.filter(unit=unit, period=period).values_list("code", "value"))

    leaf.rebuild(PERIODS)
    totals = LeafFigure.objects.filter(code="cdcs_total", period="2024")
    assert set(totals.values_list("unit__code", flat=True)) == {"GL1", "GL2", "DD1"}
    unit = org_services.unit_create(
        actor=None, code="X1", name="CĐCS Công ty Mới", type="CDCS", parent=fed.hn, sector="FDI",
        founded_on=d(2025, 2, 1),
    )  # fmt: skip
    assert kept(unit, "2024") == {}
    assert kept(unit, "2025") == {
        "cdcs_founded": 1, "cdcs_total": 1, "enterprise_cdcs": 1, "enterprises_with_cdcs": 1
    }  # fmt: skip
    assert_same_as_live(fed)
    org_services.unit_update(actor=None, unit=unit, founded_on=d(2024, 5, 1))  # back-dated founding
    assert kept(unit, "2024")["cdcs_founded"] == 1 and "cdcs_founded" not in kept(unit, "2025")
    org_services.unit_update(actor=None, unit=unit, sector="HCSN")
    assert kept(unit, "2025") == {"cdcs_total": 1, "public_bodies_with_cdcs": 1}
    member_services.workforce_set(actor=None, cdcs=unit, as_of=d(2025, 1, 15), workers=120)
    assert kept(unit, "2025")["workers_total"] == 120 and "workers_total" not in kept(unit, "2024")
    conference_services.conference_create(actor=None, unit=unit, kind="civil", held_on=d(2025, 3, 1))
    assert kept(unit, "2025S1")["conferences_civil"] == 1
    assert_same_as_live(fed)
    org_services.unit_merge(actor=None, unit=unit, into=fed.gl1, on=d(2025, 7, 1))
    assert kept(unit, "2025S1")["cdcs_total"] == 1 and "cdcs_total" not in kept(unit, "2025")
    fed.gl2.refresh_from_db()
    org_services.unit_dissolve(actor=None, unit=fed.gl2, on=d(2026, 1, 1))
    assert "cdcs_total" in kept(fed.gl2, "2025") and "cdcs_total" not in kept(fed.gl2, "2026")
    assert_same_as_live(fed)
    # An import: a new CĐCS (no founding date: there in every period) and a sector changed.
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,type,parent_code,sector\n"
        "X2,CĐCS Công ty Nhập,CDCS,HN,FDI\n"
        "DD1,CĐCS Bệnh viện Đống Đa,CDCS,HN,DN_NHA_NUOC\n",
        encoding="utf-8",
    )
    result = import_units(actor=None, path_or_file=path)
    assert result.errors == [] and (result.created, result.updated) == (1, 1)
    assert kept(fed.dd1, "2024") == {"cdcs_total": 1, "enterprise_cdcs": 1, "enterprises_with_cdcs": 1}
    assert kept(OrgUnit.objects.get(code="X2"), "2024")["cdcs_total"] == 1
    assert_same_as_live(fed)


def test_a_unit_write_rolled_back_leaves_the_kept_figures(fed: Federation) -> None:
    leaf.rebuild(PERIODS)
    before = list(LeafFigure.objects.order_by("pk").values_list("unit_id", "code", "period", "value"))
    with pytest.raises(RuntimeError), transaction.atomic():
        org_services.unit_update(actor=None, unit=fed.gl1, sector="HCSN")
        assert "public_bodies_with_cdcs" in dict(
            LeafFigure.objects.filter(unit=fed.gl1, period="2025").values_list("code", "value")
        )
        raise RuntimeError
    assert list(LeafFigure.objects.order_by("pk").values_list("unit_id", "code", "period", "value")) == before


@pytest.mark.parametrize("kept", [False, True])
def test_a_big_table_takes_its_faster_paths_to_the_same_table(
    fed: Federation, monkeypatch: pytest.MonkeyPatch, kept: bool
) -> None:
    """Above the size thresholds a table reads every unit and drops the others (PostgreSQL, the
    nation's), makes the units without ``Model.__init__`` in the order the database sorted them by
    name (SQLite: chunks merged), sums the childless units by ``map`` and pauses the cycle collector:
    the same figures in the same order — the root, then by level, by name, namesakes by id."""
    namesake = org_services.unit_create(
        actor=None, code="GL3", name=fed.gl1.name, type="CDCS", parent=fed.gl, valid_from=d(2020, 1, 1)
    )
    org_services.unit_create(  # outside the table: never shown
        actor=None, code="HP", name="LĐLĐ thành phố Hải Phòng", type="LDLD_TINH", parent=None,
        valid_from=d(2000, 1, 1),
    )  # fmt: skip
    for n, cdcs in enumerate([fed.gl1, fed.gl2, fed.dd1, namesake] * 3):
        admit(fed, n, cdcs, d(2024, 3, 1 + n), "Nữ" if n % 2 else "Nam")
    if kept:
        leaf.rebuild(PERIODS[:1])
    monkeypatch.setattr(engine, "_CHAIN", 0)  # the small table sums up each unit's chain of ancestors
    small = table(fed, PERIODS[0], kept=kept)
    for name, value in (("_BIG_TREE", 0), ("_LIGHT_UNITS", 0), ("_IN_LIST_MAX", 2), ("_CHAIN", 10**9)):
        monkeypatch.setattr(engine, name, value)
    big = table(fed, PERIODS[0], kept=kept)
    assert big == small
    order = [code for code, *_ in big["DV_TONG"][0]]
    assert order == ["HN", "GL", "DD", "DD1", "GL1", "GL3", "GL2"]  # huyện Gia Lâm < quận Đống Đa
    assert dict(zip(order, [value for _, value, *_ in big["DV_TONG"][0]], strict=True)) == {
        "HN": 12, "GL": 9, "DD": 3, "DD1": 3, "GL1": 3, "GL3": 3, "GL2": 3,
    }  # fmt: skip
    assert gc.isenabled()
