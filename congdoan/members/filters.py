"""Filters of the member list. The unit, status and search box are applied by the scoped selector
(``membership_list(unit=..., status=..., search=...)``); gender, age band and join year narrow it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from congdoan.accounts.scope import user_scope
from congdoan.core.forms import style_filter_form
from congdoan.org import selectors as org_selectors
from congdoan.org.filters import unit_from_code
from congdoan.org.forms import UNIT_CODE_ATTRS
from congdoan.org.models import OrgUnit

from . import privacy, selectors
from .models import Gender, Membership

ALL = "all"
STATUS_CHOICES = [*Membership.Status.choices, (ALL, "Tất cả")]
AGE_BANDS: dict[str, tuple[str, int | None, int | None]] = {
    # key: (label, minimum age, maximum age) in whole years
    "duoi30": ("Dưới 30", None, 29),
    "30-44": ("30–44", 30, 44),
    "45-59": ("45–59", 45, 59),
    "tu60": ("Từ 60", 60, None),
}
FILTER_KEYS = ("q", "unit", "status", "gender", "age", "join_year")


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29/02 in a non-leap year
        return day.replace(year=day.year - years, day=28)


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Tìm kiếm",
        method="filter_noop",
        widget=forms.TextInput(attrs={"placeholder": "Tên không dấu, CCCD, SĐT, số thẻ"}),
    )
    unit = django_filters.CharFilter(
        label="Đơn vị (mã)",
        method="filter_noop",
        widget=forms.TextInput(attrs={**UNIT_CODE_ATTRS, "placeholder": "CĐCS hoặc đơn vị cấp trên"}),
    )
    status = django_filters.ChoiceFilter(
        label="Tình trạng", choices=STATUS_CHOICES, empty_label=None, method="filter_noop"
    )
    gender = django_filters.ChoiceFilter(
        label="Giới tính", field_name="person__gender", choices=Gender.choices, empty_label="Tất cả"
    )
    age = django_filters.ChoiceFilter(
        label="Độ tuổi",
        choices=[(k, v[0]) for k, v in AGE_BANDS.items()],
        empty_label="Tất cả",
        method="filter_age",
    )
    join_year = django_filters.NumberFilter(
        label="Năm vào CĐ",
        method="filter_join_year",
        widget=forms.NumberInput(attrs={"placeholder": "vd. 2025", "min": 1900, "max": 2100}),
    )

    class Meta:
        model = Membership
        fields: list[str] = []

    def __init__(self, data: Any, *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, queryset=Membership.objects.none(), **kwargs)
        self.user = user
        self.selected_unit: OrgUnit | None = None
        self._for_count = False
        self._reads: dict[Any, Any] = {}  # unit ids, a digit search's matches: read once for list and count
        self.form.fields["join_year"].error_messages["invalid"] = "Năm phải là số, ví dụ 2025."
        style_filter_form(self.form)

    def filter_queryset(self, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
        """Start from the scoped selector (whatever ``queryset`` was given), then narrow."""
        data = self.form.cleaned_data
        unit = unit_from_code(self, self.user, data.get("unit"))
        if unit is False:
            return Membership.objects.none()
        self.selected_unit = unit
        status = data.get("status") or Membership.Status.ACTIVE
        base = selectors.membership_list(
            user=self.user,
            unit=self.selected_unit,
            status=None if status == ALL else status,
            search=self.search,
            on=org_selectors.view_day(user=self.user),
            for_count=self._for_count,
            reads=self._reads,
        )
        return super().filter_queryset(base)

    @property
    def search(self) -> str:
        """The search box, stripped ("" when empty or before validation)."""
        data = getattr(self.form, "cleaned_data", {})
        return (data.get("q") or "").strip()

    def count_queryset(self) -> QuerySet[Membership]:
        """``qs`` in the form that counts fastest (``membership_list(for_count=True)``)."""
        if self.form.errors:  # as filtered (a unit out of scope: nothing), without adding errors again
            return self.qs.order_by()
        if selectors.counts_from_list(self.qs):  # the list holds its matches: no second search
            return self.qs.order_by()
        if selectors.matches_seen(self.qs) is not None:  # the search read how many: counted from that
            return self.qs.order_by()
        self._for_count = True
        try:
            return self.filter_queryset(Membership.objects.none())
        finally:
            self._for_count = False

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_age(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        band = AGE_BANDS.get(value)
        if band is None:
            return queryset
        today = timezone.localdate()
        _, youngest, oldest = band
        if not privacy.can_see_personal_data(user_scope(self.user)):
            # A role that sees only the birth year gets bands by year (age = this year − birth year):
            # bands by day would tell, day after day, whether a birthday has passed.
            if youngest is not None:
                queryset = queryset.filter(person__birth_date__lt=dt.date(today.year - youngest + 1, 1, 1))
            if oldest is not None:
                queryset = queryset.filter(person__birth_date__gte=dt.date(today.year - oldest, 1, 1))
            return queryset
        if youngest is not None:  # at least ``youngest`` years old today
            queryset = queryset.filter(person__birth_date__lte=years_before(today, youngest))
        if oldest is not None:  # younger than ``oldest + 1``
            queryset = queryset.filter(person__birth_date__gt=years_before(today, oldest + 1))
        return queryset

    def filter_join_year(self, queryset: QuerySet[Membership], name: str, value: Any) -> QuerySet[Membership]:
        if value is None:
            return queryset
        year = int(value)
        if not 1900 <= year <= 2100:
            return queryset.none()
        return queryset.filter(join_date__gte=dt.date(year, 1, 1), join_date__lt=dt.date(year + 1, 1, 1))

    def describe(self) -> dict[str, str]:
        """The filters in effect, for export headers and the access log."""
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return {k: str(data[k]) for k in FILTER_KEYS if data.get(k) not in (None, "")}
