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
import functools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from congdoan.core.periods import KINDS, Period, parse_period, periods_in
from congdoan.core.text import vi_sort_key
from congdoan.org import tree
from congdoan.org.models import OrgLink, OrgUnit

from .models import DataValue, Indicator, Target
from .providers import get_provider

ZERO = Decimal(0)

# vi_sort_key costs ~0.1 ms per unit name: a district's table (~400 units) spent more time ordering its
# rows than counting its records. Unit names repeat from request to request, so keys are kept.
_name_key = functools.lru_cache(maxsize=50_000)(vi_sort_key)


@dataclass
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
    root_id: int
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


def _entered_values(indicator: Indicator, units: Any, period: Period, end: dt.date) -> dict[int, Decimal]:
    """Entered values per unit: the value for the period itself, else its coarsest parts (summed
    for ``sum``, the latest for ``last``). Parts after ``end`` (a unit's last day) are left out."""
    ranks = _contained_codes(period)
    by_unit: dict[int, list[tuple[int, str, Decimal]]] = defaultdict(list)
    for unit_id, code, value in DataValue.objects.filter(
        indicator=indicator, unit_id__in=units, period__in=list(ranks)
    ).values_list("unit_id", "period", "value"):
        by_unit[unit_id].append((ranks[code], code, value))
    result: dict[int, Decimal] = {}
    for unit_id, items in by_unit.items():
        best = min(rank for rank, _, _ in items)
        chosen = sorted((code, value) for rank, code, value in items if rank == best)
        if best > 0:
            chosen = [(c, v) for c, v in chosen if parse_period(c).start <= end]
        if not chosen:
            continue
        if indicator.aggregation == Indicator.Aggregation.LAST:
            result[unit_id] = chosen[-1][1]
        else:
            result[unit_id] = sum((v for _, v in chosen), ZERO)
    return result


def _units(t: _Tree) -> Any:
    """The tree's units as an ``id IN (...)`` subquery for the providers.

    On PostgreSQL the ids already read by ``tree_rows`` go back as one array parameter: the planner
    then knows how many units there are (it cannot estimate a recursive CTE: it guessed 200 rows ×
    243 memberships for a district and joined 10M persons by a sequential scan for "members who are
    women", 3–4 s instead of ~60 ms), and the CTE is not walked again in every provider's query.
    Elsewhere (SQLite): the subtree CTE, as before. Same set of units either way."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [t.ids])
    return tree.in_subtree([t.root_id], t.end)


def _leaf_values(indicator: Indicator, t: _Tree, period: Period) -> dict[int, Decimal]:
    units = _units(t)
    if indicator.source == Indicator.Source.COMPUTED:
        return get_provider(indicator.provider).values(units, t.start, t.end)
    return _entered_values(indicator, units, period, t.end)


def _sum_up(t: _Tree, own: dict[int, Decimal], none_if_empty: bool) -> dict[int, Decimal | None]:
    """Each unit's own value plus everything below it (``None`` where nothing below was reported)."""
    total: dict[int, Decimal | None] = {}
    for unit_id, _, _ in t.rows:
        total[unit_id] = own.get(unit_id) if none_if_empty else own.get(unit_id, ZERO)
    for unit_id, parent_id, _ in sorted(t.rows, key=lambda r: -r[2]):
        value = total[unit_id]
        if parent_id is not None and value is not None and parent_id in total:
            total[parent_id] = (total[parent_id] or ZERO) + value
    return total


# Above this many units, targets are read by indicator and period (indexed) and kept when in the tree,
# rather than sent as an ``IN`` list of every id of the tree (150,000 parameters for the nation).
_IN_LIST_MAX = 2000


def _targets(indicator: Indicator, t: _Tree, period: Period) -> dict[int, Decimal | None]:
    ids = t.ids
    qs = Target.objects.filter(indicator=indicator, period=period.code)
    if len(ids) <= _IN_LIST_MAX:
        own = dict(qs.filter(unit_id__in=ids).values_list("unit_id", "value"))
    else:
        in_tree = set(ids)
        own = {u: v for u, v in qs.values_list("unit_id", "value") if u in in_tree}
    if indicator.is_ratio:
        return {unit_id: own.get(unit_id) for unit_id in ids}
    children: dict[int, list[int]] = defaultdict(list)
    for unit_id, parent_id, _ in t.rows:
        if parent_id is not None:
            children[parent_id].append(unit_id)
    result: dict[int, Decimal | None] = {}
    for unit_id, _, _ in sorted(t.rows, key=lambda r: -r[2]):
        if unit_id in own:
            result[unit_id] = own[unit_id]
        else:
            parts = [v for c in children[unit_id] if (v := result.get(c)) is not None]
            result[unit_id] = sum(parts, ZERO) if parts else None
    return result


