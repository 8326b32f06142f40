"""Bad input the API fuzzer found answering 500: each now a 4xx with a Vietnamese message."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from congdoan.conftest import Federation

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("year", ["0", "-5", "999999999", "2024.5", "NaN", "1e9"])
def test_member_join_year_out_of_range_is_a_400(fed: Federation, year: str) -> None:
    response = client_for(fed.thanhpho).get("/api/v1/members/", {"join_year": year})
    assert response.status_code == 400
    message = "Năm vào công đoàn phải là số nguyên từ 1900 đến 2100, ví dụ 2025."
    assert response.json()["join_year"] == [message]


def test_member_join_year_in_range_still_filters(fed: Federation) -> None:
    response = client_for(fed.thanhpho).get("/api/v1/members/", {"join_year": "2024"})
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"expiring": "999999999"}, "expiring", "Số ngày phải là số nguyên từ 0 đến 3650."),
        ({"expiring": "-374551639"}, "expiring", "Số ngày phải là số nguyên từ 0 đến 3650."),
        ({"expiring": "1.5"}, "expiring", "Số ngày phải là số nguyên từ 0 đến 3650."),
        ({"year": "0"}, "year", "Năm phải là số từ 1900 đến 2100, ví dụ 2025."),
        ({"year": "99999"}, "year", "Năm phải là số từ 1900 đến 2100, ví dụ 2025."),
    ],
)
def test_agreement_filters_out_of_range_are_a_400(fed: Federation, params, field, message) -> None:
    response = client_for(fed.thanhpho).get("/api/v1/agreements/", params)
    assert response.status_code == 400
    assert response.json()[field] == [message]
    # The list page shares the filter: the same message, on the page, not a 500.
    client = APIClient()
    client.force_login(fed.thanhpho)
    page = client.get("/thoa-uoc/", params)
    assert page.status_code == 200 and message in page.content.decode()


def test_agreement_expiring_within_bounds_answers(fed: Federation) -> None:
    assert client_for(fed.thanhpho).get("/api/v1/agreements/", {"expiring": "3650"}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/abc/",
        "/api/v1/reports/abc/download/",
        "/api/v1/reports/-1/",
        "/api/v1/reports/99999999999999999999999/",
        "/api/v1/reports/99999999999999999999999/download/",
        "/api/v1/members/99999999999999999999999/",
        "/api/v1/agreements/99999999999999999999999/",
        "/api/v1/conferences/99999999999999999999999/",
        "/api/v1/employers/99999999999999999999999/",
        "/api/v1/imports/99999999999999999999999/",
        "/api/v1/targets/99999999999999999999999/",
        "/api/v1/values/abc/",
    ],
)
def test_ids_that_are_not_ids_are_a_404(fed: Federation, path: str) -> None:
    assert client_for(fed.thanhpho).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/members/?search=a%00b",
        "/api/v1/units/?search=%00",
        "/api/v1/targets/?unit=HN%00",
        "/api/v1/achievements/?indicator=TUYEN_TRUYEN&period=2024&under=%00",
    ],
)
def test_a_nul_character_in_the_query_is_a_400(fed: Federation, path: str) -> None:
    """PostgreSQL refuses NUL in text: it was a 500 there (the fuzzer's search=...\\x00...)."""
    response = client_for(fed.thanhpho).get(path)
    assert response.status_code == 400
    assert "ký tự NUL" in response.json()["detail"]


def test_a_nul_character_on_a_page_is_a_400_too(fed: Federation) -> None:
    client = APIClient()
    client.force_login(fed.thanhpho)
    response = client.get("/doan-vien/?q=%00")
    assert response.status_code == 400 and "ký tự NUL" in response.content.decode()
