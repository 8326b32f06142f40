"""The roll-up engine: value, target and achievement of an indicator for a unit and period.

One engine serves pages, API, exports, reports and the CLI. Rules (architecture §4):
- the tree is taken as it was at the end of the period — or, for a unit that ended during the
  period, on its last day, with only records up to that day ("shown up to their last day");
- every record counts at the unit it is attached to, then sums up the tree (stocks too: members
  at the end of the period of the units below);
- a ratio is the ratio of the summed numerator and denominator, never a mean of percentages;
- a unit's target is its own if set, else the sum of its children's (not for ratios: a share
  handed down is a share, it cannot be added up). A summed target is compared like with like: the
  achievement divides the actual of the children that have a target (``Figure.compared``), not the
  whole actual — sector unions without a target must not lift a city to 210 % when its districts are
  at 80–129 % — and ``Figure.children_without_target`` says how many were left out.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar, overload

from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate

from congdoan.core.periods import KINDS, Period, parse_period, periods_in
from congdoan.core.sql import bigint_array
from congdoan.org import tree
from congdoan.org.models import OrgLink, OrgUnit

from . import leaf
from .models import DataValue, Indicator, Target
from .providers import BATCHES, Values, get_provider, shared_unit_reads

ZERO = Decimal(0)

_T = TypeVar("_T")

Row = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]  # value, target, num, den


@dataclass(slots=True)
class Figure:
    unit: OrgUnit
    depth: int
    value: Decimal | None
    target: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    start: dt.date
    end: dt.date
    ended: bool  # the unit ended during the period: figures stop at its last day
    # A target summed from the children's: the actual of the children that have one (None: the target
    # is the unit's own, or there is none, and the whole value is compared) and how many have none.
    compared: Decimal | None = None
    children_without_target: int = 0
    # Summed from kept figures (``leaf``): when those were last written; None: counted live.
    kept_at: dt.datetime | None = None

    @property
    def achievement(self) -> Decimal | None:
        """Actual / target, like with like: under a summed target, the actual of the children that
        have a target (``compared``); else the whole value."""
        if self.value is None or not self.target:
            return None
        return (self.compared if self.compared is not None else self.value) / self.target


@dataclass
class _Cells:
    """One indicator's figures for the units of a tree, as ``Row`` on demand (no tuple per unit made in
    advance: a nation's table has 26 × 144,000 of them)."""

    values: dict[int, Decimal | None]  # for a ratio: the numerators
    targets: dict[int, Decimal | None]
    denominators: dict[int, Decimal | None] | None = None  # a ratio's
    summed: _Summed | None = None  # units whose target is their children's (not for ratios)

    def row(self, unit_id: int) -> Row:
        target = self.targets.get(unit_id)
        if self.denominators is None:
            return (self.values[unit_id], target, None, None)
        n, d = self.values[unit_id], self.denominators[unit_id]
        return ((n or ZERO) / d if d else None, target, n, d)

    def comparison(self, unit_id: int) -> tuple[Decimal | None, int]:
        """``Figure.compared`` and ``Figure.children_without_target`` of a unit."""
        if self.summed is None or unit_id not in self.summed.compared:
            return None, 0
        return self.summed.compared[unit_id], self.summed.without_target.get(unit_id, 0)


@dataclass
class _Summed:
    """For units whose target is the sum of their children's: the actual of the children that have a
    target (their own or summed), and the number of children without one."""

    compared: dict[int, Decimal]
    without_target: dict[int, int]


def _compare_like_with_like(
    rows: list[tuple[int, int | None, int]],
    totals: dict[int, Decimal | None],
    own: set[int],
    targets: dict[int, Decimal | None],
) -> _Summed:
    """Deepest first: a child with a target passes up what its target covers (its whole actual when
    the target is its own, else what its targeted children did); a child without one is counted.
    ``rows``: the units walked (the tree's; the shown ones when nothing below them is compared)."""
    covered: dict[int, Decimal] = {}
    compared: dict[int, Decimal] = {}
    without: dict[int, int] = defaultdict(int)
    for unit_id, parent_id, _ in reversed(rows):
        if unit_id in own:
            covered[unit_id] = totals.get(unit_id) or ZERO
        elif targets.get(unit_id) is not None:
            covered[unit_id] = compared[unit_id] = compared.get(unit_id, ZERO)
        if parent_id is None or parent_id in own:
            continue
        if unit_id in covered:
            compared[parent_id] = compared.get(parent_id, ZERO) + covered[unit_id]
        else:
            without[parent_id] += 1
    return _Summed(
        {u: c for u, c in compared.items() if u not in own and targets.get(u) is not None}, without
    )


