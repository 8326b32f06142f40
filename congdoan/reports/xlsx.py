"""Biểu thống kê as XLSX: one sheet per table, merged header cells, values (never formulas).

Numbers use Excel's built-in formats (``#,##0``, ``0.00%``): the file stores plain numbers and the
reader's Excel shows them with its own separators — "23.736" and "74,8%" on a Vietnamese system —
so the workbook does not depend on the locale it was written on. Missing data is "—", not 0.
Written by the one workbook writer (``congdoan.core.xlsx``), so a unit named ``=HYPERLINK(...)``
stays text.
"""

from __future__ import annotations

from typing import Any

from congdoan.core.xlsx import INT_FORMAT, Sheet, Style, Styled, WorkbookWriter, percent_format

from .selectors import Report, Row, Table

FONT = "Times New Roman"
TEXT = Style(vertical="center", wrap=True, border=True)  # the unit name column
HEAD = Style(bold=True, horizontal="center", vertical="center", wrap=True, border=True)
NUMBER = Style(horizontal="right", vertical="center", border=True)
OTHER = Style(horizontal="center", vertical="center", border=True)


def _row_cells(stt: str, row: Row, table: Table, bold: bool) -> list[Styled]:
    """A table row: STT, the unit's name, then each column's figure with its number format."""
    cells = [Styled(int(stt) if stt else "", OTHER.but(bold=bold)), Styled(row.name, TEXT.but(bold=bold))]
    for column in table.columns:
        cell = row.cells[column.key]
        if cell.value is None:
            cells.append(Styled(cell.display, OTHER.but(bold=bold)))  # "—" (no data) or "" (no target)
        elif column.kind == "pct":
            decimals = cell.decimals
            value = float(round(cell.value, decimals + 4))
            cells.append(Styled(value, NUMBER.but(bold=bold, number_format=percent_format(decimals))))
        else:
            number = cell.value
            value = int(number) if number == number.to_integral_value() else float(number)
            cells.append(Styled(value, NUMBER.but(bold=bold, number_format=INT_FORMAT)))
    return cells


def _sheet(book: WorkbookWriter, index: int, table: Table, report: Report, issuer: str) -> Sheet:
    last = 2 + len(table.columns)
    head1, head2 = 5, 6
    sheet = book.sheet(
        f"Biểu {index}",
        widths=[6, 45] + [13] * len(table.columns),
        freeze=f"C{head2 + 1}",
        landscape=True,
        print_title_rows=f"{head1}:{head2}",
    )
    first: list[Any] = [Styled(issuer, Style(bold=True))] + [None] * (last - 1)
    first[last - 1] = Styled(f"Biểu số {index}", Style(italic=True))
    sheet.append(first)
    sheet.merge(1, 1, 1, min(last, 4))
    sheet.title(
        f"{table.title.upper()} {report.period.label.upper()}",
        last,
        Style(bold=True, size=13).but(horizontal="center", vertical="center", wrap=True),
    )
    subtitle = f"(Số liệu từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}; đơn vị: {report.unit.name})"
    sheet.title(subtitle, last, Style(italic=True, horizontal="center", vertical="center", wrap=True))
    sheet.blank()
    # Two header rows: STT and Đơn vị span both; grouped columns share a merged label on the first.
    top: list[Any] = ["STT", "Đơn vị"] + [None] * len(table.columns)
    bottom: list[Any] = [None] * last
    sheet.merge(head1, 1, head2, 1)
    sheet.merge(head1, 2, head2, 2)
    columns = list(table.columns)
    col, i = 3, 0
    while i < len(columns):
        group = columns[i].group
        span = 1
        while group and i + span < len(columns) and columns[i + span].group == group:
            span += 1
        if group:
            top[col - 1] = group
            sheet.merge(head1, col, head1, col + span - 1)
            for k in range(span):
                bottom[col - 1 + k] = columns[i + k].label
        else:
            top[col - 1] = columns[i].label
            sheet.merge(head1, col, head2, col)
        col += span
        i += span
    sheet.append(top, HEAD, height=30)
    sheet.append(bottom, HEAD, height=45)
    sheet.append(_row_cells("", table.total, table, bold=True))
    for n, row in enumerate(table.rows, start=1):
        sheet.append(_row_cells(str(n), row, table, bold=False))
    if not table.has_data:
        sheet.blank()
        sheet.append(["Chưa có số liệu cho biểu này trong kỳ báo cáo."], Style(italic=True))
    return sheet


def render_xlsx(report: Report, context: dict[str, Any]) -> bytes:
    book = WorkbookWriter(title=context["title"], font=FONT)
    info = book.sheet("Thông tin", widths=[110], base=Style(size=12))
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
    for text, bold in lines:
        info.append([text], Style(size=12, bold=bold))
    for n, table in enumerate(report.tables.values(), start=1):
        _sheet(book, n, table, report, context["issuer_upper"])
    return book.to_bytes()
