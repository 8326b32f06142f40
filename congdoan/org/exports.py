"""XLSX exports of the (already scoped and filtered) unit and employer lists, and of the organising list
(employers without a CĐCS).

Cells are written as values, never formulas: text starting with ``= + - @`` (or a tab / carriage
return) is prefixed with an apostrophe so a spreadsheet does not evaluate it (CSV/formula injection).
Every export is logged in the audit trail (architecture §4: every export logged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from congdoan.core.audit import audit_export
from congdoan.core.formatting import format_date

from .models import Employer, OrgUnit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value safe to put in a cell: dangerous-looking text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    count = 0
    for row in rows:
        ws.append([safe_cell(v) for v in row])
        count += 1
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(60, len(name) + 4))
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = "#,##0"
    ws.freeze_panes = "A2"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


def _response(content: bytes, stem: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.xlsx"'
    return response


def units_xlsx(*, user: Any, units: QuerySet[OrgUnit], filters: dict[str, Any]) -> HttpResponse:
    header = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Tên viết tắt",
        "Loại đơn vị",
        "Khu vực",
        "Địa chỉ",
        "Điện thoại",
        "Thư điện tử",
        "Ngày thành lập",
        "Chấm dứt hoạt động từ",
    ]
    rows = (
        [
            u.code,
            u.name,
            u.short_name,
            u.get_type_display(),
            u.get_sector_display(),
            u.address,
            u.phone,
            u.email,
            u.founded_on,
            u.dissolved_on,
        ]
        for u in units.order_by("code").iterator()
    )
    content, count = _workbook("Đơn vị", header, rows)
    audit_export(
        actor=user,
        kind="export.units",
        label="Danh sách đơn vị (XLSX)",
        rows=count,
        filters=filters,
    )
    return _response(content, "don-vi")


def employers_xlsx(*, user: Any, employers: QuerySet[Employer], filters: dict[str, Any]) -> HttpResponse:
    header = [
        "Tên doanh nghiệp",
        "Mã số thuế",
        "Khu vực",
        "Địa chỉ",
        "Số lao động",
        "Đóng kinh phí công đoàn",
        "Mã công đoàn quản lý",
        "Công đoàn quản lý",
        "Mã CĐCS",
        "Công đoàn cơ sở",
    ]
    rows = (
        [
            e.name,
            e.tax_code or "",
            e.get_sector_display(),
            e.address,
            e.workforce,
            "Có" if e.pays_union_funding else "Không",
            e.unit.code,
            e.unit.name,
            e.cdcs.code if e.cdcs else "",
            e.cdcs.name if e.cdcs else "",
        ]
        for e in employers.select_related("unit", "cdcs").order_by("name", "id")
    )
    content, count = _workbook("Doanh nghiệp", header, rows)
    audit_export(
        actor=user,
        kind="export.employers",
        label="Danh sách doanh nghiệp (XLSX)",
        rows=count,
        filters=filters,
    )
    return _response(content, "doanh-nghiep")


# -- organising (employers without a CĐCS) ---------------------------------------------------------------

ORGANISING_HEADER = [
    "STT",
    "Mã công đoàn quản lý",
    "Công đoàn quản lý",
    "Tên doanh nghiệp",
    "Mã số thuế",
    "Khu vực",
    "Địa chỉ",
    "Số lao động",
    "Đóng kinh phí công đoàn",
]


def organising_xlsx(*, user: Any, employers: QuerySet[Employer], filters: dict[str, Any]) -> HttpResponse:
    """The organising list (already scoped and ordered by unit then size) as XLSX, audited."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Phát triển tổ chức"
    ws.append(["DOANH NGHIỆP CHƯA CÓ CÔNG ĐOÀN CƠ SỞ"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Ngày xuất: " + format_date(timezone.localdate())])
    ws.append([])
    ws.append(ORGANISING_HEADER)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    count = 0
    for count, e in enumerate(employers.select_related("unit").iterator(chunk_size=2000), start=1):
        row = [
            count,
            e.unit.code,
            e.unit.name,
            e.name,
            e.tax_code or "",
            e.get_sector_display(),
            e.address,
            e.workforce,
            "Có" if e.pays_union_funding else "Không",
        ]
        ws.append([safe_cell(v) for v in row])
        ws.cell(ws.max_row, 8).number_format = "#,##0"
    for i, width in enumerate([6, 14, 36, 44, 14, 30, 40, 12, 12], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    buffer = BytesIO()
    wb.save(buffer)
    with transaction.atomic():
        audit_export(
            actor=user,
            kind="export.organising",
            label="Doanh nghiệp chưa có CĐCS (XLSX)",
            rows=count,
            filters=filters,
        )
    return _response(buffer.getvalue(), "phat-trien-to-chuc")
