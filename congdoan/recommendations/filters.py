"""The FilterSet of recommendations, shared by the list page and the API.

Drill-down parameters: ``unit`` (raised in its subtree), ``from``/``to`` (raised dates), ``status``
(a state, ``waiting`` or ``overdue``), ``addressed`` (addressed to that unit), ``year``, ``q``."""

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
from .models import Recommendation, RecStatus

STATUS_CHOICES = [("waiting", "Chờ trả lời"), ("overdue", "Quá hạn trả lời"), *RecStatus.choices]


class RecFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Tìm", method="filter_noop", widget=forms.TextInput(attrs={"placeholder": "Nội dung, nơi nhận"})
    )
    unit = django_filters.CharFilter(
        label="Đơn vị kiến nghị (mã)",
        method="filter_noop",
        widget=forms.TextInput(attrs={**UNIT_CODE_ATTRS, "placeholder": "Đơn vị và các đơn vị trực thuộc"}),
    )
    addressed = django_filters.CharFilter(
        label="Gửi đến (mã)", method="filter_noop", widget=forms.TextInput(attrs=dict(UNIT_CODE_ATTRS))
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái", choices=STATUS_CHOICES, empty_label="Tất cả", method="filter_noop"
    )
    year = django_filters.NumberFilter(
        label="Năm",
        method="filter_noop",
        widget=forms.NumberInput(attrs={"placeholder": "vd. 2026", "min": 1990, "max": 2100}),
    )
    raised_from = date_filter("Gửi từ ngày")
    raised_to = date_filter("Gửi đến ngày")

    class Meta:
        model = Recommendation
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            for short, long in (("from", "raised_from"), ("to", "raised_to")):
                if data.get(short) and not data.get(long):
                    data[long] = data[short]
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        self.selected_unit: OrgUnit | None = None
        for name in ("raised_from", "raised_to"):
            self.form.fields[name].error_messages["invalid"] = DATE_ERROR
        self.form.fields["year"].error_messages["invalid"] = "Năm phải là số, ví dụ 2026."
        style_filter_form(self.form)

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        data = self.form.cleaned_data
        user = getattr(self.request, "user", None)
        unit = unit_from_code(self, user, data.get("unit"))
        addressed = unit_from_code(self, user, data.get("addressed"))
        if unit is False or addressed is False:
            return queryset.none()
        self.selected_unit = unit
        year = data.get("year")
        return selectors.rec_narrow(
            queryset,
            unit=unit,
            addressed=addressed,
            day=data.get("raised_to") or org_selectors.view_day(user=user),
            status=data.get("status") or "",
            year=int(year) if year else None,
            raised_from=data.get("raised_from"),
            raised_to=data.get("raised_to"),
            search=(data.get("q") or "").strip(),
        )

    def describe(self) -> dict[str, str]:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}
