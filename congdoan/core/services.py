"""Writes every domain app shares: the update-and-audit sequence of an edit.

Every update service runs the same steps after its own checks (scope, version, field rules): take the
record's values before, set the new ones, validate the model, save, and write one audit entry with only
what really changed, before and after, in the caller's transaction. ``model_update`` is those steps once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import models

from .audit import audit_log, changed, snapshot
from .models import AuditEntry

M = TypeVar("M", bound=models.Model)


def model_update(
    *,
    actor: Any,
    instance: M,
    fields: dict[str, Any],
    audit_action: str = AuditEntry.Action.UPDATE,
    audit_fields: Sequence[str] | None = None,
    snapshot_of: Callable[[M], dict[str, Any]] | None = None,
    unit: Any = None,
    object_id: str = "",
    clean_exclude: list[str] | None = None,
    before_save: Callable[[M], None] | None = None,
    after_save: Callable[[M], None] | None = None,
) -> tuple[M, list[str]]:
    """Set ``fields`` on ``instance``, ``full_clean`` and save it, and audit what changed.

    Call it inside the service's ``transaction.atomic``, after the service's own validation. The audit
    entry (``audit_action``, on ``unit``) holds the values that differ, before and after, as
    ``snapshot_of(instance)`` gives them (default: ``core.audit.snapshot`` of ``audit_fields``, which
    default to the keys of ``fields``); nothing is written to the audit when nothing changed.
    ``before_save`` runs after validation, just before the save (e.g. to store an uploaded file);
    ``after_save`` runs before the values are read again (e.g. to set many-to-many relations).
    Returns the instance and the names of the changed values."""
    if snapshot_of is None:
        names = list(audit_fields if audit_fields is not None else fields)

        def snapshot_of(obj: M) -> dict[str, Any]:
            return snapshot(obj, names)

    before = snapshot_of(instance)
    for key, value in fields.items():
        setattr(instance, key, value)
    instance.full_clean(exclude=clean_exclude)
    if before_save is not None:
        before_save(instance)
    instance.save()
    if after_save is not None:
        after_save(instance)
    old, new = changed(before, snapshot_of(instance))
    if new:
        audit_log(
            actor=actor,
            action=audit_action,
            obj=instance,
            object_id=object_id,
            unit=unit,
            before=old,
            after=new,
        )
    return instance, list(new)
