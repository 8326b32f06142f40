"""Leaf figures (issue 18): per-CĐCS figures kept by period, written by the write path.

Counting 10,000,000 memberships for the nation's table cannot take less than ~6 s on this machine; so for
the computed indicators whose sources are large, what each provider counts at each unit over each *kept*
period is stored (``LeafFigure``), and the engine sums those over the tree as it was at the period end.
They do not depend on the tree: restructuring never touches them.

- A source of records declares what it feeds (``keep``): the providers of one batch that count the
  records attached to a unit and, flagged ``reads_units``, the unit's own type, sector and dates (CĐCS
  counts, enterprise CĐCS, conferences expected): the org services report those through
  ``core.registry.units_changed``, which recounts every such source.
- Every service writing such records calls ``core.registry.records_changed(source, units, dates)`` in its
  transaction, with the units counted at before and after the change and every date touched (old and
  new: back-dated corrections, transfers). ``mark_dirty`` then recomputes, in that transaction, the kept
  periods that end on or after the earliest date (a stock such as "members at the end of the period"
  changes in every later period), for those units only, with the provider's own batch: the same query
  as the live engine, so the numbers cannot differ in meaning. A write that only adds records (an
  admission) names them (``records_changed(..., added=ids)``): what they count is added instead
  (``add_records``, with the provider's ``added_sql``: the same query over those records alone).
- ``KeptPeriod`` says which (provider, period) is kept for every unit (zero figures are not stored);
  ``rebuild`` recreates them from the records, ``verify`` recomputes live and lists every difference.
- The engine reads them only when ``settings.LEAF_FIGURES`` is on, the scope has at least
  ``LEAF_FIGURES_MIN_UNITS`` units and the window is the whole period (see ``engine._leaf_values``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from congdoan.core.periods import KINDS, Period, parse_period, periods_in
from congdoan.core.registry import UNIT_ATTRIBUTES, register_records_listener
from congdoan.core.sql import bigint_array, execute_prepared
from congdoan.org.models import OrgUnit

from .models import KeptPeriod, LeafFigure
from .providers import BATCHES, SOURCES, LeafSource, PeriodsSql, Values


def kept_codes() -> dict[str, LeafSource]:
    """Provider code → its source, for every provider that may be kept."""
    return {code: source for source in SOURCES.values() for code in source.codes}


# -- settings --------------------------------------------------------------------------------------


def enabled() -> bool:
    """The engine reads kept figures (writes go on regardless: they must be right when switched on)."""
    return bool(getattr(settings, "LEAF_FIGURES", True))


def min_units() -> int:
    return int(getattr(settings, "LEAF_FIGURES_MIN_UNITS", 2000))


def default_periods(today: dt.date | None = None) -> list[Period]:
    """The periods ``rebuild`` keeps when none is named: every period of the kinds
    ``LEAF_FIGURES_KINDS`` in the current year and the ``LEAF_FIGURES_YEARS - 1`` before it."""
    today = today or timezone.localdate()
    kinds = list(getattr(settings, "LEAF_FIGURES_KINDS", ("year", "half", "quarter")))
    years = int(getattr(settings, "LEAF_FIGURES_YEARS", 2))
    out: list[Period] = []
    for year in range(today.year - years + 1, today.year + 1):
        whole = parse_period(str(year))
        for kind in KINDS:
            if kind in kinds:
                out += [whole] if kind == "year" else list(periods_in(whole, kind))
    return out


# -- writing ---------------------------------------------------------------------------------------

_CHUNK = 2000  # units per query (SQLite allows a limited number of parameters)
# At most this many units (a service's write: one to a few CĐCS) are recounted in one statement on
# PostgreSQL; an import's hundreds keep the three steps, whose plans suit them (the one statement's
# joins of its CTEs, estimated at one row, took 22 s for 500 units against 1.3 s).
_FEW_UNITS = 20


def _units_param(ids: list[int]) -> Any:
    if connection.vendor == "postgresql":
        from django.db.models.expressions import RawSQL

        return RawSQL("SELECT unnest(%s::bigint[])", [bigint_array(ids)])
    return ids


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _count(source: LeafSource, units: Any, period: Period) -> dict[str, Values]:
    counted = BATCHES[source.batch](units, period.start, period.end)
    return {code: counted.get(code, {}) for code in source.codes}


def _count_periods(source: LeafSource, units: Any, periods: list[Period]) -> list[dict[str, Values]]:
    """``_count`` of each period: one query with the source's ``periods_batch``, else one per period."""
    if source.periods_batch is None:
        return [_count(source, units, period) for period in periods]
    found = source.periods_batch(units, [(p.start, p.end) for p in periods])
    return [{code: counted.get(code, {}) for code in source.codes} for counted in found]


