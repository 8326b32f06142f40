"""The admit form reports every problem at once and preselects a CĐCS officer's one CĐCS (issue 12)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.members.models import Person

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


FORM = {
    "cdcs": "GL1",
    "join_date": "15/10/2025",
    "full_name": "Đỗ Minh Đức",
    "birth_date": "05/06/1992",
    "gender": "M",
    "cccd": "001192000777",  # the 4th digit says female
    "phone": "123",
    "email": "khong-phai-thu",
    "nationality": "VN",
}


def test_an_email_error_does_not_hide_the_cccd_and_phone_errors(fed) -> None:  # type: ignore[no-untyped-def]
    response = _client(fed.kimlien).post(reverse("members:admit"), FORM)
    errors = response.context["form"].errors
    assert errors["email"] == ["Địa chỉ thư điện tử không hợp lệ."]
    assert "CCCD cho biết giới tính Nữ, khác với giới tính đã khai." in errors["cccd"]
    assert any("Số điện thoại không hợp lệ" in e for e in errors["phone"])
    assert not Person.objects.filter(full_name="Đỗ Minh Đức").exists()


def test_service_errors_come_together(fed) -> None:  # type: ignore[no-untyped-def]
    """A first admission after the join date, a bad CCCD and a bad phone: one answer."""
    form = {**FORM, "email": "", "union_join_date": "01/01/2026"}
    errors = _client(fed.kimlien).post(reverse("members:admit"), form).context["form"].errors
    assert {"union_join_date", "cccd", "phone"} <= set(errors)


def test_admit_form_preselects_the_only_cdcs(fed) -> None:  # type: ignore[no-untyped-def]
    response = _client(fed.cdcs).get(reverse("members:admit"))
    assert response.context["form"].initial["cdcs"] == "DD1"
    assert response.context["cdcs"] == fed.dd1
    # Kim Liên writes for two CĐCS: nothing is chosen for it.
    assert _client(fed.kimlien).get(reverse("members:admit")).context["form"].initial["cdcs"] == ""
