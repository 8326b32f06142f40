"""The FilterSet of conferences and dialogues, shared by the list page and the API.

Drill-down parameters: ``unit`` (its subtree on ``to`` or today), ``from``/``to`` (held dates), ``kind``
(one kind, or ``dialogue`` for every dialogue) and ``year``.
"""

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
from .models import Conference, ConferenceKind

KIND_CHOICES = [*ConferenceKind.choices, (selectors.DIALOGUE, "Đối thoại (mọi hình thức)")]


class ConferenceFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(
        label="Đơn vị (mã)",
        method="filter_noop",
        widget=forms.TextInput(attrs={**UNIT_CODE_ATTRS, "placeholder": "CĐCS hoặc đơn vị cấp trên"}),
    )
    kind = django_filters.ChoiceFilter(
        label="Loại", choices=KIND_CHOICES, empty_label="Tất cả", method="filter_noop"
    )
    year = django_filters.NumberFilter(
        label="Năm",
        method="filter_noop",
        widget=forms.NumberInput(attrs={"placeholder": "vd. 2025", "min": 1990, "max": 2100}),
    )
    held_from = date_filter("Từ ngày")
    held_to = date_filter("Đến ngày")

    class Meta:
        model = Conference
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            for short, long in (("from", "held_from"), ("to", "held_to")):
                if data.get(short) and not data.get(long):
                    data[long] = data[short]
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        self.selected_unit: OrgUnit | None = None
        for name in ("held_from", "held_to"):
            self.form.fields[name].error_messages["invalid"] = DATE_ERROR
        self.form.fields["year"].error_messages["invalid"] = "Năm phải là số, ví dụ 2025."
        style_filter_form(self.form)

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Conference]) -> QuerySet[Conference]:
        data = self.form.cleaned_data
        user = getattr(self.request, "user", None)
        unit = unit_from_code(self, user, data.get("unit"))
        if unit is False:
            return queryset.none()
        self.selected_unit = unit
        year = data.get("year")
        return selectors.conference_narrow(
            queryset,
            unit=self.selected_unit,
            day=data.get("held_to") or org_selectors.view_day(user=user),
            kind=data.get("kind") or None,
            year=int(year) if year else None,
            held_from=data.get("held_from"),
            held_to=data.get("held_to"),
        )

    def describe(self) -> dict[str, str]:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}
