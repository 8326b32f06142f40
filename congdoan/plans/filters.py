"""The FilterSet of key tasks, shared by the list page and the API.

Drill-down parameters: ``unit`` (its subtree on ``to`` or today), ``from``/``to`` (deadlines), ``status``
(``pending``, ``overdue``, ``done`` …), ``open_by`` (not completed by that day), ``year``, ``q``."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from congdoan.core.forms import DATE_ERROR, date_filter, style_filter_form
from congdoan.org import selectors as org_selectors
from congdoan.org.filters import unit_from_code
from congdoan.org.forms import UNIT_CODE_ATTRS
from congdoan.org.models import OrgUnit

from . import selectors
from .models import KeyTask, TaskStatus

STATUS_CHOICES = [
    ("pending", "Chưa hoàn thành"),
    ("overdue", "Quá hạn"),
    *TaskStatus.choices,
]


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Tìm",
        method="filter_noop",
        widget=forms.TextInput(attrs={"placeholder": "Nhiệm vụ, người phụ trách"}),
    )
    unit = django_filters.CharFilter(
        label="Đơn vị (mã)",
        method="filter_noop",
        widget=forms.TextInput(attrs={**UNIT_CODE_ATTRS, "placeholder": "Đơn vị và các đơn vị trực thuộc"}),
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái", choices=STATUS_CHOICES, empty_label="Tất cả", method="filter_noop"
    )
    year = django_filters.NumberFilter(
        label="Năm (hạn)",
        method="filter_noop",
        widget=forms.NumberInput(attrs={"placeholder": "vd. 2026", "min": 1990, "max": 2100}),
    )
    due_from = date_filter("Hạn từ ngày")
    due_to = date_filter("Hạn đến ngày")
    open_by = django_filters.DateFilter(method="filter_noop", widget=forms.HiddenInput())

    class Meta:
        model = KeyTask
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            for short, long in (("from", "due_from"), ("to", "due_to")):
                if data.get(short) and not data.get(long):
                    data[long] = data[short]
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        self.selected_unit: OrgUnit | None = None
        for name in ("due_from", "due_to", "open_by"):
            self.form.fields[name].error_messages["invalid"] = DATE_ERROR
        self.form.fields["year"].error_messages["invalid"] = "Năm phải là số, ví dụ 2026."
        style_filter_form(self.form)

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[KeyTask]) -> QuerySet[KeyTask]:
        data = self.form.cleaned_data
        user = getattr(self.request, "user", None)
        unit = unit_from_code(self, user, data.get("unit"))
        if unit is False:
            return queryset.none()
        self.selected_unit = unit
        year = data.get("year")
        return selectors.task_narrow(
            queryset,
            unit=unit,
            day=data.get("due_to") or org_selectors.view_day(user=user),
            status=data.get("status") or "",
            year=int(year) if year else None,
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            search=(data.get("q") or "").strip(),
            open_by=data.get("open_by"),
        )

    def describe(self) -> dict[str, str]:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}
