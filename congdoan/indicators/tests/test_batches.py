"""A provider batch (one query for several providers) gives exactly what each provider gives alone,
and a table of many indicators gives exactly the figures of one roll-up per indicator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.bargaining.models import AgreementKind, CollectiveAgreement
from congdoan.conferences.models import Conference, ConferenceKind
from congdoan.core.periods import parse_period
from congdoan.indicators import engine
from congdoan.indicators.models import Indicator
from congdoan.indicators.providers import BATCHES, REGISTRY, SOURCES
from congdoan.indicators.services import load_standard_catalogue
from congdoan.members.models import Membership, Person
from congdoan.org import tree
from congdoan.org.models import OrgLink, OrgUnit

BASE = dt.date(2023, 1, 1)
SECTORS = ["HCSN", "DN_NHA_NUOC", "DN_NGOAI_NHA_NUOC", "FDI", "HTX", "KHAC"]
day = st.integers(0, 1000).map(lambda n: BASE + dt.timedelta(days=n))
maybe_day = st.one_of(st.none(), day)

units_st = st.lists(
    st.tuples(
        st.sampled_from(SECTORS), maybe_day, maybe_day, st.sampled_from(["CDCS", "NGHIEP_DOAN", "TO_CD"])
    ),
    min_size=1,
    max_size=5,
)
members_st = st.lists(
    st.tuples(st.integers(0, 4), day, maybe_day, st.sampled_from("MF"), st.booleans()), max_size=12
)
agreements_st = st.lists(
    st.tuples(
        st.integers(0, 4),
        day,
        st.integers(1, 900),
        maybe_day,
        st.sampled_from(list(AgreementKind.values)),
        st.sampled_from(["", "A", "B", "C", "D"]),
    ),
    max_size=10,
)
conferences_st = st.lists(
    st.tuples(st.integers(0, 4), day, st.sampled_from(list(ConferenceKind.values))), max_size=10
)


def _records(units, members, agreements, conferences) -> OrgUnit:
    root = OrgUnit.objects.create(code="R", name="Gốc", type="LDLD_HUYEN")
    made = []
    for i, (sector, founded, dissolved, type_) in enumerate(units):
        if founded and dissolved and dissolved <= founded:
            dissolved = None
        unit = OrgUnit.objects.create(
            code=f"C{i}",
            name=f"CĐCS {i}",
            type=type_,
            sector=sector,
            founded_on=founded,
            dissolved_on=dissolved,
        )
        OrgLink.objects.create(child=unit, parent=root, valid_from=dt.date(2000, 1, 1))
        made.append(unit)
    previous = None
    for i, (u, joined, ended, gender, transferred) in enumerate(members):
        person = Person.objects.create(full_name=f"Người {i}", gender=gender)
        end = ended if ended and ended >= joined else None
        chain = transferred and previous is not None and previous.transferred_from is None
        previous = Membership.objects.create(
            person=person,
            cdcs=made[u % len(made)],
            join_date=joined,
            status="left" if end else "active",
            end_date=end,
            transferred_from=previous if chain else None,
        )
    for u, signed, years, superseded, kind, grade in agreements:
        CollectiveAgreement.objects.create(
            cdcs=made[u % len(made)],
            kind=kind,
            signed_on=signed,
            effective_on=signed,
            expires_on=signed + dt.timedelta(days=years),
            superseded_on=superseded if superseded and superseded > signed else None,
            grade=grade,
            approval_share=Decimal("0.8"),
        )
    seen = set()
    for u, held, kind in conferences:
        key = (u % len(made), kind, held.year)
        if kind in ("workers", "civil") and key in seen:
            continue
        seen.add(key)
        Conference.objects.create(unit=made[u % len(made)], kind=kind, year=held.year, held_on=held)
    return root


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    units=units_st,
    members=members_st,
    agreements=agreements_st,
    conferences=conferences_st,
    start=day,
    length=st.integers(0, 400),
)
def test_each_batch_equals_its_providers_one_by_one(units, members, agreements, conferences, start, length):
    end = start + dt.timedelta(days=length)
    with transaction.atomic():
        root = _records(units, members, agreements, conferences)
        ids = tree.in_subtree([root.pk], end)
        for name, batch in BATCHES.items():
            together = batch(ids, start, end)
            alone = {p.code: p.values(ids, start, end) for p in REGISTRY.values() if p.batch == name}
            assert set(together) == set(alone), name
            for code, values in alone.items():
                assert together[code] == values, (name, code)
        # A source's batch over several periods (kept figures: a back-dated write recounts them all in
        # one query) gives, for each window, what its batch gives.
        windows = [(start, end), (start - dt.timedelta(days=200), start), (end, end + dt.timedelta(days=90))]
        labels = [f"w{i}" for i in range(len(windows))]

        def over_windows(sql: str, params: list[Any]) -> list[tuple[int, str, str, int]]:
            with connection.cursor() as cursor:
                cursor.execute(
                    "WITH w AS (SELECT * FROM unnest(%s::text[], %s::date[], %s::date[])"
                    f" AS w(period, start_date, end_date)) SELECT * FROM ({sql}) AS counted",
                    [labels, [lo for lo, _ in windows], [hi for _, hi in windows], *params],
                )
                return cursor.fetchall()

        for source in SOURCES.values():
            if source.periods_batch is None:
                continue
            found = source.periods_batch(ids, windows)
            assert len(found) == len(windows)
            for (lo, hi), counted in zip(windows, found, strict=True):
                one = BATCHES[source.batch](ids, lo, hi)
                for code in source.codes:
                    assert counted.get(code, {}) == one.get(code, {}), (source.name, code, lo, hi)
            if source.periods_sql is not None and connection.vendor == "postgresql":
                # The same as SQL over a relation of windows (what ``leaf.mark_dirty`` runs on PostgreSQL).
                unit_ids = list(OrgUnit.objects.filter(pk__in=ids).values_list("pk", flat=True))
                rows = over_windows(*source.periods_sql(unit_ids))
                for label, (lo, hi) in zip(labels, windows, strict=True):
                    one = BATCHES[source.batch](ids, lo, hi)
                    for code in source.codes:
                        got = {u: Decimal(v) for u, c, p, v in rows if p == label and c == code and v}
                        assert got == one.get(code, {}), (source.name, code, lo, hi)
                if source.added_sql is not None:
                    # What all the units' records add, one by one, is what the units count.
                    assert source.name == "memberships", "name the records of the new source here"
                    record_ids = Membership.objects.filter(cdcs_id__in=unit_ids).values_list("pk", flat=True)
                    added: dict[tuple[int, str, str], int] = {}
                    for record_id in record_ids:
                        for unit, code, label, value in over_windows(*source.added_sql([record_id])):
                            added[unit, code, label] = added.get((unit, code, label), 0) + value
                    assert {k: v for k, v in added.items() if v} == {
                        (u, c, p): v for u, c, p, v in rows if v
                    }, source.name
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_table_gives_each_indicators_own_rollup(fed) -> None:
    """Every standard indicator: the table's figures equal one ``rollup`` per indicator (which asks its
    providers alone), for the tree before and after the 2025 reform (ended units included)."""
    load_standard_catalogue()
    root = OrgUnit.objects.get(code="HN")
    CollectiveAgreement.objects.create(
        cdcs=fed.gl1,
        kind="new",
        signed_on=dt.date(2024, 3, 1),
        effective_on=dt.date(2024, 3, 1),
        expires_on=dt.date(2027, 2, 28),
        grade="A",
        approval_share=Decimal("0.9"),
    )
    person = Person.objects.create(full_name="Lê Thị Hoa", gender="F")
    Membership.objects.create(person=person, cdcs=fed.dd1, join_date=dt.date(2024, 5, 1))
    Conference.objects.create(unit=fed.gl2, kind="workers", year=2025, held_on=dt.date(2025, 3, 1))
    indicators = list(Indicator.objects.filter(standard=True).select_related("numerator", "denominator"))
    for code in ("2024", "2025"):
        period = parse_period(code)
        table = engine.rollup_table(indicators=indicators, period=period, root=root, depth=None)
        for indicator in indicators:
            alone = engine.rollup(indicator=indicator, period=period, root=root, depth=None)
            assert [_key(f) for f in table[indicator.code]] == [_key(f) for f in alone], (
                code,
                indicator.code,
            )
        assert any(f.ended for f in table["DV_TONG"]) == (code == "2025")


def _key(f: engine.Figure) -> tuple:
    return (f.unit.pk, f.depth, f.value, f.target, f.numerator, f.denominator, f.start, f.end, f.ended)


@pytest.mark.django_db
def test_a_column_reads_like_a_list_of_figures(fed) -> None:
    """``rollup_table`` gives each indicator as a ``Column``: indexing, negative indexes, slices and
    iteration all give the same figures, the ended children last."""
    load_standard_catalogue()
    indicator = Indicator.objects.get(code="CDCS_TONG")
    column = engine.rollup_table(indicators=[indicator], period=parse_period("2025"), root=fed.hn, depth=1)[
        "CDCS_TONG"
    ]
    figures = list(column)
    assert len(column) == len(figures) >= 3
    assert [_key(column[i]) for i in range(len(column))] == [_key(f) for f in figures]
    assert _key(column[-1]) == _key(figures[-1]) and figures[-1].ended  # Gia Lâm / Đống Đa ended in 2025
    assert [_key(f) for f in column[1:]] == [_key(f) for f in figures[1:]]
    assert figures[0].unit.code == "HN" and not figures[0].ended
    with pytest.raises(IndexError):
        column[len(column)]
