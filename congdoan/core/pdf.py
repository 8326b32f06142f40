"""The one base for the lists and statements we print as PDF (fpdf2; the annual report keeps its own
layout in ``reports.pdf`` on top of the same fonts).

Liberation Serif 2.1.5 ships in ``static/fonts`` with its licence: Times New Roman metrics and every
Vietnamese letter (Debian's fonts-liberation 1.07 lacks Ơ, Ư and U+1EA0–1EF9). fpdf2 rather than
WeasyPrint for lists: it lays out tens of thousands of table rows in seconds.

    pdf = DocumentPDF("Sao kê khoản vay")
    pdf.add_page()
    pdf.state_heading(upper="LĐLĐ THÀNH PHỐ HÀ NỘI", unit="CĐCS CÔNG TY A", title="Sao kê khoản vay")
    with pdf.table(col_widths=(...), repeat_headings=1) as table: ...
    data = pdf.bytes()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
SERIF = "LiberationSerif"
FACES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
NEXT_LINE: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 236, 245))  # a table's heading row
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def add_serif_fonts(pdf: FPDF) -> None:
    """Register the four Liberation Serif faces under ``SERIF`` (regular, B, I, BI)."""
    for style, face in FACES.items():
        pdf.add_font(SERIF, style, str(FONTS / f"LiberationSerif-{face}.ttf"))


class DocumentPDF(FPDF):
    """A4 in Liberation Serif, "Trang x/y" at the foot of each page, pages breaking by themselves."""

    def __init__(
        self, title: str, *, landscape: bool = False, margin: float = 15.0, font_size: float = 10.0
    ) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        add_serif_fonts(self)
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(auto=True, margin=margin + 3)
        self.set_title(title)
        self.set_creator("congdoan")
        self.body_size = font_size
        self.set_font(SERIF, "", font_size)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(SERIF, "I", 9)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")

    def fit(self, text: str, width: float) -> str:
        """``text`` cut with "…" to fit one line of ``width`` mm in the current font."""
        if self.get_string_width(text) <= width - 2:
            return text
        while text and self.get_string_width(text + "…") > width - 2:
            text = text[:-1]
        return text + "…"

    def state_heading(
        self, *, unit: str, title: str, upper: str = "", subtitle: str = "", day: dt.date | None = None
    ) -> None:
        """The heading of an official paper: the union (under its upper union) on the left, the national
        motto and the date on the right, then the title in capitals and an optional subtitle."""
        top = self.get_y()
        left_w = self.epw * 0.45
        right_w = self.epw - left_w
        self.set_xy(self.l_margin, top)
        if upper:
            self.set_font(SERIF, "", 11)
            self.multi_cell(left_w, 5, upper.upper(), align="C", **NEXT_LINE)
        self.set_font(SERIF, "B", 11)
        self.multi_cell(left_w, 5, unit.upper(), align="C", **NEXT_LINE)
        left_bottom = self.get_y()
        x_right = self.l_margin + left_w
        self.set_xy(x_right, top)
        self.cell(right_w, 5, MOTTO[0], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.cell(right_w, 5, MOTTO[1], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        motto_w = self.get_string_width(MOTTO[1])
        line_y = self.get_y() + 0.5
        self.line(x_right + (right_w - motto_w) / 2, line_y, x_right + (right_w + motto_w) / 2, line_y)
        if day is not None:
            self.set_font(SERIF, "I", 11)
            self.set_xy(x_right, line_y + 2)
            self.cell(right_w, 5, f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", align="C")
        self.set_y(max(left_bottom, self.get_y() + 5) + 6)
        self.set_font(SERIF, "B", 14)
        self.multi_cell(0, 7, title.upper(), align="C", **NEXT_LINE)
        if subtitle:
            self.set_font(SERIF, "I", 11)
            self.multi_cell(0, 6, subtitle, align="C", **NEXT_LINE)
        self.ln(3)
        self.set_font(SERIF, "", self.body_size)

    def signatures(self, *titles: str, notes: Sequence[str] = ()) -> None:
        """Signature blocks side by side (e.g. "Người lập biểu", "Kế toán", "Thủ trưởng đơn vị"), each
        with "(Ký, ghi rõ họ tên)" under it, or its own line of ``notes`` (e.g. "(Ký tên, đóng dấu)")."""
        height = 30.0
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        self.ln(6)
        width = self.epw / max(len(titles), 1)
        self.set_font(SERIF, "B", 11)
        for name in titles:
            self.cell(width, 6, name, align="C")
        self.ln(6)
        self.set_font(SERIF, "I", 10)
        for i, _ in enumerate(titles):
            note = notes[i] if i < len(notes) and notes[i] else "(Ký, ghi rõ họ tên)"
            self.cell(width, 5, note, align="C")
        self.ln(height - 12)
        self.set_font(SERIF, "", self.body_size)

    def bytes(self) -> bytes:
        return bytes(self.output())
