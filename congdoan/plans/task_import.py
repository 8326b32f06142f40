"""``congdoan import key-tasks FILE``: a year's programme of key tasks (the "21 nhiệm vụ trọng tâm") from
a spreadsheet.

Columns (Vietnamese headers accepted): ``unit_code,title,start_on,deadline`` and, optionally,
``by_code,source,owner,description``. A row with ``by_code`` is a task handed down by that unit to
``unit_code`` (a unit in its subtree on the start day); without it, the unit's own task. Every row is
checked by the rules of the pages (``services``: deadline after the start, the unit alive, handed only
within the subtree, the importer's scope), every problem reported by row and column, and nothing stored
unless the whole file is good. A row whose task already exists (same unit, title and deadline, not
cancelled) is unchanged, so importing the same file twice changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.services import Problems
from congdoan.imports.reader import Column, ImportResult, ProgressCallback, Source, cell_date, cell_text
from congdoan.imports.steps import finish_import, read_rows
from congdoan.org.selectors import units_by_code

from . import services
from .models import KeyTask, TaskSource, TaskStatus

KIND = "key-tasks"
COLUMNS = [
    Column("unit_code", "Mã đơn vị", aliases=("Mã đơn vị thực hiện", "Đơn vị thực hiện", "Đơn vị")),
    Column("title", "Nhiệm vụ", aliases=("Tên nhiệm vụ", "Nhiệm vụ trọng tâm")),
    Column("start_on", "Ngày bắt đầu", aliases=("Bắt đầu", "Từ ngày")),
    Column("deadline", "Hạn hoàn thành", aliases=("Hạn", "Thời hạn")),
    Column("by_code", "Mã đơn vị giao", required=False, aliases=("Đơn vị giao",)),
    Column("source", "Căn cứ", required=False),
    Column("owner", "Người phụ trách", required=False, aliases=("Phụ trách",)),
    Column("description", "Nội dung", required=False, aliases=("Ghi chú",)),
]
HEADER = (
    ",".join(c.key for c in COLUMNS if c.required)
    + "[,"
    + ",".join(c.key for c in COLUMNS if not c.required)
    + "]"
)
FIELD_COLUMN = {
    "unit": "unit_code",
    "units": "unit_code",
    "title": "title",
    "titles": "title",
    "start_on": "start_on",
    "deadline": "deadline",
    "source": "source",
}
SOURCES = {**{s.value: s.value for s in TaskSource}, **{str(s.label).lower(): s.value for s in TaskSource}}


def import_tasks(
    *,
    actor: Any,
    path_or_file: Source,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    read = read_rows(path_or_file, COLUMNS, sheet=sheet, dry_run=dry_run, progress=progress)
    if read.failed:
        return read.result
    result, rows, errors = read.result, read.rows, read.errors
    codes = {cell_text(r.get(k)) for r in rows for k in ("unit_code", "by_code")}
    units = units_by_code(actor, codes)
    writable = set(units_by_code(actor, codes, writable=True))
    plan: list[dict[str, Any]] = []
    seen: set[tuple[int, str, dt.date]] = set()
    for row in rows:
        if row.errors:
            continue
        unit_code, by_code = cell_text(row.get("unit_code")), cell_text(row.get("by_code"))
        unit, by = units.get(unit_code), units.get(by_code) if by_code else None
        if unit is None:
            errors.append(
                row.error("unit_code", f"Không tìm thấy đơn vị «{unit_code}» trong phạm vi của bạn.")
            )
            continue
        if by_code and by is None:
            errors.append(row.error("by_code", f"Không tìm thấy đơn vị «{by_code}» trong phạm vi của bạn."))
            continue
        writer = by if by is not None else unit
        if writer.code not in writable:
            column = "by_code" if by is not None else "unit_code"
            errors.append(row.error(column, f"Bạn không được quyền giao nhiệm vụ cho «{writer.name}»."))
            continue
        try:
            start_on, deadline = cell_date(row.get("start_on")), cell_date(row.get("deadline"))
        except ValueError as exc:
            errors.append(row.error("deadline", str(exc)))
            continue
        raw_source = cell_text(row.get("source")).lower()
        source = SOURCES.get(raw_source, raw_source) or (TaskSource.UPPER if by else TaskSource.PROGRAMME)
        data = {
            "title": cell_text(row.get("title")),
            "start_on": start_on,
            "deadline": deadline,
            "source": source,
            "owner": cell_text(row.get("owner")),
            "description": cell_text(row.get("description")),
        }
        problems = Problems()
        services._check_fields(problems, dict(data))
        services._check_unit(problems, unit, start_on)
        if by is not None:
            services._check_handed(problems, by, unit, start_on)
        for name, messages in problems.messages().items():
            for message in messages:
                errors.append(row.error(FIELD_COLUMN.get(name, "title"), message))
        if problems or deadline is None:
            continue
        key = (unit.pk, str(data["title"]), deadline)
        if key in seen or (
            KeyTask.objects.filter(unit=unit, title=data["title"], deadline=deadline)
            .exclude(status=TaskStatus.CANCELLED)
            .exists()
        ):
            result.unchanged += 1
            continue
        seen.add(key)
        plan.append({"unit": unit, "by": by, **data})

    def write() -> None:
        for item in plan:
            unit, by = item.pop("unit"), item.pop("by")
            if by is None:
                services.task_create(actor=actor, unit=unit, **item)
            else:
                title = item.pop("title")
                services.task_hand_down(actor=actor, by=by, units=[unit], titles=[title], **item)
            result.created += 1

    return finish_import(result, errors, write, actor=actor, kind=KIND, dry_run=dry_run)
