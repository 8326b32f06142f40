"""Build the shipped Word template ``templates_docx/bao_cao_tong_ket.docx`` (run after changing it):

    .venv/bin/python -m congdoan.reports.build_templates

The layout follows the administrative document format (Nghị định 30/2020/NĐ-CP, Hướng dẫn thể thức
văn bản của Công đoàn): A4, margins 2/2/3/1,5 cm, Times New Roman; left block with the upper and the
issuing union and the number; right block with the national motto, place and date; title; sections
(one per registered report section) each opening with the drafted sentences then a table by child
unit; "Nơi nhận" and the signature.
Every ``{{ … }}`` used here is one of ``context.VARIABLES`` (a test checks it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from congdoan.reports.layout import TABLES, groups

FONT = "Times New Roman"
OUT = Path(__file__).resolve().parent / "templates_docx" / "bao_cao_tong_ket.docx"


def table_layout() -> list[tuple[str, str, list[tuple[str, list[tuple[str, str]]]]]]:
    """(prefix, caption, [(group, [(key, label)])]) of each table, from ``layout.TABLES``."""
    return [
        (
            spec.key,
            f"Bảng {n}. {spec.title} theo đơn vị",
            [(group, [(c.key, c.label) for c in cols]) for group, cols in groups(spec)],
        )
        for n, spec in enumerate(TABLES, start=1)
    ]


def _font(
    run_or_style: object, size: float | None = None, bold: bool | None = None, italic: bool | None = None
):  # type: ignore[no-untyped-def]
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container: object,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    before: float = 0,
    after: float = 6,
) -> Paragraph:
    p: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        run = p.add_run(text)
        _font(run, size, bold, italic)
    return p


def _rule(container: object, width_cm: float, cell_width_cm: float) -> None:
    """A short centred horizontal line (the stroke under the motto and under the issuing unit)."""
    p = _para(container, size=4, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    p.paragraph_format.left_indent = Cm(side)
    p.paragraph_format.right_indent = Cm(side)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    _font(p.add_run(""), 4)


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _cell_text(
    cell: _Cell,
    text: str,
    *,
    size: float = 10,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if text:
        _font(p.add_run(text), size, bold)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _data_table(
    doc: object, prefix: str, caption: str, groups: list[tuple[str, list[tuple[str, str]]]]
) -> None:
    columns = [col for _, cols in groups for col in cols]
    n = 2 + len(columns)
    _para(doc, f"{{%p if {prefix}_has_data %}}", size=10, after=0)
    _para(doc, caption, size=13, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    table = doc.add_table(rows=6, cols=n)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(0.9), Cm(4.6)] + [Cm(10.5 / len(columns))] * len(columns)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    head1, head2, total, loop_start, data, loop_end = table.rows
    _repeat_header(head1)
    _repeat_header(head2)
    for index, label in ((0, "STT"), (1, "Đơn vị")):
        merged = head1.cells[index].merge(head2.cells[index])
        _cell_text(merged, label, bold=True)
    col = 2
    for group, cols in groups:
        if group:
            merged = head1.cells[col].merge(head1.cells[col + len(cols) - 1])
            _cell_text(merged, group, bold=True)
            for offset, (_, label) in enumerate(cols):
                _cell_text(head2.cells[col + offset], label, bold=True)
        else:
            for offset, (_, label) in enumerate(cols):
                merged = head1.cells[col + offset].merge(head2.cells[col + offset])
                _cell_text(merged, label, bold=True)
        col += len(cols)
    _cell_text(total.cells[0], "")
    _cell_text(total.cells[1], f"{{{{ {prefix}_total.name }}}}", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, (key, _) in enumerate(columns, start=2):
        _cell_text(
            total.cells[i], f"{{{{ {prefix}_total.{key} }}}}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT
        )
    _cell_text(loop_start.cells[0], f"{{%tr for r in {prefix}_rows %}}")
    _cell_text(data.cells[0], "{{ r.stt }}")
    _cell_text(data.cells[1], "{{ r.name }}", align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, (key, _) in enumerate(columns, start=2):
        _cell_text(data.cells[i], f"{{{{ r.{key} }}}}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell_text(loop_end.cells[0], "{%tr endfor %}")
    _para(doc, "{%p endif %}", size=10, after=0)
    # The chart of the report, under the table it illustrates (an image, or nothing).
    _para(doc, f"{{%p if {prefix}_chart %}}", size=10, after=0)
    _para(doc, f"{{{{ {prefix}_chart }}}}", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    _para(doc, "{%p endif %}", size=10, after=0)


def _plain_table(doc: object) -> None:
    """Any other section's table (``context.PlainTable``): its caption, one header row, the total and a
    row per child unit; the columns repeat with docxtpl's ``{%tc %}`` loops."""
    _para(doc, "{%p if part.table %}", size=10, after=0)
    _para(
        doc,
        "{{ part.table.caption }}",
        size=13,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
    )
    table = doc.add_table(rows=4, cols=3)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, loop_start, data, loop_end = table.rows
    _repeat_header(head)
    _cell_text(head.cells[0], "{%tc for h in part.table.header %}")
    _cell_text(head.cells[1], "{{ h }}", bold=True)
    _cell_text(head.cells[2], "{%tc endfor %}")
    _cell_text(loop_start.cells[0], "{%tr for r in part.table.rows %}")
    _cell_text(data.cells[0], "{%tc for v in r %}")
    _cell_text(data.cells[1], "{{ v }}")
    _cell_text(data.cells[2], "{%tc endfor %}")
    _cell_text(loop_end.cells[0], "{%tr endfor %}")
    _para(doc, "{%p endif %}", size=10, after=0)


