"""Reads of indicators and figures, scoped to the user's subtrees."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from congdoan.core.periods import Period
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from . import engine
from .models import Indicator


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
    figures: list[engine.Figure] = []
    for root in roots:
        figures.extend(engine.rollup(indicator=indicator, period=period, root=root, depth=depth))
    if user is not None:
        visible = set(org_selectors.unit_list(user=user, on=period.end).values_list("pk", flat=True))
        visible |= {f.unit.pk for f in figures if f.ended and f.unit.pk in _ever_visible(user, figures)}
        figures = [f for f in figures if f.unit.pk in visible]
    return figures


def _ever_visible(user: Any, figures: list[engine.Figure]) -> set[int]:
    from congdoan.accounts.scope import user_scope

    ids = [f.unit.pk for f in figures]
    return set(
        OrgUnit.objects.filter(user_scope(user).unit_ever_q(), pk__in=ids).values_list("pk", flat=True)
    )
