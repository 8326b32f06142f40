"""Masking of personal data and the access log (who saw or exported it in full)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from congdoan.accounts.scope import Scope

from .models import AccessLog, Person


def mask(value: str | None, keep_start: int = 3, keep_end: int = 3) -> str:
    """``001234567345`` → ``001******345``; short values are masked whole."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_birth_date(person: Person) -> str:
    return f"**/**/{person.birth_date.year}" if person.birth_date else ""


def can_see_personal_data(scope: Scope) -> bool:
    """Administrators and CĐCS officers (who keep the roster) by default; a setting decides."""
    if scope.is_global:
        return True
    allowed = set(getattr(settings, "MEMBERS_PERSONAL_DATA_ROLES", []))
    return any(root.role in allowed and root.writable for root in scope.roots)


def log_access(
    *, user: Any, action: str, person: Person | None = None, unit: Any = None, detail: str = "", rows: int = 0
) -> AccessLog:
    return AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        person=person,
        unit=unit,
        detail=detail[:255],
        rows=rows,
    )