def _rows(
    source: LeafSource, codes: set[str], counted: dict[str, Values], period: Period, now: dt.datetime
) -> list[LeafFigure]:
    return [
        LeafFigure(unit_id=unit_id, code=code, period=period.code, value=int(value), written_at=now)
        for code in source.codes
        if code in codes
        for unit_id, value in counted[code].items()
        if value
    ]


def mark_dirty(source_name: str, unit_ids: Iterable[int | None], dates: Iterable[dt.date | None]) -> int:
    """Recompute the kept figures of ``unit_ids`` fed by ``source_name`` in every kept period ending on or
    after the earliest of ``dates`` (all kept periods if no date is given). Returns the rows written.
    Runs in the caller's transaction (its own if none), without a savepoint of its own."""
    source = SOURCES.get(source_name)
    ids, first = _units_and_first(unit_ids, dates)
    if source is None or not ids:
        return 0
    with transaction.atomic(savepoint=False):
        _wait_for_other_writers(ids)
        return _recount(source, ids, first)


def _units_and_first(
    unit_ids: Iterable[int | None], dates: Iterable[dt.date | None]
) -> tuple[list[int], dt.date | None]:
    """The units in id order (the order their rows are locked in) and the earliest date (None: all)."""
    return sorted({u for u in unit_ids if u is not None}), min(
        (d for d in dates if d is not None), default=None
    )


