"""The FilterSet of inspections (list page and API): ``unit``, ``from``/``to``, ``kind``, ``state``,
``violations`` and ``q`` (employer name, findings)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from congdoan.core.forms import DATE_ERROR, date_filter, style_filter_form
from congdoan.org import selectors as org_selectors
from congdoan.org.filters import unit_from_code
from congdoan.org.forms import UNIT_CODE_ATTRS

from . import selectors
from .models import Inspection, InspectionKind, InspectionState


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Tìm kiếm",
        method="filter_noop",
        widget=forms.TextInput(attrs={"placeholder": "Doanh nghiệp, kết quả"}),
    )
    unit = django_filters.CharFilter(
        label="Đơn vị (mã)", method="filter_noop", widget=forms.TextInput(attrs={**UNIT_CODE_ATTRS})
    )
    kind = django_filters.ChoiceFilter(
        label="Nội dung", choices=InspectionKind.choices, empty_label="Tất cả", method="filter_noop"
    )
    state = django_filters.ChoiceFilter(
        label="Trạng thái", choices=InspectionState.choices, empty_label="Tất cả", method="filter_noop"
    )
    violations = django_filters.ChoiceFilter(
        label="Vi phạm",
        choices=[("true", "Có vi phạm"), ("false", "Không vi phạm")],
        empty_label="Tất cả",
        method="filter_noop",
    )
    held_from = date_filter("Từ ngày")
    held_to = date_filter("Đến ngày")

    class Meta:
        model = Inspection
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            for short, long in (("from", "held_from"), ("to", "held_to")):
                if data.get(short) and not data.get(long):
                    data[long] = data[short]
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        self.selected_unit: Any = None
        for name in ("held_from", "held_to"):
            self.form.fields[name].error_messages["invalid"] = DATE_ERROR
        for name in ("kind", "state", "violations"):
            self.form.fields[name].error_messages["invalid_choice"] = "Giá trị «%(value)s» không hợp lệ."
        style_filter_form(self.form)

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
        data = self.form.cleaned_data
        user = getattr(self.request, "user", None)
        unit = unit_from_code(self, user, data.get("unit"))
        if unit is False:
            return queryset.none()
        self.selected_unit = unit
        violations = {"true": True, "false": False}.get(data.get("violations") or "")
        return selectors.inspection_narrow(
            queryset,
            unit=unit,
            day=data.get("held_to") or org_selectors.view_day(user=user),
            kind=data.get("kind") or None,
            state=data.get("state") or None,
            violations=violations,
            held_from=data.get("held_from"),
            held_to=data.get("held_to"),
            search=data.get("q") or "",
        )

    def describe(self) -> dict[str, str]:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}
