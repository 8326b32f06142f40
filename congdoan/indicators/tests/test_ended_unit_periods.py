"""An ended unit's officer sees period-keyed data (values, targets) only for periods that start on or
before the unit's last day (``Scope.period_q``): gialam (Gia Lâm ended 30/06/2025, last day 29/06/2025)
keeps GL1's 2024 and 2025Q1 figures, not its 2025Q4 and 2026 ones made after GL1 moved on."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from congdoan.core.periods import parse_period
from congdoan.indicators import engine, services
from congdoan.indicators.models import DataValue, Indicator, Target

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def history(fed):
    """GL1 reported talks in 2024 and 2025Q1 (under Gia Lâm), in 2025Q4 and 2026 (under Kim Liên);
    the city handed GL a 2024 target and GL1 a 2026 one."""
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    for period, value in (("2024", 20), ("2025Q1", 3), ("2025Q4", 7), ("2026", 11)):
        services.value_set(actor=None, unit=fed.gl1, indicator=talks, period=period, value=value)
    services.target_set(actor=fed.thanhpho, unit=fed.gl, indicator=talks, period="2024", value=24)
    services.target_set(actor=fed.thanhpho, unit=fed.gl1, indicator=talks, period="2026", value=12)
    return fed


def test_api_values_and_targets_stop_at_the_last_day(history) -> None:
    gialam = api(history.gialam)
    rows = gialam.get("/api/v1/values/", {"unit": "GL1"}).json()["results"]
    assert [r["period"] for r in rows] == ["2024", "2025Q1"]
    later = DataValue.objects.get(unit=history.gl1, period="2026")
    assert gialam.get(f"/api/v1/values/{later.pk}/").status_code == 404
    assert gialam.get("/api/v1/values/", {"period": "2025Q4"}).json()["results"] == []
    targets = gialam.get("/api/v1/targets/").json()["results"]
    assert [(r["unit"], r["period"]) for r in targets] == [("GL", "2024")]
    target_2026 = Target.objects.get(period="2026")
    assert gialam.get(f"/api/v1/targets/{target_2026.pk}/").status_code == 404
    # The city (a live unit) still sees everything.
    rows = api(history.thanhpho).get("/api/v1/values/", {"unit": "GL1"}).json()["results"]
    assert [r["period"] for r in rows] == ["2024", "2025Q1", "2025Q4", "2026"]


def test_api_achievements_refuse_a_period_after_the_last_day(history) -> None:
    gialam = api(history.gialam)
    for period in ("2026", "2025Q4", "2025S2"):
        params = {"indicator": "TUYEN_TRUYEN", "period": period, "under": "GL1"}
        assert gialam.get("/api/v1/achievements/", params).status_code == 404, period
    assert (
        gialam.get("/api/v1/achievements/", {"indicator": "TUYEN_TRUYEN", "period": "2026"}).status_code
        == 404
    )
    rows = gialam.get("/api/v1/achievements/", {"indicator": "TUYEN_TRUYEN", "period": "2025"}).json()
    by_code = {r["unit_code"]: r for r in rows}
    assert by_code["GL"]["value"] == 3 and by_code["GL1"]["value"] == 3  # 2025Q1 only, not 2025Q4
    rows = api(history.thanhpho).get(
        "/api/v1/achievements/", {"indicator": "TUYEN_TRUYEN", "period": "2026", "under": "KL"}
    )
    assert {r["unit_code"]: r["value"] for r in rows.json()}["GL1"] == 11


def test_engine_leaves_out_a_whole_period_after_a_units_last_day(history) -> None:
    """Seen by anyone, the ended district's 2026 figure is empty: GL1's own 2026 value and target
    belong to Kim Liên's tree, not to a window that closed on 29/06/2025."""
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    figure = engine.value_of(indicator=talks, period=parse_period("2026"), unit=history.gl)
    assert (figure.value, figure.target) == (None, None)
    figure = engine.value_of(indicator=talks, period=parse_period("2025"), unit=history.gl)
    assert figure.value == 3


def test_values_page_stops_at_the_last_day(history) -> None:
    gialam = page(history.gialam)
    url = "/chi-tieu/so-lieu/"
    response = gialam.get(url, {"indicator": "TUYEN_TRUYEN", "unit": "GL", "period": "2025"})
    assert response.status_code == 200
    periods = [v.period for v in response.context["items"]]
    assert periods == ["2025Q1"]
    assert gialam.get(url, {"indicator": "TUYEN_TRUYEN", "unit": "GL1", "period": "2026"}).status_code == 404
    response = page(history.thanhpho).get(url, {"indicator": "TUYEN_TRUYEN", "unit": "GL1", "period": "2025"})
    assert [v.period for v in response.context["items"]] == ["2025Q1", "2025Q4"]


def test_by_unit_page_refuses_a_period_after_the_last_day(history) -> None:
    gialam = page(history.gialam)
    assert gialam.get("/chi-tieu/TUYEN_TRUYEN/", {"unit": "GL", "period": "2026"}).status_code == 404
    assert gialam.get("/chi-tieu/TUYEN_TRUYEN/", {"unit": "GL1", "period": "2025Q4"}).status_code == 404
    response = gialam.get("/chi-tieu/TUYEN_TRUYEN/", {"unit": "GL", "period": "2024"})
    assert response.status_code == 200
    assert response.context["head"].summary == "20/24 buổi — đạt 83,33%"


def test_entry_page_refuses_a_period_after_the_last_day(history) -> None:
    gialam = page(history.gialam)
    assert gialam.get("/chi-tieu/nhap/", {"unit": "GL1", "period": "2026"}).status_code == 404
    response = gialam.get("/chi-tieu/nhap/", {"unit": "GL1", "period": "2024"})
    assert response.status_code == 200
    assert response.context["can_write"] is False  # read-only history
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    assert response.context["current"][talks.pk] == 20
