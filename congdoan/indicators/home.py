"""The indicators panel of the home page: progress against this year's targets for each of the user's
units (``core.registry.register_home_panel``, registered in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from congdoan.core import registry
from congdoan.core.periods import parse_period
from congdoan.core.registry import tree
from congdoan.org.selectors import not_founded_message

from . import selectors
from .models import Target
from .views_shared import available, show, standard_indicators

SHOWN = 6


def progress_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    """Main figures: the standard indicators with a target this year (the ended unit's last year), each
    with its value, target and a progress bar; then those without a target, up to ``SHOWN`` in all."""
    period = parse_period(str(ctx.day.year))
    standard = [i for i in standard_indicators() if available(i)]
    if not standard or not ctx.units:
        return None
    # Only what the card shows goes through the engine: the indicators with a target for the user's
    # units this year, else the first standard ones (a city's roll-up of every indicator costs seconds).
    # (A unit without a target of its own sums its children's: look in the subtree.)
    subtree = tree.in_subtree([u.pk for u in ctx.units[:3]], min(ctx.day, period.end))
    targeted = set(
        Target.objects.filter(unit_id__in=subtree, period=period.code)
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    shown = [i for i in standard if i.pk in targeted][:SHOWN] or standard[:SHOWN]
    units: list[dict[str, Any]] = []
    for unit in ctx.units[:3]:
        unborn = not_founded_message(unit, period.end)
        cards = []
        if not unborn:
            tables = selectors.achievement_tables(
                user=ctx.user, indicators=shown, period=period, under=unit, depth=0
            )
            for indicator in shown:
                figures = tables[indicator.code]
                if figures and figures[0].unit.pk == unit.pk:
                    cards.append(show(figures[0], indicator, period))
            cards.sort(key=lambda c: (c.figure.target is None, c.figure.value is None))
        query = f"?unit={unit.code}&period={period.code}"
        units.append(
            {
                "unit": unit,
                "cards": cards[:SHOWN],
                "unborn": unborn,
                "with_target": sum(1 for c in cards if c.figure.target is not None),
                "url": reverse("indicators:dashboard") + query,
            }
        )
    return registry.HomeBlock(
        title=f"Kết quả thực hiện chỉ tiêu {period.label}",
        icon="bi-graph-up",
        template="indicators/_home_progress.html",
        context={"units": units, "period": period},
        links=[registry.HomeLink("Chỉ tiêu", reverse("indicators:dashboard"), "bi-graph-up")],
    )


PANEL = registry.HomePanel("indicators", 10, progress_panel)
