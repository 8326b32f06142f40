"""Issue 15's "Done when" in a real browser (Debian's chromium, Playwright, live server): Ba Vì's officer
self-scores its sheet, the city appraises and locks it, the cluster votes (the ballot closes at its set
time), the ranking and next year's leader appear, and a certificate DOCX downloads."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from congdoan.conftest import PASSWORD, SCREENSHOTS, build_federation
from congdoan.emulation import schemes, services
from congdoan.emulation.models import Criterion, SheetTemplate, Vote
from congdoan.indicators.services import load_standard_catalogue

from .conftest import YEAR, build_emu, full_points


def _login(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_self_score_appraise_lock_vote_rank_certificate(live_server, page) -> None:  # type: ignore[no-untyped-def]
    # A transactional test starts from a flushed database: the catalogue and the schemes back first.
    load_standard_catalogue()
    schemes.load_templates(SheetTemplate, Criterion)
    emu = build_emu(build_federation())
    today = timezone.localdate()
    sheet = services.sheet_open(actor=None, unit=emu.bv, year=YEAR, deadline=today + dt.timedelta(days=30))
    other = services.sheet_open(actor=None, unit=emu.pt, year=YEAR, deadline=today + dt.timedelta(days=30))
    other = services.sheet_self_score(actor=None, sheet=other, points=full_points(other, Decimal("0.6")))
    services.sheet_appraise(
        actor=None, sheet=other, by_unit=emu.fed.hn, points=full_points(other, Decimal("0.6"))
    )
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Tập thể lao động xuất sắc")
    proposal = services.proposal_create(actor=None, unit=emu.bv1, year=YEAR, form="giay_khen", level="upper")
    services.decision_create(
        actor=None, issuer=emu.bv, number="12/QĐ-LĐLĐ", signed_on=today, proposals=[proposal]
    )
    url = live_server.url

    # 1. Ba Vì scores itself
    _login(page, url, "bavi")
    page.goto(f"{url}/thi-dua/bang-diem/{sheet.pk}/")
    page.get_by_role("link", name="Tự chấm điểm").click()
    for box in page.locator("input[name^=p]").all():
        box.fill("4")
    page.get_by_role("button", name="Ghi điểm tự chấm").click()
    expect(page.locator(".sheet-state")).to_have_text("Đã tự chấm")

    # 2. the city appraises (the self-scored points prefilled) and locks
    _login(page, url, "thanhpho")
    page.goto(f"{url}/thi-dua/bang-diem/{sheet.pk}/")
    page.get_by_role("link", name="Thẩm định").click()
    page.locator("input[name^=n]").first.fill("Cần bổ sung minh chứng")
    page.get_by_role("button", name="Ghi kết quả thẩm định").click()
    expect(page.locator(".sheet-state")).to_have_text("Đã thẩm định")
    page.get_by_role("button", name="Khóa bảng điểm").click()
    expect(page.locator(".sheet-state")).to_have_text("Đã khóa")
    expect(page.locator(".sheet-grade")).not_to_have_text("—")

    # 3. the city opens the vote; the members vote (secret ballots)
    page.goto(f"{url}/thi-dua/cum/{emu.cluster.pk}/")
    page.get_by_role("button", name="Mở bình xét").click()
    for username, voter, choice in (("bavi", "BV", "PT"), ("phuctho", "PT", "BV"), ("kimlien", "KL", "BV")):
        _login(page, url, username)
        page.goto(f"{url}/thi-dua/cum/{emu.cluster.pk}/")
        page.locator(f"#choice-{voter}").select_option(choice)
        page.locator("form.ballot-form", has=page.locator(f"#choice-{voter}")).get_by_role(
            "button", name="Bỏ phiếu"
        ).click()
        expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận phiếu")

    # 4. the ballot closes at its set time (here: moved to a minute ago), the city counts
    Vote.objects.filter(cluster=emu.cluster).update(
        opens_at=timezone.now() - dt.timedelta(hours=2), closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    _login(page, url, "thanhpho")
    page.goto(f"{url}/thi-dua/cum/{emu.cluster.pk}/")
    page.get_by_role("button", name="Kiểm phiếu").click()
    expect(page.locator(".next-leader")).to_contain_text(f"Cụm trưởng năm {YEAR + 1}: LĐLĐ huyện Ba Vì")
    expect(page.locator(".ranking-table tbody tr").first).to_contain_text("LĐLĐ huyện Ba Vì")
    page.screenshot(path=str(SCREENSHOTS / "emulation-cluster.png"), full_page=True)

    # 5. the certificate downloads as a Word file
    page.goto(f"{url}/thi-dua/khen-thuong/{proposal.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải giấy chứng nhận (DOCX)").click()
    data = open(info.value.path(), "rb").read()
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "GIẤY KHEN" in text and "CĐCS Trường THPT Ba Vì" in text and "12/QĐ-LĐLĐ" in text
