"""``congdoan import emulation-sheets FILE``: score sheet lines typed in Excel (the paper sheets of a year).

Columns (Vietnamese headers accepted): ``unit_code,year,criterion_code`` and, optionally,
``self_points,appraised_points,evidence,comment``. A row is one criterion of one unit's sheet of one
year (``criterion_code`` is the criterion's number on the sheet, "1.1", "2.3", "T.1"); the rows of a
sheet together give the unit's self-scoring and/or the upper union's appraisal.

The rules are the pages' (``services``): a point within [0, the criterion's maximum] with two decimals
at most; the unit within the importer's writable scope; self-scoring until the sheet's deadline and
before the appraisal; appraisal by the unit's direct upper union (the importer must be able to write
for it) of a sheet that is self-scored (in the file or before); every entered criterion scored
(the points already stored count); nothing on a locked or published sheet; computed criteria are not
typed. Every problem comes back with its row and column and nothing is stored unless the whole file
is good. The checks read the database in a few batched queries (units, templates, criteria, sheets,
lines, parents), never per row; the writes then run the services once per sheet
(``sheet_open``, ``sheet_self_score``, ``sheet_appraise``), so the audit trail is the pages'.
A sheet whose given points are already stored as they are is left unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from congdoan.accounts.permissions import scoped
from congdoan.accounts.scope import OutOfScope
from congdoan.imports.reader import (
    Cell,
    Column,
    ImportFailed,
    ImportResult,
    ProgressCallback,
    Row,
    RowError,
    Source,
    cell_text,
)
from congdoan.imports.steps import columns_line, finish_import, read_rows
from congdoan.org.models import OrgLink, OrgUnit
from congdoan.org.selectors import units_by_code

from . import figures, services
from .models import Criterion, ScoreLine, ScoreSheet, SheetState, SheetTemplate

KIND = "emulation-sheets"
COLUMNS = [
    Column("unit_code", "Mã đơn vị", aliases=("Mã CĐCS", "Đơn vị", "cdcs_code")),
    Column("year", "Năm", aliases=("Năm thi đua",)),
    Column("criterion_code", "Tiêu chí", aliases=("Mã tiêu chí", "Số thứ tự tiêu chí", "STT tiêu chí")),
    Column("self_points", "Điểm tự chấm", required=False, aliases=("Tự chấm",)),
    Column("appraised_points", "Điểm thẩm định", required=False, aliases=("Thẩm định",)),
    Column("evidence", "Minh chứng", required=False, aliases=("Minh chứng, ghi chú",)),
    Column("comment", "Nhận xét", required=False, aliases=("Nhận xét thẩm định",)),
]
HEADER = columns_line(COLUMNS)
CLOSED = (SheetState.LOCKED, SheetState.PUBLISHED)
SELF_OPEN = (SheetState.DRAFT, SheetState.SELF_SCORED)
APPRAISABLE = (SheetState.SELF_SCORED, SheetState.APPRAISED)


@dataclass
class _Sheet:
    """The rows of one unit's sheet of one year, checked."""

    unit: OrgUnit
    year: int
    first: Row
    template: SheetTemplate | None = None
    sheet: ScoreSheet | None = None
    parent_id: int | None = None
    self_points: dict[int, Decimal] = field(default_factory=dict)
    appraised: dict[int, Decimal] = field(default_factory=dict)
    evidence: dict[int, str] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)
    self_row: Row | None = None
    appraised_row: Row | None = None
    seen: set[int] = field(default_factory=set)
    bad: set[tuple[str, int]] = field(default_factory=set)  # (column, criterion) already reported


def _year(value: Cell) -> int | None:
    text = cell_text(value)
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return None


def _parents(keys: set[tuple[OrgUnit, int]]) -> dict[tuple[int, int], int]:
    """The direct upper union of each (unit, year) on the sheet's reference day: one query per day."""
    by_day: dict[dt.date, set[int]] = {}
    for unit, year in keys:
        by_day.setdefault(services.reference_day(unit, year), set()).add(unit.pk)
    found: dict[tuple[int, dt.date], int] = {}
    for day, ids in by_day.items():
        links = OrgLink.objects.filter(child_id__in=ids, valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )
        for child, parent_id in links.values_list("child_id", "parent_id"):
            found[(child, day)] = parent_id
    out = {}
    for unit, year in keys:
        upper = found.get((unit.pk, services.reference_day(unit, year)))
        if upper is not None:
            out[(unit.pk, year)] = upper
    return out


