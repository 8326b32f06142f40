"""Forms of the org pages: they parse and resolve input; the services validate and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope
from congdoan.core.concurrency import VersionFormMixin
from congdoan.core.forms import BootstrapMixin, date_field

from . import selectors
from .models import UNIT_LEVEL, OrgUnit, Sector, UnitType

UNIT_CODE_ATTRS = {
    # A datalist of matching codes, refreshed by htmx from the scoped search as the user types.
    "list": "unit-codes",
    "autocomplete": "off",
    "placeholder": "Gõ mã hoặc tên đơn vị",
    "hx-get": reverse_lazy("org:unit_suggest"),
    "hx-trigger": "input changed delay:250ms",
    "hx-target": "#unit-codes",
    "hx-swap": "innerHTML",
}


class DayForm(BootstrapMixin, forms.Form):
    """ "Xem theo ngày": the day a tree or list is shown on."""

    on = date_field("Xem theo ngày", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def day(self) -> dt.date | None:
        return self.cleaned_data.get("on") if self.is_valid() else None


# -- units ------------------------------------------------------------------------------------------


class UnitFieldsForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=100, required=False)
    type = forms.ChoiceField(label="Loại đơn vị", choices=UnitType.choices)
    sector = forms.ChoiceField(label="Khu vực", choices=[("", "—")] + list(Sector.choices), required=False)
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=32, required=False)
    email = forms.EmailField(
        label="Thư điện tử", required=False, error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."}
    )
    founded_on = date_field("Ngày thành lập", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Chưa nhập tên đơn vị."
        self._style()


class UnitCreateForm(UnitFieldsForm):
    code = forms.CharField(
        label="Mã đơn vị", max_length=32, error_messages={"required": "Chưa nhập mã đơn vị."}
    )
    valid_from = date_field(
        "Trực thuộc từ ngày", required=False, help_text="Để trống: từ ngày thành lập (hoặc hôm nay)."
    )

    field_order = [
        "code",
        "name",
        "short_name",
        "type",
        "sector",
        "address",
        "phone",
        "email",
        "founded_on",
        "valid_from",
    ]

    def __init__(self, *args: Any, parent: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the types that may sit under the parent (charter levels).
        level = UNIT_LEVEL[parent.type]
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [(v, label) for v, label in UnitType.choices if UNIT_LEVEL[v] > level]


class UnitEditForm(VersionFormMixin, UnitFieldsForm):
    """The unit's fields and its version when the page was shown (two officers editing at once)."""


class UnitCodeField(forms.CharField):
    """A unit typed by its code (a datalist suggests codes as the user types)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(widget=forms.TextInput(attrs=dict(UNIT_CODE_ATTRS)), **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        # "HN – LĐLĐ thành phố Hà Nội" (a picked suggestion) -> "HN"
        return text.split(" ", 1)[0].strip() if text else ""


class _ResolvingForm(BootstrapMixin, forms.Form):
    """Resolves unit codes to units the user may change on the form's date."""

    date_field_name = "on"

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.unit = unit
        self._style()

    def resolve(self, field: str) -> OrgUnit | None:
        code = self.cleaned_data.get(field)
        if not code:
            return None
        try:
            return selectors.unit_get(user=self.user, code=code)
        except OutOfScope:
            self.add_error(
                field,
                ValidationError(
                    "Không tìm thấy đơn vị có mã «%(code)s» trong phạm vi của bạn.", params={"code": code}
                ),
            )
            return None


