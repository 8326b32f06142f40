"""Writes every domain app shares: the update-and-audit sequence of an edit, the collected problems of a
service's checks (``Problems``) and one step of a record's workflow (``state_step``).

Every update service runs the same steps after its own checks (scope, version, field rules): take the
record's values before, set the new ones, validate the model, save, and write one audit entry with only
what really changed, before and after, in the caller's transaction. ``model_update`` is those steps once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
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


class Problems:
    """Every problem a service's checks find, raised together as one ``ValidationError`` per field.

    Services check everything first and write nothing until ``raise_if_any()`` has passed, so a form or
    an import row shows all its problems at once. ``field`` is a form field name or ``"__all__"``;
    ``params`` fill ``%(name)s`` placeholders in the Vietnamese message."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, **params: Any) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, params=params or None))

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def messages(self) -> dict[str, list[str]]:
        """The problems as plain text, per field (for an import's row report)."""
        return {f: [m for e in errs for m in e.messages] for f, errs in self.by_field.items()}

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)  # type: ignore[arg-type]


def state_step(
    *,
    actor: Any,
    instance: M,
    allowed: Iterable[str],
    to: str,
    action: str,
    unit: Any = None,
    dates: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
    note: str = "",
    state_field: str = "state",
) -> M:
    """One step of a record's workflow (propose → approve → pay, apply → appraise → disburse, …).

    Refuses in Vietnamese when the record is not in one of the ``allowed`` states (``action`` is the verb,
    e.g. "phê duyệt"); otherwise sets the new state, the step's ``dates`` (e.g. ``{"approved_on": day}``)
    and other ``fields``, saves only those and writes one audit entry with the state before and after.
    Call it inside the service's ``transaction.atomic`` after the service's own checks (scope, dates),
    on a row the service has locked if two people may act at once."""
    allowed = list(allowed)
    current = getattr(instance, state_field)
    if current not in allowed:
        field = instance._meta.get_field(state_field)
        labels = dict(getattr(field, "choices", None) or [])
        raise ValidationError(
            {
                state_field: ValidationError(
                    "Không thể %(action)s «%(obj)s»: đang ở trạng thái «%(state)s» (cần: %(wanted)s).",
                    params={
                        "action": action,
                        "obj": str(instance),
                        "state": labels.get(current, current),
                        "wanted": ", ".join(str(labels.get(s, s)).lower() for s in allowed),
                    },
                )
            }
        )
    changes = {state_field: to, **(dates or {}), **(fields or {})}
    for key, value in changes.items():
        setattr(instance, key, value)
    instance.save(update_fields=list(changes))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=instance,
        unit=unit,
        before={state_field: current},
        after={k: (v if isinstance(v, int | str | None) else str(v)) for k, v in changes.items()},
        note=note,
    )
    return instance
