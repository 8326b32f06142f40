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
from openpyxl.utils import get_column_letter

from congdoan.core.formatting import EMPTY, format_number, percent_decimals
from congdoan.core.xlsx import INT_FORMAT, Style, Styled, WorkbookWriter, percent_format

from .build_templates import _cell_text, _font, _no_borders, _para, _repeat_header, _rule
from .cluster import ClusterCell, ClusterReport, cluster_context
from .xlsx import FONT, HEAD

BOXED = Style(border=True)
FIGURE = Style(horizontal="right", border=True)


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


def _emulation_docx(doc: Any, report: ClusterReport) -> None:
    """Part III: the emulation app's appraised scores, the peer vote and the ranking, side by side."""
    closed = report.vote_closed
    _para(doc, "III. ĐIỂM THI ĐUA, BÌNH XÉT VÀ XẾP HẠNG", bold=True, before=12)
    _para(
        doc,
        "Bảng 3. Điểm thẩm định, phiếu suy tôn và xếp hạng thi đua",
        size=13,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
    )
    table = doc.add_table(rows=1 + len(report.emulation), cols=6)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    heads = ["Hạng", "Đơn vị", "Điểm thẩm định", "Xếp loại", "Phiếu suy tôn", "Điểm xếp hạng"]
    for cell, label in zip(table.rows[0].cells, heads, strict=True):
        _cell_text(cell, label, bold=True)
    for row, s in zip(table.rows[1:], report.emulation, strict=True):
        values = [
            str(s.rank),
            s.unit.name,
            format_number(s.score, 2) if s.score is not None else EMPTY,
            s.grade_label,
            str(s.votes) if closed else EMPTY,
            format_number(s.combined, 2)
            if s.combined is not None and (closed or report.vote is None)
            else EMPTY,
        ]
        for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            _cell_text(cell, value, align=WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
    if closed and report.vote.next_leader is not None:
        deputy = report.vote.next_deputy
        text = f"Kết quả bình xét, suy tôn: {report.vote.next_leader.name} làm cụm trưởng"
        text += f", {deputy.name} làm cụm phó" if deputy is not None else ""
        _para(doc, text + f" năm {report.cluster.year + 1}.", indent=True, before=6)


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

    if report.emulation:
        _emulation_docx(doc, report)

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


def _number(cell: ClusterCell, ratio: bool, decimals: int) -> Styled:
    if cell.value is None:
        return Styled(cell.display, BOXED)
    if ratio:
        places = percent_decimals()  # the one rule of pages and reports
        value = float(round(cell.value, places + 4))
        return Styled(value, FIGURE.but(number_format=percent_format(places)))
    number = cell.value
    value = int(number) if number == number.to_integral_value() else float(number)
    return Styled(value, FIGURE.but(number_format=INT_FORMAT))


def render_cluster_xlsx(report: ClusterReport) -> bytes:
    ctx = cluster_context(report)
    book = WorkbookWriter(title=ctx["title"], font=FONT)

    ws = book.sheet("Xếp hạng", widths=[8, 16, 42, 14, 15, 20], landscape=True)
    ws.append([ctx["issuer_upper"]], Style(bold=True))
    ws.title(ctx["title"], 6, Style(bold=True, size=13, horizontal="center", vertical="center", wrap=True))
    for paragraph in report.paragraphs:
        ws.append([paragraph], Style(italic=True))
    ws.blank()
    labels = ["Hạng", "Mã đơn vị", "Đơn vị", "Vai trò", "Tổng thứ hạng", "Số chỉ tiêu đứng đầu"]
    ws.append(labels, HEAD)
    for standing in report.standings:
        ranked = standing.rank is not None
        values: list[Any] = [
            standing.rank if ranked else "—",
            standing.unit.code,
            standing.unit.name,
            standing.role,
            standing.total if ranked else "—",
            standing.firsts if ranked else "—",
        ]
        ws.append(
            [Styled(v, BOXED.but(number_format=INT_FORMAT)) if isinstance(v, int) else v for v in values],
            BOXED,
        )

    fixed = ["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Xếp hạng theo"]
    members = len(report.standings)
    head1, head2 = 3, 4
    cmp = book.sheet(
        "So sánh",
        widths=[6, 16, 42, 10, 16] + [11] * (3 * members),
        freeze=f"{get_column_letter(len(fixed) + 1)}{head2 + 1}",
        landscape=True,
    )
    cmp.append(
        [f"{report.cluster.name.upper()} — KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {ctx['period_label'].upper()}"],
        Style(bold=True, size=13),
    )
    cmp.blank()
    top: list[Any] = list(fixed)
    bottom: list[Any] = [None] * len(fixed)
    for c in range(1, len(fixed) + 1):
        cmp.merge(head1, c, head2, c)
    col = len(fixed) + 1
    for i in range(members):
        top += [_member_label(report, i), None, None]
        bottom += ["Thực hiện", "Đạt (%)", "Hạng"]
        cmp.merge(head1, col, head1, col + 2)
        col += 3
    cmp.append(top, HEAD)
    cmp.append(bottom, HEAD)
    for n, line in enumerate(report.lines, start=1):
        indicator = line.indicator
        row: list[Any] = [
            n,
            indicator.code,
            indicator.name,
            "%" if indicator.is_ratio else indicator.unit,
            line.basis or "không xếp hạng",
        ]
        for cell in line.cells:
            row.append(_number(cell, indicator.is_ratio, indicator.decimals))
            if cell.achievement is not None:
                row.append(Styled(float(round(cell.achievement, 6)), FIGURE.but(number_format="0.00%")))
            else:
                row.append("")
            row.append(cell.rank if cell.rank is not None else "")
        cmp.append(row, BOXED)
    return book.to_bytes()


# -- PDF ---------------------------------------------------------------------------------------------


def render_cluster_html(report: ClusterReport) -> str:
    return render_to_string("reports/cluster_pdf.html", {"report": report, "doc": cluster_context(report)})


def render_cluster_pdf(report: ClusterReport) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=render_cluster_html(report), base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
