"""/api/v1/members/: scoped, masked by role, access logged."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from congdoan.members import services
from congdoan.members.models import AccessLog

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def members(fed):
    services.member_admit(
        actor=None,
        cdcs=fed.gl1,
        join_date=dt.date(2025, 9, 1),
        full_name="Nguyễn Thị Hương",
        birth_date=dt.date(1995, 3, 2),
        gender="F",
        cccd="001195012345",
        phone="0912345678",
    )
    services.member_admit(
        actor=None,
        cdcs=fed.dd1,
        join_date=dt.date(2025, 9, 1),
        full_name="Trần Văn An",
        birth_date=dt.date(1990, 1, 1),
        gender="M",
        cccd="001090054321",
        phone="0987654321",
    )
    return fed


def test_masked_for_ward_officer(members) -> None:
    body = client_for(members.kimlien).get("/api/v1/members/").json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["full_name"] == "Trần Văn An"  # Vietnamese order: by given name (An before Hương)
    assert first["cccd"] == "001******321" and first["birth_date"] == "**/**/1990"
    assert AccessLog.objects.count() == 0


def test_full_for_cdcs_officer_and_logged(members) -> None:
    body = client_for(members.cdcs).get("/api/v1/members/").json()
    assert [m["cccd"] for m in body["results"]] == ["001090054321"]
    assert AccessLog.objects.filter(user=members.cdcs, action="api").count() == 1


def test_scope_search_and_404(members) -> None:
    client = client_for(members.cdcs)
    other = client_for(members.kimlien).get("/api/v1/members/", {"search": "huong"}).json()["results"][0]
    assert client.get(f"/api/v1/members/{other['id']}/").status_code == 404
    assert client_for(members.gialam).get("/api/v1/members/").json()["count"] == 0


def test_digits_of_a_masked_number_are_no_oracle_and_are_logged(members) -> None:
    """The ward officer sees ``001******345``: trying ``0011``, ``00119``, … finds nobody (it would
    reveal the hidden digits one by one); the whole number finds her; each such search is logged."""
    client = client_for(members.kimlien)
    for prefix in ("0011", "00119", "001195", "0011950"):
        assert client.get("/api/v1/members/", {"search": prefix}).json()["count"] == 0, prefix
    assert client.get("/api/v1/members/", {"search": "012345"}).json()["count"] == 0
    body = client.get("/api/v1/members/", {"search": "001195012345"}).json()
    assert [m["full_name"] for m in body["results"]] == ["Nguyễn Thị Hương"]
    assert body["results"][0]["cccd"] == "001******345"
    logged = AccessLog.objects.filter(user=members.kimlien, action=AccessLog.Action.SEARCH)
    assert logged.count() == 6 and logged.filter(rows=1, detail__contains="001195012345").count() == 1
    client.get("/api/v1/members/", {"search": "huong"})
    assert AccessLog.objects.filter(user=members.kimlien).count() == 6  # a name search is not
