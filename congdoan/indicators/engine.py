"""The roll-up engine: value, target and achievement of an indicator for a unit and period.

One engine serves pages, API, exports, reports and the CLI. Rules (architecture §4):
- the tree is taken as it was at the end of the period — or, for a unit that ended during the
  period, on its last day, with only records up to that day ("shown up to their last day");
- every record counts at the unit it is attached to, then sums up the tree (stocks too: members
  at the end of the period of the units below);
- a ratio is the ratio of the summed numerator and denominator, never a mean of percentages;
- a unit's target is its own if set, else the sum of its children's (not for ratios: a share
  handed down is a share, it cannot be added up).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from congdoan.core.periods import KINDS, Period, parse_period, periods_in
from congdoan.org import tree
from congdoan.org.models import OrgLink, OrgUnit

from .models import DataValue, Indicator, Target
from .providers import BATCHES, Values, get_provider

ZERO = Decimal(0)

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

    @property
    def achievement(self) -> Decimal | None:
        if self.value is None or not self.target:
            return None
        return self.value / self.target


@dataclass
class _Tree:
    """The units under ``root_ids`` on ``end`` (roots at depth 0), ordered by depth, counted over
    ``[start, end]``. Several roots make a forest: children that ended the same day are counted together."""

    root_ids: list[int]
    rows: list[tuple[int, int | None, int]]  # (id, parent_id, depth)
    start: dt.date
    end: dt.date

    @property
    def ids(self) -> list[int]:
        return [r[0] for r in self.rows]


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


def _contained_codes(period: Period) -> dict[str, int]:
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
    coarsest parts (summed for ``sum``, the latest for ``last``). Parts after ``end`` (a unit's last
    day) are left out."""
    ranks = _contained_codes(period)
    found: dict[tuple[int, int], list[tuple[int, str, Decimal]]] = defaultdict(list)
    for indicator_id, unit_id, code, value in DataValue.objects.filter(
        indicator__in=[i.pk for i in indicators], unit_id__in=units, period__in=list(ranks)
    ).values_list("indicator_id", "unit_id", "period", "value"):
        found[indicator_id, unit_id].append((ranks[code], code, value))
    last = {i.pk: i.aggregation == Indicator.Aggregation.LAST for i in indicators}
    result: dict[int, Values] = {i.pk: {} for i in indicators}
    for (indicator_id, unit_id), items in found.items():
        best = min(rank for rank, _, _ in items)
        chosen = sorted((code, value) for rank, code, value in items if rank == best)
        if best > 0:
            chosen = [(c, v) for c, v in chosen if parse_period(c).start <= end]
        if not chosen:
            continue
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
    Elsewhere (SQLite): the subtree CTE, as before. Same set of units either way."""
    if connection.vendor == "postgresql":
        return _id_list(t.ids)
    return tree.in_subtree(t.root_ids, t.end)


def _leaf_values(indicators: list[Indicator], t: _Tree, period: Period) -> dict[int, Values]:
    """indicator id → each unit's own value (records attached to it, or its entered value).

    Each provider is asked once; providers of one batch are answered by a single query when the table
    needs two or more of them; all entered indicators come from one query."""
    units = _units(t)
    computed = [i for i in indicators if i.source == Indicator.Source.COMPUTED]
    entered = [i for i in indicators if i.source != Indicator.Source.COMPUTED]
    providers = {i.pk: get_provider(i.provider) for i in computed}
    wanted: dict[str, set[str]] = defaultdict(set)
    for provider in providers.values():
        if provider.batch:
            wanted[provider.batch].add(provider.code)
    by_code: dict[str, Values] = {}
    for batch, codes in wanted.items():
        if len(codes) > 1:
            by_code.update(BATCHES[batch](units, t.start, t.end))
    out: dict[int, Values] = {}
    for indicator in computed:
        provider = providers[indicator.pk]
        if provider.code not in by_code:
            by_code[provider.code] = provider.values(units, t.start, t.end)
        out[indicator.pk] = by_code[provider.code]
    if entered:
        out.update(_entered_values(entered, units, period, t.end))
    return out


def _sum_up(t: _Tree, own: Values, none_if_empty: bool) -> dict[int, Decimal | None]:
    """Each unit's own value plus everything below it (``None`` where nothing below was reported)."""
    total: dict[int, Decimal | None] = {}
    for unit_id, _, _ in t.rows:
        total[unit_id] = own.get(unit_id) if none_if_empty else own.get(unit_id, ZERO)
    for unit_id, parent_id, _ in reversed(t.rows):  # deepest first
        value = total[unit_id]
        if parent_id is not None and value is not None and parent_id in total:
            total[parent_id] = (total[parent_id] or ZERO) + value
    return total


