"""The loan fund in a real browser (Debian's chromium, Playwright, live server): Kim Liên's officer creates
a project of 5 borrowers of GL1, the city's fund officer approves and disburses it, the district officer
posts the repayments (one borrower late) and downloads the late borrower's statement as PDF, sees that
loan in the 31–90 day bucket on a later date, and the PAR30 card of the dashboard drills down to it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from congdoan.conftest import PASSWORD, SCREENSHOTS
from congdoan.indicators.models import Indicator
from congdoan.indicators.services import load_standard_catalogue
from congdoan.loans.catalogue import load_catalogue
from congdoan.loans.models import Loan, Project

from .conftest import Book


def _login(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def _step(page, label: str, day: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("form", has=page.get_by_role("button", name=label))
    form.locator("input[type=date]").fill(day)
    form.get_by_role("button", name=label).click()
    expect(page.locator(".alert-success")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_project_to_par_drill_down(live_server, page, book: Book) -> None:  # type: ignore[no-untyped-def]
    # A transactional test starts from a flushed database: the catalogues back first.
    load_standard_catalogue()
    load_catalogue(Indicator)
    url = live_server.url
    _login(page, url, "kimlien")
    page.goto(url + "/tro-von/du-an/them/?cdcs=GL1")
    page.get_by_label("Mã dự án").fill("DA-TRINH-DUYET")
    page.get_by_label("Tên dự án").fill("Dự án chăn nuôi tổ 3")
    page.get_by_label("Sản phẩm cho vay").select_option(str(book.product.pk))
    page.get_by_label("Ngày lập").fill("2026-01-02")
    lines = "\n".join(f"{p.cccd}; 10.000.000; 12; chăn nuôi" for p in book.gl1)
    page.get_by_label("Người vay (mỗi dòng: CCCD; số tiền; thời hạn; mục đích)").fill(lines)
    page.get_by_role("button", name="Lập dự án").click()
    expect(page.get_by_role("heading", name="Dự án chăn nuôi tổ 3")).to_be_visible()
    _step(page, "Thẩm định 5 khoản vay", "2026-01-03")
    project_url = page.url

    _login(page, url, "thanhpho")
    page.goto(project_url)
    _step(page, "Phê duyệt 5 khoản vay", "2026-01-04")
    _step(page, "Giải ngân 5 khoản vay", "2026-01-05")
    expect(page.locator(".loan-state").first).to_have_text("Đang vay")
    page.screenshot(path=str(SCREENSHOTS / "loans-project.png"), full_page=True)

    _login(page, url, "kimlien")
    loans = list(Project.objects.get(code="DA-TRINH-DUYET").loans.order_by("id"))
    for loan in loans:
        first = loan.instalments.get(number=1)
        late = loan == loans[-1]
        page.goto(f"{url}/tro-von/{loan.pk}/tra-no/")
        page.get_by_label("Số tiền trả (đồng)").fill("100.000" if late else str(first.total))
        page.get_by_label("Ngày trả").fill("2026-02-20" if late else "2026-02-05")
        page.get_by_role("button", name="Ghi nhận").click()
        expect(page.locator(".alert-success")).to_contain_text("Đã thu")
    late_loan: Loan = loans[-1]

    # the borrower's statement as PDF, downloaded from the loan's page
    page.goto(f"{url}/tro-von/{late_loan.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Sao kê (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith(f"sao-ke-khoan-vay-{late_loan.pk}-")
    assert download.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert "SAO KÊ KHOẢN VAY" in text and late_loan.person.full_name in text
    assert "20/02/2026" in text and "100.000" in text  # the late borrower's one partial repayment

    page.goto(f"{url}/tro-von/qua-han/?unit=KL&on=2026-03-22")
    row = page.locator(".late-loans tr", has_text=late_loan.person.full_name)
    expect(row.locator(".bucket")).to_have_text("b31_90")
    expect(page.locator(".ageing .bucket-b31_90")).to_contain_text("1")
    page.screenshot(path=str(SCREENSHOTS / "loans-arrears.png"), full_page=True)

    page.goto(f"{url}/chi-tieu/?unit=KL&period=202603")
    card = page.locator('.indicator-card[data-code="VAY_PAR30"]')
    expect(card).to_be_visible()
    card.locator("a.figure").click()
    expect(page.get_by_text(late_loan.person.full_name)).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "loans-par-records.png"), full_page=True)
