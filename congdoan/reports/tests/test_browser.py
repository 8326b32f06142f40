"""The issue's "done when" in a real browser (Debian's chromium, Playwright, live server): the demo at a
small scale, ``gialam`` logs in, opens the report of LĐLĐ huyện Gia Lâm for 2024, generates the Word
file (tasks run inline in tests), downloads it and python-docx finds the motto and the drafted sentences
with Gia Lâm's figures; another district's report answers 404."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from congdoan.conferences.demo import load_activity
from congdoan.conftest import SCREENSHOTS
from congdoan.core.periods import parse_period
from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import Indicator
from congdoan.indicators.services import load_standard_catalogue
from congdoan.org.demo import DEMO_PASSWORD, GIALAM_CODE, district_code, load_demo
from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit
from congdoan.org.tree import in_subtree
from congdoan.reports import selectors


def _cdcs_of_gialam_end_2024() -> int:
    """Counted straight from the tree, not through the report: CĐCS alive under Gia Lâm on 31/12/2024."""
    end = dt.date(2024, 12, 31)
    gialam = OrgUnit.objects.get(code=GIALAM_CODE)
    return (
        OrgUnit.objects.filter(id__in=in_subtree([gialam.pk], end), type__in=GRASSROOTS_TYPES)
        .exclude(founded_on__gt=end)
        .exclude(dissolved_on__lte=end)
        .count()
    )


@pytest.mark.django_db(transaction=True)
def test_gialam_generates_and_downloads_its_2024_report(live_server, page, tmp_path) -> None:
    import docx

    load_standard_catalogue()  # an earlier transactional test may have flushed the migration's rows
    load_demo(scale=0.05)
    load_activity()  # the demo's agreements and conferences, through the bargaining/conferences services
    gialam = OrgUnit.objects.get(code=GIALAM_CODE)
    new = Indicator.objects.get(code="TU_KY_MOI")
    indicator_services.target_set(actor=None, unit=gialam, indicator=new, period="2024", value=2)
    expected = selectors.report_build(user=None, unit=gialam, period=parse_period("2024"))
    sentences = [p for s in expected.sections for part in s.parts for p in part.paragraphs]
    cdcs = _cdcs_of_gialam_end_2024()
    assert cdcs > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("gialam")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    # Reports → the one unit of gialam's → its report for 2024.
    page.locator("nav.navbar").get_by_role("link", name="Báo cáo").click()
    page.get_by_label("Kỳ báo cáo").fill("2024")
    page.get_by_role("button", name="Xem").click()
    preview = page.locator("#report-preview")
    expect(preview).to_contain_text("BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024")
    expect(preview).to_contain_text("LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM")
    expect(preview).to_contain_text(f"{cdcs} CĐCS")
    page.screenshot(path=str(SCREENSHOTS / "report-preview.png"), full_page=True)

    # Generate the Word file (inline task), then download it.
    page.locator("#generate-form").get_by_role("button", name="Word").click()
    expect(page.locator("#report-ready")).to_be_visible()
    with page.expect_download() as info:
        page.locator("#report-download").click()
    download = info.value
    assert download.suggested_filename == f"bao-cao-tong-ket-2024-{GIALAM_CODE}.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    header = document.tables[0].rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM" in header[0].text
    assert "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024" in texts
    for sentence in sentences:
        assert sentence in texts
    membership, agreements, _conferences = sentences
    assert membership.startswith("Năm 2024, toàn huyện ") and f" {cdcs} CĐCS" in membership
    assert agreements.startswith("Năm 2024, toàn huyện ký kết mới ")
    assert " bản thỏa ước lao động tập thể, đạt " in agreements  # against the target of 2
    assert "% chỉ tiêu" in agreements

    # Another district's report is not gialam's to see.
    response = page.goto(live_server.url + f"/bao-cao/{district_code('Đống Đa')}/?period=2024")
    assert response is not None and response.status == 404
