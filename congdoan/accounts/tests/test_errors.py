"""Vietnamese 404/403/500 pages that say why (issue 12): read-only, out of scope, no such page."""

from __future__ import annotations

import pytest
from django.test import Client

from congdoan.accounts.models import User
from congdoan.conftest import Federation

READ_ONLY = "đã chấm dứt hoạt động từ 30/06/2025"
WRITE_PAGES = ["/thoa-uoc/them/", "/doan-vien/them/", "/don-vi/GL/sua/", "/hoi-nghi/them/"]


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", WRITE_PAGES)
def test_an_ended_units_officer_is_told_the_unit_is_read_only(fed: Federation, settings, path, debug) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = debug
    response = _client(fed.gialam).get(path)
    assert response.status_code == 404
    text = _text(response)
    assert "Chỉ được xem" in text and READ_ONLY in text and "«LĐLĐ huyện Gia Lâm»" in text
    assert "chỉ được xem số liệu đến ngày 29/06/2025" in text
    assert "Page not found" not in text and "URLconf" not in text


@pytest.mark.parametrize("debug", [False, True])
def test_out_of_scope_and_unknown_pages(fed: Federation, settings, debug) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = debug
    client = _client(fed.kimlien)
    response = client.get("/don-vi/GL2/")  # a unit outside Kim Liên's subtree
    assert response.status_code == 404
    text = _text(response)
    assert "Không tìm thấy" in text and "không thuộc phạm vi" in text and "Page not found" not in text
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không có trang này" in _text(response) and "URLconf" not in _text(response)
    # An ended unit's officer reading a page that does not exist is not told about writing.
    response = _client(fed.gialam).get("/don-vi/KHONG-CO/")
    assert response.status_code == 404 and READ_ONLY not in _text(response)


def test_debug_keeps_api_answers_and_slash_redirects(fed: Federation, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    client = _client(fed.kimlien)
    assert client.get("/doan-vien").status_code == 301
    response = client.get("/api/v1/units/KHONG-CO/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_forbidden_and_server_error_pages(rf, fed: Federation) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from congdoan.accounts.errors import permission_denied, server_error

    request = rf.get("/bao-cao/mau/")
    request.user = fed.kimlien
    request.session = {}
    request._messages = []
    response = permission_denied(request, PermissionDenied("Chỉ cán bộ cấp thành phố tải mẫu báo cáo."))
    assert response.status_code == 403 and "Chỉ cán bộ cấp thành phố tải mẫu báo cáo." in _text(response)
    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "Lỗi hệ thống" in _text(response)
