"""What a report says: figures read through the roll-up engine, scoped to the user, laid out as sections
(drafted sentences + a table by child unit). DOCX, XLSX, PDF and the HTML preview all render this.

Reports never write domain data. An indicator whose provider is not registered yet, or a period
without data, is "no data" — the sentences say so, the tables show "—" — never zeros as facts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone

from congdoan.accounts.permissions import scoped
from congdoan.accounts.scope import OutOfScope
from congdoan.core import registry
from congdoan.core.formatting import (
    EMPTY,
    format_date,
    format_fraction_percent,
    format_number,
    percent_decimals,
)
from congdoan.core.periods import Period, format_period
from congdoan.indicators import selectors as indicator_selectors
from congdoan.indicators.engine import Figure, window
from congdoan.indicators.models import Indicator
from congdoan.indicators.providers import REGISTRY
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from . import drafting
from .charts import Bar, Chart, top_bars
from .drafting import Stat
from .layout import ColumnSpec, TableSpec
from .models import GeneratedReport, ReportTemplate


def indicator_codes(sections: list[registry.ReportSection] | None = None) -> list[str]:
    """Every indicator the report reads: the table columns of the sections (registered ones by
    default), then what the drafts read besides."""
    sections = registry.report_sections() if sections is None else sections
    codes = [c.indicator for s in sections if s.table for c in s.table.columns]
    codes += [code for s in sections for code in s.indicators]
    return list(dict.fromkeys(codes))


def _table_codes(section: registry.ReportSection) -> list[str]:
    """The indicators whose figures decide whether the section has data: its table's, else its own."""
    if section.table is None:
        return list(dict.fromkeys(section.indicators))
    return list(dict.fromkeys(c.indicator for c in section.table.columns))


# -- what a report holds -----------------------------------------------------------------------


@dataclass
class Cell:
    value: Decimal | None  # None: no data (or no target)
    display: str
    url: str = ""
    kind: str = "int"
    decimals: int = 0  # of a percentage


@dataclass
class Row:
    """A unit's line of a table. Its cells are made when first read: the preview of a city shows only a
    page of its ~500 CĐCS, so the cells of the folded rows are never made (the files read them all)."""

    name: str
    code: str
    make_cells: Callable[[], dict[str, Cell]] = field(repr=False, compare=False)
    ended: bool = False
    is_total: bool = False
    grassroots: bool = False  # a CĐCS (the preview folds them under the upper unions)
    _cells: dict[str, Cell] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def cells(self) -> dict[str, Cell]:
        if self._cells is None:
            self._cells = self.make_cells()
        return self._cells

    def displays(self) -> dict[str, str]:
        return {key: cell.display for key, cell in self.cells.items()}

    @property
    def cell_list(self) -> list[Cell]:
        return list(self.cells.values())


@dataclass
class Table:
    key: str
    title: str
    columns: tuple[ColumnSpec, ...]
    rows: list[Row]
    total: Row
    has_data: bool
    number: int = 0


@dataclass
class ColumnGroup:
    label: str
    columns: list[ColumnSpec]

    @property
    def span(self) -> int:
        return len(self.columns)


@dataclass
class Part:
    """One registered section (``registry.ReportSection``) as the report shows it."""

    title: str
    paragraphs: list[str]
    table: Table | None
    chart: Chart | None = None
    key: str = ""  # the section's key: the prefix of its template variables

    @property
    def has_table(self) -> bool:
        return self.table is not None and self.table.has_data

    @property
    def groups(self) -> list[ColumnGroup]:
        """Consecutive columns under one header (merged cells); a column without a group stands alone."""
        groups: list[ColumnGroup] = []
        for column in self.table.columns if self.table else ():
            if column.group and groups and groups[-1].label == column.group:
                groups[-1].columns.append(column)
            else:
                groups.append(ColumnGroup(column.group, [column]))
        return groups

    @property
    def all_rows(self) -> list[Row]:
        return [self.table.total, *self.table.rows] if self.table else []

    @property
    def upper_rows(self) -> list[Row]:
        """The child unions above grassroots level (wards, districts, sectoral unions): listed first."""
        return [r for r in self.table.rows if not r.grassroots] if self.table else []

    @property
    def grassroots_rows(self) -> list[Row]:
        """The CĐCS directly under the unit: the preview folds them after the upper unions."""
        return [r for r in self.table.rows if r.grassroots] if self.table else []


