"""XLSX files of the indicator pages: achievement tables, the cluster comparison and the target template.

Cells are values, never formulas (``safe_cell``); every export of figures is logged in the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from congdoan.core.audit import audit_export
from congdoan.org.exports import XLSX, safe_cell

from .imports import VALUE_COLUMNS

Sheet = tuple[str, str, Sequence[str], Sequence[Sequence[Any]]]  # (title, heading, header, rows)


def _fill(ws: Worksheet, heading: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    first = 1
    if heading:
        ws.append([heading])
        ws.cell(row=1, column=1).font = Font(bold=True, size=12)
        first = 2
    ws.append(list(header))
    for cell in ws[first]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(50, len(str(name)) + 4))
    ws.freeze_panes = ws.cell(row=first + 1, column=1)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    wb = Workbook()
    for i, (title, heading, header, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title[:31]
        _fill(ws, heading, header, rows)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def response(content: bytes, stem: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    out = HttpResponse(content, content_type=XLSX)
    out["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.xlsx"'
    return out


def figures_xlsx(
    *, user: Any, sheets: Sequence[Sheet], stem: str, what: str, filters: dict[str, Any]
) -> HttpResponse:
    """A workbook of figure tables, logged as an export."""
    content = workbook(sheets)
    audit_export(
        actor=user,
        kind=f"export.{stem}",
        label=what,
        rows=sum(len(s[3]) for s in sheets),
        filters=filters,
    )
    return response(content, stem)


def target_template_xlsx(rows: Sequence[Sequence[Any]], stem: str) -> HttpResponse:
    """The import template of ``congdoan import values``: unit_code, indicator_code, period, kind, value
    (pre-filled with the grid's units, indicators and current targets)."""
    header = [c.key for c in VALUE_COLUMNS]
    return response(workbook([("Chỉ tiêu", "", header, rows)]), stem)
