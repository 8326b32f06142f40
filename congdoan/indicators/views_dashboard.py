"""Indicators pages that show figures: the dashboard, achievement by child unit (table, chart,
XLSX), and the records behind a figure (entered values, or what a provider counted).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from congdoan.core.periods import Period
from congdoan.org import selectors as org_selectors
from congdoan.org.selectors import not_founded_message

from . import exports, selectors
from .views_shared import (
    Shown,
    available,
    default_period,
    ended_note,
    figures_under,
    period_choices,
    request_period,
    request_unit,
    show,
    standard_indicators,
)

VALUES_LIMIT = 500

# -- dashboard ---------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def dashboard(request: HttpRequest) -> HttpResponse:
    """A card per standard indicator for the user's unit and a period: value, target, progress bar."""
    unit = request_unit(request)
    period = request_period(request, default_period(request.user))
    standard = standard_indicators()
    missing = [indicator for indicator in standard if not available(indicator)]
    not_founded = not_founded_message(unit, period.end)  # no dashboard of zeros before the unit began
    shown = [] if not_founded else [indicator for indicator in standard if indicator not in missing]
    tables = selectors.achievement_tables(
        user=request.user, indicators=shown, period=period, under=unit, depth=0
    )
    cards = []
    for indicator in shown:
        figures = tables[indicator.code]
        if figures and figures[0].unit.pk == unit.pk:
            cards.append(show(figures[0], indicator, period))
    context = {
        "unit": unit,
        "units": org_selectors.home_units(user=request.user),
        "period": period,
        "periods": period_choices(period),
        "cards": cards,
        "missing": missing,
        "ended": ended_note(unit, period),
        "not_founded": not_founded,
        "kept_at": max((c.figure.kept_at for c in cards if c.figure.kept_at), default=None),
    }
    return render(request, "indicators/dashboard.html", context)


# -- achievement by child unit -------------------------------------------------------------------------


BAR_HTML = (
    '<div class="d-flex align-items-center gap-2"><div class="progress flex-grow-1" role="progressbar"'
    ' aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100" style="height: .5rem; min-width: 5rem">'
    '<div class="progress-bar{}" style="width: {}%"></div></div>'
)


class AchievementTable(tables.Table):
    """The unit's children (figures as ``Shown.row`` dicts plus display fields), sortable in memory."""

    unit_name = tables.Column(verbose_name="Đơn vị", order_by=("unit_name",))
    value = tables.Column(
        verbose_name="Thực hiện", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    target = tables.Column(
        verbose_name="Chỉ tiêu", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    achievement = tables.Column(
        verbose_name="Tỷ lệ đạt", attrs={"td": {"class": "ach", "style": "min-width: 11rem"}}
    )

    class Meta:
        template_name = "django_tables2/congdoan.html"
        attrs = {"class": "table table-sm table-hover align-middle achievement-table"}
        empty_text = "Không có đơn vị trực thuộc nào trong kỳ này."
        orderable = True

    def render_unit_name(self, record: dict[str, Any]) -> SafeString:
        note = record["ended_note"]
        badge = format_html(' <span class="badge text-bg-warning ended">{}</span>', note) if note else ""
        return format_html(
            '<a href="{}">{}</a> <span class="text-muted small">{}</span>{}',
            record["drill_url"],
            record["unit_name"],
            record["unit_code"],
            badge,
        )

    def render_value(self, record: dict[str, Any]) -> SafeString | str:
        if record["records_url"]:
            return format_html(
                '<a class="figure" href="{}">{}</a>', record["records_url"], record["value_display"]
            )
        return record["value_display"]

    def render_target(self, record: dict[str, Any]) -> str:
        return record["target_display"]

    def render_achievement(self, record: dict[str, Any]) -> SafeString:
        bar = format_html(
            BAR_HTML, record["bar"], " bg-success" if record["bar"] >= 100 else "", record["bar"]
        )
        return bar + format_html('<span class="text-nowrap">{}</span></div>', record["achievement_display"])


def _table_row(shown: Shown, period: Period) -> dict[str, Any]:
    drill = reverse("indicators:by_unit", args=[shown.indicator.code])
    return {
        **shown.row,
        "records_url": shown.url,
        "drill_url": f"{drill}?{urlencode({'period': period.code, 'unit': shown.unit.code})}",
        "target_display": shown.target_display,
        "bar": shown.bar,
        "ended_note": shown.ended_note,
        "target_note": shown.target_note,
    }


def _figure_sheet_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            r["unit_code"],
            r["unit_name"],
            r["value"],
            r["target"],
            r["achievement"],
            r["value_display"],
            r["achievement_display"],
            " ".join(note for note in (r.get("ended_note", ""), r.get("target_note", "")) if note),
        ]
        for r in rows
    ]


FIGURE_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Thực hiện",
    "Chỉ tiêu",
    "Tỷ lệ đạt",
    "Thực hiện (hiển thị)",
    "Tỷ lệ đạt (hiển thị)",
    "Ghi chú",
]