@dataclass
class Section:
    number: str
    title: str
    parts: list[Part]


@dataclass
class Series:
    """The figures of one indicator for the unit and its children (``reason`` set: no data)."""

    indicator: Indicator | None
    figures: dict[int, Figure] = field(default_factory=dict)
    order: list[Figure] = field(default_factory=list)
    reason: str = ""


@dataclass
class Report:
    unit: OrgUnit
    period: Period
    start: dt.date
    end: dt.date
    ended: bool
    parent: OrgUnit | None
    area: str
    place: str
    issued_on: dt.date
    sections: list[Section]
    tables: dict[str, Table]
    notes: list[str]  # what has no data, and why
    reason: str  # the whole report has no data (unit not alive, period not begun), else ""
    chart: Chart | None = None  # achievement by child unit (also on its part)

    @property
    def title(self) -> str:
        return drafting.report_title(self.period)

    @property
    def is_annual(self) -> bool:
        return self.period.kind in ("year", "term")


# -- building ----------------------------------------------------------------------------------


def _whole_report_reason(unit: OrgUnit, period: Period, today: dt.date) -> str:
    if period.start > today:
        return "kỳ báo cáo chưa bắt đầu"
    if unit.founded_on is not None and unit.founded_on > period.end:
        return f"đơn vị thành lập ngày {format_date(unit.founded_on)}, sau kỳ báo cáo"
    if unit.dissolved_on is not None and unit.dissolved_on <= period.start:
        return f"đơn vị đã chấm dứt hoạt động từ ngày {format_date(unit.dissolved_on)}"
    return ""


def _missing_provider(indicator: Indicator) -> str:
    """The provider code the indicator (or one of its parts) needs and nobody registered, else ""."""
    parts = [indicator.numerator, indicator.denominator] if indicator.is_ratio else [indicator]
    for part in parts:
        if part is not None and part.source == Indicator.Source.COMPUTED and part.provider not in REGISTRY:
            return part.provider or part.code
    return ""


NO_SOURCE = "chưa có dữ liệu nguồn trên hệ thống"


def _all_series(
    user: Any, indicators: dict[str, Indicator], codes: list[str], period: Period, unit: OrgUnit, reason: str
) -> dict[str, Series]:
    """Each code's figures for the unit and its children, from one table of every indicator that has
    its sources (one read of the tree and of each kind of record), else the reason it has none."""
    series: dict[str, Series] = {}
    ready: list[Indicator] = []
    for code in codes:
        indicator = indicators.get(code)
        if reason:
            series[code] = Series(indicator, reason=reason)
        elif indicator is None:
            series[code] = Series(None, reason=f"danh mục chưa có chỉ tiêu {code}")
        elif _missing_provider(indicator):
            series[code] = Series(indicator, reason=NO_SOURCE)
        else:
            ready.append(indicator)
    tables: dict[str, list[Figure]] = {}
    try:
        if ready:  # none when the whole report has a reason (e.g. the period has not begun)
            tables = indicator_selectors.achievement_tables(
                user=user, indicators=ready, period=period, under=unit, depth=1
            )
    except ValueError:  # a part without a provider: find which indicators lack data, one by one
        tables = {}
        for indicator in ready:
            try:
                tables[indicator.code] = indicator_selectors.achievement_table(
                    user=user, indicator=indicator, period=period, under=unit, depth=1
                )
            except ValueError:
                series[indicator.code] = Series(indicator, reason=NO_SOURCE)
    for indicator in ready:
        if indicator.code in tables:
            figures = tables[indicator.code]
            series[indicator.code] = Series(indicator, {f.unit.pk: f for f in figures}, figures)
    return {code: series[code] for code in codes}