class _derived(Generic[_T]):  # lower case: a decorator, like ``functools.cached_property``
    """A property of a ``_Tree`` computed once, kept in its ``derived`` dict — which the copies of a kept
    tree share (``_Tree.copy``): what one table derived from a kept tree serves the next one."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute, self.name = compute, compute.__name__

    def __get__(self, tree: Any, owner: Any = None) -> _T:
        try:
            return tree.derived[self.name]  # type: ignore[no-any-return]
        except KeyError:
            value = tree.derived[self.name] = self.compute(tree)
            return value


@dataclass(eq=False)  # compared and hashed by identity: a table groups its parts by the tree they sum by
class _Tree:
    """The units under ``root_ids`` on ``end`` (roots at depth 0), ordered by depth, counted over
    ``[start, end]``. Several roots make a forest: children that ended the same day are counted together."""

    root_ids: list[int]
    rows: list[tuple[int, int | None, int]]  # (id, parent_id, depth)
    start: dt.date
    end: dt.date
    # Indicators whose figures were read from kept figures (``leaf``), and when those were last written.
    kept: set[int] = field(default_factory=set)
    kept_at: dt.datetime | None = None
    # The deepest level whose figures are read (``rollup_table``'s ``depth``; None: every unit).
    limit: int | None = None
    derived: dict[str, Any] = field(default_factory=dict, repr=False)  # see ``_derived``

    @_derived
    def anchors(self) -> dict[int, int]:
        """Each unit → the unit whose figure it adds to directly: itself down to ``limit``, below it
        its ancestor at ``limit`` (for ``_sum_up`` of a depth-limited table, such as a dashboard)."""
        anchor: dict[int, int] = {}
        for unit_id, parent_id, depth in self.rows:  # by depth: parents first
            shown = self.limit is None or depth <= self.limit or parent_id is None
            anchor[unit_id] = unit_id if shown else anchor[parent_id]  # type: ignore[index]
        return anchor

    @_derived
    def anchor_lookup(self) -> str:
        """``anchors`` for the sums per anchor computed in SQL (``_by_anchor``): a PostgreSQL array literal
        indexed by unit id (0, or past its end: a unit outside the tree). Unit ids are dense (units are
        ended, never deleted), so its length is about the number of units."""
        anchors = self.anchors
        lookup = [0] * max(anchors, default=0)
        for unit_id, anchor in anchors.items():
            lookup[unit_id - 1] = anchor
        return bigint_array(lookup)

    @_derived
    def shown_ids(self) -> list[int]:
        """The units down to ``limit``."""
        return [u for u, a in self.anchors.items() if u == a]

    def table_units(self) -> list[tuple[OrgUnit, int]]:
        """The units down to ``limit`` with their level, as a table shows them: the root, then by level
        and name. A kept tree keeps them too (its version changes with every change of a unit), up to
        ``_KEEP_UNITS`` of them: the nation's 150,000 would hold ~300 MB in each process."""
        found: list[tuple[OrgUnit, int]] | None = self.derived.get("table_units")
        if found is not None:
            return found
        levels = {u: depth for u, _, depth in self.rows if self.limit is None or depth <= self.limit}
        root_id = self.rows[0][0]
        every = _most_units(self) and len(levels) == len(self.rows)
        by_name = _units_by_name(list(levels), every)
        # The root first, then sorted by level alone: the sort keeps the order by name within a level
        # (a sort by name here compared 144,000 long keys with long common prefixes: ~0.5 s).
        by_level = sorted(by_name, key=lambda unit: (unit.id != root_id, levels[unit.id]))
        found = [(unit, levels[unit.id]) for unit in by_level]
        if len(found) <= _KEEP_UNITS:
            self.derived["table_units"] = found
        return found

    @_derived
    def zeros(self) -> dict[int, Decimal | None]:
        """Every unit → zero: the start of a sum (copied: faster than made anew)."""
        return dict.fromkeys(self.ids, ZERO)

    @_derived
    def nones(self) -> dict[int, Decimal | None]:
        """Every unit → None (nothing reported): the start of a sum of entered values."""
        return dict.fromkeys(self.ids, None)

    @_derived
    def depths(self) -> dict[int, int]:
        return {unit_id: depth for unit_id, _, depth in self.rows}

    def copy(self) -> _Tree:
        """A copy sharing the units and what is derived from them (anchors, arrays, deeper trees), with
        nothing yet read from kept figures: a kept tree's, for one table."""
        twin = copy.copy(self)
        twin.kept, twin.kept_at = set(), None
        return twin

    def down_to(self, limit: int) -> _Tree:
        """This tree shown down to ``limit`` (same units and window; its anchors and sums its own)."""
        deeper = self.derived.get(f"down_to {limit}")
        if deeper is None:
            deeper = self.derived[f"down_to {limit}"] = _Tree(
                self.root_ids, self.rows, self.start, self.end, limit=limit
            )
        return deeper

    @_derived
    def shown_rows(self) -> list[tuple[int, int | None, int]]:
        """``rows`` of the units down to ``limit``."""
        anchors = self.anchors
        return [row for row in self.rows if anchors[row[0]] == row[0]]

    @_derived
    def shown_child_parent(self) -> list[tuple[int, int]]:
        """``child_parent`` of the units down to ``limit``."""
        anchors = self.anchors
        return [(u, p) for u, p in self.child_parent if anchors[u] == u]

    @_derived
    def parents(self) -> dict[int, int]:
        """Each unit but the roots → its parent in the tree."""
        return {unit_id: parent_id for unit_id, parent_id, _ in self.rows if parent_id is not None}

    @_derived
    def ids(self) -> list[int]:
        return [r[0] for r in self.rows]

    @_derived
    def with_children(self) -> set[int]:
        """The units that have children in the tree."""
        return set(self.parents.values())

    @_derived
    def childless_by_parent(self) -> list[tuple[int, tuple[int, ...]]]:
        """Each unit's children that have no children of their own (for ``_sum_up``)."""
        inner = self.with_children
        found: dict[int, list[int]] = defaultdict(list)
        for unit_id, parent_id in self.parents.items():
            if unit_id not in inner:
                found[parent_id].append(unit_id)
        return [(parent_id, tuple(children)) for parent_id, children in found.items()]

    @_derived
    def inner_child_parent(self) -> list[tuple[int, int]]:
        """``child_parent`` of the units that have children, deepest first."""
        inner = self.with_children
        return [(unit_id, parent_id) for unit_id, parent_id in self.child_parent if unit_id in inner]

    @_derived
    def child_parent(self) -> list[tuple[int, int]]:
        """(unit, parent) of every unit but the roots, deepest first: the order of every sum up the tree."""
        return [
            (unit_id, parent_id) for unit_id, parent_id, _ in reversed(self.rows) if parent_id is not None
        ]