@login_required
@require_GET  # a read: POST is 405
def by_unit(request: HttpRequest, code: str) -> HttpResponseBase:
    """Achievement of one indicator by the unit's children: sortable table, chart, XLSX."""
    try:
        indicator = selectors.indicator_get(code)
    except ValidationError:
        raise Http404(code) from None
    unit = request_unit(request)
    period = request_period(request, default_period(request.user))
    head: Shown | None = None
    rows: list[dict[str, Any]] = []
    if available(indicator):
        figures = figures_under(request, indicator, period, unit, depth=1)
        for figure in figures:
            shown = show(figure, indicator, period)
            if figure.depth == 0 and figure.unit.pk == unit.pk:
                head = shown
            else:
                rows.append(_table_row(shown, period))
    if request.GET.get("xuat") == "xlsx":
        all_rows = ([_table_row(head, period)] if head else []) + rows
        heading = f"{indicator.name} — {unit.name} — {period.label}"
        return exports.figures_xlsx(
            user=request.user,
            sheets=[("Kết quả", heading, FIGURE_HEADER, _figure_sheet_rows(all_rows))],
            stem=f"chi-tieu-{indicator.code.lower()}-{period.code}",
            what=f"Kết quả chỉ tiêu {indicator.code} theo đơn vị (XLSX)",
            filters={"indicator": indicator.code, "unit": unit.code, "period": period.code},
        )
    table = AchievementTable(rows, order_by=request.GET.get("sort") or None)
    RequestConfig(request, paginate=False).configure(table)
    has_targets = any(r["achievement"] is not None for r in rows)
    percent = has_targets or indicator.is_ratio
    bars: list[float | None] = []
    for r in rows:
        number = r["achievement"] if has_targets else r["value"]
        bars.append(None if number is None else round(number * 100, 2) if percent else number)
    chart = {
        "labels": [r["unit_name"] for r in rows],
        "values": bars,
        "label": "Tỷ lệ đạt (%)"
        if has_targets
        else (f"{indicator.name} (%)" if indicator.is_ratio else f"Thực hiện ({indicator.unit})"),
        "percent": percent,
    }
    context = {
        "indicator": indicator,
        "indicators": [i for i in standard_indicators() if available(i)],
        "unit": unit,
        "period": period,
        "periods": period_choices(period),
        "head": head,
        "table": table,
        "chart": chart,
        "computable": available(indicator),
        "ended": ended_note(unit, period),
        "kept_at": head.figure.kept_at if head else None,
    }
    return render(request, "indicators/by_unit.html", context)


# -- entered values behind a figure ----------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def values(request: HttpRequest) -> HttpResponse:
    """The entered values under a unit for a period: the records behind an entered figure."""
    try:
        indicator = selectors.indicator_get(request.GET.get("indicator", ""))
    except ValidationError:
        raise Http404 from None
    unit = request_unit(request)
    period = request_period(request, default_period(request.user))
    qs = selectors.entered_values(user=request.user, indicator=indicator, unit=unit, period=period)
    items = list(qs[: VALUES_LIMIT + 1])
    total = sum((v.value for v in items[:VALUES_LIMIT]), Decimal(0))
    context = {
        "indicator": indicator,
        "unit": unit,
        "period": period,
        "items": items[:VALUES_LIMIT],
        "more": len(items) > VALUES_LIMIT,
        "total": total,
        "ended": ended_note(unit, period),
    }
    return render(request, "indicators/values.html", context)


RECORDS_PER_PAGE = 100
DATE_FIELDS = ("join_date", "signed_on", "held_on", "founded_on")


def _record_row(obj: Any) -> dict[str, Any]:
    """A generic line for any record a provider counts: its name, link, unit and date."""
    person = getattr(obj, "person", None)
    if person is not None:
        url = reverse("members:detail", args=[person.pk])
    else:
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    unit = getattr(obj, "cdcs", None) or getattr(obj, "unit", None)
    day = next((getattr(obj, f) for f in DATE_FIELDS if getattr(obj, f, None)), None)
    return {"label": str(person or obj), "url": url, "unit": unit, "date": day}


@login_required
@require_GET  # a read: POST is 405
def records(request: HttpRequest) -> HttpResponse:
    """The records behind a computed figure — exactly those its provider counted."""
    try:
        indicator = selectors.indicator_get(request.GET.get("indicator", ""))
    except ValidationError:
        raise Http404 from None
    unit = request_unit(request)
    period = request_period(request, default_period(request.user))
    found = selectors.figure_records(user=request.user, indicator=indicator, unit=unit, period=period)
    if found is None:
        raise Http404("Chỉ tiêu này không có danh sách bản ghi.")
    paginator = Paginator(found.items.order_by("pk"), RECORDS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "indicator": found.source,
        "unit": unit,
        "period": period,
        "figure": found.figure,
        "page": page,
        "rows": [_record_row(obj) for obj in page.object_list],
        "ended": ended_note(unit, period),
        "query": urlencode({"indicator": found.source.code, "unit": unit.code, "period": period.code}),
    }
    return render(request, "indicators/records.html", context)
