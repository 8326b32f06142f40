"""Form helpers every app's forms and filters share: dates typed as dd/mm/yyyy, Bootstrap classes."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERROR = "Ngày không hợp lệ (dùng dd/mm/yyyy)."


class DateInput(forms.DateInput):
    """A text input showing and accepting dd/mm/yyyy (not the browser's locale-dependent picker)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "placeholder": "dd/mm/yyyy",
                "inputmode": "numeric",
                "class": "form-control js-date",
                **(attrs or {}),
            },
            format="%d/%m/%Y",
        )


class FileInput(forms.ClearableFileInput):
    """A file picker in Vietnamese: a "Chọn tệp…" button (a ``<label>`` for the input, which stays
    keyboard-focusable but hidden) and the chosen file's name, instead of the browser's "Choose File"
    whose words follow the browser's language. ``congdoan.js`` shows the chosen name."""

    template_name = "core/widgets/file_input.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["class"] = "visually-hidden vi-file-input"
        return context


def date_field(label: str, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={
            "invalid": "Ngày không hợp lệ (dùng dd/mm/yyyy, ví dụ 15/01/2021).",
            "required": "Chưa nhập ngày.",
        },
        **kwargs,
    )


class BootstrapMixin:
    """Adds Bootstrap classes to every widget."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
                # also CheckboxSelectMultiple: "form-control" on a checkbox draws an empty bar
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def style_filter_form(form: forms.Form) -> None:
    """Small Bootstrap controls for a list's filter form (django-filter's ``FilterSet.form``)."""
    for field in form.fields.values():
        widget = field.widget
        css = (
            "form-select form-select-sm"
            if isinstance(widget, forms.Select)
            else "form-control form-control-sm"
        )
        widget.attrs.setdefault("class", css)


def date_filter(label: str) -> django_filters.DateFilter:
    """A dd/mm/yyyy date box of a list's filters; the FilterSet applies it (``filter_noop``)."""
    return django_filters.DateFilter(
        label=label, method="filter_noop", input_formats=DATE_FORMATS, widget=DateInput()
    )
