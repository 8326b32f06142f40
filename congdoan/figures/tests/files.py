"""Real files for the tests: DOCX (python-docx), PDF with a text layer and a scanned one (fpdf2)."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from fpdf import FPDF
from openpyxl import Workbook

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONTS / "LiberationSerif-Regular.ttf"))
    pdf.set_font("DejaVu", size=11)
    for line in lines:
        pdf.multi_cell(0, 7, text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf_bytes() -> bytes:
    """A page with only a drawing on it, as a scanner makes (an image, no text layer)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["Chỉ tiêu", "Số liệu"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
