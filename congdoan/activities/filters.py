"""The FilterSet of activities, shared by the list page and the API.

``unit`` (its subtree on ``to`` or today), ``from``/``to`` (held dates), ``kind`` (a kind's code) and
``q`` (words of the content or the place).
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
from .models import Activity


def _kind_choices() -> list[tuple[str, str]]:
    return list(selectors.kinds(active_only=False).values_list("code", "name"))


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Tìm kiếm",
        method="filter_noop",
        widget=forms.TextInput(attrs={"placeholder": "Nội dung, địa điểm"}),
    )
    unit = django_filters.CharFilter(
        label="Đơn vị (mã)",
        method="filter_noop",
        widget=forms.TextInput(attrs={**UNIT_CODE_ATTRS, "placeholder": "Mã đơn vị"}),
    )
    kind = django_filters.ChoiceFilter(
        label="Loại hoạt động", choices=_kind_choices, empty_label="Tất cả", method="filter_noop"
    )
    held_from = date_filter("Từ ngày")
    held_to = date_filter("Đến ngày")

    class Meta:
        model = Activity
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
        self.form.fields["kind"].error_messages["invalid_choice"] = "Không có loại hoạt động «%(value)s»."
        style_filter_form(self.form)

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Activity]) -> QuerySet[Activity]:
        data = self.form.cleaned_data
        user = getattr(self.request, "user", None)
        unit = unit_from_code(self, user, data.get("unit"))
        if unit is False:
            return queryset.none()
        self.selected_unit = unit
        return selectors.activity_narrow(
            queryset,
            unit=unit,
            day=data.get("held_to") or org_selectors.view_day(user=user),
            kind=data.get("kind") or None,
            held_from=data.get("held_from"),
            held_to=data.get("held_to"),
            search=data.get("q") or "",
        )

    def describe(self) -> dict[str, str]:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}
