"""Exports of the member roster (the current, already scoped filter) to XLSX and a printable PDF (the
organising list, employers without a CĐCS, is ``org.exports.organising_xlsx``).

Personal data (CCCD, phone, birth date) is masked unless the role may see it. Workbooks are written by
the one writer (``congdoan.core.xlsx``): streamed row by row to a temporary file in constant memory,
and text that looks like a formula is neutralised. Every export is written to the personal-data
access log (``privacy.log_access(action="export")``) and to the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone

from congdoan.core.audit import audit_export
from congdoan.core.formatting import format_date
from congdoan.core.pdf import HEADINGS, NEXT_LINE, SERIF, DocumentPDF
from congdoan.core.xlsx import (
    BOLD,
    INT_FORMAT,
    Style,
    WorkbookWriter,
    attachment_response,
    dated_filename,
)
from congdoan.org.models import OrgUnit

from . import privacy
from .filters import AGE_BANDS, STATUS_CHOICES
from .models import Gender, Membership, Person

PDF = "application/pdf"
ROSTER_TITLE = "DANH SÁCH ĐOÀN VIÊN"
ROSTER_HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "CCCD",
    "Điện thoại",
    "CĐCS",
    "Ngày vào CĐ",
    "Số thẻ",
]
ROSTER_WIDTHS = [6, 28, 12, 9, 16, 14, 40, 13, 14]
INT_STYLE = Style(number_format=INT_FORMAT)
# A printable roster is for a CĐCS or a ward, not a whole province: beyond this, narrow the filter.
PDF_MAX_ROWS = 5000


def _log_export(
    *, user: Any, kind: str, label: str, rows: int, unit: OrgUnit | None, filters: dict[str, Any]
) -> None:
    """The access-log row and the audit entry every export writes, together."""
    with transaction.atomic():
        privacy.log_access(user=user, action="export", unit=unit, detail=urlencode(filters), rows=rows)
        audit_export(
            actor=user,
            kind=kind,
            label=label,
            rows=rows,
            filters=filters,
            unit=unit,
        )


# -- the roster ------------------------------------------------------------------------------------------


def roster_rows(memberships: QuerySet[Membership], *, personal_data: bool) -> Iterator[list[Any]]:
    """One row per membership in ``ROSTER_HEADER`` order; dates stay dates (the caller formats them).

    Read as plain tuples (``values_list``), not model instances: a city roster is 100,000 rows and
    building three model objects per row cost more than writing the row."""
    genders = dict(Gender.choices)
    qs = memberships.values_list(
        "person__full_name",
        "person__birth_date",
        "person__gender",
        "person__cccd",
        "person__phone",
        "cdcs__name",
        "join_date",
        "card_number",
    )
    for number, (name, birth, gender, cccd, phone, cdcs, join, card) in enumerate(
        qs.iterator(chunk_size=2000), start=1
    ):
        if personal_data:
            shown_birth: Any = birth
            cccd = cccd or ""
        else:
            shown_birth = privacy.mask_birth_date(Person(birth_date=birth))
            cccd, phone = privacy.mask(cccd), privacy.mask(phone)
        yield [
            number,
            name,
            shown_birth or "",
            genders.get(gender, gender),
            cccd,
            phone,
            cdcs,
            join,
            card or "",
        ]


def _filter_line(filters: dict[str, Any]) -> str:
    labels = {
        "q": "Tìm",
        "status": "Tình trạng",
        "gender": "Giới tính",
        "age": "Độ tuổi",
        "join_year": "Năm vào CĐ",
    }
    values = {
        "status": dict(STATUS_CHOICES),
        "gender": dict(Gender.choices),
        "age": {key: band[0] for key, band in AGE_BANDS.items()},
    }
    parts = [f"{labels[k]}: {values.get(k, {}).get(str(v), v)}" for k, v in filters.items() if k in labels]
    return "; ".join(parts)


def roster_xlsx(
    *,
    user: Any,
    memberships: QuerySet[Membership],
    unit: OrgUnit | None,
    unit_label: str,
    filters: dict[str, Any],
    personal_data: bool,
) -> FileResponse:
    """The roster as XLSX, streamed: one row at a time from the database to a temporary file (no
    per-row lookups of earlier rows, nothing held in memory), then sent from that file."""
    book = WorkbookWriter(title=ROSTER_TITLE)
    sheet = book.sheet("Đoàn viên", widths=ROSTER_WIDTHS, freeze="A6")
    sheet.title(ROSTER_TITLE, len(ROSTER_HEADER))
    sheet.append(["Đơn vị: " + unit_label])
    sheet.append(["Ngày xuất: " + format_date(timezone.localdate())])
    sheet.append([_filter_line(filters)])
    sheet.append(ROSTER_HEADER, BOLD)
    count = 0
    for row in roster_rows(memberships, personal_data=personal_data):
        sheet.append(row)
        count += 1
    response = book.response(dated_filename("doan-vien"))
    _log_export(
        user=user,
        kind="export.members",
        label="Danh sách đoàn viên (XLSX)",
        rows=count,
        unit=unit,
        filters=filters,
    )
    return response


class RosterPDF(DocumentPDF):
    """A4 landscape in Liberation Serif (``core.pdf.DocumentPDF``: every Vietnamese letter, "Trang x/y")."""

    def __init__(self) -> None:
        super().__init__("Danh sách đoàn viên", landscape=True, margin=10, font_size=8)


def roster_pdf_bytes(
    *, rows: Iterable[Sequence[Any]], unit_label: str, upper_label: str, filters: dict[str, Any]
) -> tuple[bytes, int]:
    pdf = RosterPDF()
    pdf.add_page()
    # The official heading: the union on the left, the national motto and the day on the right.
    pdf.state_heading(
        upper=upper_label,
        unit=unit_label,
        title="Danh sách đoàn viên",
        subtitle=_filter_line(filters),
        day=timezone.localdate(),
    )
    count = 0
    with pdf.table(
        col_widths=tuple(ROSTER_WIDTHS),
        text_align=("RIGHT", "LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "LEFT", "CENTER", "CENTER"),
        headings_style=HEADINGS,
        line_height=5,
        repeat_headings=1,
    ) as table:
        table.row(ROSTER_HEADER)
        for row in rows:
            cells = [format_date(v) if isinstance(v, dt.date) else str(v) for v in row]
            table.row(cells)
            count += 1
    pdf.ln(4)
    pdf.set_font(SERIF, "B", 9)
    pdf.cell(0, 5, "Tổng số: " + str(count) + " đoàn viên", **NEXT_LINE)
    return pdf.bytes(), count


def roster_pdf(
    *,
    user: Any,
    memberships: QuerySet[Membership],
    unit: OrgUnit | None,
    unit_label: str,
    upper_label: str,
    filters: dict[str, Any],
    personal_data: bool,
) -> FileResponse:
    content, count = roster_pdf_bytes(
        rows=roster_rows(memberships, personal_data=personal_data),
        unit_label=unit_label,
        upper_label=upper_label,
        filters=filters,
    )
    _log_export(
        user=user,
        kind="export.members",
        label="Danh sách đoàn viên (PDF)",
        rows=count,
        unit=unit,
        filters=filters,
    )
    return attachment_response(content, dated_filename("danh-sach-doan-vien", "pdf"), PDF)
