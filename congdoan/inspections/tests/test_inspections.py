"""Inspections: an employer in another subtree refused, dates, the follow-up step, indicators and the
report, pages, XLSX and the API."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from congdoan.accounts.scope import OutOfScope
from congdoan.core.models import AuditEntry
from congdoan.core.periods import parse_period
from congdoan.indicators.providers import BATCHES, REGISTRY
from congdoan.inspections import services
from congdoan.inspections.models import Inspection, InspectionState
from congdoan.org import tree
from congdoan.reports import selectors as report_selectors

pytestmark = pytest.mark.django_db
d = dt.date


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inspect(unit: Any, employer: Any, day: dt.date, **kw: Any) -> Inspection:
    fields: dict[str, Any] = {
        "actor": None,
        "unit": unit,
        "employer": employer,
        "kind": "labour_law",
        "held_on": day,
        "team": "Ban Chính sách pháp luật",
    }
    fields.update(kw)
    return services.inspection_create(**fields)


def test_employer_of_another_subtree_and_end_before_start_refused(employers) -> None:
    fed = employers["fed"]
    with pytest.raises(ValidationError) as exc:
        inspect(fed.gl, employers["hospital"], d(2024, 5, 1), ends_on=d(2024, 4, 30), team="")
    errors = exc.value.message_dict
    assert errors["employer"] == [
        "«Bệnh viện Đống Đa» không thuộc phạm vi của «LĐLĐ huyện Gia Lâm» vào ngày 01/05/2024."
    ]
    assert errors["ends_on"] == ["Ngày kết thúc 30/04/2024 trước ngày bắt đầu 01/05/2024."]
    assert errors["team"] == ["Chưa nhập thành phần đoàn kiểm tra, giám sát."]
    assert not Inspection.objects.exists()
    # GL1 moved to Kim Liên on 01/08/2025: from then May Gia Lâm is Kim Liên's, no longer Gia Lâm's.
    inspect(fed.kl, employers["may"], d(2025, 9, 1), actor=fed.kimlien)
    with pytest.raises(ValidationError):
        inspect(fed.kl, employers["may"], d(2025, 7, 15), actor=fed.kimlien)
    with pytest.raises(OutOfScope):
        inspect(fed.gl2, employers["school"], d(2025, 9, 1), actor=fed.kimlien)


def test_follow_up_closes_once(employers) -> None:
    fed = employers["fed"]
    inspection = inspect(fed.kl, employers["may"], d(2025, 9, 1), violations=True, actor=fed.kimlien)
    with pytest.raises(ValidationError) as exc:
        services.inspection_close(actor=fed.kimlien, inspection=inspection, follow_up=" ", on=d(2025, 8, 1))
    assert exc.value.message_dict["follow_up"] == ["Ghi kết quả theo dõi khắc phục trước khi kết thúc."]
    assert exc.value.message_dict["closed_on"] == ["Ngày kết thúc theo dõi trước ngày bắt đầu kiểm tra."]
    services.inspection_close(
        actor=fed.kimlien, inspection=inspection, follow_up="Đã khắc phục", on=d(2025, 10, 1)
    )
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.CLOSED and inspection.closed_on == d(2025, 10, 1)
    with pytest.raises(ValidationError) as exc:
        services.inspection_close(actor=fed.kimlien, inspection=inspection, follow_up="x", on=d(2025, 10, 2))
    assert "Không thể kết thúc theo dõi" in exc.value.messages[0]
    actions = list(
        AuditEntry.objects.filter(object_type="inspections.inspection").values_list("action", flat=True)
    )
    assert actions.count(AuditEntry.Action.UPDATE) == 1


def test_indicators_count_inspections_and_employers(employers) -> None:
    fed = employers["fed"]
    inspect(fed.gl, employers["may"], d(2024, 3, 1), violations=True)
    inspect(fed.gl, employers["may"], d(2024, 6, 1), kind="safety")
    inspect(fed.gl, employers["school"], d(2024, 9, 1), kind="union_funding")
    units = tree.in_subtree([fed.gl.pk], d(2024, 12, 31))
    batch = BATCHES["inspections"](units, d(2024, 1, 1), d(2024, 12, 31))
    assert sum(batch["inspections"].values()) == 3
    assert sum(batch["inspected_employers"].values()) == 2
    assert sum(batch["inspections_violations"].values()) == 1
    assert sum(batch["inspections_safety"].values()) == 1
    records = REGISTRY["inspections_violations"].records
    assert records is not None and records(units, d(2024, 1, 1), d(2024, 12, 31)).count() == 1
    built = report_selectors.report_build(user=fed.gialam, unit=fed.gl, period=parse_period("2024"))
    text = [
        p for s in built.sections for part in s.parts if part.key == "inspections" for p in part.paragraphs
    ]
    assert text[0].startswith(
        "Năm 2024, toàn huyện đã chủ trì, phối hợp tổ chức 3 cuộc kiểm tra, giám sát tại 2 doanh"
    )
    assert "1 cuộc về an toàn, vệ sinh lao động" in text[0]
    assert text[1].startswith("Qua kiểm tra, giám sát, 1 cuộc phát hiện vi phạm")


def test_pages_form_xlsx_and_api(employers) -> None:
    fed = employers["fed"]
    client = login(fed.kimlien)
    post = {
        "unit": "KL",
        "employer": "0101234569",  # the hospital: DD1 is Kim Liên's since 01/08/2025
        "kind": "safety",
        "held_on": "01/07/2025",
        "team": "Đoàn liên ngành",
    }
    response = client.post(reverse("inspections:create"), post)
    assert (
        "không thuộc phạm vi của «Công đoàn phường Kim Liên» vào ngày 01/07/2025" in response.content.decode()
    )
    response = client.post(reverse("inspections:create"), {**post, "employer": "0101234568"})
    assert "Không tìm thấy doanh nghiệp «0101234568» trong phạm vi của bạn." in response.content.decode()
    assert not Inspection.objects.exists()
    response = client.post(reverse("inspections:create"), {**post, "held_on": "02/09/2025"})
    inspection = Inspection.objects.get()
    assert response["Location"] == inspection.get_absolute_url()
    assert "Bệnh viện Đống Đa" in client.get(reverse("inspections:list")).content.decode()
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "Kết thúc theo dõi" in page
    assert login(fed.gialam).get(inspection.get_absolute_url()).status_code == 404
    xlsx = client.get(reverse("inspections:list"), {"xuat": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True))
    assert any(r and r[3] == "Bệnh viện Đống Đa" for r in rows)
    api = APIClient()
    api.force_authenticate(fed.kimlien)
    assert api.get("/api/v1/inspections/").json()["results"][0]["employer_name"] == "Bệnh viện Đống Đa"
    api.force_authenticate(fed.gialam)
    assert api.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
