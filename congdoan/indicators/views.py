"""Pages of the indicators app: dashboard, achievement by child unit, cluster comparison, drill-down to
entered values, the targets grid (with XLSX import) and data entry of report forms.

Thin views: every figure comes from ``selectors.achievement_table`` (scoped; one engine), every write
goes through ``services`` (targets, values, submissions) or an import job (``imports.services``); out-of-scope
units answer 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django_tables2 import RequestConfig

from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.formatting import format_date, format_fraction_percent, format_number
from congdoan.core.periods import Period, PeriodError, parse_period
from congdoan.core.text import vi_sort_key
from congdoan.imports import services as import_services
from congdoan.org import selectors as org_selectors
from congdoan.org.models import ClusterMember, EmulationCluster, OrgUnit

from . import exports, selectors, services
from .engine import Figure
from .forms import DataEntryForm, TargetGridForm, UploadForm, cell_name
from .models import DataValue, Indicator, ReportForm, Submission, Target
from .providers import REGISTRY
from .rows import figure_row

# The target grid's columns when none are chosen: the yearly targets a city hands down.
DEFAULT_GRID = ["DV_KET_NAP", "CDCS_THANH_LAP", "TU_KY_MOI", "TL_CO_THOA_UOC"]
DEFAULT_FORM = "BC_HDCD"
VALUES_LIMIT = 500

MSG_TARGETS_SAVED = "Đã lưu {n} chỉ tiêu giao cho {period}."
MSG_TARGETS_NONE = "Không có chỉ tiêu nào thay đổi."
MSG_TARGETS_FAILED = "Chưa lưu: có ô không hợp lệ (xem các ô tô đỏ). Không chỉ tiêu nào được thay đổi."
MSG_BACK_TO_TARGETS = "trang chỉ tiêu giao"  # "Quay lại trang chỉ tiêu giao"
MSG_VALUES_SAVED = "Đã lưu số liệu ({n} chỉ tiêu)."
MSG_SUBMITTED = "Đã gửi báo cáo «{form}» {period} của {unit} lên cấp trên."
MSG_APPROVED = "Đã duyệt báo cáo «{form}» {period} của {unit}; số liệu đã được khóa."
MSG_OUT_OF_SCOPE = "Đơn vị này không thuộc phạm vi bạn được giao chỉ tiêu."


# -- helpers -----------------------------------------------------------------------------------------


def default_period(user: Any) -> str:
    """The current year; for read-only users of an ended unit, the year of its last day."""
    until = user_scope(user).read_only_until
    return str((until or timezone.localdate()).year)


def _period(request: HttpRequest, default: str) -> Period:
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


def _unit(request: HttpRequest, param: str = "unit") -> OrgUnit:
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
        return format_fraction_percent(target, 2)
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


def _figures(
    request: HttpRequest, indicator: Indicator, period: Period, unit: OrgUnit, depth: int
) -> list[Figure]:
    return selectors.achievement_table(
        user=request.user, indicator=indicator, period=period, under=unit, depth=depth
    )


def _standard() -> list[Indicator]:
    return list(selectors.indicator_list().filter(standard=True))


# -- dashboard ---------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A card per standard indicator for the user's unit and a period: value, target, progress bar."""
    unit = _unit(request)
    period = _period(request, default_period(request.user))
    standard = _standard()
    missing = [indicator for indicator in standard if not available(indicator)]
    shown = [indicator for indicator in standard if indicator not in missing]
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
def by_unit(request: HttpRequest, code: str) -> HttpResponseBase:
    """Achievement of one indicator by the unit's children: sortable table, chart, XLSX."""
    try:
        indicator = selectors.indicator_get(code)
    except ValidationError:
        raise Http404(code) from None
    unit = _unit(request)
    period = _period(request, default_period(request.user))
    head: Shown | None = None
    rows: list[dict[str, Any]] = []
    if available(indicator):
        figures = _figures(request, indicator, period, unit, depth=1)
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
        "indicators": [i for i in _standard() if available(i)],
        "unit": unit,
        "period": period,
        "periods": period_choices(period),
        "head": head,
        "table": table,
        "chart": chart,
        "computable": available(indicator),
        "ended": ended_note(unit, period),
    }
    return render(request, "indicators/by_unit.html", context)


