"""FilterSets of disputes and of sentiment notes (list pages and API)."""

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
from .models import Dispute, DisputeKind, Outcome, SentimentNote


class _Base(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Tìm kiếm", method="filter_noop")
    unit = django_filters.CharFilter(
        label="Đơn vị (mã)", method="filter_noop", widget=forms.TextInput(attrs={**UNIT_CODE_ATTRS})
    )
    date_from = date_filter("Từ ngày")
    date_to = date_filter("Đến ngày")

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            for short, long in (("from", "date_from"), ("to", "date_to")):
                if data.get(short) and not data.get(long):
                    data[long] = data[short]
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        self.selected_unit: Any = None
        for name, field in self.form.fields.items():
            if name in ("date_from", "date_to"):
                field.error_messages["invalid"] = DATE_ERROR
            field.error_messages["invalid_choice"] = "Giá trị «%(value)s» không hợp lệ."
        style_filter_form(self.form)

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def _unit(self) -> Any:
        user = getattr(self.request, "user", None)
        unit = unit_from_code(self, user, self.form.cleaned_data.get("unit"))
        self.selected_unit = unit or None
        return unit, org_selectors.view_day(user=user)

    def describe(self) -> dict[str, str]:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}


class DisputeFilter(_Base):
    kind = django_filters.ChoiceFilter(
        label="Loại", choices=DisputeKind.choices, empty_label="Tất cả", method="filter_noop"
    )
    outcome = django_filters.ChoiceFilter(
        label="Kết quả", choices=Outcome.choices, empty_label="Tất cả", method="filter_noop"
    )

    class Meta:
        model = Dispute
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Dispute]) -> QuerySet[Dispute]:
        unit, today = self._unit()
        if unit is False:
            return queryset.none()
        data = self.form.cleaned_data
        return selectors.dispute_narrow(
            queryset,
            unit=unit,
            day=data.get("date_to") or today,
            kind=data.get("kind") or None,
            outcome=data.get("outcome") or None,
            began_from=data.get("date_from"),
            began_to=data.get("date_to"),
            search=data.get("q") or "",
        )


class SentimentFilter(_Base):
    risk = django_filters.ChoiceFilter(
        label="Nguy cơ",
        choices=[("true", "Có nguy cơ"), ("false", "Ổn định")],
        empty_label="Tất cả",
        method="filter_noop",
    )
    latest = django_filters.BooleanFilter(
        label="Chỉ ghi nhận mới nhất mỗi doanh nghiệp", method="filter_noop", widget=forms.CheckboxInput()
    )
    employer = django_filters.NumberFilter(method="filter_noop", widget=forms.HiddenInput())

    class Meta:
        model = SentimentNote
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[SentimentNote]) -> QuerySet[SentimentNote]:
        unit, today = self._unit()
        if unit is False:
            return queryset.none()
        data = self.form.cleaned_data
        employer = data.get("employer")
        return selectors.sentiment_narrow(
            queryset,
            unit=unit,
            day=data.get("date_to") or today,
            at_risk={"true": True, "false": False}.get(data.get("risk") or ""),
            employer=int(employer) if employer and 0 < employer < 10**18 else None,
            noted_from=data.get("date_from"),
            noted_to=data.get("date_to"),
            search=data.get("q") or "",
            latest=bool(data.get("latest")),
        )
