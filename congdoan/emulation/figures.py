"""The indicator figures computed criteria read: the indicators engine's figure of a unit for a year
(its whole subtree rolled up), one unit at a time or a whole tree at once."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from congdoan.core.periods import parse_period
from congdoan.indicators.engine import rollup_table, value_of
from congdoan.indicators.models import Indicator
from congdoan.org.models import OrgUnit

Pair = tuple[Decimal | None, Decimal | None]  # value, achievement of the target


def figure_of(code: str, unit: OrgUnit, year: int) -> Pair | None:
    """``engine.value_of`` for the unit and the year; ``None`` when the indicator does not exist."""
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None
    figure = value_of(indicator=indicator, period=parse_period(str(year)), unit=unit)
    return figure.value, figure.achievement


def figures_under(root: OrgUnit, year: int, codes: Iterable[str]) -> dict[tuple[str, int], Pair]:
    """The figures of every unit under ``root`` (the same numbers as ``figure_of``), read in one
    roll-up of the whole tree."""
    indicators = list(Indicator.objects.filter(code__in=set(codes)))
    if not indicators:
        return {}
    table = rollup_table(indicators=indicators, period=parse_period(str(year)), root=root, depth=None)
    out: dict[tuple[str, int], Pair] = {}
    for code, column in table.items():
        for figure in column:
            if figure.ended:
                continue  # an ended child's figure stops at its last day: read it on its own
            out[(code, figure.unit.pk)] = (figure.value, figure.achievement)
    return out