# -- entered values behind a figure ----------------------------------------------------------------------


@login_required
def values(request: HttpRequest) -> HttpResponse:
    """The entered values under a unit for a period: the records behind an entered figure."""
    try:
        indicator = selectors.indicator_get(request.GET.get("indicator", ""))
    except ValidationError:
        raise Http404 from None
    unit = _unit(request)
    period = _period(request, default_period(request.user))
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


# -- emulation cluster comparison -----------------------------------------------------------------------


def _member_figures(
    request: HttpRequest,
    indicator: Indicator,
    period: Period,
    cluster: EmulationCluster,
    members: list[ClusterMember],
) -> dict[int, Figure]:
    """Each member's figure: one roll-up under the organiser when the user may see it (members are
    usually its children), else one per member; members outside the user's scope have none."""
    out: dict[int, Figure] = {}
    wanted = {m.unit_id for m in members}
    try:
        for figure in _figures(request, indicator, period, cluster.organiser, depth=1):
            if figure.unit.pk in wanted:
                out.setdefault(figure.unit.pk, figure)
    except OutOfScope:
        pass
    for member in members:
        if member.unit_id in out:
            continue
        try:
            figures = _figures(request, indicator, period, member.unit, depth=0)
        except OutOfScope:
            continue
        if figures and figures[0].unit.pk == member.unit_id:
            out[member.unit_id] = figures[0]
    return out


def _rank_key(figure: Figure | None, name: str) -> tuple[Any, ...]:
    if figure is None:
        return (2, 0, 0, name)
    achievement = figure.achievement
    return (
        0 if achievement is not None else 1,
        -(achievement or 0),
        -(figure.value or 0),
        name,
    )


