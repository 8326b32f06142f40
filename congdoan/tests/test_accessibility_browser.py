"""Accessibility of the main pages (issue 12): axe-core, vendored under ``static/vendor/axe`` (``make
vendor``), injected into each page in Debian's chromium; no serious or critical violation is allowed.

The demo at a small scale, as the city officer (``thanhpho``) and a CĐCS officer (``cdcs``, whose
forms preselect their CĐCS); the login page signed out. A failure lists each violation with the
elements it found, so the fix is in the message."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from congdoan.conferences.demo import load_activity
from congdoan.conftest import SCREENSHOTS
from congdoan.indicators.services import load_standard_catalogue
from congdoan.org.demo import DEMO_PASSWORD, load_demo

AXE = "/static/vendor/axe/axe.min.js"
BLOCKING = {"serious", "critical"}

CITY_PAGES = [
    "/",
    "/cay-to-chuc/",
    "/doan-vien/",
    "/thoa-uoc/",
    "/hoi-nghi/",
    "/hoi-nghi/don-vi/",
    "/chi-tieu/",
    "/chi-tieu/giao/",
    "/bao-cao/",
    "/nhap-du-lieu/",
    "/cum-thi-dua/",
]
CDCS_PAGES = ["/", "/doan-vien/them/", "/thoa-uoc/them/", "/hoi-nghi/them/", "/doan-vien/"]


def _violations(page: Any, url: str) -> list[str]:
    """axe's serious and critical violations on ``url``, one line each with up to 3 elements."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # The script comes from our own origin, which the Content-Security-Policy allows ('self').
    page.add_script_tag(url=AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{url}: {violation['id']} ({violation['impact']}) — {violation['help']} — {targets}")
    return lines


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("nav.navbar")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_accessibility_violation(live_server, page) -> None:  # type: ignore[no-untyped-def]
    load_standard_catalogue()  # an earlier transactional test may have flushed the migration's rows
    load_demo(scale=0.02)
    load_activity()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    found = _violations(page, base + "/tai-khoan/dang-nhap/")
    _login(page, base, "thanhpho")
    for path in CITY_PAGES:
        found += _violations(page, base + path)
    page.context.clear_cookies()
    _login(page, base, "cdcs")
    for path in CDCS_PAGES:
        found += _violations(page, base + path)
    page.screenshot(path=str(SCREENSHOTS / "accessibility-last-page.png"), full_page=True)
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
