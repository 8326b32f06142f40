"""Login hardening: the lockout is keyed on the real client behind the proxy, the password policy,
and the session's idle and absolute timeouts."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from congdoan.accounts.client_ip import client_ip
from congdoan.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from congdoan.accounts.models import User
from congdoan.conftest import PASSWORD, Federation
from congdoan.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, client_address: str) -> int:
    """A login posted through the reverse proxy (loopback, trusted) for the given client address."""
    response = client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=client_address,
    )
    return response.status_code


# -- lockout ------------------------------------------------------------------------------------------


def test_a_stranger_behind_the_proxy_cannot_lock_the_administrator_out(fed: Federation, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    assert _login(Client(), "admin", "sai-mat-khau", "203.0.113.5") == 200
    for _ in range(2):  # the third failure locks
        _login(Client(), "admin", "sai-mat-khau", "203.0.113.5")
    # The stranger's address is locked, even with the right password ...
    assert _login(Client(), "admin", PASSWORD, "203.0.113.5") == 429
    # ... but the administrator, from another address behind the same proxy, signs in.
    assert _login(Client(), "admin", PASSWORD, "198.51.100.7") == 302


def test_a_direct_client_cannot_dodge_the_lockout_with_a_forged_header(fed: Federation, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    stranger = {"REMOTE_ADDR": "203.0.113.9"}  # not a trusted proxy: its X-Forwarded-For is ignored
    for n in range(3):
        Client().post(
            reverse("login"),
            {"username": "kimlien", "password": "sai"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
            **stranger,
        )
    locked = Client().post(
        reverse("login"),
        {"username": "kimlien", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.9",
        **stranger,
    )
    assert locked.status_code == 429
    assert "Bạn đã đăng nhập sai quá nhiều lần" in locked.content.decode()


def test_client_ip_trusts_only_the_proxies_hops(settings) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    factory = RequestFactory()

    def ip(remote: str, forwarded: str | None = None) -> str | None:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_ip(factory.get("/", REMOTE_ADDR=remote, **extra))

    assert ip("127.0.0.1") == "127.0.0.1"
    assert ip("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    # A client-written left part is skipped: the first untrusted hop from the right is the client.
    assert ip("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.1.2.3") == "203.0.113.5"
    assert ip("127.0.0.1", "n'importe quoi, 10.1.2.3") == "10.1.2.3"
    assert ip("198.51.100.1", "203.0.113.5") == "198.51.100.1"


# -- password policy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["Demo2025", "Congdoan1", "123456789012", "matkhau"])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak, User(username="kimlien"))


def test_the_demo_password_meets_the_policy() -> None:
    for username in ("thanhpho", "kimlien", "cdcs", "gialam", "admin"):
        validate_password(DEMO_PASSWORD, User(username=username))
    validate_password(PASSWORD, User(username="kimlien"))


def test_password_change_refuses_a_short_password_in_vietnamese(fed: Federation) -> None:
    client = Client()
    client.force_login(fed.kimlien)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Demo2025", "new_password2": "Demo2025"},
    )
    assert response.status_code == 200
    assert "ít nhất 10 ký tự" in response.content.decode()
    fed.kimlien.refresh_from_db()
    assert fed.kimlien.check_password(PASSWORD)


# -- sessions -----------------------------------------------------------------------------------------


def _signed_in(fed: Federation) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": "kimlien", "password": PASSWORD}).status_code == 302
    assert client.get(reverse("org:home")).status_code == 200
    return client


def _expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_expires_after_an_idle_hour_and_slides_with_use(fed: Federation, settings) -> None:
    assert settings.SESSION_COOKIE_AGE <= 3600  # not Django's two weeks
    client = _signed_in(fed)
    # Last seen two minutes ago, five minutes left: a request renews the whole idle period.
    session = client.session
    session[LAST_SEEN_AT] = int(time.time()) - 120
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5)
    )
    assert client.get(reverse("org:home")).status_code == 200
    assert _expiry(client) > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # Idle past the expiry: signed out.
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(reverse("org:home")).status_code == 302


def test_session_ends_after_the_absolute_limit_even_when_used(fed: Federation, settings) -> None:
    assert settings.SESSION_ABSOLUTE_AGE <= 12 * 3600
    client = _signed_in(fed)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_AGE - 1
    session.save()
    response = client.get(reverse("org:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại." in response.content.decode()
    assert client.get(reverse("org:home")).status_code == 302