@login_required
def cluster(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The members of an emulation cluster side by side on the standard indicators, ranked by
    achievement of the chosen indicator (by value when it has no targets)."""
    found = org_selectors.cluster_list(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    period = _period(request, str(found.year))
    members = sorted(
        found.memberships.all(),
        key=lambda m: ({"leader": 0, "deputy": 1}.get(m.role, 2), m.unit.name),
    )
    indicators = [i for i in _standard() if available(i)]
    if not indicators:
        raise Http404
    by_indicator = {i.code: _member_figures(request, i, period, found, members) for i in indicators}
    code = request.GET.get("indicator", "").strip().upper()
    selected = next((i for i in indicators if i.code == code), None)
    if selected is None:
        with_target = [i for i in indicators if any(f.target for f in by_indicator[i.code].values())]
        with_value = [i for i in indicators if any(f.value for f in by_indicator[i.code].values())]
        selected = (with_target or with_value or indicators)[0]
    chosen = by_indicator[selected.code]
    ranked = sorted(members, key=lambda m: _rank_key(chosen.get(m.unit_id), m.unit.name))
    ranking = []
    for position, member in enumerate(ranked, start=1):
        figure = chosen.get(member.unit_id)
        ranking.append(
            {
                "rank": position if figure is not None else None,
                "member": member,
                "shown": show(figure, selected, period) if figure is not None else None,
                "ended": ended_note(member.unit, period),
            }
        )
    matrix = []
    for indicator in indicators:
        figures = by_indicator[indicator.code]
        cells = [
            show(figures[m.unit_id], indicator, period) if m.unit_id in figures else None for m in ranked
        ]
        matrix.append({"indicator": indicator, "cells": cells, "selected": indicator.pk == selected.pk})
    by_targets = any(f.achievement is not None for f in chosen.values())
    if request.GET.get("xuat") == "xlsx":
        return _cluster_xlsx(request, found, period, selected, ranking, ranked, matrix, by_targets)
    context = {
        "cluster": found,
        "period": period,
        "periods": period_choices(period),
        "selected": selected,
        "ranking": ranking,
        "ranked": ranked,
        "matrix": matrix,
        "by_targets": by_targets,
    }
    return render(request, "indicators/cluster.html", context)


def _cluster_xlsx(
    request: HttpRequest,
    found: EmulationCluster,
    period: Period,
    selected: Indicator,
    ranking: list[dict[str, Any]],
    ranked: list[ClusterMember],
    matrix: list[dict[str, Any]],
    by_targets: bool,
) -> HttpResponseBase:
    rank_rows = []
    for item in ranking:
        shown: Shown | None = item["shown"]
        row = shown.row if shown else {}
        rank_rows.append(
            [
                item["rank"],
                item["member"].unit.code,
                item["member"].unit.name,
                item["member"].get_role_display(),
                row.get("value"),
                row.get("target"),
                row.get("achievement"),
                row.get("value_display", ""),
                row.get("achievement_display", ""),
                item["ended"],
            ]
        )
    rank_header = [
        "Hạng",
        "Mã đơn vị",
        "Tên đơn vị",
        "Vai trò",
        "Thực hiện",
        "Chỉ tiêu",
        "Tỷ lệ đạt",
        "Thực hiện (hiển thị)",
        "Tỷ lệ đạt (hiển thị)",
        "Ghi chú",
    ]
    matrix_header = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính"]
    for member in ranked:
        matrix_header += [member.unit.name, f"{member.unit.name} — tỷ lệ đạt"]
    matrix_rows = []
    for line in matrix:
        indicator = line["indicator"]
        row_out: list[Any] = [indicator.code, indicator.name, indicator.unit]
        for cell in line["cells"]:
            row_out += [cell.row["value_display"], cell.row["achievement_display"]] if cell else ["", ""]
        matrix_rows.append(row_out)
    order = "tỷ lệ đạt" if by_targets else "giá trị"
    return exports.figures_xlsx(
        user=request.user,
        sheets=[
            (
                "Xếp hạng",
                f"{found.name} — {selected.name} — {period.label} (xếp theo {order})",
                rank_header,
                rank_rows,
            ),
            ("So sánh", f"{found.name} — {period.label}", matrix_header, matrix_rows),
        ],
        stem=f"cum-thi-dua-{found.pk}-{period.code}",
        what=f"So sánh cụm thi đua «{found.name}» (XLSX)",
        filters={"cluster": found.pk, "period": period.code, "indicator": selected.code},
    )


# -- targets grid ---------------------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised inside the grid's transaction when a cell failed: nothing is saved."""


def _grid_setup(
    request: HttpRequest,
) -> tuple[OrgUnit, Period, list[OrgUnit], list[Indicator], list[Indicator]]:
    unit = _unit(request)
    period = _period(request, str(timezone.localdate().year))
    children = sorted(
        org_selectors.children(user=request.user, unit=unit, on=period.start),
        key=lambda u: (u.level, vi_sort_key(u.name)),
    )
    catalogue = list(selectors.indicator_list())
    codes = [c.strip().upper() for c in request.GET.getlist("ind") if c.strip()] or DEFAULT_GRID
    chosen = [i for code in codes for i in catalogue if i.code == code]
    if not chosen:
        chosen = [i for i in catalogue if i.standard][:4]
    return unit, period, children, chosen, catalogue


def _current_targets(
    user: Any, units: list[OrgUnit], indicators: list[Indicator], period: Period
) -> dict[tuple[int, int], Decimal]:
    rows = Target.objects.filter(unit__in=units, indicator__in=indicators, period=period.code).filter(
        user_scope(user).period_q(unit_field="unit_id")
    )
    return {(t.unit_id, t.indicator_id): t.value for t in rows}


def _grid_query(unit: OrgUnit, period: Period, indicators: list[Indicator]) -> str:
    return urlencode([("unit", unit.code), ("period", period.code), *[("ind", i.code) for i in indicators]])


def _save_grid(request: HttpRequest, form: TargetGridForm, period: Period) -> int:
    """Every changed cell through ``services.target_set`` in one transaction; on any error the cell
    shows it and nothing is saved (raises ``_Rollback``)."""
    changed = 0
    with transaction.atomic():
        for unit, indicator, value in form.changes():
            name = cell_name(unit, indicator)
            try:
                services.target_set(
                    actor=request.user, unit=unit, indicator=indicator, period=period.code, value=value
                )
            except OutOfScope:
                form.add_error(name, MSG_OUT_OF_SCOPE)
            except ValidationError as exc:
                form.add_error(name, ValidationError(exc.messages))
            else:
                changed += 1
        if form.errors:
            raise _Rollback
    return changed


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """Targets handed down to the unit's children for a period: an editable grid, XLSX import."""
    unit, period, children, chosen, catalogue = _grid_setup(request)
    current = _current_targets(request.user, children, chosen, period)
    scope = user_scope(request.user)
    can_edit = scope.can_write_anything and org_selectors.unit_can_write(
        user=request.user, unit=unit, on=min(period.end, unit.last_day) if unit.last_day else period.end
    )
    here = f"{reverse('indicators:targets')}?{_grid_query(unit, period, chosen)}"
    form = TargetGridForm(None, units=children, indicators=chosen, current=current)
    upload = UploadForm()
    if request.method == "POST" and can_edit:
        if request.POST.get("action") == "import":
            # The import pipeline's job: stored file, preview (counts or every error), commit with
            # progress; the job's page links back to this grid.
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                try:
                    job = import_services.job_create(
                        actor=request.user,
                        kind="values",
                        upload=upload.cleaned_data["file"],
                        return_url=here,
                        return_label=MSG_BACK_TO_TARGETS,
                    )
                except ValidationError as exc:
                    upload.add_error("file", ValidationError(exc.messages))
                except PermissionDenied as exc:
                    upload.add_error("file", str(exc))
                else:
                    import_services.job_validate(job=job)
                    return redirect(job)
        else:
            form = TargetGridForm(request.POST, units=children, indicators=chosen, current=current)
            if form.is_valid():
                try:
                    n = _save_grid(request, form, period)
                except _Rollback:
                    messages.error(request, MSG_TARGETS_FAILED)
                else:
                    messages.success(
                        request, MSG_TARGETS_SAVED.format(n=n, period=period.label) if n else MSG_TARGETS_NONE
                    )
                    return redirect(here)
            else:
                messages.error(request, MSG_TARGETS_FAILED)
    context = {
        "unit": unit,
        "period": period,
        "periods": period_choices(period),
        "children": children,
        "chosen": chosen,
        "catalogue": catalogue,
        "form": form,
        "upload": upload,
        "can_edit": can_edit,
        "query": _grid_query(unit, period, chosen),
    }
    return render(request, "indicators/targets.html", context)


@login_required
def targets_template(request: HttpRequest) -> HttpResponseBase:
    """The grid as an import file (unit_code, indicator_code, period, kind, value), with the current
    targets filled in."""
    unit, period, children, chosen, _ = _grid_setup(request)
    current = _current_targets(request.user, children, chosen, period)
    rows = []
    for child in children:
        for indicator in chosen:
            value = current.get((child.pk, indicator.pk))
            cell: Any = None
            if value is not None:
                number = value * 100 if indicator.is_ratio else value
                cell = int(number) if number == number.to_integral_value() else float(number)
            rows.append([child.code, indicator.code, period.code, "target", cell])
    return exports.target_template_xlsx(rows, f"mau-chi-tieu-{unit.code.lower()}-{period.code}")


# -- data entry -----------------------------------------------------------------------------------------


def _entry_context(request: HttpRequest) -> dict[str, Any]:
    report = ReportForm.objects.filter(code=(request.GET.get("form") or DEFAULT_FORM).strip().upper()).first()
    if report is None:
        raise Http404
    unit = _unit(request)
    period = _period(request, default_period(request.user))
    selectors.require_period(request.user, [unit], period)  # an ended unit's 2026: 404
    indicators = list(report.indicators.order_by("sort_order", "code"))
    submission = Submission.objects.filter(form=report, unit=unit, period=period.code).first()
    current = dict(
        DataValue.objects.filter(unit=unit, period=period.code, indicator__in=indicators).values_list(
            "indicator_id", "value"
        )
    )
    locked = submission is not None and submission.status == Submission.Status.APPROVED
    today = timezone.localdate()
    can_write = unit.is_alive_on(today) and org_selectors.unit_can_write(user=request.user, unit=unit)
    scope = user_scope(request.user)
    can_approve = (
        submission is not None
        and submission.status == Submission.Status.SUBMITTED
        and can_write
        and (scope.is_global or unit.pk not in scope.root_ids)
    )
    return {
        "report": report,
        "reports": list(ReportForm.objects.all()),
        "unit": unit,
        "period": period,
        "periods": period_choices(period),
        "indicators": indicators,
        "submission": submission,
        "current": current,
        "locked": locked,
        "can_write": can_write and not locked,
        "can_approve": can_approve,
        "query": urlencode({"form": report.code, "unit": unit.code, "period": period.code}),
    }


@login_required
def entry(request: HttpRequest) -> HttpResponse:
    """A report form's entered indicators for a unit and period: save, submit, approve (then locked)."""
    ctx = _entry_context(request)
    report, unit, period = ctx["report"], ctx["unit"], ctx["period"]
    here = f"{reverse('indicators:entry')}?{ctx['query']}"
    form = DataEntryForm(
        None, indicators=ctx["indicators"], current=ctx["current"], disabled=not ctx["can_write"]
    )
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "approve" and ctx["can_approve"]:
        try:
            services.submission_approve(actor=request.user, submission=ctx["submission"])
        except (ValidationError, OutOfScope) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [MSG_OUT_OF_SCOPE])))
        else:
            messages.success(
                request, MSG_APPROVED.format(form=report.name, period=period.label, unit=unit.name)
            )
        return redirect(here)
    if request.method == "POST" and action in ("save", "submit") and ctx["can_write"]:
        form = DataEntryForm(
            request.POST, indicators=ctx["indicators"], current=ctx["current"], disabled=False
        )
        if form.is_valid() and _save_values(request, form, unit, period):
            if action == "submit":
                try:
                    services.submission_submit(actor=request.user, form=report, unit=unit, period=period.code)
                except (ValidationError, OutOfScope) as exc:
                    messages.error(request, " ".join(getattr(exc, "messages", [MSG_OUT_OF_SCOPE])))
                    return redirect(here)
                messages.success(
                    request, MSG_SUBMITTED.format(form=report.name, period=period.label, unit=unit.name)
                )
            return redirect(here)
    ctx["form"] = form
    return render(request, "indicators/entry.html", ctx)


def _save_values(request: HttpRequest, form: DataEntryForm, unit: OrgUnit, period: Period) -> bool:
    """The changed values through ``services.value_set``, all or nothing; errors go on their fields."""
    changes = form.changes()
    try:
        with transaction.atomic():
            for indicator, value in changes:
                try:
                    services.value_set(
                        actor=request.user, unit=unit, indicator=indicator, period=period.code, value=value
                    )
                except ValidationError as exc:
                    form.add_error(indicator.code, ValidationError(exc.messages))
                except OutOfScope:
                    form.add_error(indicator.code, MSG_OUT_OF_SCOPE)
            if form.errors:
                raise _Rollback
    except _Rollback:
        messages.error(request, "Chưa lưu: có số liệu không hợp lệ. Không số liệu nào được thay đổi.")
        return False
    if changes:
        messages.success(request, MSG_VALUES_SAVED.format(n=len(changes)))
    return True


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
def records(request: HttpRequest) -> HttpResponse:
    """The records behind a computed figure — exactly those its provider counted."""
    try:
        indicator = selectors.indicator_get(request.GET.get("indicator", ""))
    except ValidationError:
        raise Http404 from None
    unit = _unit(request)
    period = _period(request, default_period(request.user))
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
