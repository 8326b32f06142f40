"""The REST API: scoped lists, 404 outside scope, accent-insensitive search, token auth, schema."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from congdoan.org import services

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_is_refused(fed) -> None:
    assert APIClient().get("/api/v1/units/").status_code in (401, 403)


def test_units_list_is_scoped_and_paginated(fed) -> None:
    body = client_for(fed.kimlien).get("/api/v1/units/?page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2 and body["next"]
    page2 = client_for(fed.kimlien).get(body["next"]).json()
    assert {u["code"] for u in body["results"] + page2["results"]} == {"KL", "GL1", "DD1"}


def test_unit_detail_404_outside_scope(fed) -> None:
    assert client_for(fed.kimlien).get("/api/v1/units/GL2/").status_code == 404
    assert client_for(fed.gialam).get("/api/v1/units/KL/").status_code == 404
    detail = client_for(fed.gialam).get("/api/v1/units/GL1/").json()
    assert detail["name"] == "CĐCS Công ty May Gia Lâm"
    assert [h["parent"] for h in detail["history"]] == ["GL", "HN", "KL"]


def test_search_without_accents(fed) -> None:
    body = client_for(fed.thanhpho).get("/api/v1/units/", {"search": "gia lam", "on": "2024-12-31"}).json()
    assert "LĐLĐ huyện Gia Lâm" in {u["name"] for u in body["results"]}
    body = client_for(fed.kimlien).get("/api/v1/units/", {"search": "gia lam"}).json()
    assert {u["code"] for u in body["results"]} == {"GL1"}


def test_filter_by_type(fed) -> None:
    body = client_for(fed.thanhpho).get("/api/v1/units/", {"type": "CDCS"}).json()
    assert {u["code"] for u in body["results"]} == {"GL1", "GL2", "DD1"}


def test_employers_scoped(fed) -> None:
    mine = services.employer_create(
        actor=None,
        name="Công ty May Gia Lâm",
        tax_code="0101234567",
        sector="DN_NGOAI_NHA_NUOC",
        unit=fed.kl,
        cdcs=fed.gl1,
        workforce=300,
    )
    other = services.employer_create(
        actor=None, name="Công ty Sông Hồng", tax_code="0109999999", sector="FDI", unit=fed.hn, workforce=50
    )
    body = client_for(fed.kimlien).get("/api/v1/employers/").json()
    assert [e["tax_code"] for e in body["results"]] == ["0101234567"]
    assert client_for(fed.kimlien).get(f"/api/v1/employers/{other.pk}/").status_code == 404
    assert client_for(fed.kimlien).get(f"/api/v1/employers/{mine.pk}/").json()["cdcs"] == "GL1"
    body = client_for(fed.thanhpho).get("/api/v1/employers/", {"has_cdcs": "false"}).json()
    assert [e["name"] for e in body["results"]] == ["Công ty Sông Hồng"]
    body = client_for(fed.thanhpho).get("/api/v1/employers/", {"search": "song hong"}).json()
    assert body["count"] == 1


def test_token_auth_via_cli(fed, capsys) -> None:
    call_command("drf_create_token", "kimlien")
    token = Token.objects.get(user=fed.kimlien).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/units/").json()["count"] == 3


def test_openapi_schema_and_docs(fed) -> None:
    client = client_for(fed.thanhpho)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/units/{code}/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()


def test_openapi_schema_is_valid_without_warnings(tmp_path) -> None:
    """The whole API's schema validates and drf-spectacular has nothing to warn about."""
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    for path in ("/api/v1/members/", "/api/v1/achievements/", "/api/v1/agreements/", "/api/v1/imports/"):
        assert path in text
