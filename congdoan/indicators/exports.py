"""XLSX files of the indicator pages: achievement tables, the cluster comparison and the target template.

Written by the one workbook writer (``congdoan.core.xlsx``: streamed, values never formulas); every
export of figures is logged in the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import FileResponse

from congdoan.core.audit import audit_export
from congdoan.core.xlsx import WorkbookWriter, dated_filename, table_sheet

from .imports import VALUE_COLUMNS

Sheet = tuple[str, str, Sequence[str], Sequence[Sequence[Any]]]  # (title, heading, header, rows)


def workbook(sheets: Sequence[Sheet]) -> WorkbookWriter:
    """One list sheet per (title, heading, header, rows)."""
    book = WorkbookWriter()
    for title, heading, header, rows in sheets:
        table_sheet(book, title, header, rows, heading=heading, widths=None, int_format=None)
    return book


def figures_xlsx(
    *, user: Any, sheets: Sequence[Sheet], stem: str, what: str, filters: dict[str, Any]
) -> FileResponse:
    """A workbook of figure tables, logged as an export."""
    response = workbook(sheets).response(dated_filename(stem))
    audit_export(
        actor=user,
        kind=f"export.{stem}",
        label=what,
        rows=sum(len(s[3]) for s in sheets),
        filters=filters,
    )
    return response


def target_template_xlsx(rows: Sequence[Sequence[Any]], stem: str) -> FileResponse:
    """The import template of ``congdoan import values``: unit_code, indicator_code, period, kind, value
    (pre-filled with the grid's units, indicators and current targets)."""
    header = [c.key for c in VALUE_COLUMNS]
    return workbook([("Chỉ tiêu", "", header, rows)]).response(dated_filename(stem))
