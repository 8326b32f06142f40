"""What the indicators pages share: the unit and period read from the query string (out-of-scope
units answer 404), and a figure as the pages show it (:class:`Shown`: the §5 row, display texts,
drill-down link, progress bar).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from congdoan.accounts.periods import default_year, page_period
from congdoan.core.formatting import format_date, format_fraction_percent, format_number
from congdoan.core.periods import Period, PeriodError, parse_period
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from . import selectors
from .engine import Figure
from .models import Indicator
from .providers import REGISTRY
from .rows import figure_row

MSG_OUT_OF_SCOPE = "Đơn vị này không thuộc phạm vi bạn được giao chỉ tiêu."

# -- request parsing and figure display, shared by the pages ------------------------------------


def default_period(user: Any) -> str:
    """The current reporting year (``accounts.periods.default_year``: the one rule of every page)."""
    return str(default_year(user))


def request_period(request: HttpRequest, default: str, *, remembered: bool = True) -> Period:
    """``?period=``, else the period the user picked on another page (``remembered``), else ``default``."""
    if remembered:
        code = page_period(request, default=default)
    else:
        code = request.GET.get("period", "").strip() or default
    try:
        return parse_period(code)
    except PeriodError as exc:
        messages.error(request, str(exc))
        return parse_period(default)


def period_choices(selected: Period) -> list[tuple[str, str]]:
    """Years around today with their halves (2024, 2024S1, 2024S2, ...), and the selected period."""
    this_year = timezone.localdate().year
    codes = []
    for year in range(this_year + 1, this_year - 5, -1):
        codes += [str(year), f"{year}S1", f"{year}S2"]
    if selected.code not in codes:
        codes.insert(0, selected.code)
    return [(code, parse_period(code).label) for code in codes]


def request_unit(request: HttpRequest, param: str = "unit") -> OrgUnit:
    """The unit named by ``?unit=CODE`` (404 outside the user's scope), else the user's first unit."""
    code = request.GET.get(param, "").strip()
    if code:
        return org_selectors.unit_get(user=request.user, code=code)
    homes = org_selectors.home_units(user=request.user)
    if not homes:
        raise Http404("Bạn chưa được phân công đơn vị nào.")
    return homes[0]


def available(indicator: Indicator) -> bool:
    """Whether the engine can compute the indicator (its provider, or its parts', is registered)."""
    if indicator.is_ratio:
        return (
            indicator.numerator is not None
            and indicator.denominator is not None
            and available(indicator.numerator)
            and available(indicator.denominator)
        )
    return indicator.source != Indicator.Source.COMPUTED or indicator.provider in REGISTRY


def ended_note(unit: OrgUnit, period: Period) -> str:
    """ "đã chấm dứt từ 30/06/2025 — số liệu đến 29/06/2025" for a unit that ended by the period's end."""
    if unit.dissolved_on is None or unit.dissolved_on > period.end:
        return ""
    since = format_date(unit.dissolved_on)
    if unit.dissolved_on <= period.start:
        return f"đã chấm dứt từ {since} — không có số liệu trong kỳ"
    return f"đã chấm dứt từ {since} — số liệu đến {format_date(unit.dissolved_on - dt.timedelta(days=1))}"


def records_url(indicator: Indicator, figure: Figure, period: Period) -> str:
    """Where the records behind a figure are listed: the provider's list page with
    ``?unit=&from=&to=`` for computed indicators (a ratio: its numerator's records), the entered
    values under the unit for entered ones; "" when there is no such page."""
    source = indicator.numerator if indicator.is_ratio and indicator.numerator else indicator
    query = {"unit": figure.unit.code}
    if source.source == Indicator.Source.COMPUTED:
        provider = REGISTRY.get(source.provider)
        if provider is None or provider.records is None:
            return ""
        query.update({"indicator": source.code, "period": period.code})
        return f"{reverse('indicators:records')}?{urlencode(query)}"
    query.update({"indicator": source.code, "period": period.code})
    return f"{reverse('indicators:values')}?{urlencode(query)}"


def target_display(indicator: Indicator, target: Decimal | None) -> str:
    if target is None:
        return ""
    if indicator.is_ratio:
        return format_fraction_percent(target)
    return format_number(target, 2, trim=True)


@dataclass
class Shown:
    """A figure as the pages show it: the §5 row, display texts, drill-down link and bar width."""

    figure: Figure
    indicator: Indicator
    row: dict[str, Any]
    url: str
    target_display: str
    summary: str
    bar: int
    ended_note: str
    target_note: str = ""  # children without a target, left out of a summed target's achievement
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def unit(self) -> OrgUnit:
        return self.figure.unit


def show(figure: Figure, indicator: Indicator, period: Period) -> Shown:
    row = figure_row(figure, indicator)
    target = target_display(indicator, figure.target)
    value = row["value_display"]
    achievement = row["achievement_display"]
    unit_label = "" if indicator.is_ratio else f" {indicator.unit}"
    if figure.value is None:
        summary = "Chưa có số liệu" + (f" (chỉ tiêu {target}{unit_label})" if target else "")
    elif indicator.is_ratio:
        summary = value + (f" (chỉ tiêu {target}) — đạt {achievement}" if target and achievement else "")
    elif target and achievement and figure.compared is not None and figure.compared != figure.value:
        # A summed target: the achievement compares what the children with a target did.
        compared = format_number(figure.compared, indicator.decimals)
        summary = f"{compared}/{target}{unit_label} — đạt {achievement} (tổng thực hiện {value}{unit_label})"
    elif target and achievement:
        summary = f"{value}/{target}{unit_label} — đạt {achievement}"
    else:
        summary = f"{value}{unit_label}"
    bar = 0
    if figure.achievement is not None:
        bar = max(0, min(100, int(figure.achievement * 100)))
    return Shown(
        figure=figure,
        indicator=indicator,
        row=row,
        url=records_url(indicator, figure, period),
        target_display=target,
        summary=summary,
        bar=bar,
        ended_note=ended_note(figure.unit, period) if figure.ended or figure.depth == 0 else "",
        target_note=target_note(figure),
    )


def target_note(figure: Figure) -> str:
    """ "13 đơn vị trực thuộc chưa được giao chỉ tiêu, không tính vào tỷ lệ đạt." under a summed target."""
    n = figure.children_without_target
    if not n or figure.compared is None:
        return ""
    return f"{n} đơn vị trực thuộc chưa được giao chỉ tiêu, không tính vào tỷ lệ đạt."


def figures_under(
    request: HttpRequest, indicator: Indicator, period: Period, unit: OrgUnit, depth: int
) -> list[Figure]:
    return selectors.achievement_table(
        user=request.user, indicator=indicator, period=period, under=unit, depth=depth
    )


def standard_indicators() -> list[Indicator]:
    return list(selectors.indicator_list().filter(standard=True))


class Rollback(Exception):
    """Raised inside a form's transaction (targets grid, data entry) when a cell failed: nothing is saved."""
