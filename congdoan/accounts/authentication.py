"""API token authentication whose tokens expire (DRF's own never do)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token KEY``, refused once the token is older than ``API_TOKEN_TTL_DAYS``.

    A leaked token stops working on its own; `congdoan drf_create_token -r NAME` issues a new one."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            user, token = super().authenticate_credentials(key)
        except AuthenticationFailed as error:
            raise AuthenticationFailed("Token không hợp lệ.") from error
        max_age = dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)
        if token.created < timezone.now() - max_age:
            raise AuthenticationFailed(
                f"Token đã hết hạn (quá {settings.API_TOKEN_TTL_DAYS} ngày); hãy xin cấp token mới."
            )
        return user, token