def _wait_for_other_writers(ids: list[int]) -> None:
    """PostgreSQL: hold the units' rows until this transaction ends, waiting for any other transaction
    recounting one of them. A recount reads the records as its statement starts: two admissions into
    one CĐCS at once each counted without the other's uncommitted member, and the one written last
    won (a member lost). Taken in a statement of its own, so the recount's snapshot, taken after the
    wait, holds what the other committed; rows in id order, so two writers cannot wait for each
    other. Row locks, not advisory locks: an import's thousands of units do not fill the lock table;
    NO KEY: the foreign-key checks of the records' inserts, which share-lock the unit, are not blocked.
    SQLite lets one transaction write at a time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {OrgUnit._meta.db_table} WHERE id = ANY(%s::bigint[]) ORDER BY id"
            " FOR NO KEY UPDATE",
            [bigint_array(ids)],
        )


def _recount(source: LeafSource, ids: list[int], first: dt.date | None) -> int:
    if connection.vendor == "postgresql" and source.periods_sql is not None and len(ids) <= _FEW_UNITS:
        return _recount_in_one_statement(source.periods_sql, source.codes, ids, first)
    wanted: dict[str, set[str]] = defaultdict(set)
    for code, period_code in KeptPeriod.objects.filter(code__in=source.codes).values_list("code", "period"):
        wanted[period_code].add(code)
    periods = [
        (p, wanted[p.code]) for p in map(parse_period, sorted(wanted)) if first is None or p.end >= first
    ]
    if not periods:
        return 0
    now = timezone.now()
    written = 0
    # The old figures of those units: one DELETE per set of codes kept (usually one for every period).
    by_codes: dict[frozenset[str], list[str]] = defaultdict(list)
    for period, codes in periods:
        by_codes[frozenset(codes)].append(period.code)
    old = Q()
    for codes_kept, period_codes in by_codes.items():
        old |= Q(period__in=period_codes, code__in=sorted(codes_kept))
    for chunk in _chunks(ids):
        # A plain list: the planner sees a few units and reads them by index (an array
        # parameter it estimates at 100 rows, and chose a scan of every record by date).
        counted = _count_periods(source, chunk, [period for period, _ in periods])
        rows: list[LeafFigure] = []
        for (period, codes), found in zip(periods, counted, strict=True):
            rows += _rows(source, codes, found, period, now)
        if connection.vendor == "postgresql" and len(by_codes) == 1:
            ((codes_kept, period_codes),) = by_codes.items()
            _replace(chunk, sorted(codes_kept), period_codes, rows, now)
        else:
            LeafFigure.objects.filter(old, unit_id__in=chunk).delete()
            LeafFigure.objects.bulk_create(rows, batch_size=5000)
        written += len(rows)
    return written


def _replace(
    unit_ids: list[int], codes: list[str], period_codes: list[str], rows: list[LeafFigure], now: dt.datetime
) -> None:
    """PostgreSQL: the kept figures of ``unit_ids`` × ``codes`` × ``period_codes`` become ``rows``, in one
    statement — the figures not in ``rows`` (now zero) deleted, the others inserted or updated in place."""
    sql = (
        "WITH new AS (SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bigint[])"
        " AS n(unit_id, code, period, value)),"
        " gone AS (DELETE FROM indicators_leaffigure f"
        " WHERE f.unit_id = ANY(%s::bigint[]) AND f.code = ANY(%s::text[]) AND f.period = ANY(%s::text[])"
        " AND NOT EXISTS (SELECT 1 FROM new"
        " WHERE new.unit_id = f.unit_id AND new.code = f.code AND new.period = f.period))"
        " INSERT INTO indicators_leaffigure (unit_id, code, period, value, written_at)"
        " SELECT unit_id, code, period, value, %s FROM new"
        " ON CONFLICT (code, period, unit_id)"
        " DO UPDATE SET value = EXCLUDED.value, written_at = EXCLUDED.written_at"
    )
    params: list[Any] = [
        bigint_array([r.unit_id for r in rows]),
        [r.code for r in rows],
        [r.period for r in rows],
        bigint_array([r.value for r in rows]),
        bigint_array(unit_ids),
        codes,
        period_codes,
        now,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# The bounds of a kept period's code ``k.period`` — year ``2024``, half ``2024S1``, quarter ``2024Q2``,
# month ``202405`` (a term does not fit the column) — as ``core.periods.parse_period`` gives them
# (tested against it): the statement below reads the kept periods itself, so no copy can be stale.
_PERIOD_START_SQL = (
    "make_date(left(k.period, 4)::int, CASE WHEN length(k.period) = 4 THEN 1"
    " WHEN substr(k.period, 5, 1) = 'S' THEN 6 * substr(k.period, 6, 1)::int - 5"
    " WHEN substr(k.period, 5, 1) = 'Q' THEN 3 * substr(k.period, 6, 1)::int - 2"
    " ELSE substr(k.period, 5, 2)::int END, 1)"
)
_PERIOD_MONTHS_SQL = (
    "CASE WHEN length(k.period) = 4 THEN 12 WHEN substr(k.period, 5, 1) = 'S' THEN 6"
    " WHEN substr(k.period, 5, 1) = 'Q' THEN 3 ELSE 1 END"
)
_KEPT_SQL = (
    "SELECT b.code, b.period, b.start_date, (b.start_date + make_interval(months => b.months))::date - 1"
    f" AS end_date FROM (SELECT k.code, k.period, {_PERIOD_START_SQL} AS start_date,"
    f" {_PERIOD_MONTHS_SQL} AS months FROM {KeptPeriod._meta.db_table} k WHERE k.code = ANY(%s::text[])) b"
)


def _counted_sql(
    periods_sql: PeriodsSql, codes: tuple[str, ...], ids: list[int], first: dt.date | None
) -> tuple[str, list[Any]]:
    """The CTEs the two statements below start with: ``kept``, the kept periods of ``codes``; ``w``, those
    ending on or after ``first``; ``new``, what ``periods_sql`` of ``ids`` counts in them (not zero)."""
    counted, counted_params = periods_sql(ids)
    sql = (
        f"WITH kept AS ({_KEPT_SQL}),"
        " w AS (SELECT DISTINCT period, start_date, end_date FROM kept"
        " WHERE %s::date IS NULL OR end_date >= %s::date),"
        # Counted once: left to the planner, whose estimate of the kept periods is a guess, the
        # count could land inside a nested loop and run once per kept row (seen: 25 ms).
        f" counted AS MATERIALIZED ({counted}),"
        " new AS (SELECT c.unit_id, c.code, c.period, c.value FROM counted c"
        " JOIN kept ON kept.code = c.code AND kept.period = c.period WHERE c.value <> 0)"
    )
    return sql, [list(codes), first, first, *counted_params]


def _recount_in_one_statement(
    periods_sql: PeriodsSql, codes: tuple[str, ...], ids: list[int], first: dt.date | None
) -> int:
    """PostgreSQL, a source with ``periods_sql``, a few units: ``mark_dirty`` in one statement — the
    kept periods of its ``codes`` ending on or after ``first`` read, the units recounted over them,
    their figures replaced (zeros deleted, the others upserted). One round trip instead of three: an
    admission's own statements take ~4 ms, so each round trip and Python step was a visible share."""
    table = LeafFigure._meta.db_table
    counted, params = _counted_sql(periods_sql, codes, ids, first)
    sql = (
        f"{counted}, gone AS (DELETE FROM {table} f USING kept"
        " WHERE f.code = kept.code AND f.period = kept.period AND f.unit_id = ANY(%s::bigint[])"
        " AND (%s::date IS NULL OR kept.end_date >= %s::date)"
        " AND NOT EXISTS (SELECT 1 FROM new"
        " WHERE new.unit_id = f.unit_id AND new.code = f.code AND new.period = f.period))"
        f" INSERT INTO {table} (unit_id, code, period, value, written_at)"
        " SELECT unit_id, code, period, value, %s FROM new"
        " ON CONFLICT (code, period, unit_id)"
        " DO UPDATE SET value = EXCLUDED.value, written_at = EXCLUDED.written_at"
        # A figure the write did not change is not rewritten (an admission changes the women
        # of no period, or its own admissions only in the periods holding its date): each
        # rewrite is a new row version and three index entries (``written_at`` is indexed).
        f" WHERE {table}.value <> EXCLUDED.value"
    )
    params += [bigint_array(ids), first, first, timezone.now()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def add_records(
    source_name: str, unit_ids: Iterable[int | None], dates: Iterable[dt.date | None], record_ids: list[int]
) -> int:
    """Records ``record_ids`` of ``source_name`` were added (nothing else changed), counted at
    ``unit_ids`` on ``dates``: on PostgreSQL, for a source with ``added_sql``, what they count in each
    kept period is added to the figures in one statement — no recount of the units, no figure deleted
    (an addition only adds), prepared once per connection; otherwise ``mark_dirty``. Returns the rows
    written. An admission's kept figures: ~1.0 ms today instead of ~1.6–2.3 by a recount, ~1.9 ms
    back-dated two years instead of ~2.4–5 (``docs/scaling.md``, eleventh pass)."""
    source = SOURCES.get(source_name)
    if source is None or source.added_sql is None or connection.vendor != "postgresql" or not record_ids:
        return mark_dirty(source_name, unit_ids, dates)
    ids, first = _units_and_first(unit_ids, dates)
    table = LeafFigure._meta.db_table
    counted, params = _counted_sql(source.added_sql, source.codes, sorted(record_ids), first)
    sql = (
        f"{counted} INSERT INTO {table} (unit_id, code, period, value, written_at)"
        " SELECT unit_id, code, period, value, %s FROM new"
        " ON CONFLICT (code, period, unit_id)"
        f" DO UPDATE SET value = {table}.value + EXCLUDED.value, written_at = EXCLUDED.written_at"
    )
    with transaction.atomic(savepoint=False):
        # A recount of these units running at the same time must see the records added, and an
        # addition must not be overwritten by a recount that did not: the same wait as a recount's.
        _wait_for_other_writers(ids)
        return execute_prepared(sql, [*params, timezone.now()])


def _listener(source: str, unit_ids: list[int], dates: list[dt.date | None], added: list[int]) -> None:
    if source == UNIT_ATTRIBUTES:  # a unit's type, sector or dates: every source reading them
        for name, kept in SOURCES.items():
            if kept.reads_units:
                mark_dirty(name, unit_ids, dates)
        return
    if added:
        add_records(source, unit_ids, dates, added)
    else:
        mark_dirty(source, unit_ids, dates)


register_records_listener(_listener)


@transaction.atomic
def rebuild(periods: Iterable[Period] | None = None, *, codes: Iterable[str] | None = None) -> int:
    """Recreate the kept figures of ``periods`` (``default_periods()`` if None) from the records, for
    every unit, and mark them kept. Returns the number of rows written."""
    from congdoan.org.models import OrgUnit

    wanted = set(codes) if codes is not None else set(kept_codes())
    written = 0
    for period in periods if periods is not None else default_periods():
        for source in SOURCES.values():
            mine = wanted & set(source.codes)
            if not mine:
                continue
            now = timezone.now()
            counted = _count(source, OrgUnit.objects.order_by().values("pk"), period)
            LeafFigure.objects.filter(period=period.code, code__in=mine).delete()
            rows = _rows(source, mine, counted, period, now)
            LeafFigure.objects.bulk_create(rows, batch_size=5000)
            written += len(rows)
            for code in mine:
                KeptPeriod.objects.update_or_create(code=code, period=period.code, defaults={"built_at": now})
    return written


def drop(periods: Iterable[Period] | None = None) -> int:
    """Stop keeping ``periods`` (all if None): the engine counts them live again."""
    kept = KeptPeriod.objects.all()
    figures = LeafFigure.objects.all()
    if periods is not None:
        codes = [p.code for p in periods]
        kept, figures = kept.filter(period__in=codes), figures.filter(period__in=codes)
    with transaction.atomic():
        figures.delete()
        return kept.delete()[0]


# -- reading ---------------------------------------------------------------------------------------


def kept_for(period: Period, codes: Iterable[str]) -> set[str]:
    """Which of the provider ``codes`` are kept for ``period``."""
    return set(
        KeptPeriod.objects.filter(period=period.code, code__in=list(codes)).values_list("code", flat=True)
    )


def values(codes: Iterable[str], period: Period, units: Any) -> dict[str, Values]:
    """Kept figures of ``codes`` in ``period`` for the units of the ``units`` subquery (``None``: all)."""
    out: dict[str, Values] = {code: {} for code in codes}
    qs = LeafFigure.objects.filter(period=period.code, code__in=list(out)).order_by()
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    # The rows straight from the cursor, fetched in batches: the ORM's row converters (not needed by
    # these columns) or a Python call per row cost ~1/3 and ~3× more for the nation's 1,000,000.
    sql, params = qs.values_list("code", "unit_id", "value").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(50_000):
            for code, unit_id, value in rows:
                out[code][unit_id] = Decimal(value)
    return out


def sums_by_anchor(codes: Iterable[str], period: Period, lookup: str) -> dict[str, Values]:
    """PostgreSQL: kept figures of ``codes`` in ``period`` summed per anchor, in one query. ``lookup`` is
    an array literal indexed by unit id giving the shown unit each unit of the table adds to
    (``engine._Tree.anchor_lookup``; 0, or past its end, for a unit outside the table, which is left
    out as ``values`` leaves it). A subscript per figure, not a join: the nation's 1,000,000 figures
    of a year were hashed for the join (1.06 s quiet); looked up, 0.55 s."""
    out: dict[str, Values] = {code: {} for code in codes}
    sql = (
        "SELECT f.code, f.anchor, SUM(f.value) FROM (SELECT code, value, (%s::bigint[])[unit_id] AS anchor"
        " FROM indicators_leaffigure WHERE period = %s AND code = ANY(%s::text[])) f"
        " WHERE f.anchor <> 0 GROUP BY f.code, f.anchor"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lookup, period.code, sorted(out)])
        for code, anchor, value in cursor.fetchall():
            out[code][anchor] = Decimal(int(value))
    return out


