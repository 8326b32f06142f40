"""The report content and its three files: DOCX (python-docx), XLSX (openpyxl), PDF (pypdf)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.http import Http404

from congdoan.core.periods import parse_period
from congdoan.reports import selectors, services
from congdoan.reports.context import build_context

from .conftest import AGREEMENT_SENTENCE, MEMBERSHIP_SENTENCE

pytestmark = pytest.mark.django_db
Y2024 = parse_period("2024")
TODAY = dt.date(2025, 9, 1)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_sentences_and_tables_from_the_records(data) -> None:
    fed = data.fed
    report = selectors.report_build(user=fed.gialam, unit=fed.gl, period=Y2024, today=TODAY)
    paragraphs = [p for s in report.sections for part in s.parts for p in part.paragraphs]
    assert MEMBERSHIP_SENTENCE in paragraphs
    assert AGREEMENT_SENTENCE in paragraphs
    assert any(p.startswith("Chưa có số liệu về hội nghị người lao động") for p in paragraphs)
    org = report.tables["org"]
    assert [r.name for r in org.rows] == ["CĐCS Công ty May Gia Lâm", "CĐCS Trường THCS Đặng Xá"]
    gl1 = org.rows[0].displays()
    assert (gl1["admitted"], gl1["admitted_target"], gl1["admitted_pct"], gl1["members"]) == (
        "3",
        "2",
        "150%",
        "3",
    )
    assert org.rows[1].displays()["admitted_target"] == ""  # no target: no "đạt"
    assert org.total.displays()["admitted_pct"] == "125%"
    agreement = report.tables["agreement"].total.displays()
    assert (agreement["coverage_pct"], agreement["grade_ab_pct"], agreement["new_pct"]) == (
        "95,62%",
        "74,8%",
        "120,83%",
    )
    assert report.tables["conference"].has_data is False


def test_figures_link_to_their_records(data) -> None:
    fed = data.fed
    report = selectors.report_build(user=fed.gialam, unit=fed.gl, period=Y2024, today=TODAY)
    cell = report.tables["org"].rows[0].cells["admitted"]
    assert cell.url.endswith("?unit=GL1&from=2024-01-01&to=2024-12-31")
    assert report.tables["org"].total.cells["cdcs"].url.startswith("/")


def test_header_and_context(data) -> None:
    fed = data.fed
    report = selectors.report_build(
        user=fed.gialam, unit=fed.gl, period=Y2024, today=TODAY, issued_on=dt.date(2025, 1, 5)
    )
    ctx = build_context(report)
    assert ctx["issuer_upper"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM"
    assert ctx["issuer_parent_upper"] == "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI"
    assert ctx["date_line"] == "Hà Nội, ngày 05 tháng 01 năm 2025"
    assert ctx["number_line"].endswith("/BC-LĐLĐ")
    assert ctx["title"] == "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024"


def test_period_without_data_says_so(data) -> None:
    fed = data.fed
    report = selectors.report_build(user=fed.gialam, unit=fed.gl, period=parse_period("2005"), today=TODAY)
    paragraphs = [p for s in report.sections for part in s.parts for p in part.paragraphs]
    assert paragraphs[0] == "Chưa có số liệu về đoàn viên và công đoàn cơ sở năm 2005."
    assert not report.tables["org"].has_data
    future = selectors.report_build(user=fed.gialam, unit=fed.gl, period=parse_period("2030"), today=TODAY)
    assert future.reason == "kỳ báo cáo chưa bắt đầu"
    assert all(not t.has_data for t in future.tables.values())


def test_out_of_scope_unit_is_404(data) -> None:
    fed = data.fed
    with pytest.raises(Http404):
        selectors.report_build(user=fed.gialam, unit=fed.dd, period=Y2024, today=TODAY)


def test_docx(data) -> None:
    import docx

    fed = data.fed
    blob = services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="docx")
    document = docx.Document(io.BytesIO(blob))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024" in texts
    assert MEMBERSHIP_SENTENCE in texts
    assert AGREEMENT_SENTENCE in texts
    assert not any("{{" in t or "{%" in t for t in texts)
    header = document.tables[0].rows[0].cells
    assert "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM" in header[0].text and "Số:" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert header[1].text.strip().splitlines()[-1].startswith("Hà Nội, ngày ")
    org = document.tables[1]
    rows = [[c.text for c in r.cells] for r in org.rows]
    assert rows[2][1:6] == ["Tổng cộng", "5", "4", "125%", "6"]
    assert rows[3][:5] == ["1", "CĐCS Công ty May Gia Lâm", "3", "2", "150%"]
    signature = document.tables[-1].rows[0].cells
    assert "TM. BAN THƯỜNG VỤ" in signature[1].text and "CHỦ TỊCH" in signature[1].text
    assert "Nơi nhận:" in signature[0].text and "LĐLĐ thành phố Hà Nội (để báo cáo);" in signature[0].text


def test_xlsx(data) -> None:
    from openpyxl import load_workbook

    fed = data.fed
    blob = services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="xlsx")
    wb = load_workbook(io.BytesIO(blob))
    assert wb.sheetnames == ["Thông tin", "Biểu 1", "Biểu 2", "Biểu 3"]
    ws = wb["Biểu 1"]
    assert ws["A2"].value == "TỔ CHỨC VÀ PHÁT TRIỂN ĐOÀN VIÊN NĂM 2024"
    assert "C5:F5" in {str(r) for r in ws.merged_cells.ranges}  # "Đoàn viên" over four columns
    assert ws["C5"].value == "Đoàn viên" and ws["C6"].value == "Kết nạp mới"
    assert [ws.cell(7, c).value for c in range(2, 9)] == ["Tổng cộng", 5, 4, 1.25, 6, 0, 2]
    assert ws["C7"].number_format == "#,##0" and ws["E7"].number_format == "0.00%"
    assert ws["B8"].value == "CĐCS Công ty May Gia Lâm"
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row
    )
    agreement = wb["Biểu 2"]
    assert agreement["H7"].value == pytest.approx(131 / 137, abs=1e-6)
    conference = wb["Biểu 3"]
    assert conference["C7"].value == "—"  # no data, not 0
    assert "Chưa có số liệu về hội nghị người lao động" in " ".join(
        str(c.value) for c in wb["Thông tin"]["A"] if c.value
    )


def test_pdf(data) -> None:
    from pypdf import PdfReader

    fed = data.fed
    blob = services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="pdf")
    reader = PdfReader(io.BytesIO(blob))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024" in text
    assert MEMBERSHIP_SENTENCE in text
    assert AGREEMENT_SENTENCE in text
    assert "Chưa có số liệu về hội nghị người lao động" in text
    assert "TM. BAN THƯỜNG VỤ" in text