def import_sheets(
    *,
    actor: Any,
    path_or_file: Source,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    read = read_rows(path_or_file, COLUMNS, sheet=sheet, dry_run=dry_run, progress=progress)
    if read.failed:
        return read.result
    result, rows, errors = read.result, read.rows, read.errors
    day = today or timezone.localdate()

    units = units_by_code(actor, {cell_text(r.get("unit_code")) for r in rows}, writable=True)
    templates = list(SheetTemplate.objects.order_by("-year_from"))
    criteria: dict[int, dict[str, Criterion]] = {}
    entered: dict[int, list[Criterion]] = {}
    for node in Criterion.objects.filter(template__in=templates).order_by("order", "id"):
        criteria.setdefault(node.template_id, {})[node.number.upper()] = node
    for template_id, nodes in criteria.items():
        inner = {n.parent_id for n in nodes.values() if n.parent_id}
        entered[template_id] = [n for n in nodes.values() if n.pk not in inner and not n.computed]

    # The sheets already opened: their own template (the upper union may have chosen it), their lines.
    years = {y for y in (_year(r.get("year")) for r in rows) if y is not None}
    existing = {
        (s.unit_id, s.year): s
        for s in ScoreSheet.objects.filter(unit_id__in=[u.pk for u in units.values()], year__in=years)
    }

    def template_of(unit: OrgUnit, year: int) -> SheetTemplate | None:
        opened = existing.get((unit.pk, year))
        if opened is not None:
            return next((t for t in templates if t.pk == opened.template_id), None)
        kind = services.scored_as(unit)
        return next((t for t in templates if t.unit_type == kind and t.covers(year)), None)

    # -- each row on its own: unit, year, criterion, points --------------------------------------
    groups: dict[tuple[int, int], _Sheet] = {}
    checked: list[tuple[Row, _Sheet, Criterion]] = []
    for row in rows:
        code = cell_text(row.get("unit_code"))
        unit = units.get(code)
        year = _year(row.get("year"))
        if unit is None:
            errors.append(
                row.error("unit_code", f"Không tìm thấy đơn vị «{code}» trong phạm vi được quyền nhập.")
            )
        if year is None:
            errors.append(row.error("year", f"Năm «{cell_text(row.get('year'))}» không hợp lệ."))
        if unit is None or year is None:
            continue
        group = groups.get((unit.pk, year))
        if group is None:
            group = groups[(unit.pk, year)] = _Sheet(unit, year, row, template_of(unit, year))
        if group.template is None:
            if group.first is row:
                errors.append(
                    row.error(
                        "year",
                        f"Chưa có mẫu bảng điểm cho «{unit.get_type_display()}» năm {year}.",
                    )
                )
            continue
        number = cell_text(row.get("criterion_code")).upper()
        c = criteria.get(group.template.pk, {}).get(number)
        if c is None:
            errors.append(
                row.error(
                    "criterion_code",
                    f"Không có tiêu chí «{number}» trong mẫu «{group.template.name}».",
                )
            )
            continue
        if c not in entered[group.template.pk]:
            why = (
                "được tính tự động từ chỉ tiêu"
                if c.computed
                else "là nhóm tiêu chí, chỉ chấm các tiêu chí con"
            )
            errors.append(row.error("criterion_code", f"Tiêu chí {c.number} {why}: không nhập điểm."))
            continue
        if c.pk in group.seen:
            errors.append(
                row.error(
                    "criterion_code",
                    f"Tiêu chí {c.number} của «{unit.name}» năm {year} đã có ở một dòng phía trên.",
                )
            )
            continue
        group.seen.add(c.pk)
        given = False
        for key, target in (("self_points", group.self_points), ("appraised_points", group.appraised)):
            raw = row.get(key)
            value, problem = services.check_point(c, raw)
            if problem:
                errors.append(row.error(key, problem))
                group.bad.add((key, c.pk))
                given = True
            elif value is not None:
                target[c.pk] = value
                given = True
                if key == "self_points":
                    group.self_row = group.self_row or row
                else:
                    group.appraised_row = group.appraised_row or row
        if not given:
            errors.append(
                row.error("self_points", f"Tiêu chí {c.number}: chưa có điểm tự chấm hay thẩm định.")
            )
            continue
        if row.has("evidence") and c.pk in group.self_points:
            group.evidence[c.pk] = cell_text(row.get("evidence"))
        if row.has("comment") and c.pk in group.appraised:
            group.comments[c.pk] = cell_text(row.get("comment"))
        checked.append((row, group, c))

    # -- each sheet: its state, deadline, appraiser, and every criterion scored -----------------
    live = [g for g in groups.values() if g.template is not None]
    for group in live:
        group.sheet = existing.get((group.unit.pk, group.year))
    stored: dict[int, dict[int, ScoreLine]] = {}
    sheet_ids = [g.sheet.pk for g in live if g.sheet is not None]
    for line in ScoreLine.objects.filter(sheet_id__in=sheet_ids):
        stored.setdefault(line.sheet_id, {})[line.criterion_id] = line
    parents = _parents({(g.unit, g.year) for g in live})
    writable_parents: set[int] = set(parents.values())
    if actor is not None and writable_parents:
        allowed = scoped(OrgUnit.objects.filter(pk__in=writable_parents), actor, writable=True)
        writable_parents = set(allowed.values_list("pk", flat=True))
    parent_names = dict(OrgUnit.objects.filter(pk__in=set(parents.values())).values_list("pk", "name"))

    plans: list[tuple[_Sheet, bool, bool]] = []
    for group in live:
        assert group.template is not None
        found_sheet, unit, year = group.sheet, group.unit, group.year
        state = found_sheet.state if found_sheet is not None else SheetState.DRAFT
        state_label = found_sheet.get_state_display() if found_sheet is not None else ""
        lines = stored.get(found_sheet.pk, {}) if found_sheet is not None else {}
        if state in CLOSED:
            errors.append(
                group.first.error(
                    "year",
                    f"Bảng điểm năm {year} của «{unit.name}» đã ở trạng thái «{state_label}»: "
                    "không nhập được điểm.",
                )
            )
            continue
        do_self = bool(group.self_points) and not (
            state != SheetState.DRAFT
            and all(lines[k].self_points == v for k, v in group.self_points.items() if k in lines)
            and all(lines[k].evidence == v for k, v in group.evidence.items() if k in lines)
        )
        do_appraise = bool(group.appraised) and not (
            state == SheetState.APPRAISED
            and all(lines[k].appraised_points == v for k, v in group.appraised.items() if k in lines)
            and all(lines[k].comment == v for k, v in group.comments.items() if k in lines)
        )
        wanted = entered[group.template.pk]
        if do_self:
            assert group.self_row is not None
            deadline = found_sheet.deadline if found_sheet is not None else services.default_deadline(year)
            if state not in SELF_OPEN:
                errors.append(
                    group.self_row.error(
                        "self_points",
                        f"Bảng điểm năm {year} của «{unit.name}» đang ở trạng thái «{state_label}»: "
                        "không thể tự chấm lại.",
                    )
                )
            elif day > deadline:
                errors.append(
                    group.self_row.error(
                        "self_points",
                        f"Đã quá hạn tự chấm điểm ({deadline:%d/%m/%Y}); "
                        f"không thể tự chấm bảng điểm năm {year} của «{unit.name}».",
                    )
                )
            missing = [
                c.number
                for c in wanted
                if c.pk not in group.self_points
                and ("self_points", c.pk) not in group.bad
                and (c.pk not in lines or lines[c.pk].self_points is None)
            ]
            if missing:
                errors.append(
                    group.self_row.error(
                        "criterion_code",
                        f"Bảng điểm năm {year} của «{unit.name}» còn thiếu điểm tự chấm của tiêu chí "
                        f"{', '.join(missing)}.",
                    )
                )
        if do_appraise:
            assert group.appraised_row is not None
            row = group.appraised_row
            parent = parents.get((unit.pk, year))
            group.parent_id = parent
            if parent is None:
                errors.append(
                    row.error("appraised_points", f"«{unit.name}» không có công đoàn cấp trên để thẩm định.")
                )
            elif parent not in writable_parents:
                errors.append(
                    row.error(
                        "appraised_points",
                        f"Chỉ «{parent_names.get(parent, '')}» (cấp trên trực tiếp của «{unit.name}») "
                        "được thẩm định bảng điểm này.",
                    )
                )
            if state not in APPRAISABLE and not group.self_points:
                errors.append(
                    row.error(
                        "appraised_points",
                        f"Bảng điểm năm {year} của «{unit.name}» chưa tự chấm: chỉ thẩm định bảng điểm "
                        "đã tự chấm.",
                    )
                )
            missing = [
                c.number
                for c in wanted
                if c.pk not in group.appraised and (c.pk not in lines or lines[c.pk].appraised_points is None)
            ]
            if missing:
                errors.append(
                    row.error(
                        "criterion_code",
                        f"Bảng điểm năm {year} của «{unit.name}» còn thiếu điểm thẩm định của tiêu chí "
                        f"{', '.join(missing)}.",
                    )
                )
        if not do_self and not do_appraise:
            result.unchanged += 1
        else:
            plans.append((group, do_self, do_appraise))

    def merged(group: _Sheet, lines: Mapping[int, ScoreLine], which: str) -> dict[int, Any]:
        given = group.self_points if which == "self_points" else group.appraised
        assert group.template is not None
        return {
            c.pk: given.get(c.pk, getattr(lines[c.pk], which) if c.pk in lines else None)
            for c in entered[group.template.pk]
        }

    def computed_figures() -> dict[int, dict[tuple[str, int], Any]]:
        """The figures of the computed criteria of every planned sheet, by year: one roll-up of the
        indicators per upper union and year (the figures of the units under it), not one reading per
        sheet (a unit the roll-up leaves out is read by the service itself)."""
        known: dict[int, dict[tuple[str, int], Any]] = {}
        codes = {
            c.indicator_code
            for g, _, _ in plans
            for c in criteria.get(g.template.pk if g.template else 0, {}).values()
            if c.computed
        }
        if not codes:
            return known
        roots: dict[tuple[int, int], None] = {}
        for g, _, _ in plans:
            upper = parents.get((g.unit.pk, g.year))
            if upper is not None:
                roots[(upper, g.year)] = None
        units_by_id = OrgUnit.objects.in_bulk({r for r, _ in roots})
        for upper, year in roots:
            known.setdefault(year, {}).update(figures.figures_under(units_by_id[upper], year, codes))
        return known

    def write() -> None:
        failed: list[RowError] = []
        parent_units = OrgUnit.objects.in_bulk(
            {parents.get((g.unit.pk, g.year)) for g, _, _ in plans} - {None}
        )
        known = computed_figures()
        for group, do_self, do_appraise in plans:
            lines = stored.get(group.sheet.pk, {}) if group.sheet is not None else {}
            try:
                s = group.sheet
                if s is None:
                    s = services.sheet_open(
                        actor=actor, unit=group.unit, year=group.year, template=group.template
                    )
                    result.created += 1
                else:
                    result.updated += 1
                if do_self:
                    s = services.sheet_self_score(
                        actor=actor,
                        sheet=s,
                        points=merged(group, lines, "self_points"),
                        evidence=group.evidence,
                        today=day,
                        known=known.get(group.year),
                    )
                if do_appraise:
                    s = services.sheet_appraise(
                        actor=actor,
                        sheet=s,
                        by_unit=parent_units[group.parent_id or 0],
                        points=merged(group, lines, "appraised_points"),
                        comments=group.comments,
                        today=day,
                        known=known.get(group.year),
                    )
            except ValidationError as exc:
                failed.extend(group.first.error("unit_code", m) for m in exc.messages)
            except OutOfScope:
                failed.append(
                    group.first.error("unit_code", f"Không được chấm điểm cho «{group.unit.name}».")
                )
        if failed:
            raise ImportFailed(failed)

    return finish_import(result, errors, write, actor=actor, kind=KIND, dry_run=dry_run)
