"""Report files are period-keyed: an ended unit's officer (gialam, Gia Lâm's last day 29/06/2025) neither
lists nor downloads those of periods that start after that day, and may not queue new ones."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from congdoan.reports import services
from congdoan.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def files(fed):  # type: ignore[no-untyped-def]
    """The city's report files on GL1: 2025 (GL1 still under Gia Lâm in its first half) and 2026."""
    made = {
        period: services.report_request(actor=fed.thanhpho, unit=fed.gl1, period=period, fmt="xlsx")
        for period in ("2025", "2026")
    }
    assert {row.status for row in made.values()} == {"done"}
    return fed, made


def test_report_files_after_the_last_day_are_not_listed_nor_downloaded(client, files) -> None:
    fed, made = files
    gialam = api(fed.gialam)
    listed = [r["period"] for r in gialam.get("/api/v1/reports/").json()["results"]]
    assert listed == ["2025"]
    assert gialam.get(f"/api/v1/reports/{made['2026'].pk}/download/").status_code == 404
    assert gialam.get(f"/api/v1/reports/{made['2026'].pk}/").status_code == 404
    assert gialam.get(f"/api/v1/reports/{made['2025'].pk}/download/").status_code == 200
    client.force_login(fed.gialam)
    assert client.get(f"/bao-cao/tep/{made['2026'].pk}/tai-ve/").status_code == 404
    assert client.get(f"/bao-cao/tep/{made['2025'].pk}/tai-ve/").status_code == 200
    # The city still has both.
    listed = [r["period"] for r in api(fed.thanhpho).get("/api/v1/reports/").json()["results"]]
    assert sorted(listed) == ["2025", "2026"]


def test_ended_units_officer_may_not_queue_a_report_after_the_last_day(client, files) -> None:
    fed, _ = files
    gialam = api(fed.gialam)
    before = GeneratedReport.objects.count()
    for unit, period in (("GL", "2026"), ("GL1", "2025S2"), ("GL1", "2025Q3")):
        response = gialam.post("/api/v1/reports/", {"unit": unit, "period": period, "format": "xlsx"})
        assert response.status_code == 400, (unit, period)
        message = response.json()["period"][0]
        assert "bắt đầu sau ngày hoạt động cuối cùng của đơn vị bạn (29/06/2025)" in message
    client.force_login(fed.gialam)
    response = client.post("/bao-cao/GL/tao/", {"period": "2026", "format": "xlsx"}, follow=True)
    assert "Không tạo được báo cáo năm 2026" in response.content.decode()
    assert GeneratedReport.objects.count() == before
    response = gialam.post("/api/v1/reports/", {"unit": "GL", "period": "2025S1", "format": "xlsx"})
    assert response.status_code == 202, response.content