def _figures(indicator: Indicator, t: _Tree, period: Period) -> dict[int, tuple]:
    """unit_id → (value, target, numerator, denominator) for every unit of the tree."""
    targets = _targets(indicator, t, period)
    if indicator.is_ratio:
        assert indicator.numerator is not None and indicator.denominator is not None
        num = _sum_up(t, _leaf_values(indicator.numerator, t, period), _sparse(indicator.numerator))
        den = _sum_up(t, _leaf_values(indicator.denominator, t, period), _sparse(indicator.denominator))
        out = {}
        for unit_id in t.ids:
            n, d = num.get(unit_id), den.get(unit_id)
            value = (n or ZERO) / d if d else None
            out[unit_id] = (value, targets.get(unit_id), n, d)
        return out
    values = _sum_up(t, _leaf_values(indicator, t, period), _sparse(indicator))
    return {unit_id: (values.get(unit_id), targets.get(unit_id), None, None) for unit_id in t.ids}


def _sparse(indicator: Indicator) -> bool:
    """Entered indicators distinguish "not reported" (None) from zero; computed ones count records."""
    return indicator.source == Indicator.Source.ENTERED


def _tree(root: OrgUnit, period: Period, until: dt.date | None = None) -> _Tree:
    start, end = window(root, period, until)
    rows = sorted(tree.tree_rows([root.pk], end), key=lambda r: r[2])
    return _Tree(root_id=root.pk, rows=rows, start=start, end=end)


def rollup(
    *,
    indicator: Indicator,
    period: Period,
    root: OrgUnit,
    depth: int | None = 1,
    until: dt.date | None = None,
) -> list[Figure]:
    """The root, then its units down to ``depth`` levels (``None``: the whole subtree), each with
    value, target and achievement. Children that ended during the period come last, each computed
    over its own subtree on its last day."""
    main = _tree(root, period, until)
    figures = _figures(indicator, main, period)
    # Only the units shown (down to ``depth``) are loaded as objects.
    units = _in_bulk([r[0] for r in main.rows if depth is None or r[2] <= depth])
    out: list[Figure] = []
    for unit_id, _, level in main.rows:
        if depth is not None and level > depth:
            continue
        value, target, num, den = figures[unit_id]
        out.append(Figure(units[unit_id], level, value, target, num, den, main.start, main.end, False))
    if depth is None or depth >= 1:
        for child in _ended_children(root, period, exclude=set(main.ids)):
            sub = _tree(child, period, until)
            value, target, num, den = _figures(indicator, sub, period)[child.pk]
            out.append(Figure(child, 1, value, target, num, den, sub.start, sub.end, True))
    head, rest = out[:1], out[1:]
    rest.sort(key=lambda f: (f.ended, f.depth, _name_key(f.unit.name)))
    return head + rest


def _in_bulk(ids: list[int]) -> dict[int, OrgUnit]:
    """``OrgUnit.objects.in_bulk(ids)``; on PostgreSQL a long list goes as one array parameter (psycopg
    spent ~3 s composing the 144,000 placeholders of the whole nation's ``IN``)."""
    if connection.vendor == "postgresql" and len(ids) > _IN_LIST_MAX:
        qs = OrgUnit.objects.filter(id__in=RawSQL("SELECT unnest(%s::bigint[])", [ids])).order_by()
        return {unit.pk: unit for unit in qs}
    return OrgUnit.objects.in_bulk(ids)


def _ended_children(root: OrgUnit, period: Period, exclude: set[int]) -> list[OrgUnit]:
    """Units that sat under ``root`` during the period and ended before its end."""
    links = OrgLink.objects.filter(parent=root, valid_from__lte=period.end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=period.start)
    )
    return list(
        OrgUnit.objects.filter(
            pk__in=links.values("child_id"), dissolved_on__gt=period.start, dissolved_on__lte=period.end
        ).exclude(pk__in=exclude)
    )


def value_of(*, indicator: Indicator, period: Period, unit: OrgUnit, until: dt.date | None = None) -> Figure:
    """The figure of one unit (its whole subtree rolled up)."""
    return rollup(indicator=indicator, period=period, root=unit, depth=0, until=until)[0]
