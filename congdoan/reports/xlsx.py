"""Biểu thống kê as XLSX: one sheet per table, merged header cells, values (never formulas).

Numbers use Excel's built-in formats (``#,##0``, ``0.00%``): the file stores plain numbers and the
reader's Excel shows them with its own separators — "23.736" and "74,8%" on a Vietnamese system —
so the workbook does not depend on the locale it was written on. Missing data is "—", not 0.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .selectors import Report, Row, Table

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
INT_FORMAT = "#,##0"


def _pct_format(decimals: int) -> str:
    return "0%" if decimals == 0 else "0." + "0" * decimals + "%"


def _write_row(ws: Worksheet, r: int, stt: str, row: Row, table: Table, bold: bool) -> None:
    font = Font(name=FONT, size=11, bold=bold)
    cells: list[Any] = [int(stt) if stt else "", row.name]
    formats: list[str | None] = [None, None]
    for column in table.columns:
        cell = row.cells[column.key]
        if cell.value is None:
            cells.append(cell.display)  # "—" (no data) or "" (no target)
            formats.append(None)
        elif column.kind == "pct":
            decimals = cell.decimals
            cells.append(float(round(cell.value, decimals + 4)))
            formats.append(_pct_format(decimals))
        else:
            value = cell.value
            cells.append(int(value) if value == value.to_integral_value() else float(value))
            formats.append(INT_FORMAT)
    for c, (value, fmt) in enumerate(zip(cells, formats, strict=True), start=1):
        target = ws.cell(row=r, column=c, value=value)
        target.font = font
        target.border = BOX
        if fmt:
            target.number_format = fmt
            target.alignment = Alignment(horizontal="right", vertical="center")
        elif c == 2:
            target.alignment = Alignment(vertical="center", wrap_text=True)
        else:
            target.alignment = Alignment(horizontal="center", vertical="center")


def _sheet(wb: Workbook, index: int, table: Table, report: Report, issuer: str) -> None:
    ws = wb.create_sheet(f"Biểu {index}")
    last = 2 + len(table.columns)
    end_col = get_column_letter(last)
    ws["A1"] = issuer
    ws["A1"].font = Font(name=FONT, size=11, bold=True)
    ws.merge_cells(f"A1:{get_column_letter(min(last, 4))}1")
    ws.cell(row=1, column=last, value=f"Biểu số {index}").font = Font(name=FONT, size=11, italic=True)
    ws["A2"] = f"{table.title.upper()} {report.period.label.upper()}"
    ws["A2"].font = Font(name=FONT, size=13, bold=True)
    ws["A2"].alignment = CENTER
    ws.merge_cells(f"A2:{end_col}2")
    ws["A3"] = f"(Số liệu từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}; đơn vị: {report.unit.name})"
    ws["A3"].font = Font(name=FONT, size=11, italic=True)
    ws["A3"].alignment = CENTER
    ws.merge_cells(f"A3:{end_col}3")
    head1, head2 = 5, 6
    bold = Font(name=FONT, size=11, bold=True)
    for col, label in ((1, "STT"), (2, "Đơn vị")):
        ws.cell(row=head1, column=col, value=label)
        ws.merge_cells(start_row=head1, start_column=col, end_row=head2, end_column=col)
    col = 3
    columns = list(table.columns)
    i = 0
    while i < len(columns):
        group = columns[i].group
        span = 1
        while group and i + span < len(columns) and columns[i + span].group == group:
            span += 1
        if group:
            ws.cell(row=head1, column=col, value=group)
            if span > 1:
                ws.merge_cells(start_row=head1, start_column=col, end_row=head1, end_column=col + span - 1)
            for k in range(span):
                ws.cell(row=head2, column=col + k, value=columns[i + k].label)
        else:
            ws.cell(row=head1, column=col, value=columns[i].label)
            ws.merge_cells(start_row=head1, start_column=col, end_row=head2, end_column=col)
        col += span
        i += span
    for r in (head1, head2):
        for c in range(1, last + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = bold
            cell.alignment = CENTER
            cell.border = BOX
    ws.row_dimensions[head1].height = 30
    ws.row_dimensions[head2].height = 45
    r = head2 + 1
    _write_row(ws, r, "", table.total, table, bold=True)
    for n, row in enumerate(table.rows, start=1):
        _write_row(ws, r + n, str(n), row, table, bold=False)
    if not table.has_data:
        note = ws.cell(
            row=r + len(table.rows) + 2, column=1, value="Chưa có số liệu cho biểu này trong kỳ báo cáo."
        )
        note.font = Font(name=FONT, size=11, italic=True)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 45
    for c in range(3, last + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.freeze_panes = ws.cell(row=head2 + 1, column=3)
    ws.print_title_rows = f"{head1}:{head2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def render_xlsx(report: Report, context: dict[str, Any]) -> bytes:
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Thông tin"
    lines = [
        (context["issuer_upper"], True),
        (context["title"], True),
        (f"Đơn vị: {report.unit.name} ({report.unit.code})", False),
        (
            f"Kỳ báo cáo: {context['period_label']} ({context['period_start']} – {context['period_end']})",
            False,
        ),
        (f"Tạo lúc: {context['generated_at']}", False),
        ("", False),
    ]
    for n, table in enumerate(report.tables.values(), start=1):
        lines.append((f"Biểu {n}: {table.title}", False))
    if context["notes"] or context["no_data"]:
        lines.append(("", False))
        if context["no_data"]:
            lines.append((f"Kỳ báo cáo không có số liệu: {context['no_data_reason']}.", False))
        lines.extend((note, False) for note in context["notes"])
    for r, (text, bold) in enumerate(lines, start=1):
        cell = info.cell(row=r, column=1, value=text)
        cell.font = Font(name=FONT, size=12, bold=bold)
    info.column_dimensions["A"].width = 110
    for n, table in enumerate(report.tables.values(), start=1):
        _sheet(wb, n, table, report, context["issuer_upper"])
    wb.properties.creator = "congdoan"
    wb.properties.title = context["title"]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
