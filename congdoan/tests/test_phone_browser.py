"""Issue 12 item 4 in a real browser (Debian's chromium, Playwright, live server): each demo user — the
city (thanhpho), a ward union (kimlien), a CĐCS chair (cdcs), an ended district (gialam) — opens the home
and the main pages at 1366 px and on a 390 px phone. A page fails on horizontal overflow of the page
itself (lists scroll inside their own box), on a console error, on an English word from ``ENGLISH`` in
its visible text, and at 1366 px on a menu that wraps to a second line."""

from __future__ import annotations

import re
from typing import Any

import pytest

from congdoan.conferences.demo import load_activity
from congdoan.conftest import SCREENSHOTS
from congdoan.indicators.services import load_standard_catalogue
from congdoan.members.demo import load_members
from congdoan.org.demo import DEMO_PASSWORD, load_demo
from congdoan.reports.demo import deadline_rows
from congdoan.reports.models import ReportDeadline

USERS = ("thanhpho", "kimlien", "cdcs", "gialam")
WIDTHS = (1366, 390)
PAGES = (
    ("Tổng quan", "/"),
    ("Đoàn viên", "/doan-vien/"),
    ("Thỏa ước", "/thoa-uoc/"),
    ("Hội nghị", "/hoi-nghi/"),
    ("Chỉ tiêu", "/chi-tieu/"),
    ("Báo cáo", "/bao-cao/"),
    ("Cây tổ chức", "/cay-to-chuc/"),
    ("Đơn vị", "/don-vi/"),
    ("Nhập dữ liệu", "/nhap-du-lieu/"),
)
# The maintained list: English a Vietnamese officer must not meet (whole words, as written). "Choose File"
# (the browser's own file-picker label) is the ux engineer's: it is not visible text of the page.
ENGLISH = ("Submit", "None", "True", "False", "Page not found", "Search", "Previous", "Next", "Loading")
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")

OVERFLOW_JS = "document.documentElement.scrollWidth > window.innerWidth"
# Elements sticking out on the right, to name them in the failure.
WIDE_JS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 3)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"""
# The menu's links all sit on the first line of the bar.
MENU_LINES_JS = """() => new Set([...document.querySelectorAll('#main-nav .navbar-nav > .nav-item')]
  .map(e => Math.round(e.getBoundingClientRect().top))).size"""


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(base + "/")


@pytest.mark.django_db(transaction=True)
def test_main_pages_fit_phones_and_the_menu_fits_1366(live_server, page) -> None:
    load_standard_catalogue()  # an earlier transactional test may have flushed the migration's rows
    load_demo(scale=0.05)
    load_members(400)
    load_activity()
    ReportDeadline.objects.bulk_create(deadline_rows(2025))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    context = page.context
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    problems: list[str] = []
    for username in USERS:
        context.clear_cookies()
        page.set_viewport_size({"width": 1366, "height": 900})
        _login(page, base, username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for label, path in PAGES:
                errors.clear()
                response = page.goto(base + path)
                page.wait_for_load_state("networkidle")
                where = f"{username} {width}px {label} ({path})"
                if response is None or response.status != 200:
                    problems.append(f"{where}: HTTP {response.status if response else '—'}")
                    continue
                if page.evaluate(OVERFLOW_JS):
                    wide = page.evaluate(WIDE_JS)
                    width_px = page.evaluate("document.documentElement.scrollWidth")
                    problems.append(f"{where}: page {width_px} px wide ({', '.join(wide)})")
                    page.screenshot(path=str(SCREENSHOTS / f"overflow-{username}-{width}-{label}.png"))
                words = sorted(set(ENGLISH_RE.findall(page.inner_text("body"))))
                if words:
                    problems.append(f"{where}: English words {words}")
                if errors:
                    problems.append(f"{where}: console errors {errors[:3]}")
                if width == 1366 and page.evaluate(MENU_LINES_JS) != 1:
                    problems.append(f"{where}: the menu wraps to a second line")
            if width == 390:
                page.goto(base + "/")
                page.screenshot(path=str(SCREENSHOTS / f"home-{username}-390.png"), full_page=True)
    assert problems == []
