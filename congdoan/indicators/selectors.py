"""Reads of indicators and figures, scoped to the user's subtrees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from congdoan.core.periods import Period
from congdoan.org import selectors as org_selectors
from congdoan.org import tree
from congdoan.org.models import OrgUnit

from . import engine
from .models import Indicator
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
    if under is not None:
        roots = [under if user is None else org_selectors.unit_get(user=user, code=under.code)]
    elif user is None:
        roots = list(OrgUnit.objects.filter(parent_links__isnull=True).order_by("code"))
    else:
        roots = org_selectors.home_units(user=user)
    until = _read_only_until(user)
    figures: list[engine.Figure] = []
    for root in roots:
        figures.extend(engine.rollup(indicator=indicator, period=period, root=root, depth=depth, until=until))
    if user is not None:
        figures = _visible(user, figures, roots)
    return figures


def _read_only_until(user: Any) -> Any:
    """Officers of an ended unit see figures up to its last day only (architecture §4)."""
    from congdoan.accounts.scope import user_scope

    return user_scope(user).read_only_until if user is not None else None


def _visible(user: Any, figures: list[engine.Figure], roots: list[OrgUnit]) -> list[engine.Figure]:
    """Keep the roots (already checked) and the units in the user's scope on each figure's last day."""
    from congdoan.accounts.scope import user_scope

    scope = user_scope(user)
    if scope.is_global:
        return figures
    allowed = {root.pk for root in roots}
    for end in {f.end for f in figures}:
        allowed |= set(OrgUnit.objects.filter(scope.unit_q(end)).values_list("pk", flat=True))
    return [f for f in figures if f.unit.pk in allowed]


@dataclass
class Records:
    figure: engine.Figure
    source: Indicator  # the indicator whose records these are (a ratio: its numerator)
    items: QuerySet[Any]


def figure_records(*, user: Any, indicator: Indicator, unit: OrgUnit, period: Period) -> Records | None:
    """The records behind a computed figure: exactly what its provider counted, or None when the
    provider lists no records (e.g. workforce counts)."""
    unit = org_selectors.unit_get(user=user, code=unit.code)
    source = indicator.numerator if indicator.is_ratio and indicator.numerator else indicator
    provider = REGISTRY.get(source.provider)
    if source.source != Indicator.Source.COMPUTED or provider is None or provider.records is None:
        return None
    figure = engine.value_of(indicator=source, period=period, unit=unit, until=_read_only_until(user))
    units = tree.in_subtree([unit.pk], figure.end)
    return Records(figure=figure, source=source, items=provider.records(units, figure.start, figure.end))
