"""Pages and API of the emulation app: render, scope (404 out of scope), the forms through the services."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from rest_framework.test import APIClient

from congdoan.emulation import services
from congdoan.emulation.models import SheetState, VoteReceipt

from .conftest import YEAR, Emu, full_points

d = dt.date
pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_lists_render(emu: Emu) -> None:
    services.sheet_open(actor=None, unit=emu.bv1, year=YEAR)
    c = client_for(emu.bavi)
    for name in ("sheets", "grades", "clusters", "awards", "initiatives", "sheet_create", "decision_create"):
        response = c.get(reverse(f"emulation:{name}") + f"?year={YEAR}")
        assert response.status_code == 200, name
    page = c.get(reverse("emulation:sheets") + f"?year={YEAR}").content.decode()
    assert "CĐCS Trường THPT Ba Vì" in page
    xlsx = c.get(reverse("emulation:sheets") + f"?year={YEAR}&xuat=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_sheet_pages_scope_and_forms(emu: Emu) -> None:
    sheet = services.sheet_open(actor=None, unit=emu.bv1, year=YEAR)
    url = reverse("emulation:sheet", args=[sheet.pk])
    assert client_for(emu.phuctho).get(url).status_code == 404  # another district's CĐCS
    assert client_for(emu.fed.kimlien).get(url).status_code == 404
    c = client_for(emu.bv1_user)
    assert c.get(url).status_code == 200
    score_url = reverse("emulation:sheet_score", args=[sheet.pk, "tu-cham"])
    if timezone.localdate() <= sheet.deadline:
        points = {f"p{k}": str(v) for k, v in full_points(sheet).items()}
        first = next(iter(points))
        bad = {**points, first: "99"}
        page = c.post(score_url, bad).content.decode()
        assert "vượt quá điểm tối đa" in page
        c.post(score_url, points)
        sheet.refresh_from_db()
        assert sheet.state == SheetState.SELF_SCORED
    else:
        services.sheet_self_score(actor=None, sheet=sheet, points=full_points(sheet), today=d(YEAR, 12, 1))
    # the CĐCS cannot appraise itself; its district can
    assert c.get(reverse("emulation:sheet_score", args=[sheet.pk, "tham-dinh"])).status_code == 404
    upper = client_for(emu.bavi)
    points = {f"p{k}": str(v) for k, v in full_points(sheet, Decimal("0.8")).items()}
    upper.post(reverse("emulation:sheet_score", args=[sheet.pk, "tham-dinh"]), points)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.APPRAISED and sheet.grade == "hoan_thanh"
    upper.post(reverse("emulation:sheet_step", args=[sheet.pk, "khoa"]))
    sheet.refresh_from_db()
    assert sheet.state == SheetState.LOCKED
    # a read-only viewer changes nothing
    client_for(emu.fed.viewer).post(reverse("emulation:sheet_step", args=[sheet.pk, "cong-bo"]))
    sheet.refresh_from_db()
    assert sheet.state == SheetState.LOCKED
    grades = upper.get(reverse("emulation:grades") + f"?year={YEAR}").content.decode()
    assert "Hoàn thành nhiệm vụ" in grades and "100,00%" in grades


def test_cluster_vote_through_the_page_and_api(emu: Emu) -> None:
    now = timezone.now()
    services.vote_open(
        actor=None,
        cluster=emu.cluster,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
    )
    url = reverse("emulation:cluster", args=[emu.cluster.pk])
    c = client_for(emu.bavi)
    page = c.get(url).content.decode()
    assert "Phiếu của LĐLĐ huyện Ba Vì" in page
    c.post(
        reverse("emulation:cluster_action", args=[emu.cluster.pk, "bo-phieu"]),
        {"voter": "BV", "choice": "PT"},
    )
    assert VoteReceipt.objects.filter(voter=emu.bv).exists()
    page = c.post(
        reverse("emulation:cluster_action", args=[emu.cluster.pk, "bo-phieu"]),
        {"voter": "BV", "choice": "KL"},
        follow=True,
    ).content.decode()
    assert "đã bỏ phiếu" in page  # the service refuses the second ballot, in Vietnamese
    api = APIClient()
    api.force_authenticate(emu.phuctho)
    r = api.post(
        f"/api/v1/emulation-clusters/{emu.cluster.pk}/ballot/", {"voter": "PT", "choice": "PT"}, format="json"
    )
    assert r.status_code == 400 and "tự suy tôn" in r.json()["detail"]
    r = api.post(
        f"/api/v1/emulation-clusters/{emu.cluster.pk}/ballot/", {"voter": "PT", "choice": "BV"}, format="json"
    )
    assert r.status_code == 201
    r = api.post(
        f"/api/v1/emulation-clusters/{emu.cluster.pk}/ballot/", {"voter": "PT", "choice": "KL"}, format="json"
    )
    assert r.status_code == 400 and "đã bỏ phiếu" in r.json()["detail"]
    data = api.get(f"/api/v1/emulation-clusters/{emu.cluster.pk}/").json()
    assert all(row["votes"] is None for row in data["ranking"])  # secret until the count
    viewer = APIClient()
    viewer.force_authenticate(emu.fed.viewer)
    assert (
        viewer.post(
            f"/api/v1/emulation-clusters/{emu.cluster.pk}/ballot/",
            {"voter": "BV", "choice": "PT"},
            format="json",
        ).status_code
        == 403
    )


def test_award_pages_and_certificate(emu: Emu) -> None:
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Tập thể lao động xuất sắc")
    proposal = services.proposal_create(actor=None, unit=emu.bv1, year=YEAR, form="giay_khen", level="upper")
    c = client_for(emu.bavi)
    page = c.post(
        reverse("emulation:decision_create"),
        {"issuer": "BV", "number": "7/QĐ", "signed_on": "2026-01-05", "proposals": [proposal.pk]},
        follow=True,
    )
    assert "Quyết định số 7/QĐ" in page.content.decode()
    url = reverse("emulation:certificate", args=[proposal.pk])
    response = c.get(url)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "GIẤY KHEN" in text and "7/QĐ" in text
    assert client_for(emu.phuctho).get(url).status_code == 404
    api = APIClient()
    api.force_authenticate(emu.phuctho)
    assert api.get(f"/api/v1/emulation-awards/{proposal.pk}/").status_code == 404
    assert api.get("/api/v1/emulation-awards/").json()["count"] == 0
