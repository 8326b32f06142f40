"""The cluster report's files: Word (python-docx, the official layout), XLSX (values, merged headers,
Vietnamese formats) and PDF (WeasyPrint from the same HTML as the preview page)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import _Cell
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .build_templates import _cell_text, _font, _no_borders, _para, _repeat_header, _rule
from .cluster import ClusterCell, ClusterReport, cluster_context
from .xlsx import BOX, CENTER, FONT, INT_FORMAT, _pct_format


def _member_label(report: ClusterReport, index: int) -> str:
    unit = report.standings[index].unit
    return unit.short_name or unit.name


def _lines(cell: _Cell, lines: list[str], *, size: float = 9.5, bold_first: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    for i, text in enumerate(line for line in lines if line):
        run = p.add_run(text)
        _font(run, size if i == 0 else size - 1, bold_first and i == 0, italic=i > 0)
        if i < len([line for line in lines if line]) - 1:
            run.add_break()


def _cell_lines(cell: ClusterCell) -> list[str]:
    return [cell.display, cell.achievement_display, f"hạng {cell.rank}" if cell.rank else ""]


def render_cluster_docx(report: ClusterReport) -> bytes:
    ctx = cluster_context(report)
    doc = Document()
    section = doc.sections[0]
    wide = len(report.standings) > 6
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if wide else (Cm(21), Cm(29.7))
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    text_width = (29.7 if wide else 21) - 4.5
    normal = doc.styles["Normal"]
    _font(normal, 14)
    normal.paragraph_format.space_after = Pt(6)  # type: ignore[union-attr]

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    _no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Cm(6.8), Cm(text_width - 6.8)
    for cell in (left, right):
        cell._element.remove(cell.paragraphs[0]._p)
    _para(left, ctx["issuer_parent_upper"], size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(left, ctx["issuer_upper"], size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(left, 2.5, 6.8)
    _para(left, ctx["number_line"], size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(
        right,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        size=13,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(right, 5.8, text_width - 6.8)
    _para(right, ctx["date_line"], size=14, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=0)

    _para(doc, ctx["title"], size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=24, after=18)
    _para(doc, ctx["intro"], indent=True)
    _para(doc, "I. KẾT QUẢ XẾP HẠNG", bold=True, before=6)
    for paragraph in report.paragraphs:
        _para(doc, paragraph, indent=True)
    ranked = [s for s in report.standings if s.rank is not None]
    if ranked:
        _para(
            doc,
            "Bảng 1. Xếp hạng các đơn vị trong cụm",
            size=13,
            bold=True,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            before=6,
        )
        table = doc.add_table(rows=1 + len(ranked), cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, label in zip(
            table.rows[0].cells,
            ["Hạng", "Đơn vị", "Vai trò", "Tổng thứ hạng", "Số chỉ tiêu đứng đầu"],
            strict=True,
        ):
            _cell_text(cell, label, bold=True)
        _repeat_header(table.rows[0])
        for row, standing in zip(table.rows[1:], ranked, strict=True):
            values = [
                str(standing.rank),
                standing.unit.name,
                standing.role,
                str(standing.total),
                f"{standing.firsts}/{len(report.ranked_lines)}",
            ]
            for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                _cell_text(
                    cell, value, align=WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER
                )
        for row in table.rows:
            for cell, width in zip(row.cells, [1.4, 7.0, 2.6, 2.6, 2.8], strict=True):
                cell.width = Cm(width)

    _para(doc, "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True, before=12)
    _para(
        doc,
        "Bảng 2. Các đơn vị trong cụm trên từng chỉ tiêu (theo thứ hạng chung)",
        size=13,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
    )
    members = len(report.standings)
    table = doc.add_table(rows=1 + len(report.lines), cols=3 + members)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    heads = ["STT", "Chỉ tiêu", "Đơn vị tính"] + [_member_label(report, i) for i in range(members)]
    for cell, label in zip(table.rows[0].cells, heads, strict=True):
        _cell_text(cell, label, size=9.5, bold=True)
    _repeat_header(table.rows[0])
    for n, (row, line) in enumerate(zip(table.rows[1:], report.lines, strict=True), start=1):
        indicator = line.indicator
        _cell_text(row.cells[0], str(n), size=9.5)
        _cell_text(row.cells[1], indicator.name, size=9.5, align=WD_ALIGN_PARAGRAPH.LEFT)
        _cell_text(row.cells[2], "%" if indicator.is_ratio else indicator.unit, size=9.5)
        for target, figure in zip(row.cells[3:], line.cells, strict=True):
            _lines(target, _cell_lines(figure))
    rest = text_width - 0.9 - 4.2 - 1.5
    widths = [0.9, 4.2, 1.5] + [rest / max(members, 1)] * members
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)

    _para(doc, "", after=12)
    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    _no_borders(sign)
    left, right = sign.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(text_width - 7.5)
    for cell in (left, right):
        cell._element.remove(cell.paragraphs[0]._p)
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    for line in ctx["recipients"]:
        _para(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _para(right, ctx["signer_on_behalf"], size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(right, ctx["signer_title"], size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    for _ in range(4):
        _para(right, "", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(right, ctx["signer_name"], size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    doc.core_properties.title = ctx["title"]
    doc.core_properties.author = "congdoan"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- XLSX --------------------------------------------------------------------------------------------


def _number(cell: ClusterCell, ratio: bool, decimals: int) -> tuple[Any, str | None]:
    if cell.value is None:
        return cell.display, None
    if ratio:
        return float(round(cell.value, (decimals or 1) + 4)), _pct_format(decimals or 1)
    value = cell.value
    return (int(value) if value == value.to_integral_value() else float(value)), INT_FORMAT


def render_cluster_xlsx(report: ClusterReport) -> bytes:
    ctx = cluster_context(report)
    wb = Workbook()
    bold = Font(name=FONT, size=11, bold=True)
    plain = Font(name=FONT, size=11)

    ws = wb.active
    assert ws is not None
    ws.title = "Xếp hạng"
    ws["A1"] = ctx["issuer_upper"]
    ws["A1"].font = bold
    ws["A2"] = ctx["title"]
    ws["A2"].font = Font(name=FONT, size=13, bold=True)
    ws.merge_cells("A2:F2")
    ws["A2"].alignment = CENTER
    for r, paragraph in enumerate(report.paragraphs, start=3):
        ws.cell(row=r, column=1, value=paragraph).font = Font(name=FONT, size=11, italic=True)
    head = 4 + len(report.paragraphs)
    labels = ["Hạng", "Mã đơn vị", "Đơn vị", "Vai trò", "Tổng thứ hạng", "Số chỉ tiêu đứng đầu"]
    for c, label in enumerate(labels, start=1):
        cell = ws.cell(row=head, column=c, value=label)
        cell.font, cell.alignment, cell.border = bold, CENTER, BOX
    for r, standing in enumerate(report.standings, start=head + 1):
        values: list[Any] = [
            standing.rank if standing.rank is not None else "—",
            standing.unit.code,
            standing.unit.name,
            standing.role,
            standing.total if standing.rank is not None else "—",
            standing.firsts if standing.rank is not None else "—",
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font, cell.border = plain, BOX
            if isinstance(value, int):
                cell.number_format = INT_FORMAT
    for letter, width in zip("ABCDEF", [8, 16, 42, 14, 15, 20], strict=True):
        ws.column_dimensions[letter].width = width

    cmp = wb.create_sheet("So sánh")
    cmp["A1"] = (
        f"{report.cluster.name.upper()} — KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {ctx['period_label'].upper()}"
    )
    cmp["A1"].font = Font(name=FONT, size=13, bold=True)
    head1, head2 = 3, 4
    fixed = ["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Xếp hạng theo"]
    for c, label in enumerate(fixed, start=1):
        cmp.cell(row=head1, column=c, value=label)
        cmp.merge_cells(start_row=head1, start_column=c, end_row=head2, end_column=c)
    col = len(fixed) + 1
    for i in range(len(report.standings)):
        cmp.cell(row=head1, column=col, value=_member_label(report, i))
        cmp.merge_cells(start_row=head1, start_column=col, end_row=head1, end_column=col + 2)
        for k, label in enumerate(["Thực hiện", "Đạt (%)", "Hạng"]):
            cmp.cell(row=head2, column=col + k, value=label)
        col += 3
    last = col - 1
    for r in (head1, head2):
        for c in range(1, last + 1):
            cell = cmp.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = bold, CENTER, BOX
    for n, line in enumerate(report.lines, start=1):
        r = head2 + n
        indicator = line.indicator
        row: list[tuple[Any, str | None]] = [
            (n, None),
            (indicator.code, None),
            (indicator.name, None),
            ("%" if indicator.is_ratio else indicator.unit, None),
            (line.basis or "không xếp hạng", None),
        ]
        for cell in line.cells:
            row.append(_number(cell, indicator.is_ratio, indicator.decimals))
            if cell.achievement is not None:
                row.append((float(round(cell.achievement, 6)), "0.00%"))
            else:
                row.append(("", None))
            row.append((cell.rank if cell.rank is not None else "", None))
        for c, (value, fmt) in enumerate(row, start=1):
            target = cmp.cell(row=r, column=c, value=value)
            target.font, target.border = plain, BOX
            if fmt:
                target.number_format = fmt
                target.alignment = Alignment(horizontal="right")
    cmp.column_dimensions["A"].width = 6
    cmp.column_dimensions["B"].width = 16
    cmp.column_dimensions["C"].width = 42
    cmp.column_dimensions["D"].width = 10
    cmp.column_dimensions["E"].width = 16
    for c in range(len(fixed) + 1, last + 1):
        cmp.column_dimensions[get_column_letter(c)].width = 11
    cmp.freeze_panes = cmp.cell(row=head2 + 1, column=len(fixed) + 1)
    for sheet in (ws, cmp):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "congdoan"
    wb.properties.title = ctx["title"]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- PDF ---------------------------------------------------------------------------------------------


def render_cluster_html(report: ClusterReport) -> str:
    return render_to_string("reports/cluster_pdf.html", {"report": report, "doc": cluster_context(report)})


def render_cluster_pdf(report: ClusterReport) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=render_cluster_html(report), base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