def _paragraphs(doc: object, variable: str) -> None:
    _para(doc, f"{{%p for p in {variable} %}}", after=0)
    _para(doc, "{{ p }}", indent=True)
    _para(doc, "{%p endfor %}", after=0)


def build(out: Path = OUT) -> Path:
    layout = table_layout()
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    _font(normal, 14)
    normal.paragraph_format.space_after = Pt(6)  # type: ignore[union-attr]
    normal.paragraph_format.line_spacing = 1.15  # type: ignore[union-attr]

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    _no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Cm(6.8), Cm(9.7)
    for cell in (left, right):
        cell._element.remove(cell.paragraphs[0]._p)
    _para(left, "{{ issuer_parent_upper }}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(left, "{{ issuer_upper }}", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(left, 2.5, 6.8)
    _para(left, "{{ number_line }}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(
        right,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        size=13,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(right, 5.8, 9.7)
    _para(right, "{{ date_line }}", size=14, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=0)

    _para(doc, "{{ title }}", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=24, after=18)
    _para(doc, "{{ intro }}", indent=True)
    _para(doc, "{%p if no_data %}", after=0)
    _para(doc, "Kỳ báo cáo không có số liệu trên hệ thống: {{ no_data_reason }}.", italic=True, indent=True)
    _para(doc, "{%p endif %}", after=0)

    # The chapters, in the order the apps registered their sections (``context["sections"]``). The
    # reports app's own three tables keep their hand-laid layout (merged group headers); any other
    # section's table comes as a ready Word table (``{{p part.table }}``, see ``docx.render_docx``).
    _para(doc, "{%p for s in sections %}", after=0)
    _para(doc, "{{ s.heading }}", bold=True, before=6)
    _para(doc, "{%p for part in s.parts %}", after=0)
    _para(doc, "{%p if part.title %}", after=0)
    _para(doc, "{{ part.title }}", bold=True)
    _para(doc, "{%p endif %}", after=0)
    _paragraphs(doc, "part.paragraphs")
    for n, table in enumerate(layout):
        _para(doc, f'{{%p {"if" if n == 0 else "elif"} part.key == "{table[0]}" %}}', after=0)
        _data_table(doc, *table)
    _para(doc, "{%p else %}", after=0)
    _plain_table(doc)
    _para(doc, "{%p if part.chart %}", size=10, after=0)
    _para(doc, "{{ part.chart }}", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    _para(doc, "{%p endif %}", size=10, after=0)
    _para(doc, "{%p endif %}", after=0)
    _para(doc, "{%p endfor %}", after=0)
    _para(doc, "{%p endfor %}", after=0)

    _para(doc, "", after=12)
    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    _no_borders(sign)
    left, right = sign.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    for cell in (left, right):
        cell._element.remove(cell.paragraphs[0]._p)
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _para(left, "{%p for line in recipients %}", size=11, after=0)
    _para(left, "- {{ line }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _para(left, "{%p endfor %}", size=11, after=0)
    _para(right, "{{ signer_on_behalf }}", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(right, "{{ signer_title }}", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    for _ in range(4):
        _para(right, "", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(right, "{{ signer_name }}", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)

    props = doc.core_properties
    props.title = "Báo cáo tổng kết, sơ kết công tác công đoàn"
    props.author = "congdoan"
    props.comments = "Mẫu docxtpl; danh sách biến: docs/reports.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


if __name__ == "__main__":
    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"Đã tạo {path}")