class UnitMoveForm(_ResolvingForm):
    new_parent = UnitCodeField(
        label="Đơn vị cấp trên mới", error_messages={"required": "Chưa chọn đơn vị cấp trên mới."}
    )
    on = date_field("Từ ngày", initial=timezone.localdate)
    reason = forms.CharField(label="Lý do", max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["new_parent_unit"] = self.resolve("new_parent")
        return data


class UnitMergeForm(_ResolvingForm):
    into = UnitCodeField(
        label="Hợp nhất vào đơn vị", error_messages={"required": "Chưa chọn đơn vị tiếp nhận."}
    )
    on = date_field(
        "Từ ngày", initial=timezone.localdate, help_text="Ngày đầu tiên đơn vị không còn hoạt động riêng."
    )
    reason = forms.CharField(label="Lý do", max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["into_unit"] = self.resolve("into")
        return data


class UnitDissolveForm(_ResolvingForm):
    on = date_field(
        "Giải thể từ ngày",
        initial=timezone.localdate,
        help_text="Ngày đầu tiên đơn vị không còn hoạt động; ngày cuối là ngày hôm trước.",
    )
    children_to = UnitCodeField(label="Đơn vị tiếp nhận các đơn vị trực thuộc", required=False)
    reason = forms.CharField(label="Lý do", max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["children_to_unit"] = self.resolve("children_to")
        return data


# -- employers --------------------------------------------------------------------------------------


class EmployerForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label="Tên đơn vị sử dụng lao động",
        max_length=255,
        error_messages={"required": "Chưa nhập tên đơn vị sử dụng lao động."},
    )
    tax_code = forms.CharField(
        label="Mã số thuế", max_length=20, required=False, help_text="10 hoặc 13 chữ số."
    )
    sector = forms.ChoiceField(label="Khu vực", choices=Sector.choices)
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    workforce = forms.IntegerField(
        label="Số lao động",
        min_value=0,
        initial=0,
        error_messages={
            "invalid": "Số lao động phải là số nguyên.",
            "min_value": "Số lao động không được âm.",
        },
    )
    pays_union_funding = forms.BooleanField(label="Đóng kinh phí công đoàn", required=False)
    unit = UnitCodeField(
        label="Công đoàn quản lý (mã)", error_messages={"required": "Chưa chọn công đoàn quản lý."}
    )
    cdcs = UnitCodeField(
        label="Công đoàn cơ sở (mã)", required=False, help_text="Để trống nếu doanh nghiệp chưa có CĐCS."
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self._style()

    def _unit(self, field: str) -> OrgUnit | None:
        code = self.cleaned_data.get(field)
        if not code:
            return None
        try:
            return selectors.unit_get_writable(user=self.user, code=code)
        except OutOfScope:
            self.add_error(
                field,
                ValidationError(
                    "Không tìm thấy đơn vị có mã «%(code)s» trong phạm vi bạn được quyền thay đổi.",
                    params={"code": code},
                ),
            )
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["unit_obj"] = self._unit("unit")
        data["cdcs_obj"] = self._unit("cdcs")
        return data

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "tax_code": d.get("tax_code") or None,
            "sector": d["sector"],
            "address": d.get("address") or "",
            "workforce": d.get("workforce") or 0,
            "pays_union_funding": bool(d.get("pays_union_funding")),
            "unit": d["unit_obj"],
            "cdcs": d["cdcs_obj"],
        }


# -- picking a CĐCS (the first step of recording an agreement or a conference) ---------------------


class PickCdcsForm(BootstrapMixin, forms.Form):
    cdcs = UnitCodeField(
        label="Công đoàn cơ sở (mã)", error_messages={"required": "Chưa chọn công đoàn cơ sở."}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


def pick_writable_cdcs(request: HttpRequest) -> OrgUnit | PickCdcsForm:
    """The unit named by ``?cdcs=CODE`` if the user may write for it today, else the form to pick one
    (with the reason when a code was given). A user with one writable CĐCS gets it without asking."""
    raw = request.GET.get("cdcs", "")
    if not raw:
        only = selectors.only_writable_cdcs(user=request.user)
        if only is not None:
            return only
    form = PickCdcsForm(request.GET if raw else None)
    if raw and form.is_valid():
        try:
            return selectors.unit_get_writable(user=request.user, code=form.cleaned_data["cdcs"])
        except OutOfScope:
            form.add_error(
                "cdcs",
                ValidationError(
                    "Không tìm thấy đơn vị có mã «%(code)s» trong phạm vi bạn được quyền thay đổi.",
                    params={"code": form.cleaned_data["cdcs"]},
                ),
            )
    return form


class EmployerRefField(forms.CharField):
    """An employer typed by its tax code or its number (as on its page)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", "Doanh nghiệp (mã số thuế hoặc mã số trên trang doanh nghiệp)")
        kwargs.setdefault("error_messages", {"required": "Chưa chọn đơn vị sử dụng lao động."})
        super().__init__(**kwargs)


def writable_unit(user: Any, form: Any, name: str = "unit") -> OrgUnit | None:
    """The unit whose code is typed in the field ``name`` (a picked "CODE name" too) if ``user`` may
    write for it; else None and an error on that field. Every app's create and edit forms use it."""
    code = (form.cleaned_data.get(name) or "").split(" ", 1)[0].strip()
    try:
        return selectors.unit_get_writable(user=user, code=code)
    except OutOfScope:
        form.add_error(name, f"Không tìm thấy đơn vị «{code}» trong phạm vi bạn được quyền thay đổi.")
        return None


def resolve_unit_and_employer(user: Any, form: Any) -> tuple[Any, Any]:
    """The writable unit and the visible employer named on ``form``, with form errors when not found."""
    unit = writable_unit(user, form)
    ref = form.cleaned_data.get("employer") or ""
    employer = selectors.employer_find(user=user, ref=ref)
    if employer is None:
        form.add_error("employer", f"Không tìm thấy doanh nghiệp «{ref}» trong phạm vi của bạn.")
    return unit, employer
