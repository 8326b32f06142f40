"""The row of the ``congdoan achievements`` contract (architecture §5), shared by the command, the API
(``/api/v1/achievements/``) and the indicator pages.

unit_code, unit_name, value, target, achievement, value_display, achievement_display — ``value`` is the
actual (a fraction for ratios), ``achievement`` = value/target (None without a target).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from congdoan.core.formatting import format_fraction_percent, format_number

from .engine import Figure
from .models import Indicator

FIELDS = ["unit_code", "unit_name", "value", "target", "achievement", "value_display", "achievement_display"]


def figure_row(figure: Figure, indicator: Indicator) -> dict[str, Any]:
    def num(x: Decimal | None) -> float | int | None:
        if x is None:
            return None
        return int(x) if x == x.to_integral_value() and not indicator.is_ratio else float(round(x, 6))

    if figure.value is None:
        value_display = ""
    elif indicator.is_ratio:
        value_display = format_fraction_percent(figure.value)
    else:
        value_display = format_number(figure.value, indicator.decimals)
    achievement = figure.achievement
    return {
        "unit_code": figure.unit.code,
        "unit_name": figure.unit.name,
        "value": num(figure.value),
        "target": num(figure.target),
        "achievement": None if achievement is None else float(round(achievement, 6)),
        "value_display": value_display,
        "achievement_display": "" if achievement is None else format_fraction_percent(achievement),
    }
