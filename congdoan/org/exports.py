"""XLSX exports of the (already scoped and filtered) unit and employer lists, and of the organising list
(employers without a CĐCS).

Written by the one workbook writer (``congdoan.core.xlsx``: streamed, values never formulas).
Every export is logged in the audit trail (architecture §4: every export logged).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone

from congdoan.core.audit import audit_export
from congdoan.core.formatting import format_date
from congdoan.core.xlsx import BOLD, INT_FORMAT, Style, Styled, WorkbookWriter, dated_filename, table_sheet

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


def organising_xlsx(*, user: Any, employers: QuerySet[Employer], filters: dict[str, Any]) -> FileResponse:
    """The organising list (already scoped and ordered by unit then size) as XLSX, audited."""
    book = WorkbookWriter()
    sheet = book.sheet("Phát triển tổ chức", widths=[6, 14, 36, 44, 14, 30, 40, 12, 12], freeze="A5")
    sheet.append(["DOANH NGHIỆP CHƯA CÓ CÔNG ĐOÀN CƠ SỞ"], BOLD.but(size=14))
    sheet.append(["Ngày xuất: " + format_date(timezone.localdate())])
    sheet.blank()
    sheet.append(ORGANISING_HEADER, BOLD)
    count = 0
    for count, e in enumerate(employers.select_related("unit").iterator(chunk_size=2000), start=1):
        sheet.append(
            [
                count,
                e.unit.code,
                e.unit.name,
                e.name,
                e.tax_code or "",
                e.get_sector_display(),
                e.address,
                Styled(e.workforce, Style(number_format=INT_FORMAT)),
                "Có" if e.pays_union_funding else "Không",
            ]
        )
    response = book.response(dated_filename("phat-trien-to-chuc"))
    with transaction.atomic():
        audit_export(
            actor=user,
            kind="export.organising",
            label="Doanh nghiệp chưa có CĐCS (XLSX)",
            rows=count,
            filters=filters,
        )
    return response
