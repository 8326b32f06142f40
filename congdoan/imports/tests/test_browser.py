"""The members import in a real browser (Debian's chromium, Playwright) against the live server.

kimlien uploads an XLSX of 200 members with 12 deliberate errors, sees them listed by row and column,
uploads the corrected file, sees the preview counts, commits, and watches the progress bar (polled by
htmx) reach 100% once the background worker — the real django-tasks database backend — has run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from congdoan.conftest import PASSWORD, SCREENSHOTS, build_federation
from congdoan.imports.models import ImportJob
from congdoan.imports.tests.test_jobs import DELIBERATE_ERRORS, FIRST_NAME, member_rows, xlsx_bytes
from congdoan.members.models import Person

ROWS = 200


def run_worker() -> None:
    """What ``congdoan db_worker --batch`` does, in this thread (without taking over its signals)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    ).run()


def upload(page: Page, path: Path) -> None:
    page.get_by_label("Loại dữ liệu").select_option(label="Đoàn viên")
    page.get_by_label("Tệp danh sách").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()


@pytest.mark.django_db(transaction=True)
def test_upload_errors_fix_preview_commit_progress(
    live_server: Any, page: Page, settings: Any, tmp_path: Path
) -> None:
    build_federation()
    settings.MEDIA_ROOT = tmp_path / "media"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    bad = tmp_path / "doan_vien_kim_lien.xlsx"
    bad.write_bytes(xlsx_bytes(member_rows(ROWS, errors=True)))
    good = tmp_path / "doan_vien_kim_lien_da_sua.xlsx"
    good.write_bytes(xlsx_bytes(member_rows(ROWS)))

    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("kimlien")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    # 1. The file with 12 errors: every one listed with its row and column; nothing to commit.
    page.goto(live_server.url + "/nhap-du-lieu/")
    expect(page.get_by_role("heading", name="Nhập dữ liệu từ tệp")).to_be_visible()
    upload(page, bad)
    expect(page.locator("#import-invalid")).to_contain_text("Tệp có 12 lỗi; chưa nhập dòng nào")
    rows = page.locator("#import-errors tbody tr")
    expect(rows).to_have_count(12)
    for i, (index, column, _) in enumerate(DELIBERATE_ERRORS):
        expect(rows.nth(i).locator("td").nth(0)).to_have_text(str(index + 2))
        expect(rows.nth(i).locator("td").nth(1)).to_have_text(column)
    expect(rows.nth(3)).to_contain_text("12 chữ số")  # "12345" is no CCCD
    expect(rows.nth(9)).to_contain_text("XX99")
    expect(rows.nth(11)).to_contain_text("dòng 2")  # the CCCD of the first member again
    expect(page.get_by_role("button", name="Nhập dữ liệu")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "import-errors.png"), full_page=True)

    # 2. The corrected file: the preview counts.
    page.get_by_role("link", name="tải tệp lên lại").click()
    upload(page, good)
    expect(page.locator("#import-preview")).to_contain_text(f"Sẽ tạo mới {ROWS}, cập nhật 0, không đổi 0")
    assert Person.objects.count() == 0
    page.screenshot(path=str(SCREENSHOTS / "import-preview.png"), full_page=True)

    # 3. Commit through the real database backend: the job waits for the worker, the page polls.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The polls are held in the browser until this thread next talks to Playwright, so none reaches the
    # server while the worker below writes (the live server shares this thread's SQLite connection).
    page.route("**/tien-do/", lambda route: route.continue_())
    page.get_by_role("button", name="Nhập dữ liệu").click()
    bar = page.get_by_role("progressbar", name="Tiến độ nhập dữ liệu")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("#job-progress")).to_contain_text("Đang chờ tiến trình nền")
    assert ImportJob.objects.get(status=ImportJob.Status.QUEUED)
    run_worker()
    expect(bar).to_have_attribute("aria-valuenow", "100")
    result = page.locator("#import-result")
    expect(result).to_contain_text(f"Đã nhập xong {ROWS} dòng từ tệp «doan_vien_kim_lien_da_sua.xlsx»")
    expect(result).to_contain_text(f"{ROWS} đã tạo mới")
    expect(page.locator("#job-progress")).not_to_have_attribute("hx-trigger", "every 1s")
    expect(page.locator("#job-status")).to_have_text("Hoàn tất")
    page.screenshot(path=str(SCREENSHOTS / "import-done.png"), full_page=True)
    assert Person.objects.count() == ROWS
    assert ImportJob.objects.get(status=ImportJob.Status.DONE).created_count == ROWS

    # 4. The recent jobs list, then a member found by her name typed without accents.
    page.get_by_role("link", name="Nhập tệp khác").click()
    expect(page.locator("#recent-jobs tbody tr")).to_have_count(2)
    response = page.goto(live_server.url + "/doan-vien/?q=do thi huong")
    if response is None or response.status == 404:
        return  # the members list is not there yet
    expect(page.get_by_text(FIRST_NAME).first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "import-search.png"), full_page=True)
