"""Session lifetime: an idle timeout that slides with use, and an absolute limit after signing in."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN_AT = "_last_seen_at"
# Saving the session renews its expiry (SESSION_COOKIE_AGE = the idle timeout); once a minute is
# enough, and spares a database write on each htmx poll.
REFRESH_EVERY_SECONDS = 60


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
