"""XLSX exports of the (already scoped and filtered) unit and employer lists.

Written by the one workbook writer (``congdoan.core.xlsx``: streamed, values never formulas).
Every export is logged in the audit trail (architecture §4: every export logged).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from congdoan.core.audit import audit_export
from congdoan.core.xlsx import WorkbookWriter, dated_filename, table_sheet

from .models import Employer, OrgUnit


def units_xlsx(*, user: Any, units: QuerySet[OrgUnit], filters: dict[str, Any]) -> FileResponse:
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
    book = WorkbookWriter()
    count = table_sheet(book, "Đơn vị", header, rows)
    audit_export(
        actor=user,
        kind="export.units",
        label="Danh sách đơn vị (XLSX)",
        rows=count,
        filters=filters,
    )
    return book.response(dated_filename("don-vi"))


def employers_xlsx(*, user: Any, employers: QuerySet[Employer], filters: dict[str, Any]) -> FileResponse:
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
    book = WorkbookWriter()
    count = table_sheet(book, "Doanh nghiệp", header, rows)
    audit_export(
        actor=user,
        kind="export.employers",
        label="Danh sách doanh nghiệp (XLSX)",
        rows=count,
        filters=filters,
    )
    return book.response(dated_filename("doanh-nghiep"))
