"""Reads of indicators and figures, scoped to the user's subtrees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from congdoan.core.periods import Period
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from . import engine
from .models import DataValue, Indicator
from .providers import REGISTRY


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("numerator", "denominator")


def indicator_get(code: str) -> Indicator:
    indicator = Indicator.objects.select_related("numerator", "denominator").filter(code=code.upper()).first()
    if indicator is None:
        raise ValidationError({"indicator": [f"Không có chỉ tiêu «{code}»."]})
    return indicator


def achievement_table(
    *, user: Any, indicator: Indicator, period: Period, under: OrgUnit | None = None, depth: int | None = 1
) -> list[engine.Figure]:
    """Figures of ``under`` (default: the user's own units) and its units, within the user's scope.

    ``user`` None is the system (CLI): everything, from the top of the tree by default."""
    return achievement_tables(user=user, indicators=[indicator], period=period, under=under, depth=depth)[
        indicator.code
    ]


def achievement_tables(
    *,
    user: Any,
    indicators: Sequence[Indicator],
    period: Period,
    under: OrgUnit | None = None,
    depth: int | None = 1,
) -> dict[str, list[engine.Figure]]:
    """``achievement_table`` of several indicators at once (by code): the tree and each source of
    records are read once for all of them (``engine.rollup_table``)."""
    if under is not None:
        roots = [under if user is None else org_selectors.unit_get(user=user, code=under.code)]
    elif user is None:
        roots = list(OrgUnit.objects.filter(parent_links__isnull=True).order_by("code"))
    else:
        roots = org_selectors.home_units(user=user)
    if user is not None:
        require_period(user, roots, period)
    until = _read_only_until(user)
    tables: dict[str, list[engine.Figure]] = {indicator.code: [] for indicator in indicators}
    for root in roots:
        for code, figures in engine.rollup_table(
            indicators=indicators, period=period, root=root, depth=depth, until=until
        ).items():
            tables[code].extend(figures)
    if user is not None:
        tables = _visible(user, tables, roots)
    return tables


def require_period(user: Any, units: Sequence[OrgUnit], period: Period) -> None:
    """404 (``OutOfScope``) when the user may not see these units' figures for ``period``: an ended
    unit's officer asking for a period that starts after its last day (``Scope.period_q``)."""
    from congdoan.accounts.scope import user_scope

    scope = user_scope(user)
    for unit in units:
        scope.require_period(unit.pk, period)


def entered_values(*, user: Any, indicator: Indicator, unit: OrgUnit, period: Period) -> QuerySet[DataValue]:
    """The entered values of ``indicator`` under ``unit`` for ``period`` and the periods inside it, as
    the user may see them: the units of the subtree on the period's last day (the unit's, if it ended
    before) that are in the user's scope, and only periods the user may see (``Scope.period_q``)."""
    from congdoan.accounts.permissions import scoped

    unit = org_selectors.unit_get(user=user, code=unit.code)
    require_period(user, [unit], period)
    end = min(period.end, unit.last_day) if unit.last_day else period.end
    visible = org_selectors.unit_list(user=user, on=end).filter(
        pk__in=org_selectors.subtree(unit, end).values("pk")
    )
    values = DataValue.objects.filter(
        indicator=indicator, period__in=list(engine.contained_codes(period)), unit__in=visible
    )
    return (
        scoped(values, user, unit="unit_id", period="period")
        .select_related("unit", "submission", "entered_by")
        .order_by("unit__name", "period")
    )


def _read_only_until(user: Any) -> Any:
    """Officers of an ended unit see figures up to its last day only (architecture §4)."""
    from congdoan.accounts.scope import user_scope

    return user_scope(user).read_only_until if user is not None else None


def _visible(
    user: Any, tables: dict[str, list[engine.Figure]], roots: list[OrgUnit]
) -> dict[str, list[engine.Figure]]:
    """Keep the roots (already checked) and the units in the user's scope on each figure's last day."""
    from congdoan.accounts.permissions import scoped
    from congdoan.accounts.scope import user_scope

    scope = user_scope(user)
    if scope.is_global:
        return tables
    allowed = {root.pk for root in roots}
    for end in {f.end for figures in tables.values() for f in figures}:
        allowed |= set(scoped(OrgUnit.objects.all(), scope, on=end).values_list("pk", flat=True))
    return {code: [f for f in figures if f.unit.pk in allowed] for code, figures in tables.items()}


@dataclass
class Records:
    figure: engine.Figure
    source: Indicator  # the indicator whose records these are (a ratio: its numerator)
    items: QuerySet[Any]


def figure_records(*, user: Any, indicator: Indicator, unit: OrgUnit, period: Period) -> Records | None:
    """The records behind a computed figure: exactly what its provider counted, or None when the
    provider lists no records (e.g. workforce counts)."""
    unit = org_selectors.unit_get(user=user, code=unit.code)
    require_period(user, [unit], period)
    source = indicator.numerator if indicator.is_ratio and indicator.numerator else indicator
    provider = REGISTRY.get(source.provider)
    if source.source != Indicator.Source.COMPUTED or provider is None or provider.records is None:
        return None
    figure = engine.value_of(indicator=source, period=period, unit=unit, until=_read_only_until(user))
    units = engine.subtree_units(unit.pk, figure.end)
    return Records(figure=figure, source=source, items=provider.records(units, figure.start, figure.end))
