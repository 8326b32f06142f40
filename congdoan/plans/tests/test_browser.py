"""Issue 16's "Done when", in a real browser (Debian's chromium, Playwright, live server): the city hands
21 key tasks to a district, the district marks 19 done with evidence, the dashboard shows 19/21 (90,48%)
and drills down to the two open ones; a recommendation is raised, answered and appears in the report's
"tổng hợp kiến nghị" table."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from congdoan.conftest import PASSWORD, SCREENSHOTS
from congdoan.indicators.models import Indicator
from congdoan.indicators.services import load_standard_catalogue
from congdoan.plans.catalogue import load_catalogue as load_plan_catalogue
from congdoan.plans.models import KeyTask
from congdoan.recommendations.catalogue import load_catalogue as load_rec_catalogue

TITLES = [f"Nhiệm vụ trọng tâm số {i:02d}" for i in range(1, 22)]


def _login(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_key_tasks_and_a_recommendation_end_to_end(live_server, page, fed) -> None:  # type: ignore[no-untyped-def]
    # A transactional test starts from a flushed database: the catalogues back first.
    load_standard_catalogue()
    load_plan_catalogue(Indicator)
    load_rec_catalogue(Indicator)
    url = live_server.url
    today = timezone.localdate()
    year = today.year

    # The city hands 21 key tasks to Kim Liên.
    _login(page, url, "thanhpho")
    page.goto(url + "/nhiem-vu/giao/?by=HN")
    page.get_by_label("Giao cho các đơn vị (mã, cách nhau bởi dấu phẩy)").fill("KL")
    page.get_by_label("Nhiệm vụ (mỗi dòng một nhiệm vụ)").fill("\n".join(TITLES))
    page.get_by_label("Ngày bắt đầu").fill(f"02/01/{year}")
    page.get_by_label("Hạn hoàn thành").fill(f"31/12/{year}")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã giao 21 nhiệm vụ trọng tâm")
    expect(page.locator(".task-total")).to_have_text("21 nhiệm vụ")

    # Kim Liên marks 19 of them done, with evidence.
    _login(page, url, "kimlien")
    tasks = list(KeyTask.objects.filter(unit=fed.kl).order_by("id"))
    assert [t.title for t in tasks] == TITLES
    for task in tasks[:19]:
        page.goto(f"{url}/nhiem-vu/{task.pk}/")
        form = page.locator("form.complete-form")
        form.get_by_label("Ngày hoàn thành").fill(today.strftime("%d/%m/%Y"))
        form.get_by_label("Minh chứng (kết quả, văn bản, số liệu)").fill(f"Báo cáo kết quả {task.title}")
        form.get_by_role("button", name="Đánh dấu hoàn thành").click()
        expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận hoàn thành")
    page.goto(url + "/nhiem-vu/?unit=KL")
    expect(page.locator(".completion-sentence")).to_have_text("Hoàn thành 19/21 nhiệm vụ trọng tâm (90,48%).")

    # The dashboard: 19/21 (90,48%), and the open ones drill down to exactly the two left.
    page.goto(f"{url}/chi-tieu/?unit=KL&period={year}")
    ratio = page.locator('.indicator-card[data-code="NV_TY_LE"]')
    expect(ratio.locator(".summary")).to_contain_text("90,48%")
    expect(ratio).to_contain_text("19/21")
    page.screenshot(path=str(SCREENSHOTS / "plans-dashboard.png"), full_page=True)
    page.locator('.indicator-card[data-code="NV_CHUA_HOAN_THANH"] a.figure').click()
    expect(page.locator(".records-count")).to_contain_text("2")
    for title in TITLES[19:]:
        expect(page.get_by_role("link", name=title)).to_be_visible()
    expect(page.get_by_role("link", name=TITLES[0])).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "plans-open-tasks.png"), full_page=True)

    # A recommendation raised by Kim Liên to the city …
    page.goto(url + "/kien-nghi/them/?unit=KL")
    page.get_by_label(re.compile(r"^Kiến nghị")).fill("Gia hạn thời gian tổ chức Hội nghị người lao động")
    page.get_by_label("Gửi công đoàn cấp trên (mã)").fill("HN")
    page.get_by_label("Ngày gửi").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Gửi kiến nghị").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi kiến nghị")
    rec_url = page.url

    # … answered by the city …
    _login(page, url, "thanhpho")
    page.goto(rec_url)
    form = page.locator("form.answer-form")
    form.get_by_label("Ngày trả lời").fill(today.strftime("%d/%m/%Y"))
    form.get_by_label("Nội dung trả lời").fill("Đồng ý gia hạn đến hết quý II.")
    form.get_by_role("button", name="Trả lời").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã trả lời kiến nghị")
    expect(page.locator(".rec-status")).to_have_text("Đã trả lời")

    # … and in the city's report, "tổng hợp kiến nghị": Kim Liên raised 1, answered 1.
    page.goto(f"{url}/bao-cao/HN/?period={year}")
    table = page.locator("#bang-recommendations")
    expect(table).to_be_visible()
    row = table.locator("tr", has_text="Công đoàn phường Kim Liên")
    expect(row.locator("td.vn-num").nth(0)).to_have_text("1")
    expect(row.locator("td.vn-num").nth(1)).to_have_text("1")
    expect(page.get_by_text("1 kiến nghị đã được trả lời (100,00%)")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "recommendations-report.png"), full_page=True)
