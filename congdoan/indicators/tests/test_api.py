"""/api/v1/indicators, targets, values, achievements: the §5 row shape, scoped, writes through services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from congdoan.indicators import services
from congdoan.indicators.models import DataValue, Indicator, Target

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def figures(fed):
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    services.value_set(actor=None, unit=fed.gl1, indicator=talks, period="2024", value=20)
    services.value_set(actor=None, unit=fed.gl2, indicator=talks, period="2024", value=9)
    services.target_set(actor=fed.thanhpho, unit=fed.gl, indicator=talks, period="2024", value=24)
    return fed


def test_catalogue_lists_the_standard_indicators(fed) -> None:
    response = client_for(fed.kimlien).get("/api/v1/indicators/", {"page_size": 500})
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()["results"]}
    assert by_code["TL_BAO_PHU"]["aggregation"] == "ratio"
    assert by_code["TL_BAO_PHU"]["numerator"] == "DV_TONG"
    assert (
        client_for(fed.kimlien).get("/api/v1/indicators/DV_KET_NAP/").json()["name"]
        == "Đoàn viên kết nạp mới"
    )
    assert APIClient().get("/api/v1/indicators/").status_code in (401, 403)


def test_achievements_rows_have_the_contract_shape(figures) -> None:
    response = client_for(figures.thanhpho).get(
        "/api/v1/achievements/", {"indicator": "TUYEN_TRUYEN", "period": "2024", "under": "HN", "depth": 1}
    )
    assert response.status_code == 200
    rows = response.json()
    assert list(rows[0]) == [
        "unit_code",
        "unit_name",
        "value",
        "target",
        "achievement",
        "value_display",
        "achievement_display",
        # Additive (issue 18): where the figure comes from, counted live or summed from kept figures.
        "figures_source",
        "kept_at",
    ]
    assert (rows[0]["figures_source"], rows[0]["kept_at"]) == ("live", None)
    by_code = {r["unit_code"]: r for r in rows}
    assert by_code["HN"]["value"] == 29 and by_code["HN"]["target"] == 24
    assert by_code["GL"]["achievement_display"] == "120,83%"
    assert by_code["GL"]["achievement"] == pytest.approx(29 / 24, abs=1e-6)
    assert by_code["DD"]["value"] is None and by_code["DD"]["achievement"] is None


def test_achievements_are_scoped_and_validated(figures) -> None:
    kimlien = client_for(figures.kimlien)
    params = {"indicator": "TUYEN_TRUYEN", "period": "2024", "under": "GL"}
    assert kimlien.get("/api/v1/achievements/", params).status_code == 404
    response = kimlien.get("/api/v1/achievements/", {"indicator": "KHONG_CO", "period": "2024Q9"})
    assert response.status_code == 400
    body = response.json()
    assert body["indicator"] == ["Không có chỉ tiêu «KHONG_CO»."]
    assert "Mã kỳ không hợp lệ" in body["period"][0]
    # Without ``under``: the user's own unit and its children.
    rows = client_for(figures.gialam).get(
        "/api/v1/achievements/", {"indicator": "TUYEN_TRUYEN", "period": "2024"}
    )
    assert [r["unit_code"] for r in rows.json()] == ["GL", "GL1", "GL2"]


def test_post_and_put_target_through_the_service(figures) -> None:
    thanhpho = client_for(figures.thanhpho)
    response = thanhpho.post(
        "/api/v1/targets/",
        {"unit": "KL", "indicator": "TUYEN_TRUYEN", "period": "2026", "value": "12"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["unit"] == "KL" and response.json()["value"] == 12
    target = Target.objects.get(unit=figures.kl, period="2026")
    response = thanhpho.put(f"/api/v1/targets/{target.pk}/", {"value": "15"}, format="json")
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.value == Decimal(15)
    # A unit does not hand targets to itself; units outside the scope are 404.
    kimlien = client_for(figures.kimlien)
    response = kimlien.post(
        "/api/v1/targets/",
        {"unit": "KL", "indicator": "TUYEN_TRUYEN", "period": "2027", "value": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert "do đơn vị cấp trên giao" in response.json()["detail"][0]
    response = kimlien.post(
        "/api/v1/targets/",
        {"unit": "GL", "indicator": "TUYEN_TRUYEN", "period": "2024", "value": "1"},
        format="json",
    )
    assert response.status_code == 404
    assert not Target.objects.filter(period="2027").exists()


def test_target_list_is_scoped_and_filtered(figures) -> None:
    services.target_set(
        actor=figures.thanhpho,
        unit=figures.kl,
        indicator=Indicator.objects.get(code="TUYEN_TRUYEN"),
        period="2026",
        value=5,
    )
    rows = client_for(figures.kimlien).get("/api/v1/targets/", {"period": "2026"}).json()["results"]
    assert [(r["unit"], r["indicator"], r["value"]) for r in rows] == [("KL", "TUYEN_TRUYEN", 5)]
    assert client_for(figures.gialam).get("/api/v1/targets/", {"period": "2026"}).json()["results"] == []
    rows = client_for(figures.thanhpho).get("/api/v1/targets/", {"unit": "GL"}).json()["results"]
    assert [r["period"] for r in rows] == ["2024"]
    gl_target = Target.objects.get(unit=figures.gl)
    assert client_for(figures.kimlien).get(f"/api/v1/targets/{gl_target.pk}/").status_code == 404


def test_values_post_and_refusals(figures) -> None:
    cdcs = client_for(figures.cdcs)
    response = cdcs.post(
        "/api/v1/values/",
        {"unit": "DD1", "indicator": "TUYEN_TRUYEN", "period": "2026", "value": "4"},
        format="json",
    )
    assert response.status_code == 201
    assert DataValue.objects.get(unit=figures.dd1, period="2026").value == 4
    response = cdcs.post(
        "/api/v1/values/",
        {"unit": "DD1", "indicator": "DV_KET_NAP", "period": "2026", "value": "4"},
        format="json",
    )
    assert response.status_code == 400
    assert "được tính từ dữ liệu" in response.json()["indicator"][0]
    response = cdcs.post(
        "/api/v1/values/",
        {"unit": "GL1", "indicator": "TUYEN_TRUYEN", "period": "2026", "value": "4"},
        format="json",
    )
    assert response.status_code == 404
    rows = (
        client_for(figures.thanhpho)
        .get("/api/v1/values/", {"unit": "GL1", "period": "2024"})
        .json()["results"]
    )
    assert [(r["indicator"], r["value"]) for r in rows] == [("TUYEN_TRUYEN", 20)]


# -- bad figures: refused with a Vietnamese message before anything is stored ------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e17", "quá lớn"),
        (1e17, "quá lớn"),
        ("1e308", "quá lớn"),
        ("1e-240", "chữ số thập phân"),
        ("NaN", "không phải là một số hữu hạn"),
        ("Infinity", "không phải là một số hữu hạn"),
        ("-5", "không âm"),
        ("mười hai", "không phải là số"),
        (True, "phải là một số"),
        ({"a": 1}, "phải là một số"),
    ],
)
@pytest.mark.parametrize("endpoint", ["values", "targets"])
def test_out_of_range_figures_are_refused_and_not_stored(figures, endpoint, value, message) -> None:
    """1e17 used to answer 500 yet keep the row, and every later list of it answered 500 too."""
    thanhpho = client_for(figures.thanhpho)
    response = thanhpho.post(
        f"/api/v1/{endpoint}/",
        {"unit": "KL", "indicator": "TUYEN_TRUYEN", "period": "2026", "value": value},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert message in response.json()["value"][0]
    assert not DataValue.objects.filter(period="2026").exists()
    assert not Target.objects.filter(period="2026").exists()
    assert thanhpho.get(f"/api/v1/{endpoint}/").status_code == 200
    thanhpho.force_login(figures.thanhpho)  # the page needs a session, not only the API's forced user
    assert thanhpho.get("/chi-tieu/", {"period": "2026"}).status_code == 200


def test_put_refuses_a_huge_value_and_keeps_the_old_one(figures) -> None:
    target = Target.objects.get(unit=figures.gl, period="2024")
    thanhpho = client_for(figures.thanhpho)
    response = thanhpho.put(f"/api/v1/targets/{target.pk}/", {"value": "1e17"}, format="json")
    assert response.status_code == 400
    target.refresh_from_db()
    assert target.value == 24


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("TUYEN_TRUYEN", "12.5", "Số buổi phải là số nguyên"),
        ("TUYEN_TRUYEN", "1000000001", "vượt quá mức cho phép (1 tỷ)"),
        ("TRO_CAP_NGUOI", "3.5", "Số người phải là số nguyên"),
        ("TRO_CAP_TIEN", "1500.5", "Số tiền phải là số nguyên đồng"),
        ("TRO_CAP_TIEN", "2000000000000000", "1.000.000 tỷ đồng"),
    ],
)
def test_service_bounds_follow_the_indicator_unit(figures, code, value, message) -> None:
    """Forms, imports and the API share ``value_set``: the bounds live there, not only in the API."""
    from django.core.exceptions import ValidationError

    indicator = Indicator.objects.get(code=code)
    with pytest.raises(ValidationError) as caught:
        services.value_set(actor=None, unit=figures.kl, indicator=indicator, period="2026", value=value)
    assert message in caught.value.message_dict["value"][0]
    assert not DataValue.objects.filter(period="2026").exists()
    stored = services.value_set(
        actor=None, unit=figures.kl, indicator=indicator, period="2026", value="1000000"
    )
    assert stored.value == 1_000_000


def test_a_share_target_is_a_fraction_at_most_100_percent(figures) -> None:
    share = Indicator.objects.get(code="TL_BAO_PHU")
    target = services.target_set(actor=None, unit=figures.kl, indicator=share, period="2026", value="70.125")
    assert target is not None and target.value == Decimal("0.7013")  # kept to 0,01 %
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.target_set(actor=None, unit=figures.kl, indicator=share, period="2026", value="150")
    assert caught.value.message_dict["value"] == ["Tỷ lệ phải từ 0 đến 100%."]