def _stat(series: Series | None, unit_id: int) -> Stat | None:
    if series is None or series.reason or series.indicator is None:
        return None
    figure = series.figures.get(unit_id)
    if figure is None:
        return None
    return Stat.of(figure, series.indicator.decimals)


def _records_url(indicator: Indicator | None, figure: Figure) -> str:
    """The list of the records behind a figure (?unit=CODE&from=&to=), when its provider has one."""
    if indicator is None or indicator.source != Indicator.Source.COMPUTED or indicator.is_ratio:
        return ""
    provider = REGISTRY.get(indicator.provider)
    if provider is None or not provider.records_url:
        return ""
    base = _list_url(provider.records_url, get_script_prefix())
    if not base:
        return ""
    # Built by hand: a city's report has ~10,000 of these links (urlencode and reverse were half its time).
    code = quote_plus(figure.unit.code)
    return f"{base}?unit={code}&from={figure.start.isoformat()}&to={figure.end.isoformat()}"


@functools.lru_cache(maxsize=256)
def _list_url(url_name: str, script_prefix: str) -> str:
    """``reverse(url_name)`` once per name (and script prefix); "" when the page does not exist."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def _cell(spec: ColumnSpec, series: Series, figure: Figure | None, no_data: bool) -> Cell:
    indicator = series.indicator
    if figure is None or indicator is None or no_data:
        return Cell(None, "" if spec.part in ("target", "achievement") else EMPTY, kind=spec.kind)
    if spec.part == "target":
        value = figure.target
    elif spec.part == "achievement":
        value = figure.achievement
    elif spec.part == "numerator":
        value = figure.numerator
    elif spec.part == "denominator":
        value = figure.denominator
    else:
        value = figure.value
    if value is None:
        return Cell(None, "" if spec.part in ("target", "achievement") else EMPTY, kind=spec.kind)
    decimals = percent_decimals()  # the one rule of pages and reports
    if spec.kind == "pct":
        display = format_fraction_percent(value, decimals)
    else:
        display = format_number(value, 0)
    url = ""
    if spec.part in ("value", "achievement"):
        url = _records_url(indicator.numerator if indicator.is_ratio else indicator, figure)
    elif spec.part == "numerator":
        url = _records_url(indicator.numerator, figure)
    elif spec.part == "denominator":
        url = _records_url(indicator.denominator, figure)
    return Cell(value, display, url, spec.kind, decimals if spec.kind == "pct" else 0)


def _table(
    spec: TableSpec, series: dict[str, Series], units: list[tuple[OrgUnit, bool]], root: OrgUnit
) -> Table:
    columns_series = [series[c.indicator] for c in spec.columns]
    topic_empty: dict[str, bool] = {}
    for column, s in zip(spec.columns, columns_series, strict=True):
        stat = _stat(s, root.pk)
        empty = stat is None or stat.empty
        topic_empty[column.topic_key] = topic_empty.get(column.topic_key, True) and empty
    has_data = not all(topic_empty.values())

    def row(unit: OrgUnit, ended: bool, is_total: bool = False) -> Row:
        def make_cells() -> dict[str, Cell]:
            return {
                c.key: _cell(c, s, s.figures.get(unit.pk), topic_empty[c.topic_key])
                for c, s in zip(spec.columns, columns_series, strict=True)
            }

        name = unit.name + (" (đã chấm dứt hoạt động)" if ended else "")
        return Row(
            name=name,
            code=unit.code,
            make_cells=make_cells,
            ended=ended,
            is_total=is_total,
            grassroots=unit.is_grassroots,
        )

    rows = [row(unit, ended) for unit, ended in units]
    total = row(root, False, is_total=True)
    total.name = "Tổng cộng"
    return Table(spec.key, spec.title, spec.columns, rows, total, has_data)


_EXPAND = (
    (re.compile(r"^LĐLĐ\b"), "Liên đoàn Lao động"),
    (re.compile(r"^CĐCS\b"), "Công đoàn cơ sở"),
    (re.compile(r"^CĐ\b"), "Công đoàn"),
    (re.compile(r"^Tổng LĐLĐ\b"), "Tổng Liên đoàn Lao động"),
)


# The chart of the report: the first of these with a figure at some child unit.
# (table, value column, target column, what is counted)
CHART_CANDIDATES: tuple[tuple[str, str, str, str], ...] = (
    ("org", "admitted", "admitted_target", "Đoàn viên kết nạp mới"),
    ("agreement", "new", "new_target", "Thỏa ước lao động tập thể ký mới"),
    ("org", "cdcs", "", "Công đoàn cơ sở cuối kỳ"),
)


def _chart(tables: dict[str, Table], period: Period) -> Chart | None:
    """Achievement by child unit (actual vs target) of the first candidate figure with data."""
    for key, value_key, target_key, what in CHART_CANDIDATES:
        table = tables.get(key)
        if table is None or not table.has_data:
            continue
        bars: list[Bar] = []
        for row in table.rows:
            cell = row.cells[value_key]
            if cell.value is None:
                continue
            target = row.cells[target_key].value if target_key else None
            text = cell.display
            if target:
                pct = format_fraction_percent(cell.value / target)
                text = f"{cell.display}/{format_number(target, 0)} ({pct})"
            bars.append(Bar(row.name, cell.value, target, text))
        if not any(b.value for b in bars):
            continue
        shown, note = top_bars(bars, len(bars))
        has_target = any(b.target for b in shown)
        title = f"{what} {format_period(period)} theo đơn vị" + (
            " (thực hiện/chỉ tiêu)" if has_target else ""
        )
        return Chart(title=title, bars=shown, note=note, table=key)
    return None


def official_name(unit: OrgUnit) -> str:
    """The name as written in a document's header: abbreviations spelled out ("Liên đoàn Lao động …")."""
    name = unit.name
    for pattern, full in _EXPAND:
        name = pattern.sub(full, name)
    return name


