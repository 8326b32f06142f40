"""``congdoan import indicators FILE`` and ``congdoan import values FILE`` (architecture §5).

- indicators: ``code,name,unit,aggregation,numerator,denominator`` — ratios name their parts by code
  (parts may be defined further down the same file);
- values: ``unit_code,indicator_code,period,kind,value`` with kind ``target`` or ``actual``.
Both check every row first and report all problems with row and column; then write everything in
one transaction through the services (so scope, top-down targets and approval locks hold), or
nothing (``imports.reader.write_all_or_nothing``; a dry run does the same writes and rolls them back).
Re-running the same file changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from congdoan.accounts.scope import OutOfScope
from congdoan.core.formatting import parse_number
from congdoan.core.periods import PeriodError, parse_period
from congdoan.imports.reader import (
    Column,
    ImportFailed,
    ImportResult,
    ProgressCallback,
    Row,
    RowError,
    Source,
    cell_text,
)
from congdoan.imports.steps import finish_import, read_rows
from congdoan.org.selectors import units_by_code

from . import services
from .models import DataValue, Indicator, Target

INDICATOR_COLUMNS = [
    Column("code", "Mã chỉ tiêu", aliases=("Mã",)),
    Column("name", "Tên chỉ tiêu", aliases=("Tên",)),
    Column("unit", "Đơn vị tính", required=False, aliases=("ĐVT",)),
    Column("aggregation", "Cách tổng hợp", required=False, aliases=("Tổng hợp",)),
    Column("numerator", "Tử số", required=False),
    Column("denominator", "Mẫu số", required=False),
]
VALUE_COLUMNS = [
    Column("unit_code", "Mã đơn vị", aliases=("Đơn vị",)),
    Column("indicator_code", "Mã chỉ tiêu", aliases=("Chỉ tiêu",)),
    Column("period", "Kỳ", aliases=("Kỳ báo cáo", "Năm")),
    Column("kind", "Loại", aliases=("Loại số liệu",)),
    Column("value", "Giá trị", aliases=("Số liệu",)),
]
KINDS = {
    "target": "target",
    "chi tieu": "target",
    "chỉ tiêu": "target",
    "actual": "actual",
    "thuc hien": "actual",
    "thực hiện": "actual",
    "ket qua": "actual",
    "kết quả": "actual",
}


def _errors_of(exc: ValidationError, row: Row, default: str) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [row.error(_column(key, default), m) for key, msgs in exc.message_dict.items() for m in msgs]
    return [row.error(default, m) for m in exc.messages]


def _column(key: str, default: str) -> str:
    return {"period": "period", "value": "value", "indicator": "indicator_code"}.get(key, default)


def import_indicators(
    *,
    actor: Any,
    path_or_file: Source,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    read = read_rows(path_or_file, INDICATOR_COLUMNS, sheet=sheet, dry_run=dry_run, progress=progress)
    if read.failed:
        return read.result
    result, rows, errors = read.result, read.rows, read.errors
    seen: dict[str, int] = {}
    for row in rows:
        code = cell_text(row.get("code")).upper()
        if code in seen:
            errors.append(row.error("code", f"Mã chỉ tiêu «{code}» trùng với dòng {seen[code]}."))
        seen[code] = row.number
    # Ratios last, so their parts exist by the time they are written.
    rows.sort(key=lambda r: cell_text(r.get("aggregation")).lower() == "ratio")

    def write() -> None:
        for row in rows:
            existed = Indicator.objects.filter(code=cell_text(row.get("code")).upper()).exists()
            try:
                _, did = services.indicator_upsert(
                    actor=actor,
                    code=cell_text(row.get("code")),
                    name=cell_text(row.get("name")),
                    unit=cell_text(row.get("unit")),
                    aggregation=cell_text(row.get("aggregation")).lower() or "sum",
                    numerator=cell_text(row.get("numerator")),
                    denominator=cell_text(row.get("denominator")),
                )
            except ValidationError as exc:
                errors.extend(_errors_of(exc, row, "code"))
                continue
            if not did:
                result.unchanged += 1
            elif existed:
                result.updated += 1
            else:
                result.created += 1
        if errors:  # the rows' own problems and the services', all at once
            raise ImportFailed(_sorted(errors))

    # The rows' problems are reported by ``write``: a dry run writes and rolls back, so that a ratio
    # is checked against parts written before it.
    return finish_import(result, [], write, actor=actor, kind="indicators", dry_run=dry_run)


def import_values(
    *,
    actor: Any,
    path_or_file: Source,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Targets and actuals; every row is written through ``target_set`` / ``value_set``."""
    read = read_rows(path_or_file, VALUE_COLUMNS, sheet=sheet, dry_run=dry_run, progress=progress)
    if read.failed:
        return read.result
    result, rows, errors = read.result, read.rows, read.errors
    # Every unit by its code: the services check the scope row by row, on the period's day (out of
    # scope reads as unknown, 404).
    units = units_by_code(None, {cell_text(r.get("unit_code")) for r in rows})
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in={cell_text(r.get("indicator_code")).upper() for r in rows})
    }
    parsed = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for row in rows:
        unit = units.get(cell_text(row.get("unit_code")))
        indicator = indicators.get(cell_text(row.get("indicator_code")).upper())
        kind = KINDS.get(cell_text(row.get("kind")).lower())
        if unit is None:
            errors.append(
                row.error("unit_code", f"Không tìm thấy đơn vị «{cell_text(row.get('unit_code'))}».")
            )
        if indicator is None:
            errors.append(
                row.error("indicator_code", f"Không có chỉ tiêu «{cell_text(row.get('indicator_code'))}».")
            )
        if kind is None:
            errors.append(
                row.error("kind", "Loại số liệu phải là «target» (chỉ tiêu) hoặc «actual» (thực hiện).")
            )
        try:
            period = parse_period(cell_text(row.get("period")))
        except PeriodError as exc:
            errors.append(row.error("period", str(exc)))
            period = None
        raw = row.get("value")
        try:
            value = Decimal(str(raw)) if isinstance(raw, int | float) else parse_number(cell_text(raw))
        except ValueError as exc:
            errors.append(row.error("value", str(exc)))
            value = None
        if unit and indicator and kind and period and value is not None:
            key = (unit.code, indicator.code, period.code, kind)
            if key in seen:
                errors.append(row.error("value", f"Trùng với dòng {seen[key]}."))
            seen[key] = row.number
            parsed.append((row, unit, indicator, period.code, kind, value))

    def write() -> None:
        for row, unit, indicator, period_code, kind, value in parsed:
            model = Target if kind == "target" else DataValue
            before = model.objects.filter(unit=unit, indicator=indicator, period=period_code).first()
            try:
                if kind == "target":
                    services.target_set(
                        actor=actor, unit=unit, indicator=indicator, period=period_code, value=value
                    )
                else:
                    services.value_set(
                        actor=actor, unit=unit, indicator=indicator, period=period_code, value=value
                    )
            except OutOfScope:
                # Scope is checked per row by the services; out of scope reads as unknown (404).
                errors.append(row.error("unit_code", f"Không tìm thấy đơn vị «{unit.code}»."))
                continue
            except ValidationError as exc:
                errors.extend(_errors_of(exc, row, "value"))
                continue
            if before is None:
                result.created += 1
            elif before.value == (
                value / 100 if kind == "target" and indicator.is_ratio and value > 1 else value
            ):
                result.unchanged += 1
            else:
                result.updated += 1
        if errors:  # the rows' own problems and the services', all at once
            raise ImportFailed(_sorted(errors))

    return finish_import(result, [], write, actor=actor, kind="values", dry_run=dry_run)


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.row, e.column))
