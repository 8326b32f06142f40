"""XLSX export of the (already scoped and filtered) agreement list; logged in the audit trail."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from congdoan.core.audit import audit_export
from congdoan.core.xlsx import WorkbookWriter, dated_filename, table_sheet

from .models import CollectiveAgreement

HEADER = [
    "Số văn bản",
    "Mã CĐCS",
    "Công đoàn cơ sở",
    "Đơn vị sử dụng lao động",
    "Phạm vi",
    "Hình thức",
    "Ngày ký",
    "Có hiệu lực từ",
    "Có hiệu lực đến hết ngày",
    "Hết hiệu lực từ (được thay thế)",
    "Xếp loại",
    "Tỷ lệ tán thành (%)",
    "Nội dung có lợi hơn pháp luật",
    "Ghi chú",
]


def agreements_xlsx(
    *, user: Any, agreements: QuerySet[CollectiveAgreement], filters: dict[str, Any]
) -> FileResponse:
    rows = (
        [
            a.number,
            a.cdcs.code,
            a.cdcs.name,
            "; ".join(e.name for e in a.employers.all()),
            a.get_scope_display(),
            a.get_kind_display(),
            a.signed_on,
            a.effective_on,
            a.expires_on,
            a.superseded_on,
            a.grade,
            float(a.approval_share * 100),
            "; ".join(a.favourable_labels()),
            a.notes,
        ]
        for a in agreements.select_related("cdcs").prefetch_related("employers").order_by("-signed_on", "-id")
    )
    book = WorkbookWriter()
    count = table_sheet(book, "Thỏa ước", HEADER, rows)
    audit_export(
        actor=user,
        kind="export.agreements",
        label="Danh sách thỏa ước lao động tập thể (XLSX)",
        rows=count,
        filters=filters,
    )
    return book.response(dated_filename("thoa-uoc"))