def _id_list(ids: list[int]) -> Any:
    """``ids`` for an ``__in`` lookup. On PostgreSQL as one array parameter: psycopg composing one
    placeholder per id cost ~3 s for the nation's 144,000 units, and ~2 ms per query for a district."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids


# Above this many units (SQLite), targets are read by indicator and period (indexed) and kept when in the
# tree, rather than sent as an ``IN`` list of every id (SQLite allows a limited number of parameters).
_IN_LIST_MAX = 2000


def _targets(indicators: list[Indicator], t: _Tree, period: Period) -> dict[int, dict[int, Decimal | None]]:
    """indicator id → unit → target: its own, else (not for ratios) the sum of its children's."""
    ids = t.ids
    qs = Target.objects.filter(indicator__in=[i.pk for i in indicators], period=period.code)
    if connection.vendor == "postgresql" or len(ids) <= _IN_LIST_MAX:
        qs = qs.filter(unit_id__in=_id_list(ids))
    in_tree = set(ids)
    own: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, unit_id, value in qs.values_list("indicator_id", "unit_id", "value"):
        if unit_id in in_tree:
            own[indicator_id][unit_id] = value
    result: dict[int, dict[int, Decimal | None]] = {}
    for indicator in indicators:
        mine = own.get(indicator.pk, {})
        if indicator.is_ratio or not mine:
            result[indicator.pk] = dict(mine)
            continue
        summed: dict[int, Decimal | None] = {}
        for unit_id, parent_id, _ in reversed(t.rows):  # deepest first: children before parents
            if unit_id in mine:
                summed[unit_id] = mine[unit_id]
            below = summed.get(unit_id)
            if below is not None and parent_id is not None and parent_id not in mine and parent_id in in_tree:
                summed[parent_id] = (summed.get(parent_id) or ZERO) + below
        result[indicator.pk] = summed
    return result


def _sparse(indicator: Indicator) -> bool:
    """Entered indicators distinguish "not reported" (None) from zero; computed ones count records."""
    return indicator.source == Indicator.Source.ENTERED


def _figures(indicators: Sequence[Indicator], t: _Tree, period: Period) -> dict[int, dict[int, Row]]:
    """indicator id → unit_id → (value, target, numerator, denominator) for every unit of the tree."""
    parts: dict[int, Indicator] = {}
    for indicator in indicators:
        if indicator.is_ratio:
            assert indicator.numerator is not None and indicator.denominator is not None
            parts.setdefault(indicator.numerator.pk, indicator.numerator)
            parts.setdefault(indicator.denominator.pk, indicator.denominator)
        else:
            parts.setdefault(indicator.pk, indicator)
    leaves = _leaf_values(list(parts.values()), t, period)
    sums = {pk: _sum_up(t, leaves[pk], _sparse(part)) for pk, part in parts.items()}
    targets = _targets(list(indicators), t, period)
    out: dict[int, dict[int, Row]] = {}
    for indicator in indicators:
        mine = targets[indicator.pk]
        if indicator.is_ratio:
            assert indicator.numerator is not None and indicator.denominator is not None
            num, den = sums[indicator.numerator.pk], sums[indicator.denominator.pk]
            rows: dict[int, Row] = {}
            for unit_id in num:
                n, d = num[unit_id], den[unit_id]
                rows[unit_id] = ((n or ZERO) / d if d else None, mine.get(unit_id), n, d)
            out[indicator.pk] = rows
        else:
            values = sums[indicator.pk]
            out[indicator.pk] = {u: (v, mine.get(u), None, None) for u, v in values.items()}
    return out


def _tree(roots: list[OrgUnit], start: dt.date, end: dt.date) -> _Tree:
    rows = sorted(tree.tree_rows([r.pk for r in roots], end), key=lambda r: r[2])
    return _Tree(root_ids=[r.pk for r in roots], rows=rows, start=start, end=end)


def rollup_table(
    *,
    indicators: Sequence[Indicator],
    period: Period,
    root: OrgUnit,
    depth: int | None = 1,
    until: dt.date | None = None,
) -> dict[str, list[Figure]]:
    """For each indicator (by code): the root, then its units down to ``depth`` levels (``None``: the
    whole subtree), each with value, target and achievement; children that ended during the period
    come last, each computed over its own subtree up to its last day.

    The tree, the units and their order are read once for the whole table, and each source of records
    is queried once (see ``providers``), whatever the number of indicators."""
    main = _tree([root], *window(root, period, until))
    figures = _figures(indicators, main, period)
    shown = [r for r in main.rows if depth is None or r[2] <= depth]
    units = _in_bulk([r[0] for r in shown])
    shown = shown[:1] + sorted(shown[1:], key=lambda r: (r[2], units[r[0]].sort_key))
    ended: list[tuple[OrgUnit, _Tree, dict[int, dict[int, Row]]]] = []
    if depth is None or depth >= 1:
        # Children that ended on the same day share one window: they are counted together.
        by_window: dict[tuple[dt.date, dt.date], list[OrgUnit]] = defaultdict(list)
        for child in _ended_children(root, period, exclude=set(main.ids)):
            by_window[window(child, period, until)].append(child)
        for (start, end), children in by_window.items():
            sub = _tree(children, start, end)
            sub_figures = _figures(indicators, sub, period)
            ended += [(child, sub, sub_figures) for child in children]
        ended.sort(key=lambda e: e[0].sort_key)
    table: dict[str, list[Figure]] = {}
    for indicator in indicators:
        mine = figures[indicator.pk]
        rows = [Figure(units[u], level, *mine[u], main.start, main.end, False) for u, _, level in shown]
        for child, sub, sub_figures in ended:
            rows.append(Figure(child, 1, *sub_figures[indicator.pk][child.pk], sub.start, sub.end, True))
        table[indicator.code] = rows
    return table


def rollup(
    *,
    indicator: Indicator,
    period: Period,
    root: OrgUnit,
    depth: int | None = 1,
    until: dt.date | None = None,
) -> list[Figure]:
    """``rollup_table`` of one indicator."""
    return rollup_table(indicators=[indicator], period=period, root=root, depth=depth, until=until)[
        indicator.code
    ]


def _in_bulk(ids: list[int]) -> dict[int, OrgUnit]:
    if connection.vendor == "postgresql" or len(ids) <= _IN_LIST_MAX:
        return {unit.pk: unit for unit in OrgUnit.objects.filter(id__in=_id_list(ids)).order_by()}
    return OrgUnit.objects.in_bulk(ids)


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
