"""The home page's frame and the org app's own panel (the units under the user's unit).

``home_context`` decides the user's level (city, district/ward, CĐCS or an ended unit); the panels are
whatever the apps registered (``core.registry.register_home_panel``), the org app's among them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from congdoan.accounts.scope import user_scope
from congdoan.core import registry
from congdoan.core.formatting import format_date

from . import selectors
from .models import UNIT_LEVEL, OrgUnit, Sector, UnitType


def home_level(units: list[OrgUnit], *, ended: bool, is_global: bool) -> str:
    """``ended`` for a user whose every unit has ended; ``city`` for a province/city (or the system);
    ``cdcs`` when every unit is a grassroots union; else ``upper`` (district, ward, sectoral union …)."""
    if ended:
        return "ended"
    if is_global or any(UNIT_LEVEL[u.type] <= 2 for u in units):
        return "city"
    if units and all(u.is_grassroots for u in units):
        return "cdcs"
    return "upper"


def home_context(user: Any, today: dt.date | None = None) -> registry.HomeContext:
    scope = user_scope(user)
    today = today or timezone.localdate()
    units = selectors.home_units(user=user)
    until = scope.read_only_until
    return registry.HomeContext(
        user=user,
        units=units,
        day=min(today, until) if until else today,
        today=today,
        level=home_level(units, ended=until is not None, is_global=scope.is_global),
        roles=frozenset(r.role for r in scope.roots),
    )


def home_blocks(ctx: registry.HomeContext) -> tuple[list[registry.HomeBlock], list[registry.HomeBlock]]:
    """The built blocks of the panels fitting the user: (to-do column, main column)."""
    todo: list[registry.HomeBlock] = []
    main: list[registry.HomeBlock] = []
    superuser = bool(getattr(ctx.user, "is_superuser", False))
    for panel in registry.home_panels(ctx, superuser=superuser):
        block = panel.build(ctx)
        if block is not None:
            (todo if panel.area == "todo" else main).append(block)
    return todo, main


# -- the org panel: units under the user's unit --------------------------------------------------


def units_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    """Units under each of the user's units by type and sector (not for a CĐCS: it has none to count)."""
    blocks = []
    for unit in ctx.units:
        if unit.is_grassroots:
            continue
        counts = selectors.unit_counts(user=ctx.user, root=unit, on=ctx.day)
        by_type = [(UnitType(k).label, n) for k, n in sorted(counts["type"].items(), key=lambda kv: -kv[1])]
        by_sector = [(Sector(k).label, n) for k, n in sorted(counts["sector"].items(), key=lambda kv: -kv[1])]
        blocks.append(
            {"unit": unit, "by_type": by_type, "by_sector": by_sector, "total": sum(counts["type"].values())}
        )
    if not blocks:
        return None
    return registry.HomeBlock(
        title="Đơn vị trực thuộc ngày " + format_date(ctx.day),
        icon="bi-building",
        template="org/_home_units.html",
        context={"blocks": blocks},
        links=[
            registry.HomeLink("Cây tổ chức", reverse("org:tree"), "bi-diagram-3"),
            registry.HomeLink("Danh sách đơn vị", reverse("org:unit_list"), "bi-list-ul"),
        ],
    )


def my_unit_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    """A CĐCS's own card: its name, founding date and the upper union it reports to."""
    units = [u for u in ctx.units if u.is_grassroots]
    if not units:
        return None
    figures: list[tuple[str, Any, str]] = []
    for unit in units:
        parent = selectors.parent_of(unit, ctx.day)
        figures.append(("Đơn vị", unit.name, unit.get_absolute_url()))
        if unit.founded_on:
            figures.append(("Ngày thành lập", format_date(unit.founded_on), ""))
        if parent is not None:
            figures.append(("Công đoàn cấp trên trực tiếp", parent.name, ""))
    return registry.HomeBlock(title="Đơn vị của tôi", icon="bi-house", figures=figures)


PANELS = (
    registry.HomePanel("org_units", 90, units_panel, levels=frozenset({"city", "upper", "ended"})),
    registry.HomePanel("org_my_unit", 5, my_unit_panel, levels=frozenset({"cdcs"})),
)
