"""The indicators panel of the home page: progress against this year's targets for each of the user's
units (``core.registry.register_home_panel``, registered in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from congdoan.core import registry
from congdoan.core.periods import parse_period
from congdoan.org.selectors import not_founded_message

from . import selectors
from .views_shared import available, show, standard_indicators

SHOWN = 6


def progress_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    """Main figures: the standard indicators with a target this year (the ended unit's last year), each
    with its value, target and a progress bar; then those without a target, up to ``SHOWN`` in all."""
    period = parse_period(str(ctx.day.year))
    shown = [i for i in standard_indicators() if available(i)]
    if not shown or not ctx.units:
        return None
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
