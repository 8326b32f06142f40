"""Writing audit entries. Called by services inside their transaction — never by signals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditEntry


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """A JSON-safe dict of the named fields (foreign keys by their ``code`` or id)."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = getattr(value, "code", None) or value.pk
        elif isinstance(value, dt.date | Decimal):
            value = str(value)
        data[name] = value
    return data


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, so the trail shows what really changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str = "",
    object_repr: str = "",
    unit: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "code", None) or obj.pk)
        object_repr = object_repr or str(obj)[:255]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=object_type or "",
        object_id=object_id,
        object_repr=object_repr,
        unit=unit,
        before=before,
        after=after,
        note=note[:255],
    )


def audit_export(
    *, actor: Any, kind: str, label: str, rows: int, filters: Any = None, unit: Any = None
) -> AuditEntry:
    """One entry per export (who took which list, with which filters, how many rows)."""
    return audit_log(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type=kind,
        object_repr=label[:255],
        unit=unit,
        after={"rows": rows, "filters": filters},
        note="export",
    )
