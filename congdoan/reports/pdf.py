"""The annual report's PDF, drawn with fpdf2 (same content as the preview page).

WeasyPrint laid out a district's tables (3 × 400 rows, 76 pages) in ~20 s; fpdf2 draws them in well
under a second. Layout of an official document (Nghị định 30/2020/NĐ-CP): A4 portrait, margins
2 cm / 1.5 cm / 2 cm / 3 cm, the issuing unit (caps) and "Số: …" on the left, the national motto with its
rule and the place and date on the right, centred title, sections, tables whose header rows repeat on
each page, the chart, "Nơi nhận" and the signature block; page numbers at the top from page 2.

Font: Liberation Serif 2 (``congdoan/static/fonts``), metric-compatible with Times New Roman — the font
of official documents, of the DOCX and of the preview — with every Vietnamese glyph; the tables use it
too, at a smaller size. The preview page and the cluster report's PDF (WeasyPrint) keep the HTML rendering.
"""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from congdoan.core.pdf import SERIF, add_serif_fonts

from .charts import Chart
from .selectors import Part, Report, Row

PT = 25.4 / 72  # mm per point
COND = SERIF  # Times metrics are narrow enough for the tables: one family in the whole document
BODY = 14.0  # pt
LINE = 1.3  # line height, as a multiple of the font size
TABLE_SIZE = 9.0
CELL_PAD = 1.2  # mm, left/right padding of a table cell
BAR = (31, 95, 168)
BAR_REACHED = (25, 135, 84)
TARGET = (200, 30, 30)


class ReportPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        add_serif_fonts(self)  # the fonts of every printed paper (``core.pdf``); the layout is the report's
        self.set_margins(30, 20, 15)
        self.set_auto_page_break(auto=True, margin=20)
        self.c_margin = 0

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(SERIF, "", 13)
            self.set_xy(self.l_margin, 10)
            self.cell(self.epw, 6, str(self.page_no()), align="C")
            self.set_xy(self.l_margin, self.t_margin)

    # -- helpers ---------------------------------------------------------------------------------

    @property
    def bottom(self) -> float:
        return float(self.page_break_trigger)

    def ensure(self, height: float) -> None:
        """A new page unless ``height`` mm fit below the cursor."""
        if self.get_y() + height > self.bottom:
            self.add_page()

    def lines(self, width: float, text: str) -> list[str]:
        """``text`` wrapped to ``width`` mm in the current font."""
        if self.get_string_width(text) <= width:
            return [text]
        out = self.multi_cell(width, 5, text, dry_run=True, output="LINES", align="L")
        return list(out) or [text]  # type: ignore[arg-type]

    def centred(
        self, text: str, size: float, style: str = "", *, x: float | None = None, w: float = 0
    ) -> None:
        """Centred, wrapped text at the cursor (in the column [x, x + w], the text width by default)."""
        self.set_font(SERIF, style, size)
        x = self.l_margin if x is None else x
        w = w or self.epw
        for line in self.lines(w, text):
            self.set_x(x)
            self.cell(w, size * LINE * PT, line, align="C", new_x="LEFT", new_y="NEXT")

    def paragraph(self, text: str, *, style: str = "", indent: float = 12.7, after: float = 6.0) -> None:
        """A justified paragraph with a first-line indent, body size."""
        self.set_font(SERIF, style, BODY)
        with self.text_columns(text_align="J", line_height=LINE) as cols:
            with cols.paragraph(first_line_indent=indent, bottom_margin=after * PT) as par:
                par.write(text)


# -- the parts of the document -------------------------------------------------------------------