_PLACE_RE = re.compile(r"^(LĐLĐ|Liên đoàn Lao động)\s+(thành phố|tỉnh|TP\.?)\s+", re.IGNORECASE)


def _place(unit: OrgUnit, on: dt.date) -> str:
    """The city or province of the issuing federation ("Hà Nội"), taken from the tree."""
    chain = [*org_selectors.ancestors(unit, on), unit]
    for candidate in chain:
        if candidate.type == "LDLD_TINH":
            return _PLACE_RE.sub("", candidate.name).strip() or "Hà Nội"
    return "Hà Nội"


def _add_section(
    sections: list[Section], section: registry.ReportSection, paragraphs: list[str], tables: dict[str, Table]
) -> None:
    """Add the registered ``section`` to the report's chapters: a chapter of its own, or a part of the
    chapter the previous section opened (same ``chapter``)."""
    table = tables.get(section.key)
    if not section.chapter_title:
        sections.append(
            Section(section.chapter, section.title, [Part("", paragraphs, table, key=section.key)])
        )
        return
    part = Part(section.title, paragraphs, table, key=section.key)
    if sections and sections[-1].number == section.chapter:
        if sections[-1].title != section.chapter_title:
            raise ImproperlyConfigured(
                f"Report section «{section.key}» names chapter {section.chapter} "
                f"«{section.chapter_title}», already headed «{sections[-1].title}»."
            )
        sections[-1].parts.append(part)
    else:
        sections.append(Section(section.chapter, section.chapter_title, [part]))


