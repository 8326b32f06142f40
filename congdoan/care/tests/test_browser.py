"""The issue's "done when" in a real browser (Debian's chromium, Playwright, live server): the district
officer (kimlien) imports a 2,000-row Tết list with 10 deliberate errors, sees each by row, fixes the
file and imports it; the city officer (thanhpho) approves the batch, downloads the bank file (opened
with openpyxl: 2,000 transfers) and records the payment once the bank confirmed it; the district
officer then sees the care figures on the dashboard and in the annual report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from congdoan.care import services
from congdoan.care.catalogue import load_care_catalogue
from congdoan.care.models import Case, CaseState
from congdoan.conftest import PASSWORD, SCREENSHOTS, build_federation
from congdoan.indicators.services import load_standard_catalogue

from .conftest import cccd

ROWS = 2000
HEADER = ["Mã chương trình", "Mã đơn vị", "Họ và tên", "Số CCCD", "Số tiền", "Số tài khoản", "Ngân hàng"]
# row index (0-based, the sheet's row is index + 2) -> the faulty cells and the column reported
DELIBERATE_ERRORS: dict[int, tuple[dict[int, Any], str]] = {
    5: ({2: "Nguyen Van A", 3: cccd(0)}, "Số CCCD"),  # the person of the first row, another spelling
    50: ({4: 500_000.5}, "Số tiền"),  # not whole đồng
    100: ({5: "12AB34"}, "Số tài khoản"),  # an account that is not digits
    150: ({4: 1_200_000}, "Số tiền"),  # over the cap per person
    200: ({1: "XX9"}, "Mã đơn vị"),  # no such unit
    250: ({1: "GL2"}, "Mã đơn vị"),  # a unit outside Kim Liên
    300: ({0: "TET2099"}, "Mã chương trình"),  # no such campaign
    350: ({3: "12345"}, "Số CCCD"),  # no CCCD
    400: ({4: "năm trăm"}, "Số tiền"),  # no amount
    450: ({4: 0}, "Số tiền"),  # nothing to pay
}


def _rows(errors: bool) -> list[list[Any]]:
    rows = []
    for i in range(ROWS):
        row: list[Any] = [
            "TET2026",
            "GL1" if i % 2 else "DD1",
            f"Nguyễn Văn {chr(65 + i % 26)} {i}",
            cccd(i),
            500_000,
            f"{1000000000 + i}",
            "Vietcombank",
        ]
        if errors and i in DELIBERATE_ERRORS:
            for col, value in DELIBERATE_ERRORS[i][0].items():
                row[col] = value
        rows.append(row)
    return rows


def _xlsx(path: Path, errors: bool) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in _rows(errors):
        sheet.append(row)
    book.save(path)
    return path


def _login(page: Page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()


def _upload(page: Page, url: str, path: Path) -> None:
    page.goto(url + "/nhap-du-lieu/")
    page.get_by_label("Loại dữ liệu").select_option(label="Danh sách chăm lo, hỗ trợ")
    page.get_by_label("Tệp danh sách").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()


@pytest.mark.django_db(transaction=True)
def test_tet_list_import_approve_bank_file_figures(live_server: Any, page: Page, tmp_path: Path) -> None:
    load_standard_catalogue()  # a transactional test starts from a flushed database
    load_care_catalogue()
    fed = build_federation()
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=None,
        code="TET2026",
        name="Tết Sum vầy",
        kind="tet_gift",
        owner=fed.hn,
        starts_on=dt.date(today.year, 1, 1),
        ends_on=dt.date(today.year, 12, 31),
        cap_per_person=1_000_000,
        allows_non_members=True,
        funding=[services.Funding("union", 1_000_000_000)],
    )
    services.allocation_set(actor=None, campaign=campaign, unit=fed.kl, people=ROWS, amount=1_000_000_000)
    url = live_server.url

    # 1. The district officer's list with 10 errors: each listed by row and column; nothing stored.
    _login(page, url, "kimlien")
    _upload(page, url, _xlsx(tmp_path / "qua_tet_kim_lien.xlsx", errors=True))
    expect(page.locator("#import-invalid")).to_contain_text("Tệp có 10 lỗi; chưa nhập dòng nào")
    rows = page.locator("#import-errors tbody tr")
    expect(rows).to_have_count(10)
    for n, (index, (_, column)) in enumerate(sorted(DELIBERATE_ERRORS.items())):
        expect(rows.nth(n).locator("td").nth(0)).to_have_text(str(index + 2))
        expect(rows.nth(n).locator("td").nth(1)).to_have_text(column)
    expect(rows.nth(0)).to_contain_text("mỗi người chỉ được hỗ trợ một lần")
    page.screenshot(path=str(SCREENSHOTS / "care-import-errors.png"), full_page=True)
    assert not Case.objects.exists()

    # 2. The corrected file: previewed, then imported (tasks run inline in tests).
    _upload(page, url, _xlsx(tmp_path / "qua_tet_kim_lien_da_sua.xlsx", errors=False))
    expect(page.locator("#import-preview")).to_contain_text("Sẽ tạo mới 2.000, cập nhật 0, không đổi 0")
    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.locator("#import-result")).to_contain_text("Đã nhập xong 2.000 dòng")
    assert Case.objects.filter(state=CaseState.PROPOSED).count() == ROWS

    # 3. The city officer approves the batch, downloads the bank file and records the payment.
    _login(page, url, "thanhpho")
    page.goto(url + campaign.get_absolute_url())
    page.get_by_role("link", name="Duyệt theo lô").click()
    page.get_by_label("Duyệt với tư cách").select_option("HN")
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã duyệt 2.000 hồ sơ")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tệp chi hộ ngân hàng (XLSX)").click()
    bank = tmp_path / info.value.suggested_filename
    info.value.save_as(str(bank))
    sheet = openpyxl.load_workbook(bank, read_only=True).worksheets[0]
    lines = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(lines) == ROWS
    assert sum(int(r[4]) for r in lines) == ROWS * 500_000  # type: ignore[arg-type]
    page.get_by_role("link", name="Ghi nhận chi theo lô").click()
    page.get_by_label("Đơn vị chi (các hồ sơ đã duyệt thuộc đơn vị này)").select_option("HN")
    page.get_by_label("Ngày chi").fill(today.isoformat())
    page.get_by_role("button", name="Ghi nhận đã chi").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận chi 2.000 hồ sơ")
    page.screenshot(path=str(SCREENSHOTS / "care-campaign.png"), full_page=True)

    # 4. The district officer sees the figures on the dashboard and in the annual report.
    _login(page, url, "kimlien")
    page.goto(f"{url}/chi-tieu/?unit=KL&period={today.year}")
    card = page.locator('.indicator-card[data-code="CL_TET_SUAT"]')
    expect(card).to_contain_text("2.000")
    expect(page.locator('.indicator-card[data-code="CL_TET_TIEN"]')).to_contain_text("1.000.000.000")
    page.screenshot(path=str(SCREENSHOTS / "care-dashboard.png"), full_page=True)
    page.goto(f"{url}/bao-cao/KL/?period={today.year}")
    preview = page.locator("#report-preview")
    expect(preview).to_contain_text("tặng 2.000 suất quà Tết, tổng trị giá 1 tỷ đồng")
    page.screenshot(path=str(SCREENSHOTS / "care-report.png"), full_page=True)
