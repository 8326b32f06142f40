"""The one FilterSet of agreements, shared by the list page and the API (it narrows the scoped
queryset it is given with ``selectors.agreement_narrow``).

Drill-down parameters: ``unit`` (its subtree on ``to``, ``valid_on`` or today), ``from``/``to`` (signing
dates), ``kind``, ``grade`` (A–D, ``AB``, ``graded``, ``ungraded``), ``year`` (signed), ``valid_on``
(holding that day) and ``expiring`` (days from today, without successor).
"""

from __future__ import annotations

import datetime as dt
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
from .models import AgreementKind, CollectiveAgreement, Grade

GRADE_CHOICES = [
    *Grade.choices,
    ("AB", "Loại A hoặc B"),
    ("graded", "Đã xếp loại"),
    ("ungraded", "Chưa xếp loại"),
]
FILTER_KEYS = ("unit", "from", "to", "kind", "grade", "year", "valid_on", "expiring")
YEAR_MIN, YEAR_MAX = 1900, 2100
EXPIRING_MAX_DAYS = 3650


class AgreementFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(
        label="Đơn vị (mã)",
        method="filter_noop",
        widget=forms.TextInput(attrs={**UNIT_CODE_ATTRS, "placeholder": "CĐCS hoặc đơn vị cấp trên"}),
    )
    kind = django_filters.ChoiceFilter(
        label="Hình thức", choices=AgreementKind.choices, empty_label="Tất cả", method="filter_noop"
    )
    grade = django_filters.ChoiceFilter(
        label="Xếp loại", choices=GRADE_CHOICES, empty_label="Tất cả", method="filter_noop"
    )
    # Bounded: a year 0 or 10^9 days ahead is no date at all (it used to end in a 500).
    year = django_filters.NumberFilter(
        label="Năm ký",
        method="filter_noop",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        step_size=1,
        widget=forms.NumberInput(attrs={"placeholder": "vd. 2025", "min": 1990, "max": 2100}),
    )
    signed_from = date_filter("Ký từ ngày")
    signed_to = date_filter("Ký đến ngày")
    valid_on = date_filter("Còn hiệu lực ngày")
    expiring = django_filters.NumberFilter(
        label="Hết hạn trong (ngày)",
        method="filter_noop",
        min_value=0,
        max_value=EXPIRING_MAX_DAYS,
        step_size=1,
        widget=forms.NumberInput(attrs={"placeholder": "vd. 90", "min": 0, "max": 3650}),
    )

    class Meta:
        model = CollectiveAgreement
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, **kwargs: Any) -> None:
        if data is not None:
            # ``from``/``to`` are the drill-down names (Python keywords, so the fields are signed_from/_to).
            data = data.copy()
            for short, long in (("from", "signed_from"), ("to", "signed_to")):
                if data.get(short) and not data.get(long):
                    data[long] = data[short]
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        self.selected_unit: OrgUnit | None = None
        for name in ("signed_from", "signed_to", "valid_on"):
            self.form.fields[name].error_messages["invalid"] = DATE_ERROR
        year_error = f"Năm phải là số từ {YEAR_MIN} đến {YEAR_MAX}, ví dụ 2025."
        days_error = f"Số ngày phải là số nguyên từ 0 đến {EXPIRING_MAX_DAYS}."
        for key in ("invalid", "min_value", "max_value", "step_size"):
            self.form.fields["year"].error_messages[key] = year_error
            self.form.fields["expiring"].error_messages[key] = days_error
        style_filter_form(self.form)

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[CollectiveAgreement]) -> QuerySet[CollectiveAgreement]:
        data = self.form.cleaned_data
        user = getattr(self.request, "user", None)
        unit = unit_from_code(self, user, data.get("unit"))
        if unit is False:
            return queryset.none()
        self.selected_unit = unit
        signed_to: dt.date | None = data.get("signed_to")
        valid_on: dt.date | None = data.get("valid_on")
        expiring = data.get("expiring")
        year = data.get("year")
        return selectors.agreement_narrow(
            queryset,
            unit=self.selected_unit,
            day=valid_on or signed_to or org_selectors.view_day(user=user),
            kind=data.get("kind") or None,
            grade=data.get("grade") or None,
            year=int(year) if year else None,
            signed_from=data.get("signed_from"),
            signed_to=signed_to,
            valid_on=valid_on,
            expiring_days=int(expiring) if expiring is not None else None,
            today=org_selectors.view_day(user=user),
        )

    def describe(self) -> dict[str, str]:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}
