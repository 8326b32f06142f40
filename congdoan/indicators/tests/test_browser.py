"""Targets and the cluster comparison in a real browser (Debian's chromium, Playwright, live server):
a newcomer logged in as ``thanhpho`` sets the 2026 targets of the ward unions from an XLSX, opens the
2024 comparison of "Cụm thi đua số 3", clicks a district's figure and lands on the records behind it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from congdoan.conftest import SCREENSHOTS
from congdoan.indicators.models import Indicator, Target
from congdoan.indicators.services import load_standard_catalogue
from congdoan.indicators.views import available
from congdoan.org.demo import DEMO_PASSWORD
from congdoan.org.models import OrgUnit, UnitType


def _ward_unions() -> list[OrgUnit]:
    hn = OrgUnit.objects.get(code="HN")
    on = dt.date(2026, 1, 1)
    return list(
        OrgUnit.objects.filter(
            type=UnitType.CD_XA,
            parent_links__parent=hn,
            parent_links__valid_from__lte=on,
            parent_links__valid_to__isnull=True,
        ).order_by("code")
    )


def _targets_file(path: Path, wards: list[OrgUnit]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["unit_code", "indicator_code", "period", "kind", "value"])
    for i, ward in enumerate(wards):
        ws.append([ward.code, "DV_KET_NAP", "2026", "target", 100 + i])
        ws.append([ward.code, "CDCS_THANH_LAP", "2026", "target", 2])
    wb.save(path)
    return path


@pytest.mark.django_db(transaction=True)
def test_targets_from_xlsx_then_cluster_comparison_drills_down(live_server, page, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the import job stores the upload
    # A transactional test starts from a flushed database: put the shipped catalogue back first.
    load_standard_catalogue()
    call_command("demo", "--no-serve", "--scale", "0.05", stdout=io.StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wards = _ward_unions()
    assert wards, "the demo has ward unions under HN in 2026"

    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("thanhpho")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    # The dashboard of the city for 2024, then the targets grid for 2026.
    page.goto(live_server.url + "/chi-tieu/?period=2024")
    expect(page.get_by_role("heading", name="Chỉ tiêu năm 2024")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "indicators-dashboard.png"), full_page=True)
    # Achievement by child unit: sortable table and chart.
    page.get_by_role("link", name="Tổng số CĐCS", exact=True).click()
    expect(page.get_by_role("heading", name="Tổng số CĐCS")).to_be_visible()
    expect(page.locator("#achievement-chart")).to_be_visible()
    expect(page.locator(".achievement-table")).to_contain_text("LĐLĐ huyện Gia Lâm")
    page.screenshot(path=str(SCREENSHOTS / "indicators-by-unit.png"), full_page=True)
    page.go_back()
    page.get_by_role("link", name="Giao chỉ tiêu").click()
    page.get_by_text("Đơn vị, kỳ và các chỉ tiêu hiển thị").click()
    page.get_by_label("Kỳ", exact=True).select_option("2026")
    page.get_by_role("button", name="Hiển thị").click()
    expect(page.get_by_role("heading", name="Giao chỉ tiêu năm 2026")).to_be_visible()
    first = wards[0]
    expect(page.locator(f'tr[data-code="{first.code}"]')).to_be_visible()

    page.get_by_label("Tệp chỉ tiêu (Excel)").set_input_files(
        str(_targets_file(tmp_path / "chi-tieu-2026.xlsx", wards))
    )
    page.get_by_role("button", name="Nhập từ Excel").click()
    # The import job's preview, then its commit; back to the grid from the finished job.
    expect(page.locator("#import-preview")).to_contain_text("Tệp hợp lệ")
    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.locator("#import-result")).to_contain_text("Đã nhập xong")
    page.get_by_role("link", name="Quay lại trang chỉ tiêu giao").click()
    cell = page.locator(f'tr[data-code="{first.code}"] input[name="t__{first.code}__DV_KET_NAP"]')
    expect(cell).to_have_value("100")
    page.screenshot(path=str(SCREENSHOTS / "indicators-targets.png"), full_page=True)
    assert Target.objects.filter(period="2026", unit__in=wards).count() == 2 * len(wards)

    # The 2024 comparison of cluster no. 3, from the clusters page.
    page.goto(live_server.url + "/cum-thi-dua/?nam=2024")
    card = page.locator(".cluster", has_text="Cụm thi đua số 3")
    card.get_by_role("link", name="So sánh chỉ tiêu").click()
    expect(page.get_by_role("heading", name="Cụm thi đua số 3 — năm 2024")).to_be_visible()
    expect(page.locator(".ranking")).to_contain_text("Cụm trưởng")

    # Rank by the agreements signed when the bargaining app counts them, else by the CĐCS count.
    agreements = Indicator.objects.filter(code="TU_KY_MOI").first()
    code = "TU_KY_MOI" if agreements is not None and available(agreements) else "CDCS_TONG"
    name = Indicator.objects.get(code=code).name
    page.locator(".comparison").get_by_role("link", name=name, exact=True).click()
    expect(page.locator(".card-header")).to_contain_text(f"Xếp hạng: {name}")
    page.screenshot(path=str(SCREENSHOTS / "indicators-cluster.png"), full_page=True)

    figure = page.locator('.ranking tr[data-code="HN-GIALAM"] a.figure')
    expected = figure.inner_text()
    figure.click()
    page.wait_for_load_state()
    assert "unit=HN-GIALAM" in page.url and "period=2024" in page.url
    page.screenshot(path=str(SCREENSHOTS / "indicators-drilldown.png"), full_page=True)
    # The list holds exactly the records behind the figure clicked.
    expect(page.locator(".records-count strong")).to_have_text(expected.strip())
