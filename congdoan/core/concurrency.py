"""Lost-update detection for edit forms (optimistic locking on ``updated_at``).

Two officers open the same edit page; the second save would silently put back what the first changed.
The form carries the record's version — its ``updated_at`` when the page was shown — in a hidden field
(:class:`VersionFormMixin`); the service, inside its transaction, locks the row and refuses the save
if the stored version is no longer that one (:func:`check_version`), with a Vietnamese message saying
when it was changed. ``updated_at`` (``auto_now``) changes on every save, so no new column is needed.

Usage — form: ``class UnitEditForm(VersionFormMixin, ...)``, built with
``initial={..., "version": version_of(unit)}``; view: pass ``expected_version=form.cleaned_data["version"]``;
service (in its ``transaction.atomic``): ``obj = check_version(obj, expected_version, what="Đơn vị")``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)
VERSION_FIELD = "updated_at"


def version_of(obj: models.Model, field: str = VERSION_FIELD) -> str:
    """The version token of a record: its last-change time, to the microsecond, in ISO form."""
    value = getattr(obj, field)
    return value.isoformat() if value is not None else ""


def changed_message(what: str, when: Any) -> str:
    """ "Đơn vị đã được người khác sửa lúc 14:05 ngày 15/03/2025; hãy tải lại trang …" """
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    return (
        f"{what} đã được người khác sửa lúc {local:%H:%M} ngày {local:%d/%m/%Y}; hãy tải lại trang "
        "để xem thay đổi đó rồi sửa lại (thay đổi của bạn chưa được lưu)."
    )


def check_version(obj: M, expected: str | None, *, what: str, field: str = VERSION_FIELD) -> M:
    """Lock ``obj``'s row (call inside a transaction) and return it fresh from the database; raise a
    ``ValidationError`` if it changed since the version ``expected`` was read. ``expected`` empty or
    None (a caller without a form: the CLI, an import, an older client) skips the comparison."""
    manager = type(obj)._default_manager
    current = manager.select_for_update().get(pk=obj.pk)
    if expected and version_of(current, field) != expected:
        raise ValidationError({NON_FIELD_ERRORS: [changed_message(what, getattr(current, field))]})
    return current


class VersionFormMixin(forms.Form):
    """A hidden ``version`` field: the record's version when the form was shown (see ``version_of``)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
