"""API authentication: tokens expire, a bad or missing token is a 401, the schema and docs need login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from congdoan.conftest import Federation

pytestmark = pytest.mark.django_db


def _with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_fresh_token_works_and_an_old_one_is_refused(fed: Federation, settings) -> None:
    token = Token.objects.create(user=fed.kimlien)
    assert _with_token(token.key).get("/api/v1/units/").status_code == 200
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - dt.timedelta(days=settings.API_TOKEN_TTL_DAYS, minutes=1)
    )
    response = _with_token(token.key).get("/api/v1/units/")
    assert response.status_code == 401
    assert "Token đã hết hạn" in response.json()["detail"]


def test_an_invalid_or_missing_token_is_401_not_403(fed: Federation) -> None:
    bad = _with_token("0" * 40).get("/api/v1/units/")
    assert bad.status_code == 401
    assert bad["WWW-Authenticate"] == 'Token realm="api"' or bad["WWW-Authenticate"].startswith("Token")
    assert bad.json()["detail"] == "Token không hợp lệ."
    assert APIClient().get("/api/v1/units/").status_code == 401


def test_session_login_still_works_for_the_api(fed: Federation) -> None:
    client = Client()
    client.force_login(fed.kimlien)
    assert client.get("/api/v1/units/").status_code == 200


def test_schema_and_docs_need_login(fed: Federation) -> None:
    assert APIClient().get("/api/v1/schema/").status_code == 401
    docs = Client().get("/api/v1/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    client = Client()
    client.force_login(fed.kimlien)
    assert client.get("/api/v1/schema/").status_code == 200
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200 and b"swagger" in page.content.lower()
    # The Swagger UI start-up script is a file (the Content-Security-Policy forbids inline scripts).
    assert b"<script>" not in page.content
    assert client.get("/api/v1/docs/?script=").status_code == 200
