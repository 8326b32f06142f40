"""Filters of the unit and employer lists; they narrow querysets the selectors already scoped.

The search box (``q``) and the day (``on``) are shown by the filter form but applied by the selectors
(``unit_list(search=..., on=...)``, ``employer_list(search=...)``), which fold accents.
"""

from __future__ import annotations

from typing import Any, Literal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from congdoan.accounts.scope import OutOfScope
from congdoan.core.forms import DATE_ERROR, date_filter, style_filter_form

from . import selectors as org_selectors
from .models import Employer, OrgUnit, Sector, UnitType


def unit_from_code(
    filterset: django_filters.FilterSet, user: Any, raw: str | None
) -> OrgUnit | None | Literal[False]:
    """The unit typed in a list's ``unit`` filter box, in the user's scope (``None`` if empty; ``False``
    with a form error if unknown or out of scope)."""
    code = (raw or "").split(" ", 1)[0].strip()
    if not code:
        return None
    try:
        return org_selectors.unit_get(user=user, code=code)
    except OutOfScope:
        filterset.form.add_error(
            "unit",
            ValidationError(
                "Không tìm thấy đơn vị có mã «%(code)s» trong phạm vi của bạn.", params={"code": code}
            ),
        )
        return False


YES_NO = [("", "Tất cả"), ("true", "Có"), ("false", "Không")]


class UnitFilter(django_filters.FilterSet):
    """Type, sector and an accent-insensitive search; ``on`` (the day) is applied by the selector."""

    q = django_filters.CharFilter(
        label="Tìm kiếm",
        method="filter_noop",
        widget=forms.TextInput(attrs={"placeholder": "Tên hoặc mã, gõ không dấu"}),
    )
    type = django_filters.ChoiceFilter(label="Loại đơn vị", choices=UnitType.choices, empty_label="Tất cả")
    sector = django_filters.ChoiceFilter(label="Khu vực", choices=Sector.choices, empty_label="Tất cả")
    on = date_filter("Vào ngày")

    class Meta:
        model = OrgUnit
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_filter_form(self.form)
        self.form.fields["on"].error_messages["invalid"] = DATE_ERROR

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset


class EmployerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Tìm kiếm",
        method="filter_noop",
        widget=forms.TextInput(attrs={"placeholder": "Tên, mã số thuế, gõ không dấu"}),
    )
    sector = django_filters.ChoiceFilter(label="Khu vực", choices=Sector.choices, empty_label="Tất cả")
    has_cdcs = django_filters.ChoiceFilter(
        label="Có CĐCS", choices=YES_NO[1:], empty_label="Tất cả", method="filter_has_cdcs"
    )
    pays_union_funding = django_filters.ChoiceFilter(
        label="Đóng kinh phí CĐ", choices=YES_NO[1:], empty_label="Tất cả", method="filter_pays"
    )

    class Meta:
        model = Employer
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_filter_form(self.form)

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_has_cdcs(self, queryset: QuerySet[Employer], name: str, value: str) -> QuerySet[Employer]:
        if value == "true":
            return queryset.filter(cdcs__isnull=False)
        if value == "false":
            return queryset.filter(cdcs__isnull=True)
        return queryset

    def filter_pays(self, queryset: QuerySet[Employer], name: str, value: str) -> QuerySet[Employer]:
        if value in ("true", "false"):
            return queryset.filter(pays_union_funding=value == "true")
        return queryset