def report_build(
    *,
    user: Any,
    unit: OrgUnit,
    period: Period,
    today: dt.date | None = None,
    issued_on: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """The report of ``unit`` for ``period`` as ``user`` may see it (``user`` None: the system).

    The unit must be in the user's scope (checked by the engine's selector: out of scope → 404)."""
    today = today or timezone.localdate()
    if user is not None:
        unit = org_selectors.unit_get(user=user, code=unit.code)  # OutOfScope (404) if not theirs
    start, end = window(unit, period)  # the part of the period the unit lived
    ended = unit.dissolved_on is not None and unit.dissolved_on <= period.end
    reason = _whole_report_reason(unit, period, today)
    registered = registry.report_sections()
    codes = indicator_codes(registered)
    indicators = {
        i.code: i for i in indicator_selectors.indicator_list().filter(code__in=codes).select_related()
    }
    series = _all_series(user, indicators, codes, period, unit, reason)
    if progress is not None:
        progress(len(codes), len(codes))
    # Rows: the children in the engine's order (live ones by name, then those that ended).
    units: list[tuple[OrgUnit, bool]] = []
    seen: set[int] = set()
    for s in series.values():
        for figure in s.order[1:]:
            if figure.unit.pk not in seen:
                seen.add(figure.unit.pk)
                units.append((figure.unit, figure.ended))
    tables = {
        section.key: _table(section.table, series, units, unit) for section in registered if section.table
    }
    for number, table in enumerate(tables.values(), start=1):
        table.number = number
    parent = org_selectors.parent_of(unit, end)
    area = drafting.area_phrase(unit.type, unit.name)

    def why(codes_: list[str]) -> str:
        """The reason every figure of a section is missing, else "" (some figure has data)."""
        reasons = [series[c].reason for c in codes_ if series[c].reason]
        return reasons[0] if reasons and len(reasons) == len(codes_) else ""

    sections: list[Section] = []
    for registered_section in registered:
        read = list(dict.fromkeys([*_table_codes(registered_section), *registered_section.indicators]))
        figures = registry.SectionFigures(
            period=period,
            area=area,
            start=start,
            end=end,
            ended=ended,
            reason=why(_table_codes(registered_section)),
            stats={code: _stat(series[code], unit.pk) for code in read},
        )
        _add_section(sections, registered_section, registered_section.draft(figures), tables)
    notes = [
        p for s in sections for part in s.parts for p in part.paragraphs if p.startswith("Chưa có số liệu")
    ]
    chart = None if reason else _chart(tables, period)
    if chart is not None:
        for section in sections:
            for part in section.parts:
                if part.table is not None and part.table.key == chart.table:
                    part.chart = chart
    return Report(
        unit=unit,
        period=period,
        start=start,
        end=end,
        ended=ended,
        parent=parent,
        area=area,
        place=_place(unit, end),
        issued_on=issued_on or today,
        sections=sections,
        tables=tables,
        notes=notes,
        reason=reason,
        chart=chart,
    )


# -- generated files and templates -------------------------------------------------------------


def generated_list(*, user: Any, unit: OrgUnit | None = None) -> QuerySet[GeneratedReport]:
    """Generated files of units in the user's scope (of ``unit`` if given), newest first; an ended
    unit's officer sees none for periods that start after its last day (``Scope.period_q``)."""
    qs = scoped(GeneratedReport.objects.all(), user, unit="unit_id", period="period")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("unit", "created_by", "template").order_by("-created_at", "-id")


def generated_get(*, user: Any, pk: int) -> GeneratedReport:
    report = generated_list(user=user).filter(pk=pk).first()
    if report is None:
        raise OutOfScope(pk)
    return report


def template_list(*, user: Any, unit: OrgUnit | None = None) -> QuerySet[ReportTemplate]:
    """Uploaded templates usable for ``unit``: shared ones and those of the unit or its ancestors."""
    qs = ReportTemplate.objects.filter(is_active=True)
    if user is not None:
        qs = qs.filter(unit__isnull=True) | scoped(qs, user, unit="unit_id", ever=True)
    if unit is not None:
        ids = [u.pk for u in org_selectors.ancestors(unit)] + [unit.pk]
        qs = qs.filter(unit__isnull=True) | qs.filter(unit_id__in=ids)
    return qs.select_related("unit", "uploaded_by").order_by("name", "id")
