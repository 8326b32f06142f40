"""The shared PDF base: Vietnamese text survives, pages are numbered "Trang x/y", the heading and the
signature blocks print, and the table's heading repeats on every page."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from congdoan.core.pdf import HEADINGS, SERIF, DocumentPDF

LETTERS = "Ơ Ư ơ ư Ạ ặ Ế ề Ộ ữ Ỹ đ Đ"


def _pdf(rows: int) -> PdfReader:
    pdf = DocumentPDF("Sao kê thử")
    pdf.add_page()
    pdf.state_heading(
        upper="LĐLĐ thành phố Hà Nội",
        unit="CĐCS Công ty Ưu Việt",
        title="Sao kê thử",
        day=dt.date(2026, 12, 5),
    )
    with pdf.table(col_widths=(15, 100, 65), headings_style=HEADINGS, repeat_headings=1) as table:
        table.row(["STT", "Họ và tên", "Ghi chú"])
        for i in range(rows):
            table.row([str(i + 1), f"Nguyễn Thị {LETTERS}", pdf.fit("rất dài " * 40, 65)])
    pdf.signatures("Người lập biểu", "Kế toán", "Thủ trưởng đơn vị")
    return PdfReader(io.BytesIO(pdf.bytes()))


def test_vietnamese_text_heading_signatures_and_page_numbers() -> None:
    reader = _pdf(120)
    pages = [p.extract_text() for p in reader.pages]
    n = len(pages)
    assert n >= 3
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0]
    assert "Ngày 05 tháng 12 năm 2026" in pages[0]
    assert "SAO KÊ THỬ" in pages[0]
    assert LETTERS in pages[0]
    assert f"Trang 1/{n}" in pages[0] and f"Trang {n}/{n}" in pages[-1]
    assert all("Họ và tên" in text for text in pages[:-1])  # the heading row repeats
    assert "Thủ trưởng đơn vị" in pages[-1]
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert fonts and all(SERIF in name for name in fonts)


def test_fit_cuts_with_an_ellipsis() -> None:
    pdf = DocumentPDF("x")
    pdf.add_page()
    assert pdf.fit("ngắn", 50) == "ngắn"
    cut = pdf.fit("rất dài " * 40, 30)
    assert cut.endswith("…") and pdf.get_string_width(cut) <= 28