def last_written(period: Period) -> dt.datetime | None:
    """When the kept figures of ``period`` were last written (rebuilt or updated by a record change)."""
    built = KeptPeriod.objects.filter(period=period.code).aggregate(m=Max("built_at"))["m"]
    if built is None:
        return None
    written = LeafFigure.objects.filter(period=period.code).aggregate(m=Max("written_at"))["m"]
    return max(built, written) if written else built


# -- checking --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    code: str
    period: str
    unit_id: int
    kept: Decimal
    live: Decimal


def verify(periods: Iterable[Period] | None = None, *, under: Any = None) -> list[Difference]:
    """Recompute every kept figure live (of ``periods``, all kept if None; of the units under the unit
    ``under`` at each period's end, all if None) and list every difference."""
    from congdoan.org import tree
    from congdoan.org.models import OrgUnit

    kept: dict[str, set[str]] = defaultdict(set)
    qs = KeptPeriod.objects.all()
    if periods is not None:
        qs = qs.filter(period__in=[p.code for p in periods])
    for code, period_code in qs.values_list("code", "period"):
        kept[period_code].add(code)
    out: list[Difference] = []
    by_code = kept_codes()
    for period_code in sorted(kept):
        period = parse_period(period_code)
        if under is None:
            units: Any = OrgUnit.objects.order_by().values("pk")
            ids: set[int] | None = None
        else:
            ids = {row[0] for row in tree.tree_rows([under.pk], period.end)}
            units = _units_param(sorted(ids)) if connection.vendor == "postgresql" else None
        codes = kept[period_code]
        stored = values(codes, period, units if connection.vendor == "postgresql" else None)
        for source in {by_code[c] for c in codes if c in by_code}:
            if ids is not None and connection.vendor != "postgresql":
                counted: dict[str, Values] = defaultdict(dict)
                for chunk in _chunks(sorted(ids)):
                    for code, found in _count(source, chunk, period).items():
                        counted[code].update(found)
            else:
                counted = _count(source, units, period)
            for code in codes & set(source.codes):
                live = {u: v for u, v in counted[code].items() if v}
                mine = {u: v for u, v in stored[code].items() if ids is None or u in ids}
                for unit_id in sorted(set(live) | set(mine)):
                    if live.get(unit_id, Decimal(0)) != mine.get(unit_id, Decimal(0)):
                        out.append(
                            Difference(
                                code,
                                period_code,
                                unit_id,
                                mine.get(unit_id, Decimal(0)),
                                live.get(unit_id, Decimal(0)),
                            )
                        )
        for code in codes - set(by_code):  # a provider no longer kept by any source: every row differs
            for unit_id, value in stored[code].items():
                out.append(Difference(code, period_code, unit_id, value, Decimal(0)))
    return out
