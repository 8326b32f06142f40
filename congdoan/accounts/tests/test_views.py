"""Login, logout, password change and failed-login throttling, in Vietnamese."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese() -> None:
    response = Client().get(reverse("login"))
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in text
    assert "Đăng nhập" in text and "Tên đăng nhập" in text and "Mật khẩu" in text


def test_login_and_logout(fed) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "kimlien", "password": PASSWORD}, follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("org:home")
    assert "Công đoàn phường Kim Liên" in text and "Đăng xuất" in text
    # A logged-in user opening the login page goes home.
    assert client.get(reverse("login")).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("org:home")).status_code == 302


def test_wrong_password_gives_a_vietnamese_error(fed) -> None:
    response = Client().post(reverse("login"), {"username": "kimlien", "password": "sai-mat-khau"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in text
    empty = Client().post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Chưa nhập tên đăng nhập." in empty


def test_failed_logins_are_throttled(fed, settings) -> None:
    """After AXES_FAILURE_LIMIT failures, even the right password is refused with a Vietnamese page."""
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post(reverse("login"), {"username": "kimlien", "password": "sai"})
    response = client.post(reverse("login"), {"username": "kimlien", "password": PASSWORD})
    text = response.content.decode()
    assert response.status_code == 429
    assert "Bạn đã đăng nhập sai quá nhiều lần" in text
    assert "15 phút" in text
    assert client.get(reverse("org:home")).status_code == 302  # still not logged in
    # Another user from the same address is not locked out (username + IP pair).
    other = client.post(reverse("login"), {"username": "thanhpho", "password": PASSWORD})
    assert other.status_code == 302


def test_password_change(fed) -> None:
    client = Client()
    client.force_login(fed.kimlien)
    text = client.get(reverse("password_change")).content.decode()
    assert "Đổi mật khẩu" in text and "Mật khẩu cũ" in text
    bad = client.post(
        reverse("password_change"),
        {
            "old_password": "sai",
            "new_password1": "Kh0ng-de-doan!",
            "new_password2": "Kh0ng-de-doan!",
        },
    ).content.decode()
    assert "Mật khẩu cũ không chính xác" in bad
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Kh0ng-de-doan!",
            "new_password2": "Kh0ng-de-doan!",
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu." in response.content.decode()
    fed.kimlien.refresh_from_db()
    assert fed.kimlien.check_password("Kh0ng-de-doan!")
