"""View helpers every app's pages share: a service's errors on a form, an audit trail as readable lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form

from .formatting import format_date
from .models import AuditEntry


def add_service_errors(
    form: Form, exc: ValidationError, fallback: str | None = None, rename: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: each message on its field (the service's name
    ``rename``d to the form's) when the form has one, else on ``fallback`` (default: on top)."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            field = (rename or {}).get(key, key)
            form.add_error(field if field in form.fields else fallback, errors)
    else:
        form.add_error(fallback, exc)


def show_value(key: str, value: Any, choices: Mapping[str, Mapping[Any, Any]] | None = None) -> str:
    """An audited value as people read it: "—" for nothing, Có/Không, a choice's label (``choices``:
    field name → {value: label}), an ISO date as dd/mm/yyyy."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if choices and key in choices:
        return str(choices[key].get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def audit_rows(
    entries: Iterable[AuditEntry],
    *,
    labels: Mapping[str, str],
    show: Callable[[str, Any], str],
    action: Callable[[AuditEntry], str] | None = None,
    unset: Collection[Any] = (None, ""),
) -> list[dict[str, Any]]:
    """Audit entries with their changes as (label, before, after) lines, for a page's history.

    ``labels`` names the fields, ``show`` writes a value, ``action`` says what happened (default: the
    entry's action). A value set from nothing to one of ``unset`` is left out (nothing to read), and so
    are an export's filters."""
    rows = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        changes = [
            {
                "label": labels.get(k, k),
                "before": show(k, before.get(k)) if k in before else "",
                "after": show(k, after.get(k)) if k in after else "",
            }
            for k in keys
            if k != "filters" and not (k not in before and after.get(k) in unset)
        ]
        rows.append(
            {
                "entry": entry,
                "action": action(entry) if action else entry.get_action_display(),
                "changes": changes,
            }
        )
    return rows
