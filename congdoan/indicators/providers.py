"""Computed indicators: registered selectors that count records per org unit for a date range.

A provider answers ``values(units, start, end) -> {unit_id: number}`` for the units selected by the
``units`` subquery (ids), and ``records(units, start, end)`` — the queryset behind the figure, for
drill-down. Apps register their own providers here (bargaining, conferences, ...), so figures are
always read from the records, never from copied counters.

A table of many indicators would read the same records once per indicator (the members three times:
total, women, admitted). Providers reading one table can therefore name a *batch*: one function that
answers all of them at once (``COUNT(*) FILTER (...)`` per code over a single pass). The engine calls
the batch when a table needs two or more of its providers, the provider's own ``values`` otherwise;
tests check that both give the same numbers.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

# The registry of computed indicators lives in the kernel (``core.registry``); apps import the names
# from here, with the helpers below ("X as X": an explicit re-export).
from congdoan.core.registry import BATCHES as BATCHES
from congdoan.core.registry import REGISTRY as REGISTRY
from congdoan.core.registry import Batch as Batch
from congdoan.core.registry import Provider as Provider
from congdoan.core.registry import UnitIds as UnitIds
from congdoan.core.registry import Values as Values
from congdoan.core.registry import get_provider as get_provider
from congdoan.core.registry import register_provider as register
from congdoan.core.registry import register_provider_batch as register_batch


def counts(qs: QuerySet[Any], unit_field: str) -> Values:
    return {row[unit_field]: Decimal(row["n"]) for row in qs.values(unit_field).annotate(n=Count("pk"))}


Records = Callable[[UnitIds, dt.date, dt.date], QuerySet[Any]]


def count_by(records: Records, field: str) -> Callable[[UnitIds, dt.date, dt.date], Values]:
    """``values`` counting the records per unit (``field`` names the record's unit)."""

    def values(units: UnitIds, start: dt.date, end: dt.date) -> Values:
        return counts(records(units, start, end), field)

    return values


def one_each(records: Records) -> Callable[[UnitIds, dt.date, dt.date], Values]:
    """``values`` where each record is itself a unit that counts once (e.g. CĐCS with an agreement)."""

    def values(units: UnitIds, start: dt.date, end: dt.date) -> Values:
        return {pk: Decimal(1) for pk in records(units, start, end).order_by().values_list("pk", flat=True)}

    return values


def register_records(
    code: str, label: str, records: Records, *, counted_at: str = "", records_url: str = "", batch: str = ""
) -> Provider:
    """Register a provider whose figure counts ``records``: per unit at the field ``counted_at``
    (memberships at ``cdcs_id``), or, without it, one for each record that is itself a unit."""
    values = count_by(records, counted_at) if counted_at else one_each(records)
    return register(Provider(code, label, values, records, records_url, batch))


# -- kept figures (``indicators.leaf``) -------------------------------------------------------


Windows = list[tuple[dt.date, dt.date]]
# ``(units, [(start, end), ...]) -> one {code: {unit: n}} per window``: a batch over several periods at once.
PeriodsBatch = Callable[[UnitIds, Windows], list[dict[str, Values]]]
# PostgreSQL: ``(unit ids) -> (sql, params)``, a SELECT of ``(unit_id, code, period, value)``: what the batch
# counts for each unit and each window of a relation ``w(period, start_date, end_date)`` defined by the
# caller (``leaf.mark_dirty`` reads the kept periods, counts and replaces the figures in one statement).
PeriodsSql = Callable[[list[int]], tuple[str, list[Any]]]


@dataclass(frozen=True)
class LeafSource:
    """Records of one kind (``name``, as services name them in ``records_changed``), counted by the
    providers ``codes`` of the batch ``batch``; ``periods_batch``, if given, answers the same for
    several periods in one query (what a back-dated write recounts: every kept period after it);
    ``periods_sql``, if given, the same as SQL over a relation of periods (one statement per write);
    ``added_sql``, if given, the same again counting only the records whose ids it is given: what they
    add to each figure (a write that only adds records, such as an admission, adds that instead of
    recounting its units). ``reads_units``: the batch also reads the units' type, sector or dates, so a
    change of those (``core.registry.units_changed``, from the org services) recounts it too."""

    name: str
    batch: str
    codes: tuple[str, ...]
    periods_batch: PeriodsBatch | None = None
    periods_sql: PeriodsSql | None = None
    reads_units: bool = False
    added_sql: PeriodsSql | None = None


SOURCES: dict[str, LeafSource] = {}


def keep(
    name: str,
    *,
    batch: str,
    codes: Iterable[str],
    periods_batch: PeriodsBatch | None = None,
    periods_sql: PeriodsSql | None = None,
    reads_units: bool = False,
    added_sql: PeriodsSql | None = None,
) -> LeafSource:
    """Declare that the providers ``codes`` (all answered by ``batch``) are kept per unit and period,
    fed by the records ``name``: providers counting what is attached to a unit (its records) and, with
    ``reads_units``, the unit's own type, sector and dates — never the tree. ``periods_batch`` and
    ``periods_sql`` must give, for each window, what ``batch`` gives for ``codes``, and ``added_sql`` of
    all the units' records what ``periods_sql`` gives for the units (tested)."""
    source = LeafSource(name, batch, tuple(codes), periods_batch, periods_sql, reads_units, added_sql)
    SOURCES[name] = source
    return source


# -- members -----------------------------------------------------------------------------------


def _admitted(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    from congdoan.members.models import Membership

    # A transfer opens a membership too; it is not an admission.
    return Membership.objects.filter(
        cdcs_id__in=units, join_date__gte=start, join_date__lte=end, transferred_from__isnull=True
    )


def _members_on(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    from congdoan.members.selectors import active_on

    return active_on(units, end)


def _members_female(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return _members_on(units, start, end).filter(person__gender="F")


def _membership_counts(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    """The three member providers in one pass over the memberships begun by ``end``."""
    from congdoan.members.models import Membership, active_on_q

    on_end = active_on_q(end)  # of the memberships begun by ``end``: those still held then
    rows = (
        Membership.objects.filter(cdcs_id__in=units, join_date__lte=end)
        .values("cdcs_id")
        .annotate(
            total=Count("pk", filter=on_end),
            female=Count("pk", filter=on_end & Q(person__gender="F")),
            admitted=Count("pk", filter=Q(join_date__gte=start, transferred_from__isnull=True)),
        )
        .order_by()
    )
    return columns(
        rows, "cdcs_id", members_total="total", members_female="female", members_admitted="admitted"
    )


def columns(rows: Any, unit_field: str, **codes: str) -> dict[str, Values]:
    """``{code: {unit: n}}`` from rows of ``values(unit_field).annotate(<column>=Count(...))``;
    ``codes`` maps each provider code to its column. Zero counts are left out, as in ``counts``."""
    out: dict[str, Values] = {code: {} for code in codes}
    for row in rows:
        for code, column in codes.items():
            if row[column]:
                out[code][row[unit_field]] = Decimal(row[column])
    return out


def _membership_counts_periods(units: UnitIds, windows: Windows) -> list[dict[str, Values]]:
    """``_membership_counts`` of every window from one pass over the units' memberships: the same
    ``FILTER``s, one set per window (a back-dated admission recounts 15 kept periods: one query, not 15).

    Every admission, leaving and transfer runs this for its CĐCS in its own transaction, so it is written
    as SQL: the ORM spent ~3 ms composing the 45 filtered counts, three times the query itself. ``units``
    is best a plain list of ids (the planner reads a few units by index). The filters are ``active_on_q``'s
    rule: begun by the window's end and not ended on or before it."""
    from congdoan.members.models import Membership, Person
    from congdoan.org.models import OrgUnit

    if not isinstance(units, list | tuple):  # a subquery (tests, rebuild): read its ids
        units = OrgUnit.objects.filter(pk__in=units).values_list("pk", flat=True)
    ids = [int(u) for u in units]
    if not ids or not windows:
        return [{"members_total": {}, "members_female": {}, "members_admitted": {}} for _ in windows]
    columns_sql: list[str] = []
    params: list[Any] = []
    for start, end in windows:
        held = "m.join_date <= %s AND (m.end_date IS NULL OR m.end_date > %s)"
        columns_sql += [
            f"COUNT(*) FILTER (WHERE {held})",
            f"COUNT(*) FILTER (WHERE {held} AND p.gender = 'F')",
            "COUNT(*) FILTER (WHERE m.join_date >= %s AND m.join_date <= %s"
            " AND m.transferred_from_id IS NULL)",
        ]
        params += [end, end, end, end, start, end]
    sql = (
        f"SELECT m.cdcs_id, {', '.join(columns_sql)} FROM {Membership._meta.db_table} m"
        f" JOIN {Person._meta.db_table} p ON p.id = m.person_id"
        f" WHERE m.cdcs_id IN ({', '.join(['%s'] * len(ids))}) AND m.join_date <= %s GROUP BY m.cdcs_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids, max(end for _, end in windows)])
        rows = cursor.fetchall()
    out: list[dict[str, Values]] = []
    for i in range(len(windows)):
        found: dict[str, Values] = {"members_total": {}, "members_female": {}, "members_admitted": {}}
        for row in rows:
            for offset, code in enumerate(("members_total", "members_female", "members_admitted")):
                if row[1 + 3 * i + offset]:
                    found[code][row[0]] = Decimal(row[1 + 3 * i + offset])
        out.append(found)
    return out


def _membership_counts_sql(ids: list[int]) -> tuple[str, list[Any]]:
    """``_membership_counts_periods`` as a relation (``PeriodsSql``): the same filters, each window a row
    of ``w``, one row per unit, code and window. The units' memberships are read once (with the
    person's gender), then matched to every window: joined directly, the planner read them (and looked
    up each person) once per window — 15 × the rows of a big CĐCS."""
    return _memberships_sql("m.cdcs_id", ids)


def _memberships_added_sql(ids: list[int]) -> tuple[str, list[Any]]:
    """The same counting only the memberships ``ids`` (new ones: what an admission adds)."""
    return _memberships_sql("m.id", ids)


def _memberships_sql(column: str, ids: list[int]) -> tuple[str, list[Any]]:
    from congdoan.members.models import Membership, Person

    held = "m.end_date IS NULL OR m.end_date > w.end_date"
    sql = (
        "WITH m AS MATERIALIZED (SELECT m.cdcs_id, m.join_date, m.end_date,"
        " m.transferred_from_id IS NULL AS admission, p.gender = 'F' AS female"
        f" FROM {Membership._meta.db_table} m JOIN {Person._meta.db_table} p ON p.id = m.person_id"
        # A plain list, as in ``_membership_counts_periods``: the planner reads a few units by index.
        f" WHERE {column} IN ({', '.join(['%s'] * len(ids))})"
        " AND m.join_date <= (SELECT MAX(w.end_date) FROM w))"
        " SELECT c.cdcs_id AS unit_id, v.code, c.period, v.value FROM ("
        f"SELECT m.cdcs_id, w.period, COUNT(*) FILTER (WHERE {held}) AS total,"
        f" COUNT(*) FILTER (WHERE ({held}) AND m.female) AS female,"
        " COUNT(*) FILTER (WHERE m.join_date >= w.start_date AND m.admission) AS admitted"
        " FROM m JOIN w ON m.join_date <= w.end_date GROUP BY m.cdcs_id, w.period) c"
        " CROSS JOIN LATERAL (VALUES ('members_total', c.total), ('members_female', c.female),"
        " ('members_admitted', c.admitted)) AS v(code, value)"
    )
    return sql, [int(u) for u in ids]


register_batch("memberships", _membership_counts)
for code, label, records in (
    ("members_admitted", "Đoàn viên kết nạp mới trong kỳ", _admitted),
    ("members_total", "Tổng số đoàn viên cuối kỳ", _members_on),
    ("members_female", "Đoàn viên nữ cuối kỳ", _members_female),
):
    register_records(
        code, label, records, counted_at="cdcs_id", records_url="members:list", batch="memberships"
    )
# Kept per CĐCS and period: ``members.services`` and the member importer call
# ``core.registry.records_changed("memberships", …)`` (a person's gender change too: it moves "women").
keep(
    "memberships",
    batch="memberships",
    codes=("members_admitted", "members_total", "members_female"),
    periods_batch=_membership_counts_periods,
    periods_sql=_membership_counts_sql,
    added_sql=_memberships_added_sql,
)


def _workers(units: UnitIds, start: dt.date, end: dt.date) -> Values:
    from congdoan.members.models import WorkforceCount

    latest: dict[int, Decimal] = {}
    counts = WorkforceCount.objects.filter(cdcs_id__in=units, as_of__lte=end)
    if connection.vendor == "postgresql":
        # Only each CĐCS's latest count leaves the database (one per CĐCS and day: the same row).
        counts = counts.order_by("cdcs_id", "-as_of").distinct("cdcs_id")
    else:
        counts = counts.order_by("cdcs_id", "as_of")
    for cdcs_id, workers in counts.values_list("cdcs_id", "workers"):
        latest[cdcs_id] = Decimal(workers)
    return latest


def _workforce(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    return {"workers_total": _workers(units, start, end)}  # a batch of one: what ``keep`` counts with


register_batch("workforce", _workforce)
register(Provider(code="workers_total", label="Số lao động cuối kỳ", values=_workers, batch="workforce"))
# Kept per CĐCS and period: ``members.services.workforce_set`` calls
# ``core.registry.records_changed("workforce", …)`` (a stock: the latest count by the period's end).
keep("workforce", batch="workforce", codes=("workers_total",))


# -- org ---------------------------------------------------------------------------------------


def _grassroots(units: UnitIds) -> QuerySet[Any]:
    from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

    return OrgUnit.objects.filter(id__in=units, type__in=GRASSROOTS_TYPES)


def _founded(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return _grassroots(units).filter(founded_on__gte=start, founded_on__lte=end)


def _alive(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    from congdoan.org.selectors import cdcs_alive_on

    return cdcs_alive_on(units, end)


GrassrootsRow = tuple[int, str, dt.date | None, dt.date | None]  # pk, sector, founded_on, dissolved_on


_SHARED_READS: contextvars.ContextVar[dict[int, tuple[Any, list[GrassrootsRow]]] | None] = (
    contextvars.ContextVar("grassroots_rows", default=None)
)


@contextlib.contextmanager
def shared_unit_reads() -> Iterator[None]:
    """Within the block, ``grassroots_rows`` reads the units of one ``units`` object once: the engine's
    table asks three batches (agreements, conferences, CĐCS counts) for the same units, each reading
    the grassroots rows (30,000 rows for the nation, ~30 ms each)."""
    token = _SHARED_READS.set({})
    try:
        yield
    finally:
        _SHARED_READS.reset(token)


def grassroots_rows(units: UnitIds) -> list[GrassrootsRow]:
    """The grassroots unions among ``units``, for the batches that count units.

    The type is checked here, not in SQL: given ``id IN (<ids>) AND type IN (...)`` SQLite searches the
    type index and reads every CĐCS of the country (~20 ms for a district). No ORDER BY either (the
    model's order by code made SQLite walk the whole code index)."""
    shared = _SHARED_READS.get()
    if shared is not None:
        hit = shared.get(id(units))
        if hit is not None and hit[0] is units:  # the same object (held in the cache: its id is not reused)
            return hit[1]
        rows = _grassroots_rows(units)
        shared[id(units)] = (units, rows)
        return rows
    return _grassroots_rows(units)


def _grassroots_rows(units: UnitIds) -> list[GrassrootsRow]:
    from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

    rows = (
        OrgUnit.objects.filter(id__in=units)
        .order_by()
        .values_list("pk", "type", "sector", "founded_on", "dissolved_on")
    )
    return [(pk, sector, f, d) for pk, type_, sector, f, d in rows if type_ in GRASSROOTS_TYPES]


def _grassroots_counts(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    """CĐCS founded in the period and alive at its end, from one read of the grassroots units."""
    from congdoan.org.models import alive_on

    one = Decimal(1)
    founded: Values = {}
    alive: Values = {}
    for pk, _, founded_on, dissolved_on in grassroots_rows(units):
        if founded_on is not None and start <= founded_on <= end:
            founded[pk] = one
        if alive_on(founded_on, dissolved_on, end):
            alive[pk] = one
    return {"cdcs_founded": founded, "cdcs_total": alive}


register_batch("grassroots", _grassroots_counts)
register_records(
    "cdcs_founded", "CĐCS thành lập mới trong kỳ", _founded, records_url="org:unit_list", batch="grassroots"
)
register_records("cdcs_total", "Số CĐCS cuối kỳ", _alive, records_url="org:unit_list", batch="grassroots")
# Kept per CĐCS and period: they read only the unit's own type and dates, so the org services' writes
# (create, edit, dissolve, merge, import) report them through ``core.registry.units_changed``.
keep("grassroots", batch="grassroots", codes=("cdcs_founded", "cdcs_total"), reads_units=True)
