"""Scope of the pages and the API, the pages themselves, the providers and the report section."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from congdoan.care import report, selectors, services
from congdoan.care.models import Case, CaseState
from congdoan.core.periods import parse_period
from congdoan.core.registry import SectionFigures, get_provider
from congdoan.indicators import engine
from congdoan.indicators.models import Indicator
from congdoan.org import tree
from congdoan.reports.drafting import Stat

from .conftest import CareSetup, propose


@pytest.fixture
def cases(care: CareSetup) -> dict[str, Case]:
    fed = care.fed
    mine = propose(care, fed.gl1, 1, bank_account="0123456789", bank_name="BIDV")
    theirs = propose(care, fed.gl2, 2)
    for case in (mine, theirs):
        services.case_approve(actor=None, case=case, unit=fed.hn)
        services.case_pay(actor=None, case=case, method="cash", paid_on=dt.date(2026, 2, 1))
    waiting = propose(care, fed.dd1, 3, amount=200_000)
    return {"mine": mine, "theirs": theirs, "waiting": waiting}


def client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_kimlien_sees_its_cases_not_gl2s(care: CareSetup, cases: dict[str, Case]) -> None:
    fed = care.fed
    seen = set(selectors.case_list(user=fed.kimlien).values_list("pk", flat=True))
    assert seen == {cases["mine"].pk, cases["waiting"].pk}
    kimlien = client(fed.kimlien)
    assert kimlien.get(reverse("care:case_detail", args=[cases["theirs"].pk])).status_code == 404
    page = kimlien.get(reverse("care:case_list") + "?q=nguyen van b").content.decode()
    assert "Nguyễn Văn B" in page
    page = kimlien.get(reverse("care:campaign_detail", args=[care.campaign.pk])).content.decode()
    assert "Công đoàn phường Kim Liên" in page and "CĐCS Trường THCS Đặng Xá" not in page
    api = APIClient()
    api.force_authenticate(fed.kimlien)
    assert api.get(f"/api/v1/care-cases/{cases['theirs'].pk}/").status_code == 404
    listed = api.get("/api/v1/care-cases/").json()
    assert {r["id"] for r in listed["results"]} == seen
    assert all(r["cccd"].startswith("•") for r in listed["results"])
    assert api.get("/api/v1/care-payments/").json()["count"] == 1
    assert api.get(f"/api/v1/care-campaigns/{care.campaign.pk}/").status_code == 200


def test_gialam_ended_sees_nothing_after_its_last_day(care: CareSetup, cases: dict[str, Case]) -> None:
    assert not selectors.case_list(user=care.fed.gialam).exists()  # cases of 2026, after 30/06/2025
    assert (
        client(care.fed.gialam).get(reverse("care:case_detail", args=[cases["mine"].pk])).status_code == 404
    )


def test_the_pages_answer(care: CareSetup, cases: dict[str, Case]) -> None:
    city = client(care.fed.thanhpho)
    for name in ("campaign_list", "case_list", "houses", "deals", "campaign_create"):
        assert city.get(reverse(f"care:{name}")).status_code == 200, name
    assert city.get(reverse("care:case_detail", args=[cases["waiting"].pk])).status_code == 200
    assert city.get(reverse("care:approve_batch", args=[care.campaign.pk])).status_code == 200
    response = city.post(reverse("care:approve_batch", args=[care.campaign.pk]), {"unit": "HN"})
    assert response.status_code == 302
    cases["waiting"].refresh_from_db()
    assert cases["waiting"].state == CaseState.APPROVED
    pay = reverse("care:pay_batch", args=[care.campaign.pk])
    assert city.get(pay).status_code == 200
    early = city.post(pay, {"unit": "HN", "method": "cash", "paid_on": "2025-01-01"})
    assert "Ngày chi trước ngày đề xuất" in early.content.decode()
    cases["waiting"].refresh_from_db()
    assert cases["waiting"].state == CaseState.APPROVED
    assert city.post(pay, {"unit": "HN", "method": "cash", "paid_on": "2026-02-01"}).status_code == 302
    cases["waiting"].refresh_from_db()
    assert cases["waiting"].state == CaseState.PAID


def test_a_case_is_proposed_and_approved_on_the_pages(care: CareSetup) -> None:
    fed = care.fed
    kimlien = client(fed.kimlien)
    url = reverse("care:case_create", args=[care.campaign.pk])
    bad = kimlien.post(
        url, {"unit": "GL1", "full_name": "Mai Văn Sáu", "cccd": "001090000066", "amount": "1,5 triệu"}
    )
    assert "vượt mức tối đa mỗi người" in bad.content.decode()
    assert not Case.objects.exists()
    ok = kimlien.post(
        url, {"unit": "GL1", "full_name": "Mai Văn Sáu", "cccd": "001090000066", "amount": "500.000"}
    )
    case = Case.objects.get()
    assert ok.status_code == 302 and case.amount == 500_000
    assert kimlien.post(reverse("care:case_approve", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSED  # Kim Liên is not the approver: refused, nothing changed
    client(fed.thanhpho).post(reverse("care:case_approve", args=[case.pk]))
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED
    assert (
        client(fed.gialam).post(reverse("care:case_pay", args=[case.pk]), {"method": "cash"}).status_code
        == 404
    )


def test_providers_count_the_records(care: CareSetup, cases: dict[str, Case]) -> None:
    fed = care.fed
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    units = tree.in_subtree([fed.hn.pk], end)
    for code in ("care_cases", "care_cases_tet_gift"):
        provider = get_provider(code)
        values = provider.values(units, start, end)
        assert provider.records is not None
        assert sum(values.values()) == provider.records(units, start, end).count() == 2
    assert sum(get_provider("care_amount").values(units, start, end).values()) == 1_000_000
    services.case_reverse(actor=None, case=cases["mine"], reason="Sai người", on=dt.date(2026, 3, 1))
    assert sum(get_provider("care_amount").values(units, start, end).values()) == 500_000
    assert sum(get_provider("care_cases").values(units, start, end).values()) == 1


def test_the_report_section_drafts_sentences(care: CareSetup, cases: dict[str, Case]) -> None:
    indicators = list(Indicator.objects.filter(code__in=report.INDICATORS))
    table = engine.rollup_table(indicators=indicators, period=parse_period("2026"), root=care.fed.hn, depth=1)
    stats = {code: Stat.of(column[0]) for code, column in table.items()}
    figures = SectionFigures(
        period=parse_period("2026"),
        area="toàn thành phố",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        ended=False,
        reason="",
        stats=stats,
    )
    text = " ".join(report.draft(figures))
    assert (
        "đã chăm lo, hỗ trợ 2 lượt đoàn viên, người lao động (2 người) với tổng kinh phí 1 triệu đồng" in text
    )
    assert "tặng 2 suất quà Tết, tổng trị giá 1 triệu đồng" in text
    empty = SectionFigures(
        period=parse_period("2024"),
        area="toàn thành phố",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        ended=False,
        reason="",
        stats={},
    )
    assert report.draft(empty)[0].startswith("Chưa có số liệu về công tác chăm lo")


def test_spending_by_funding_source(fed) -> None:  # type: ignore[no-untyped-def]
    """A campaign of 3 sources (6, 3 and 1 million): 1,000,001 đ paid is split 600,001 / 300,000 /
    100,000 — whole đồng adding up exactly; a child campaign without sources spends its parent's; a
    reversal nets its source back; the figures, the campaign page, the report and the API agree."""
    from congdoan.care.models import FundingKind
    from congdoan.care.tests.conftest import make_campaign
    from congdoan.care.tests.conftest import propose as propose_in

    funding = [
        services.Funding(FundingKind.UNION, 6_000_000),
        services.Funding(FundingKind.SOCIAL, 3_000_000, "Công ty A"),
        services.Funding(FundingKind.EMPLOYER, 1_000_000),
    ]
    parent = make_campaign(fed, cap_per_person=0, funding=funding)
    child = make_campaign(fed, code="TET2026-KL", owner=fed.kl, parent=parent, funding=[])
    setup, child_setup = CareSetup(fed, parent), CareSetup(fed, child)
    paid = []
    for s, n, amount in ((setup, 1, 1_000_001), (child_setup, 2, 500_000), (setup, 3, 200_000)):
        case = propose_in(s, fed.gl1, n, amount=amount)
        services.cases_approve_batch(actor=None, campaign=s.campaign, unit=s.campaign.owner)
        services.case_pay(actor=None, case=case, method="cash", paid_on=dt.date(2026, 2, 1))
        paid.append(case)
    services.case_reverse(actor=None, case=paid[2], reason="Trùng", on=dt.date(2026, 2, 2))
    assert selectors.split_amount(1_000_001, [(1, "union", 6), (2, "social", 3), (3, "employer", 1)]) == {
        1: 600_001,
        2: 300_000,
        3: 100_000,
    }
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    units = tree.in_subtree([fed.hn.pk], end)
    by_source = {
        k: sum(get_provider(f"care_amount_src_{k}").values(units, start, end).values())
        for k in FundingKind.values
    }
    assert by_source == {
        "union": 600_001 + 300_000,
        "social": 300_000 + 150_000,
        "employer": 100_000 + 50_000,
    }
    assert sum(by_source.values()) == sum(get_provider("care_amount").values(units, start, end).values())
    city = client(fed.thanhpho)
    page = city.get(reverse("care:campaign_detail", args=[parent.pk])).content.decode()
    assert "600.001" in page and "Công ty A" in page
    body = APIClient()
    body.force_authenticate(fed.kimlien)
    funding_api = body.get(f"/api/v1/care-campaigns/{child.pk}/").json()["funding"]
    assert [(f["kind"], f["spent"]) for f in funding_api] == [
        ("employer", 50_000),
        ("social", 150_000),
        ("union", 300_000),
    ]
    indicators = list(Indicator.objects.filter(code__in=report.INDICATORS))
    table = engine.rollup_table(indicators=indicators, period=parse_period("2026"), root=fed.hn, depth=1)
    stats = {code: Stat.of(column[0]) for code, column in table.items()}
    figures = SectionFigures(
        period=parse_period("2026"),
        area="toàn thành phố",
        start=start,
        end=end,
        ended=False,
        reason="",
        stats=stats,
    )
    assert "Kinh phí chăm lo theo nguồn: nguồn tài chính công đoàn" in " ".join(report.draft(figures))


def test_houses_deals_and_documents_on_the_pages(care: CareSetup, cases: dict[str, Case]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congdoan.care.models import CaseDocument, House, WelfareDeal

    fed = care.fed
    kimlien = client(fed.kimlien)
    url = reverse("care:house_create")
    bad = kimlien.post(url, {"unit": "GL2", "beneficiary": "Lê Văn Tám", "started_on": "01/03/2026"})
    assert "không thuộc phạm vi" in bad.content.decode() or "Không tìm thấy đơn vị" in bad.content.decode()
    future = kimlien.post(url, {"unit": "GL1", "beneficiary": "Lê Văn Tám", "started_on": "01/01/2099"})
    assert "ở tương lai" in future.content.decode() and not House.objects.exists()
    ok = kimlien.post(
        url,
        {"unit": "GL1", "beneficiary": "Lê Văn Tám", "started_on": "01/03/2026", "contributors": "Công ty B"},
    )
    assert ok.status_code == 302 and House.objects.get().amount == services.house_amount_default()
    assert "Lê Văn Tám" in kimlien.get(reverse("care:houses") + "?year=2026").content.decode()
    deal = {"unit": "KL", "partner": "Siêu thị Hòa Bình", "offer": "Giảm giá", "signed_on": "01/02/2026"}
    assert (
        "Mức giảm giá"
        in kimlien.post(reverse("care:deal_create"), {**deal, "discount_percent": 150}).content.decode()
    )
    assert kimlien.post(reverse("care:deal_create"), {**deal, "discount_percent": 10}).status_code == 302
    assert WelfareDeal.objects.count() == 1
    assert "Siêu thị Hòa Bình" in kimlien.get(reverse("care:deals") + "?q=hoa binh").content.decode()

    case = cases["mine"]
    upload = reverse("care:document_upload", args=[case.pk])
    kimlien.post(upload, {"file": SimpleUploadedFile("giay.txt", b"not an image")})
    assert not CaseDocument.objects.exists()
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    kimlien.post(upload, {"file": SimpleUploadedFile("anh.png", png)})
    doc = CaseDocument.objects.get()
    page = kimlien.get(reverse("care:case_detail", args=[case.pk])).content.decode()
    assert "anh.png" in page
    download = reverse("care:document_download", args=[case.pk, doc.pk])
    assert b"".join(kimlien.get(download).streaming_content) == png
    theirs = cases["theirs"]
    assert kimlien.get(reverse("care:document_download", args=[theirs.pk, doc.pk])).status_code == 404
    other = client(fed.cdcs)  # DD1's officer: GL1's case is not theirs
    assert other.get(download).status_code == 404
    assert other.post(upload, {"file": SimpleUploadedFile("b.png", png)}).status_code == 404


def test_the_api_proposes_approves_and_pays(care: CareSetup) -> None:
    fed = care.fed
    district, city, viewer = APIClient(), APIClient(), APIClient()
    district.force_authenticate(fed.kimlien)
    city.force_authenticate(fed.thanhpho)
    viewer.force_authenticate(fed.viewer)
    body = {"campaign": "tet2026", "unit": "GL1", "full_name": "Đỗ Văn Mười", "cccd": "001090000010"}
    assert viewer.post("/api/v1/care-cases/", {**body, "amount": 500_000}, format="json").status_code == 403
    assert (
        district.post("/api/v1/care-cases/", {**body, "unit": "GL2", "amount": 1}, format="json").status_code
        == 404
    )
    over = district.post("/api/v1/care-cases/", {**body, "amount": 1_500_000}, format="json")
    assert over.status_code == 400 and "vượt mức tối đa mỗi người" in str(over.json())
    created = district.post("/api/v1/care-cases/", {**body, "amount": 500_000}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    unpaid = district.post(f"/api/v1/care-cases/{pk}/pay/", {"method": "cash"}, format="json")
    assert unpaid.status_code == 400 and "chưa được duyệt" in str(unpaid.json())
    assert district.post(f"/api/v1/care-cases/{pk}/approve/", {}, format="json").status_code == 404
    approved = city.post(f"/api/v1/care-cases/{pk}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    paid = district.post(
        f"/api/v1/care-cases/{pk}/pay/", {"method": "in_kind", "items": "1 thùng quà"}, format="json"
    )
    assert paid.status_code == 201 and paid.json()["amount"] == 500_000
    assert Case.objects.get(pk=pk).state == CaseState.PAID
    again = district.post(f"/api/v1/care-cases/{pk}/pay/", {"method": "cash"}, format="json")
    assert again.status_code == 400 and "đã chi" in str(again.json())
