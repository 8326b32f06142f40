"""The org pages in a real browser: Debian's chromium driven by Playwright against the live server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from congdoan.conftest import PASSWORD, SCREENSHOTS, build_federation
from congdoan.core.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_search_tree_and_move_a_cdcs(live_server, page) -> None:
    """A city officer logs in, finds a district without accents, expands the tree and moves a CĐCS."""
    build_federation()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("thanhpho")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    # The tree: search without accents, then expand the city federation by htmx.
    page.locator("nav.navbar").get_by_role("link", name="Cây tổ chức").click()
    page.get_by_label("Tìm đơn vị").fill("gia lam")
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="LĐLĐ huyện Gia Lâm")).to_be_visible()
    page.get_by_role("button", name="Mở LĐLĐ thành phố Hà Nội").click()
    node = page.locator('li.tree-node[data-code="GL2"]')
    expect(node).to_be_visible()
    expect(node.locator(".badge")).to_have_text("Công đoàn cơ sở")
    page.screenshot(path=str(SCREENSHOTS / "tree.png"), full_page=True)

    # Open the CĐCS and move it under the ward union on a date.
    node.get_by_role("link", name="CĐCS Trường THCS Đặng Xá").click()
    expect(page.get_by_role("heading", name="CĐCS Trường THCS Đặng Xá")).to_be_visible()
    page.get_by_role("link", name="Chuyển đơn vị cấp trên").click()
    code = page.get_by_label("Đơn vị cấp trên mới")
    code.fill("kim lien")
    expect(page.locator("#unit-codes option[value='KL']")).to_have_count(1)  # htmx suggestions
    code.fill("KL")
    page.get_by_label("Từ ngày").fill("01/09/2025")
    page.get_by_label("Lý do").fill("Sắp xếp theo địa bàn phường")
    page.get_by_role("button", name="Chuyển đơn vị").click()

    expect(
        page.get_by_text("Đã chuyển «CĐCS Trường THCS Đặng Xá» sang trực thuộc «Công đoàn phường Kim Liên»")
    ).to_be_visible()
    history = page.locator(".unit-history")
    expect(history).to_contain_text("Trực thuộc Công đoàn phường Kim Liên từ 01/09/2025 đến nay")
    expect(history).to_contain_text("Trực thuộc LĐLĐ thành phố Hà Nội từ 30/06/2025 đến 31/08/2025")
    trail = page.locator(".audit-trail")
    expect(trail).to_contain_text("Chuyển đơn vị cấp trên")
    expect(trail).to_contain_text("Sắp xếp theo địa bàn phường")
    expect(trail).to_contain_text("thanhpho")
    expect(page.locator(".breadcrumb")).to_contain_text("Công đoàn phường Kim Liên")
    page.screenshot(path=str(SCREENSHOTS / "unit.png"), full_page=True)

    entry = AuditEntry.objects.filter(object_id="GL2", action="move").latest("id")
    assert entry.actor is not None and entry.actor.username == "thanhpho"
    assert entry.after == {"parent": "KL", "from": "2025-09-01"}
