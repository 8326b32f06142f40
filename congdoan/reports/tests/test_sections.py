"""The report is built from the registered sections: a section another app registers at run time
(here a "care" chapter with its own table, standing in for the care app's own, taken out meanwhile)
shows up in the preview, the Word file, the PDF and the XLSX without any edit of the reports app, and
leaves when it is unregistered."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from congdoan.core import registry
from congdoan.core.periods import parse_period
from congdoan.reports import selectors, services

from .conftest import AGREEMENT_SENTENCE, MEMBERSHIP_SENTENCE

pytestmark = pytest.mark.django_db
Y2024 = parse_period("2024")
CARE_TITLE = "CÔNG TÁC CHĂM LO ĐỜI SỐNG ĐOÀN VIÊN"


def _care_draft(figures: registry.SectionFigures) -> list[str]:
    # Reads a figure the other sections read too, so the test needs no new indicator.
    admitted = figures.stat("DV_KET_NAP")
    count = int(admitted.value) if admitted is not None and admitted.value is not None else 0
    return [f"Chăm lo {count} đoàn viên mới kết nạp {figures.area} trong {figures.period.label}."]


CARE = registry.ReportSection(
    key="care",
    chapter="III",
    title=CARE_TITLE,
    indicators=("DV_KET_NAP",),
    draft=_care_draft,
    order=40,
    table=registry.ReportTable(
        "care",
        "Chăm lo đoàn viên",
        (registry.ReportColumn("welcomed", "Được thăm hỏi", "Đoàn viên mới", "DV_KET_NAP", "value"),),
    ),
)


@pytest.fixture
def without_care_app() -> Iterator[None]:
    """The care app's own chapter III is taken out while a test registers its stand-in."""
    real = registry.unregister_report_section("care")
    try:
        yield
    finally:
        registry.unregister_report_section("care")
        if real is not None:
            registry.register_report_section(real)


@pytest.fixture
def care_section(without_care_app: None) -> Iterator[registry.ReportSection]:
    registry.register_report_section(CARE)
    try:
        yield CARE
    finally:
        registry.unregister_report_section("care")


def test_sections_come_from_the_registry_in_order(data) -> None:
    report = selectors.report_build(user=data.fed.gialam, unit=data.fed.gl, period=Y2024)
    assert [(s.number, [p.key for p in s.parts]) for s in report.sections] == [
        ("I", ["org"]),
        ("II", ["agreement", "conference"]),  # other apps' chapters are set aside (reports/tests/conftest.py)
    ]


def test_a_registered_section_is_in_the_preview(client, data, care_section) -> None:
    client.force_login(data.fed.gialam)
    page = client.get(f"/bao-cao/{data.fed.gl.code}/?period=2024").content.decode()
    assert f"III. {CARE_TITLE}" in page
    assert "Chăm lo 5 đoàn viên mới kết nạp toàn huyện trong năm 2024." in page
    assert "Bảng 4. Chăm lo đoàn viên theo đơn vị" in page
    # The existing chapters are untouched and come first.
    assert page.index(MEMBERSHIP_SENTENCE) < page.index(AGREEMENT_SENTENCE) < page.index(CARE_TITLE)


def test_a_registered_section_is_in_the_docx_pdf_and_xlsx(data, care_section) -> None:
    import docx
    from openpyxl import load_workbook
    from pypdf import PdfReader

    fed = data.fed
    blob = services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="docx")
    document = docx.Document(io.BytesIO(blob))
    texts = [p.text for p in document.paragraphs]
    assert f"III. {CARE_TITLE}" in texts
    assert "Chăm lo 5 đoàn viên mới kết nạp toàn huyện trong năm 2024." in texts
    assert "Bảng 4. Chăm lo đoàn viên theo đơn vị" in texts
    assert not any("{{" in t or "{%" in t for t in texts)
    care = [[c.text for c in r.cells] for r in document.tables[4].rows]
    assert care[0] == ["STT", "Đơn vị", "Đoàn viên mới – Được thăm hỏi"]
    assert care[1] == ["", "Tổng cộng", "5"]
    assert ["4", "CĐCS Công ty May Gia Lâm", "3"] in care
    assert MEMBERSHIP_SENTENCE in texts  # the hand-laid tables keep their place
    assert [[c.text for c in r.cells] for r in document.tables[1].rows][2][1:3] == ["Tổng cộng", "5"]

    pdf = PdfReader(io.BytesIO(services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="pdf")))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert f"III. {CARE_TITLE}" in text and "Chăm lo 5 đoàn viên mới kết nạp" in text

    book = load_workbook(
        io.BytesIO(services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="xlsx"))
    )
    assert book.sheetnames == ["Thông tin", "Biểu 1", "Biểu 2", "Biểu 3", "Biểu 4"]
    assert book["Biểu 4"]["A2"].value == "CHĂM LO ĐOÀN VIÊN NĂM 2024"


def test_an_unregistered_section_is_gone(client, data, without_care_app) -> None:
    registry.register_report_section(CARE)
    assert registry.unregister_report_section("care") == CARE
    assert registry.unregister_report_section("care") is None
    client.force_login(data.fed.gialam)
    page = client.get(f"/bao-cao/{data.fed.gl.code}/?period=2024").content.decode()
    assert CARE_TITLE not in page


def test_a_section_naming_a_chapter_under_another_heading_is_refused(data) -> None:
    odd = registry.ReportSection(
        key="odd",
        chapter="II",
        title="3. Phần lạc chương",
        indicators=("DV_TONG",),
        draft=lambda figures: [],
        order=35,
        chapter_title="MỘT TÊN CHƯƠNG KHÁC",
    )
    registry.register_report_section(odd)
    try:
        with pytest.raises(ImproperlyConfigured, match="chapter II"):
            selectors.report_build(user=data.fed.gialam, unit=data.fed.gl, period=Y2024)
    finally:
        registry.unregister_report_section("odd")