def _heading_block(pdf: ReportPDF, doc: dict[str, Any]) -> None:
    top = pdf.get_y()
    left_w = pdf.epw * 0.45 - 2
    right_x = pdf.l_margin + pdf.epw * 0.45
    right_w = pdf.epw * 0.55
    size = 12.5
    h = size * LINE * PT
    pdf.set_xy(pdf.l_margin, top)
    if doc["issuer_parent_upper"]:
        pdf.centred(doc["issuer_parent_upper"], 11.5, x=pdf.l_margin, w=left_w)
    pdf.centred(doc["issuer_upper"], size, "B", x=pdf.l_margin, w=left_w)
    y = pdf.get_y() + 2 * PT
    rule = left_w * 0.30
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin + (left_w - rule) / 2, y, pdf.l_margin + (left_w + rule) / 2, y)
    pdf.set_xy(pdf.l_margin, y + 6 * PT)
    pdf.set_font(SERIF, "", size)
    pdf.cell(left_w, h, doc["number_line"], align="C", new_x="LMARGIN", new_y="NEXT")
    left_bottom = pdf.get_y()

    pdf.set_xy(right_x, top)
    pdf.set_font(SERIF, "B", size)
    nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    if pdf.get_string_width(nation) > right_w:  # nowrap: shrink rather than wrap
        pdf.set_font_size(size * right_w / pdf.get_string_width(nation))
    pdf.cell(right_w, h, nation, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(SERIF, "B", size)
    pdf.cell(right_w, h, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
    y = pdf.get_y() + 2 * PT
    rule = right_w * 0.62
    pdf.line(right_x + (right_w - rule) / 2, y, right_x + (right_w + rule) / 2, y)
    pdf.set_xy(right_x, y + 12 * PT)
    pdf.set_font(SERIF, "I", BODY)
    date_size = BODY
    if pdf.get_string_width(doc["date_line"]) > right_w:  # one line down to 12 pt, else wrapped
        date_size = max(12.0, BODY * right_w / pdf.get_string_width(doc["date_line"]) - 0.1)
    pdf.centred(doc["date_line"], date_size, "I", x=right_x, w=right_w)
    pdf.set_xy(pdf.l_margin, max(left_bottom, pdf.get_y()))


def _caption(pdf: ReportPDF, bold: str, normal: str = "") -> None:
    """A centred caption, bold italic, with an optional note in normal weight after it."""
    size = 13.0
    h = size * LINE * PT
    pdf.set_font(SERIF, "BI", size)
    w1 = pdf.get_string_width(bold)
    pdf.set_font(SERIF, "I", size)
    w2 = pdf.get_string_width(" " + normal) if normal else 0.0
    pdf.ln(6 * PT)
    if w1 + w2 <= pdf.epw:
        pdf.set_x(pdf.l_margin + (pdf.epw - w1 - w2) / 2)
        pdf.set_font(SERIF, "BI", size)
        pdf.cell(w1, h, bold)
        if normal:
            pdf.set_font(SERIF, "I", size)
            pdf.cell(w2, h, " " + normal)
        pdf.ln(h)
    else:
        pdf.centred(f"{bold} {normal}".strip(), size, "BI")
    pdf.ln(4 * PT)


def _widths(pdf: ReportPDF, part: Part) -> list[float]:
    """Column widths (mm): STT, the unit's name, then each figure (wide enough for its values and words)."""
    pdf.set_font(COND, "B", TABLE_SIZE)
    rows = part.all_rows
    stt = max(8.0, pdf.get_string_width("STT"), pdf.get_string_width(str(len(rows)))) + 2 * CELL_PAD
    figures: list[float] = []
    for i, column in enumerate(part.table.columns if part.table else ()):
        word = max(pdf.get_string_width(w) for w in column.label.split())
        value = max((pdf.get_string_width(list(r.cells.values())[i].display) for r in rows), default=0.0)
        figures.append(max(7.0, word, value) + 2 * CELL_PAD)
    wanted = max(pdf.get_string_width(r.name) for r in rows) + 2 * CELL_PAD
    name = pdf.epw - stt - sum(figures)
    if name < 38:
        scale = (pdf.epw - stt - 38) / sum(figures)
        figures = [w * scale for w in figures]
        name = 38.0
    elif name > wanted:  # the room left over goes to the figures (fewer header lines)
        figures = [w + (name - wanted) / len(figures) for w in figures]
        name = wanted
    return [stt, name, *figures]


def _text_block(pdf: ReportPDF, x: float, y: float, w: float, h: float, lines: list[str], lh: float) -> None:
    """Lines centred in the box (both ways), with its border."""
    pdf.rect(x, y, w, h)
    top = y + (h - lh * len(lines)) / 2
    for i, line in enumerate(lines):
        pdf.set_xy(x + CELL_PAD, top + i * lh)
        pdf.cell(w - 2 * CELL_PAD, lh, line, align="C")


def _table_header(pdf: ReportPDF, part: Part, widths: list[float]) -> float:
    """The two header rows (merged group cells); returns their height. Call with room for it."""
    pdf.set_font(COND, "B", TABLE_SIZE)
    lh = TABLE_SIZE * 1.2 * PT
    pad = 1.2
    x0, y0 = pdf.l_margin, pdf.get_y()
    # (x, width, row: 0 = upper, 1 = lower, 2 = both, lines)
    cells: list[tuple[float, float, int, list[str]]] = []
    x = x0
    for label, w in (("STT", widths[0]), ("Đơn vị", widths[1])):
        cells.append((x, w, 2, pdf.lines(w - 2 * CELL_PAD, label)))
        x += w
    i = 2
    for group in part.groups:
        span = widths[i : i + group.span]
        if group.label:
            cells.append((x, sum(span), 0, pdf.lines(sum(span) - 2 * CELL_PAD, group.label)))
            for column, w in zip(group.columns, span, strict=True):
                cells.append((x, w, 1, pdf.lines(w - 2 * CELL_PAD, column.label)))
                x += w
        else:
            cells.append((x, span[0], 2, pdf.lines(span[0] - 2 * CELL_PAD, group.columns[0].label)))
            x += span[0]
        i += group.span
    upper = max([len(c[3]) for c in cells if c[2] == 0] or [1]) * lh + 2 * pad
    lower = max([len(c[3]) for c in cells if c[2] == 1] or [1]) * lh + 2 * pad
    both = max(len(c[3]) for c in cells if c[2] == 2) * lh + 2 * pad
    if both > upper + lower:
        lower += both - upper - lower
    for cx, w, row, lines in cells:
        y = y0 + (upper if row == 1 else 0)
        h = upper if row == 0 else lower if row == 1 else upper + lower
        _text_block(pdf, cx, y, w, h, lines, lh)
    pdf.set_xy(x0, y0 + upper + lower)
    return upper + lower


def _table(pdf: ReportPDF, part: Part) -> None:
    table = part.table
    assert table is not None  # called for the parts that have a table (``Part.has_table``)
    widths = _widths(pdf, part)
    lh = TABLE_SIZE * 1.2 * PT
    row_pad = 0.8
    # Caption, header and the first rows stay together.
    pdf.ensure(13 * LINE * PT + 10 * PT + 30)
    _caption(pdf, f"Bảng {table.number}. {table.title} theo đơn vị")
    pdf.set_auto_page_break(False)
    pdf.set_line_width(0.2)
    _table_header(pdf, part, widths)
    name_w = widths[1] - 2 * CELL_PAD
    for n, row in enumerate(part.all_rows):
        _table_row(pdf, part, widths, row, "" if row.is_total else str(n), name_w, lh, row_pad)
    pdf.set_auto_page_break(True, margin=20)
    pdf.ln(8 * PT)


def _table_row(
    pdf: ReportPDF, part: Part, widths: list[float], row: Row, stt: str, name_w: float, lh: float, pad: float
) -> None:
    style = "B" if row.is_total else ""
    pdf.set_font(COND, style, TABLE_SIZE)
    names = pdf.lines(name_w, row.name)
    h = lh * len(names) + 2 * pad
    if pdf.get_y() + h > pdf.bottom:
        pdf.add_page()
        _table_header(pdf, part, widths)
        pdf.set_font(COND, style, TABLE_SIZE)
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_xy(x, y)
    pdf.cell(widths[0], h, stt, border=1, align="C")
    pdf.rect(x + widths[0], y, widths[1], h)
    for i, line in enumerate(names):
        pdf.set_xy(x + widths[0] + CELL_PAD, y + pad + i * lh)
        pdf.cell(name_w, lh, line, align="L")
    cx = x + widths[0] + widths[1]
    for cell, w in zip(row.cells.values(), widths[2:], strict=True):
        pdf.rect(cx, y, w, h)
        pdf.set_xy(cx, y)
        pdf.cell(w - CELL_PAD, h, cell.display, align="R")
        cx += w
    pdf.set_xy(x, y + h)


def _chart(pdf: ReportPDF, chart: Chart) -> None:
    """The bar chart of the preview: label, bar (green when the target is reached), red target tick, text."""
    size = 10.5
    lh = size * 1.2 * PT
    pdf.set_font(SERIF, "", size)
    label_w, text_w = pdf.epw * 0.38, pdf.epw * 0.17
    track_x = pdf.l_margin + label_w + 3
    track_w = pdf.epw - label_w - text_w - 6
    rows = chart.rows
    wrapped = [pdf.lines(label_w - 2, r["label"]) for r in rows]
    heights = [max(len(w) * lh, 11 * PT) + 3 * PT for w in wrapped]
    pdf.ensure(13 * LINE * PT * 2 + sum(heights) + 20 * PT)
    pdf.ln(2 * PT)
    _caption(pdf, f"Biểu đồ. {chart.title}", f"({chart.note})" if chart.note else "")
    pdf.set_font(SERIF, "", size)
    for row, lines, h in zip(rows, wrapped, heights, strict=True):
        y = pdf.get_y()
        top = y + (h - lh * len(lines)) / 2
        for i, line in enumerate(lines):
            pdf.set_xy(pdf.l_margin, top + i * lh)
            pdf.cell(label_w - 2, lh, line, align="R")
        bar_y = y + (h - 9 * PT) / 2
        width = track_w * row["width"] / 100
        if width > 0:
            pdf.set_fill_color(*(BAR_REACHED if row["reached"] else BAR))
            pdf.rect(track_x, bar_y, width, 9 * PT, style="F")
        if row["target"] is not None:
            tx = track_x + track_w * row["target"] / 100
            pdf.set_draw_color(*TARGET)
            pdf.set_line_width(2.5 * PT)
            pdf.line(tx, y + 1.5 * PT, tx, y + h - 1.5 * PT)
            pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.3)
        pdf.line(track_x, y, track_x, y + h)
        pdf.set_xy(track_x + track_w + 3, y)
        pdf.cell(text_w, h, row["text"], align="L")
        pdf.set_xy(pdf.l_margin, y + h)
    pdf.ln(10 * PT)


def _signature(pdf: ReportPDF, doc: dict[str, Any]) -> None:
    left_w = pdf.epw * 0.45
    right_x = pdf.l_margin + left_w
    right_w = pdf.epw - left_w
    body_h = BODY * LINE * PT
    pdf.set_font(SERIF, "", 11)
    recipient_lines = [line for r in doc["recipients"] for line in pdf.lines(left_w - 2, f"- {r}")]
    height = max(12 * LINE * PT + len(recipient_lines) * 11 * LINE * PT, 3 * body_h + 24)
    pdf.ln(12 * PT)
    pdf.ensure(height)
    top = pdf.get_y()
    pdf.set_font(SERIF, "BI", 12)
    pdf.cell(left_w, 12 * LINE * PT, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SERIF, "", 11)
    for line in recipient_lines:
        pdf.cell(left_w, 11 * LINE * PT, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(right_x, top)
    pdf.centred(doc["signer_on_behalf"], BODY, "B", x=right_x, w=right_w)
    pdf.centred(doc["signer_title"], BODY, "B", x=right_x, w=right_w)
    if doc["signer_name"]:
        pdf.set_xy(right_x, pdf.get_y() + 24)
        pdf.centred(doc["signer_name"], BODY, "B", x=right_x, w=right_w)


def render_pdf(report: Report, context: dict[str, Any]) -> bytes:
    doc = context
    pdf = ReportPDF()
    pdf.set_title(f"{doc['title']} – {doc['issuer_name']}")
    pdf.set_lang("vi")
    pdf.set_creator("congdoan")
    pdf.add_page()
    _heading_block(pdf, doc)
    pdf.ln(24 * PT)
    pdf.centred(doc["title"], BODY, "B")
    pdf.ln(14 * PT)
    pdf.paragraph(doc["intro"])
    if doc["no_data"]:
        pdf.paragraph(f"Kỳ báo cáo không có số liệu trên hệ thống: {doc['no_data_reason']}.", style="I")
    body_h = BODY * LINE * PT
    for section in report.sections:
        pdf.ln(10 * PT)
        pdf.ensure(3 * body_h)
        pdf.set_font(SERIF, "B", BODY)
        pdf.multi_cell(
            pdf.epw, body_h, f"{section.number}. {section.title}", align="L", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(4 * PT)
        for part in section.parts:
            if part.title:
                pdf.ln(6 * PT)
                pdf.ensure(3 * body_h)
                pdf.set_font(SERIF, "BI", BODY)
                pdf.multi_cell(pdf.epw, body_h, part.title, align="L", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(4 * PT)
            for paragraph in part.paragraphs:
                pdf.paragraph(paragraph)
            if part.has_table:
                _table(pdf, part)
            if part.chart:
                _chart(pdf, part.chart)
    _signature(pdf, doc)
    return bytes(pdf.output())
