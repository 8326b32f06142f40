"""Session lifetime: an idle timeout that slides with use, and an absolute limit after signing in."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN_AT = "_last_seen_at"
# Saving the session renews its expiry (SESSION_COOKIE_AGE = the idle timeout); once a minute is
# enough, and spares a database write on each htmx poll.
REFRESH_EVERY_SECONDS = 60


def start_session_clock(
    sender: object, request: HttpRequest, user: AbstractBaseUser, **kwargs: object
) -> None:
    """On login (signal ``user_logged_in``): the absolute limit counts from now, and the first pages
    after signing in need no extra session write."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)  # flushes the session: the request goes on as anonymous
                messages.info(request, "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại.")
            elif now - session.get(LAST_SEEN_AT, 0) >= REFRESH_EVERY_SECONDS:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)