def window(unit: OrgUnit, period: Period, until: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The part of ``period`` in which ``unit`` existed (clipped at its last day, and at ``until``:
    the last day a read-only viewer may see)."""
    end = min(period.end, until) if until else period.end
    if unit.dissolved_on is not None and unit.dissolved_on <= end:
        end = unit.dissolved_on - dt.timedelta(days=1)
    start = period.start
    if unit.founded_on is not None and unit.founded_on > start:
        start = min(unit.founded_on, end)
    return start, end


def contained_codes(period: Period) -> dict[str, int]:
    """Every period code inside ``period`` → its coarseness rank (0 = the period itself)."""
    codes = {period.code: 0}
    own = KINDS.index(period.kind)
    for rank, kind in enumerate(KINDS[own + 1 :], start=1):
        for p in periods_in(period, kind):
            codes[p.code] = rank
    return codes


def _entered_values(
    indicators: list[Indicator], units: Any, period: Period, end: dt.date
) -> dict[int, Values]:
    """Entered values per indicator and unit, in one query: the value for the period itself, else its
    coarsest parts (summed for ``sum``, the latest for ``last``). Values of periods that start after
    ``end`` (a unit's or a read-only viewer's last day) are left out — the period's own value too: a
    2026 figure is not seen through a window that closed in 2025 (``Scope.period_q``'s rule)."""
    ranks = contained_codes(period)
    found: dict[tuple[int, int], list[tuple[int, str, Decimal]]] = defaultdict(list)
    values = DataValue.objects.filter(indicator__in=[i.pk for i in indicators], period__in=list(ranks))
    if units is not None:  # None: every unit (the nation's; the others' values are never summed)
        values = values.filter(unit_id__in=units)
    for indicator_id, unit_id, code, value in values.values_list(
        "indicator_id", "unit_id", "period", "value"
    ):
        found[indicator_id, unit_id].append((ranks[code], code, value))
    last = {i.pk: i.aggregation == Indicator.Aggregation.LAST for i in indicators}
    result: dict[int, Values] = {i.pk: {} for i in indicators}
    starts = {code: parse_period(code).start for code in ranks}
    for (indicator_id, unit_id), all_items in found.items():
        if len(all_items) == 1:  # the common case (one value per unit): no sorting
            _, code, value = all_items[0]
            if starts[code] <= end:
                result[indicator_id][unit_id] = value
            continue
        items = [item for item in all_items if starts[item[1]] <= end]
        if not items:
            continue
        best = min(rank for rank, _, _ in items)
        chosen = sorted((code, value) for rank, code, value in items if rank == best)
        if last[indicator_id]:
            result[indicator_id][unit_id] = chosen[-1][1]
        else:
            result[indicator_id][unit_id] = sum((v for _, v in chosen), ZERO)
    return result


def _units(t: _Tree) -> Any:
    """The tree's units as an ``id IN (...)`` subquery for the providers.

    On PostgreSQL the ids already read by ``tree_rows`` go back as one array parameter: the planner
    then knows how many units there are (it cannot estimate a recursive CTE: it guessed 200 rows ×
    243 memberships for a district and joined 10M persons by a sequential scan for "members who are
    women", 3–4 s instead of ~60 ms), and the CTE is not walked again in every provider's query.
    When the tree holds most units (the nation), every unit is read instead: filtering 10M records by a
    144,000-id list costs more than counting them all, and records of units outside the tree are
    never summed (``_sum_up`` reads only the tree's units).
    SQLite: the ids as a list up to ``_IN_LIST_MAX`` (with ``id IN (<CTE>) AND type IN (...)`` it
    scanned every CĐCS of the type index: ~20 ms per query for a district), else the subtree CTE."""
    if connection.vendor == "postgresql":
        if _most_units(t):
            return OrgUnit.objects.order_by().values("pk")
        return _id_list(t.ids)
    if len(t.rows) <= _IN_LIST_MAX:  # SQLite: an id list is searched by rowid, the CTE is not
        return t.ids
    return tree.in_subtree(t.root_ids, t.end)


def subtree_units(root_id: int, on: dt.date) -> Any:
    """The units under ``root_id`` on ``on`` as a subquery for a provider's ``records`` (drill-down),
    chosen as for the figures (``_units``): the list behind a figure is read with the same plan."""
    if connection.vendor == "postgresql":
        return _id_list([row[0] for row in tree.tree_rows([root_id], on)])
    return tree.in_subtree([root_id], on)


def _most_units(t: _Tree) -> bool:
    """PostgreSQL: whether the tree holds most units (the nation's): its records are read for every unit
    rather than filtered by a list of 150,000 ids (see ``_units``)."""
    return connection.vendor == "postgresql" and len(t.rows) > _BIG_TREE and len(t.rows) * 2 > _unit_count()


def _unit_count() -> int:
    """The planner's estimate of the number of units (no count of 150,000 rows on each call)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'org_orgunit'::regclass")
        estimate = int(cursor.fetchone()[0])
    return estimate if estimate >= 0 else OrgUnit.objects.count()  # -1: never analysed


def _leaf_values(
    indicators: list[Indicator], t: _Tree, period: Period, anchored: dict[int, _Tree] | None = None
) -> dict[int, Values]:
    """indicator id → each unit's own value (records attached to it, or its entered value).

    Each provider is asked once; providers of one batch are answered by a single query when the table
    needs two or more of them; all entered indicators come from one query.

    For the indicators in ``anchored`` (a depth-limited table on PostgreSQL, see ``_by_anchor``) the
    kept figures and entered values come already summed per anchor of the tree given — ``{anchor: sum}``,
    which ``_sum_up_shown`` sums up exactly as it would the units' own values."""
    with shared_unit_reads():
        return _read_leaf_values(indicators, t, period, anchored or {})


def _read_leaf_values(
    indicators: list[Indicator], t: _Tree, period: Period, anchored: dict[int, _Tree]
) -> dict[int, Values]:
    units = _units(t)
    if connection.vendor == "postgresql" and len(t.rows) > _BIG_TREE and connection.in_atomic_block:
        # Counting a province's or the nation's records groups millions of rows by 10,000s of units: with
        # the default 4 MB the hash tables spill to disk (14 s instead of 7 s for the nation's members).
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{_BIG_WORK_MEM}'")
    computed = [i for i in indicators if i.source == Indicator.Source.COMPUTED]
    entered = [i for i in indicators if i.source != Indicator.Source.COMPUTED]
    providers = {i.pk: get_provider(i.provider) for i in computed}
    by_code: dict[str, Values] = {}
    kept = _kept(t, period, {p.code for p in providers.values()})
    if kept:
        # A provider's kept figures summed per anchor when every indicator it serves here is summed by
        # the same tree's anchors; else every unit's (one provider may serve several indicators).
        trees: dict[str, set[_Tree | None]] = defaultdict(set)
        for pk, provider in providers.items():
            trees[provider.code].add(anchored.get(pk))
        by_tree: dict[int, tuple[_Tree, set[str]]] = {}
        for code in kept:
            (tree_of,) = trees[code] if len(trees[code]) == 1 else (None,)
            if tree_of is not None:
                by_tree.setdefault(id(tree_of), (tree_of, set()))[1].add(code)
        for tree_of, codes in by_tree.values():
            by_code.update(leaf.sums_by_anchor(codes, period, tree_of.anchor_lookup))
        if kept - set(by_code):
            every = _most_units(t)  # no filter: the figures of units outside the tree are never summed
            by_code.update(leaf.values(kept - set(by_code), period, None if every else units))
        t.kept = {pk for pk, provider in providers.items() if provider.code in kept}
        t.kept_at = leaf.last_written(period)
    wanted: dict[str, set[str]] = defaultdict(set)
    for provider in providers.values():
        if provider.batch and provider.code not in kept:
            wanted[provider.batch].add(provider.code)
    for batch, codes in wanted.items():
        if len(codes) > 1:
            counted = BATCHES[batch](units, t.start, t.end)
            by_code.update({code: found for code, found in counted.items() if code not in kept})
    out: dict[int, Values] = {}
    for indicator in computed:
        provider = providers[indicator.pk]
        if provider.code not in by_code:
            by_code[provider.code] = provider.values(units, t.start, t.end)
        out[indicator.pk] = by_code[provider.code]
    if entered:
        entered_by_tree: dict[int, tuple[_Tree, list[Indicator]]] = {}
        for indicator in entered:
            if indicator.pk in anchored:
                tree_of = anchored[indicator.pk]
                entered_by_tree.setdefault(id(tree_of), (tree_of, []))[1].append(indicator)
        for tree_of, summed_entered in entered_by_tree.values():
            out.update(_entered_by_anchor(summed_entered, tree_of, period))
        per_unit_entered = [i for i in entered if i.pk not in anchored]
        if per_unit_entered:
            every = _most_units(t)  # no filter, as for the kept figures above
            out.update(_entered_values(per_unit_entered, None if every else units, period, t.end))
    return out


def _by_anchor(t: _Tree) -> bool:
    """Whether the table's kept figures and entered values may be summed per anchor in SQL: a
    depth-limited table (a dashboard) on PostgreSQL, whose shown units are few."""
    return t.limit is not None and connection.vendor == "postgresql"


def _entered_by_anchor(indicators: list[Indicator], t: _Tree, period: Period) -> dict[int, Values]:
    """``_entered_values`` summed per anchor (``_Tree.anchors``) in one query: each unit's value chosen
    by the same rule (the period's own, else its coarsest parts starting by ``t.end``: summed for
    ``sum``, the latest code for ``last``), then added up per anchor. An anchor none of whose units has
    a value is left out (not reported), as a unit is in ``_entered_values``."""
    ranks = contained_codes(period)
    codes = [code for code in ranks if parse_period(code).start <= t.end]
    if not codes:  # the window closed before the period began (its own code is first, if any)
        return {i.pk: {} for i in indicators}
    parts = [code for code in codes if code != period.code]
    last = [i.pk for i in indicators if i.aggregation == Indicator.Aggregation.LAST]
    lookup = t.anchor_lookup
    # A unit's value for the period itself wins whatever its parts (rank 0): those rows are summed
    # straight (most units report the period itself: the windows sorted all of them, ~0.2 s of the
    # nation's dashboard). The others' parts are chosen by the windows: the rows of the best
    # (coarsest) rank — all of them for ``sum``, whose anchor sum is then the sum of those rows; the
    # latest code alone for ``last``. Units outside the tree (anchor 0, or NULL past the lookup's
    # end) are left out before the windows.
    sql = (
        "WITH c(code, rank) AS (SELECT * FROM unnest(%s::text[], %s::int[])),"
        " v AS (SELECT d.indicator_id, d.anchor, d.value, c.rank,"
        ' min(c.rank) OVER w AS best, row_number() OVER (w ORDER BY c.rank, d.period COLLATE "C" DESC) AS n'
        " FROM (SELECT *, (%s::bigint[])[unit_id] AS anchor FROM indicators_datavalue"
        " WHERE indicator_id = ANY(%s::bigint[]) AND period = ANY(%s::text[])) d JOIN c ON c.code = d.period"
        " WHERE d.anchor <> 0 AND NOT EXISTS (SELECT 1 FROM indicators_datavalue o"
        " WHERE o.indicator_id = d.indicator_id AND o.unit_id = d.unit_id AND o.period = %s)"
        " WINDOW w AS (PARTITION BY d.indicator_id, d.unit_id))"
        " SELECT x.indicator_id, x.anchor, sum(x.value) FROM ("
        " SELECT o.indicator_id, o.anchor, o.value FROM (SELECT indicator_id, value,"
        " (%s::bigint[])[unit_id] AS anchor FROM indicators_datavalue"
        " WHERE indicator_id = ANY(%s::bigint[]) AND period = %s) o WHERE o.anchor <> 0"
        " UNION ALL SELECT v.indicator_id, v.anchor, v.value FROM v"
        " WHERE CASE WHEN v.indicator_id = ANY(%s::bigint[]) THEN v.n = 1 ELSE v.rank = v.best END"
        ") x GROUP BY x.indicator_id, x.anchor"
    )
    pks = bigint_array(i.pk for i in indicators)
    params: list[Any] = [parts, [ranks[code] for code in parts], lookup, pks, parts, period.code]
    params += [lookup, pks, period.code, bigint_array(last)]
    result: dict[int, Values] = {i.pk: {} for i in indicators}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for indicator_id, anchor, value in cursor.fetchall():
            result[indicator_id][anchor] = value
    return result


def _kept(t: _Tree, period: Period, codes: set[str]) -> set[str]:
    """The provider ``codes`` to read from kept figures (``leaf``): when they are switched on
    (``LEAF_FIGURES``), the scope is large (``LEAF_FIGURES_MIN_UNITS``), the window is the whole period
    (not a unit's or a viewer's last day) and the (provider, period) is kept; the rest are counted live."""
    if not leaf.enabled() or len(t.rows) < leaf.min_units():
        return set()
    if (t.start, t.end) != (period.start, period.end):
        return set()
    candidates = codes & set(leaf.kept_codes())
    return leaf.kept_for(period, candidates) if candidates else set()


_BIG_TREE = 10_000  # units
_BIG_WORK_MEM = "256MB"


def _sum_up(t: _Tree, own: Values, none_if_empty: bool) -> dict[int, Decimal | None]:
    """Each unit's own value plus everything below it (``None`` where nothing below was reported); for a
    depth-limited tree only the units down to ``t.limit`` (what a dashboard shows)."""
    if t.limit is not None:
        return _sum_up_shown(t, own, none_if_empty)
    start = t.nones if none_if_empty else t.zeros
    if not own:  # nothing anywhere (a third of a nation's parts): no walk, no copy (sums are only read)
        return start
    total = start.copy()
    if len(own) * _CHAIN < len(t.rows):
        _sum_up_chains(t, own, total)
        return total
    # Figures of units outside the tree (the nation's are read without a filter) come along: they
    # are never read (the sums below and the table go by the tree's units), and one ``update`` is
    # ~1/3 cheaper than testing 140,000 keys.
    total.update(own)
    if not none_if_empty:  # every unit starts at zero: a plain sum (the common case)
        # The units without children (most: the CĐCS) added to their parent by ``sum`` over ``map``,
        # with no Python step per unit (a walk of a nation's 144,000 units took ~90 ms a part);
        # then the few thousand others, deepest first.
        get = total.__getitem__
        for parent_id, children in t.childless_by_parent:
            total[parent_id] += sum(map(get, children), ZERO)  # type: ignore[operator, type-var]
        for unit_id, parent_id in t.inner_child_parent:
            value = total[unit_id]
            if value:
                total[parent_id] += value  # type: ignore[operator]
        return total
    for unit_id, parent_id in t.child_parent:  # deepest first
        value = total[unit_id]
        if value:  # most units have nothing of most indicators: no Decimal addition for them
            parent = total[parent_id]
            total[parent_id] = value if parent is None else parent + value
        elif value is not None and total[parent_id] is None:
            total[parent_id] = ZERO  # reported as zero: the parent has a report too
    return total


# A figure held by fewer than 1 unit in _CHAIN is added up each unit's chain of ancestors (a few
# levels) rather than by a walk of the whole tree (150,000 units for the nation).
_CHAIN = 8


def _sum_up_chains(t: _Tree, own: Values, total: dict[int, Decimal | None]) -> None:
    """``_sum_up``'s sums, each unit's value added to itself and every ancestor in the tree: the same
    sums (in another order) and the same ``None``/zero (an ancestor of a unit reporting zero reports)."""
    parents = t.parents
    for unit_id, number in own.items():
        node: int | None = unit_id if unit_id in total else None
        while node is not None:
            current = total[node]
            if number:
                total[node] = number if current is None else current + number
            elif current is None:
                total[node] = ZERO
            else:
                break  # a zero adds nothing to an ancestor that already reports
            node = parents.get(node)


def _sum_up_shown(t: _Tree, own: Values, none_if_empty: bool) -> dict[int, Decimal | None]:
    """``_sum_up`` for the units down to ``t.limit`` only: each value goes straight to its anchor (its
    ancestor at ``limit``), then the few shown units sum up. The nation's dashboard shows ~70 units of
    30,000: it reads each non-zero value once instead of walking the whole tree per indicator."""
    anchors = t.anchors
    total: dict[int, Decimal | None] = dict.fromkeys(t.shown_ids, None if none_if_empty else ZERO)
    for unit_id, number in own.items():
        anchor = anchors.get(unit_id)
        if anchor is None:
            continue
        if number:
            current = total[anchor]
            total[anchor] = number if current is None else current + number
        elif total[anchor] is None:
            total[anchor] = ZERO  # reported as zero
    for unit_id, parent_id in t.shown_child_parent:  # deepest first
        value = total[unit_id]
        if value:
            parent = total[parent_id]
            total[parent_id] = value if parent is None else parent + value
        elif value is not None and total[parent_id] is None:
            total[parent_id] = ZERO
    return total


def _id_list(ids: list[int]) -> Any:
    """``ids`` for an ``__in`` lookup. On PostgreSQL as one array parameter: psycopg composing one
    placeholder per id cost ~3 s for the nation's 144,000 units, and ~2 ms per query for a district."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [bigint_array(ids)])
    return ids


# Above this many units (SQLite), targets are read by indicator and period (indexed) and kept when in the
# tree, rather than sent as an ``IN`` list of every id (SQLite allows a limited number of parameters).
_IN_LIST_MAX = 2000


def _targets(
    indicators: list[Indicator], t: _Tree, period: Period, own_ids: dict[int, set[int]] | None = None
) -> dict[int, dict[int, Decimal | None]]:
    """indicator id → unit → target: its own, else (not for ratios) the sum of its children's.
    None when the period starts after the tree's window closed (a unit's or a viewer's last day).
    ``own_ids`` is filled with the units that have a target of their own, per indicator."""
    if own_ids is None:
        own_ids = {}
    if period.start > t.end:
        return {indicator.pk: {} for indicator in indicators}
    ids = t.ids
    qs = Target.objects.filter(indicator__in=[i.pk for i in indicators], period=period.code)
    # The tree of most units (the nation) reads the targets by indicator and period and keeps those in
    # the tree, rather than send 150,000 ids (as ``_units``); SQLite allows a limited number of parameters.
    if connection.vendor == "postgresql":
        if not _most_units(t):
            qs = qs.filter(unit_id__in=_id_list(ids))
    elif len(ids) <= _IN_LIST_MAX:
        qs = qs.filter(unit_id__in=ids)
    in_tree = t.depths
    own: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, unit_id, value in qs.values_list("indicator_id", "unit_id", "value"):
        if unit_id in in_tree:
            own[indicator_id][unit_id] = value
    result: dict[int, dict[int, Decimal | None]] = {}
    parents = t.parents
    for indicator in indicators:
        mine = own.get(indicator.pk, {})
        own_ids[indicator.pk] = set(mine)
        if indicator.is_ratio or not mine:
            result[indicator.pk] = dict(mine)
            continue
        # Each own target adds up its ancestors' chain until one that has its own (whose own stands and
        # goes up by itself): a few thousand targets walk a few levels, not the whole tree each.
        summed: dict[int, Decimal | None] = dict(mine)
        for unit_id, value in mine.items():
            parent_id = parents.get(unit_id)
            while parent_id is not None and parent_id not in mine:
                summed[parent_id] = (summed.get(parent_id) or ZERO) + value
                parent_id = parents.get(parent_id)
        result[indicator.pk] = summed
    return result


def _sparse(indicator: Indicator) -> bool:
    """Entered indicators distinguish "not reported" (None) from zero; computed ones count records."""
    return indicator.source == Indicator.Source.ENTERED


def _summing_tree(t: _Tree, own: set[int]) -> _Tree:
    """The tree an indicator is summed by: ``t``, unless a target set below its shown levels is compared
    like with like at a shown unit (``_compare_like_with_like`` then reads the sum of the unit below) —
    that is, unless the shown unit above it has no target of its own; then ``t`` shown down to its
    deepest target, whose sums down there are those of the table of every unit. Under an own target
    what lies below does not count: it is compared with the whole actual (a nation's dashboard over
    provinces' own targets, with districts' targets below them, sums only the provinces')."""
    if t.limit is None:
        return t
    anchors = t.anchors
    if not any(anchors.get(u, u) != u and anchors[u] not in own for u in own):
        return t
    depths = t.depths
    return t.down_to(max(depths[u] for u in own if u in depths))


def _figures(indicators: Sequence[Indicator], t: _Tree, period: Period) -> dict[int, _Cells]:
    """indicator id → the figures of every unit of the tree."""
    parts: dict[int, Indicator] = {}
    for indicator in indicators:
        if indicator.is_ratio:
            assert indicator.numerator is not None and indicator.denominator is not None
            parts.setdefault(indicator.numerator.pk, indicator.numerator)
            parts.setdefault(indicator.denominator.pk, indicator.denominator)
        else:
            parts.setdefault(indicator.pk, indicator)
    own_ids: dict[int, set[int]] = {}
    targets = _targets(list(indicators), t, period, own_ids)
    # Each part is summed by the table's tree, or by that tree shown deeper down to its targets.
    summing = {pk: _summing_tree(t, own_ids.get(pk, set())) for pk in parts}
    leaves = _leaf_values(list(parts.values()), t, period, summing if _by_anchor(t) else {})
    sums: dict[int, dict[int, Decimal | None]] = {}
    shared: dict[tuple[int, bool, int], dict[int, Decimal | None]] = {}  # a provider under several indicators
    for pk, part in parts.items():
        key = (id(leaves[pk]), _sparse(part), id(summing[pk]))
        if key not in shared:
            shared[key] = _sum_up(summing[pk], leaves[pk], key[1])
        sums[pk] = shared[key]
    out: dict[int, _Cells] = {}
    for indicator in indicators:
        if indicator.is_ratio:
            assert indicator.numerator is not None and indicator.denominator is not None
            num, den = sums[indicator.numerator.pk], sums[indicator.denominator.pk]
            out[indicator.pk] = _Cells(num, targets[indicator.pk], den)
        else:
            mine, target = own_ids.get(indicator.pk, set()), targets[indicator.pk]
            summed = None
            if len(target) > len(mine):  # some targets are sums of the children's
                tree_of = summing[indicator.pk]
                rows = t.rows if tree_of.limit is None else tree_of.shown_rows
                summed = _compare_like_with_like(rows, sums[indicator.pk], mine, target)
            out[indicator.pk] = _Cells(sums[indicator.pk], target, summed=summed)
    return out


def _tree(roots: list[OrgUnit], start: dt.date, end: dt.date, limit: int | None = None) -> _Tree:
    """The tree of a table. A big one (a province, the nation: 150,000 units read, sorted and turned into
    anchors and arrays, ~0.3 s) is kept in the process under the org tree's ``version`` (PostgreSQL),
    which every change of a unit or link replaces by a number never given before: a kept tree is always
    that of the version read now. Each table gets its own copy (what it reads from kept figures is
    its own)."""
    ids = [r.pk for r in roots]
    version = tree.version()
    if version is not None:
        kept = _TREES.get((tuple(ids), start, end, limit, version))
        if kept is not None:
            return kept.copy()
    rows, version = tree.tree_rows_and_version(ids, end)
    rows.sort(key=lambda r: r[2])
    t = _Tree(root_ids=ids, rows=rows, start=start, end=end, limit=limit)
    if version is None or len(rows) <= _BIG_TREE:
        return t
    _TREES.put((tuple(ids), start, end, limit, version), t)
    return t.copy()


# Big trees kept in the process (``_tree``): (root ids, start, end, limit, org version) → tree; the
# nation's tree with what is derived from it holds ~50 MB (tracemalloc).
_TREES: tree.KeptByVersion[tuple[tuple[int, ...], dt.date, dt.date, int | None, int], _Tree] = (
    tree.KeptByVersion(4)
)
# Units shown by a kept tree's table that are kept with it (a province's, not the nation's).
_KEEP_UNITS = 20_000


def rollup_table(
    *,
    indicators: Sequence[Indicator],
    period: Period,
    root: OrgUnit,
    depth: int | None = 1,
    until: dt.date | None = None,
) -> dict[str, Column]:
    """For each indicator (by code): the root, then its units down to ``depth`` levels (``None``: the
    whole subtree), each with value, target and achievement; children that ended during the period
    come last, each computed over its own subtree up to its last day.

    The tree, the units and their order are read once for the whole table, and each source of records
    is queried once (see ``providers``), whatever the number of indicators. Each indicator's figures are
    a ``Column``, made on demand (a nation's table would otherwise hold 26 × 144,000 objects)."""
    main = _tree([root], *window(root, period, until), limit=depth)
    # A big tree on PostgreSQL: one transaction, so that ``SET LOCAL`` in ``_leaf_values`` ends with it.
    # Not on SQLite, where a transaction is BEGIN IMMEDIATE (settings): it would hold the write lock.
    big = connection.vendor == "postgresql" and len(main.rows) > _BIG_TREE
    with transaction.atomic() if big else contextlib.nullcontext(), _collector_paused(len(main.rows)):
        figures = _figures(indicators, main, period)
        rows = main.table_units()
        ended: list[tuple[OrgUnit, _Tree, dict[int, _Cells]]] = []
        if depth is None or depth >= 1:
            # Children that ended on the same day share one window: they are counted together.
            by_window: dict[tuple[dt.date, dt.date], list[OrgUnit]] = defaultdict(list)
            for child in _ended_children(root, period, exclude=set(main.ids)):
                by_window[window(child, period, until)].append(child)
            for (start, end), children in by_window.items():
                sub = _tree(children, start, end, limit=0)  # each child's own figure only
                sub_figures = _figures(indicators, sub, period)
                ended += [(child, sub, sub_figures) for child in children]
    ended.sort(key=lambda e: e[0].sort_key)
    table: dict[str, Column] = {}
    for indicator in indicators:
        extra = [
            Figure(
                child,
                1,
                *sub_figures[indicator.pk].row(child.pk),
                sub.start,
                sub.end,
                True,
                *sub_figures[indicator.pk].comparison(child.pk),
            )
            for child, sub, sub_figures in ended
        ]
        parts = {indicator.pk, indicator.numerator_id, indicator.denominator_id}
        kept_at = main.kept_at if parts & main.kept else None
        table[indicator.code] = Column(rows, figures[indicator.pk], main.start, main.end, extra, kept_at)
    return table


@contextlib.contextmanager
def _collector_paused(units: int) -> Iterator[None]:
    """Python's cycle collector paused while a big table is made (more than ``_BIG_TREE`` units): it makes
    hundreds of thousands of objects (units, sums), and each few hundred allocations ran a collection
    that walked the younger ones, and every so often all of them — ~1/4 of a nation's table (4.9 → 3.6
    s). Nothing made here holds a cycle; what any other code frees meanwhile is collected afterwards."""
    if units <= _BIG_TREE or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Column(Sequence[Figure]):
    """One indicator's figures in a table, in the table's order: the units of the tree (``Figure`` made
    when read), then the children that ended during the period. ``kept_at``: see ``__init__``."""

    def __init__(
        self,
        rows: list[tuple[OrgUnit, int]],
        cells: _Cells,
        start: dt.date,
        end: dt.date,
        extra: list[Figure],
        kept_at: dt.datetime | None = None,
    ) -> None:
        self._rows, self._cells, self._start, self._end, self._extra = rows, cells, start, end, extra
        # Set when the figures of the tree were summed from kept figures (``leaf``): when those were
        # last written. ``None``: counted live from the records.
        self.kept_at = kept_at

    def __len__(self) -> int:
        return len(self._rows) + len(self._extra)

    @overload
    def __getitem__(self, index: int) -> Figure: ...

    @overload
    def __getitem__(self, index: slice) -> list[Figure]: ...

    def __getitem__(self, index: int | slice) -> Figure | list[Figure]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index >= len(self._rows):
            return self._extra[index - len(self._rows)]
        unit, level = self._rows[index]
        cells = self._cells
        return Figure(
            unit,
            level,
            *cells.row(unit.pk),
            self._start,
            self._end,
            False,
            *cells.comparison(unit.pk),
            self.kept_at,
        )

    def __iter__(self) -> Iterator[Figure]:
        row, comparison, start, end = self._cells.row, self._cells.comparison, self._start, self._end
        kept_at = self.kept_at
        for unit, level in self._rows:
            yield Figure(unit, level, *row(unit.pk), start, end, False, *comparison(unit.pk), kept_at)
        yield from self._extra


def rollup(
    *,
    indicator: Indicator,
    period: Period,
    root: OrgUnit,
    depth: int | None = 1,
    until: dt.date | None = None,
) -> list[Figure]:
    """``rollup_table`` of one indicator, as a list."""
    return list(
        rollup_table(indicators=[indicator], period=period, root=root, depth=depth, until=until)[
            indicator.code
        ]
    )


def _units_by_name(ids: list[int], every: bool = False) -> list[OrgUnit]:
    """The units shown in a table, ordered by name (``sort_key``, whose code-point order is the
    Vietnamese one: compared bytewise by the database, then id), without the columns no table shows
    (the two timestamps alone were a third of the time of loading a nation's 144,000 units).
    ``every``: the ids are most units (the nation's, ``_most_units``): every unit is read and the
    others dropped — a filter by a list of 144,000 ids cost ~0.5 s of the ~0.75 s read."""
    by_name = (Collate("sort_key", "C" if connection.vendor == "postgresql" else "BINARY"), "id")
    if len(ids) < _LIGHT_UNITS:
        qs = OrgUnit.objects.defer(*_NOT_SHOWN).order_by(*by_name)
        return list(qs.filter(id__in=_id_list(ids)))
    # A big table (a province, the nation): the rows made into units without ``Model.__init__`` and its
    # signals (15 µs a unit; this ~1 µs with the collector paused, see ``rollup_table``). Same objects
    # otherwise: loaded from the database, the columns not shown deferred (read on access, as ``defer``).
    names = [f.attname for f in OrgUnit._meta.concrete_fields if f.attname not in _NOT_SHOWN]
    if every:
        chunks: list[Any] = [None]
    elif connection.vendor == "postgresql":
        chunks = [_id_list(ids)]
    else:  # SQLite allows a limited number of parameters
        chunks = [ids[i : i + _IN_LIST_MAX] for i in range(0, len(ids), _IN_LIST_MAX)]
    wanted = set(ids) if every else None
    rows: list[tuple[Any, ...]] = []
    db = OrgUnit.objects.db  # a property that asks the router: once, not per unit
    # SQLite's chunks are each in order, not together: their sort key is read to merge them.
    merged = len(chunks) > 1
    for chunk in chunks:
        qs = OrgUnit.objects.order_by(*by_name)
        if chunk is not None:
            qs = qs.filter(id__in=chunk)
        # Straight from the cursor: the ORM's iteration fetches 100 rows at a time.
        sql, params = qs.values_list(*names, *(["sort_key"] if merged else [])).query.sql_with_params()
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            rows += cursor.fetchall()
    at = names.index("id")
    if merged:
        rows = [row[:-1] for row in sorted(rows, key=lambda row: (row[-1], row[at]))]
    out: list[OrgUnit] = []
    new, new_state = OrgUnit.__new__, ModelState
    for row in rows:
        if wanted is not None and row[at] not in wanted:
            continue
        unit = new(OrgUnit)
        attributes = unit.__dict__
        attributes.update(zip(names, row, strict=True))
        state = attributes["_state"] = new_state()
        state.adding, state.db = False, db
        out.append(unit)
    return out


_LIGHT_UNITS = 2000


_NOT_SHOWN = ("search_key", "sort_key", "address", "phone", "email", "created_at", "updated_at")


def _ended_children(root: OrgUnit, period: Period, exclude: set[int]) -> list[OrgUnit]:
    """Units that sat under ``root`` during the period and ended before its end."""
    links = OrgLink.objects.filter(parent=root, valid_from__lte=period.end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=period.start)
    )
    ended = OrgUnit.objects.filter(
        pk__in=links.values("child_id"), dissolved_on__gt=period.start, dissolved_on__lte=period.end
    )
    return [unit for unit in ended.order_by() if unit.pk not in exclude]


def value_of(*, indicator: Indicator, period: Period, unit: OrgUnit, until: dt.date | None = None) -> Figure:
    """The figure of one unit (its whole subtree rolled up)."""
    return rollup(indicator=indicator, period=period, root=unit, depth=0, until=until)[0]
