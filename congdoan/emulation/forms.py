"""Forms of the emulation pages: they parse the input (dd/mm/yyyy dates, numbers, codes); the views
resolve the units and people in the user's scope and the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from congdoan.core.forms import BootstrapMixin, FileInput, date_field

from .models import AwardForm, AwardLevel, InitiativeKind

UNIT_ATTRS = {
    # The scoped unit suggestions of the org pages (a datalist refreshed as the user types).
    "list": "unit-codes",
    "autocomplete": "off",
    "placeholder": "Gõ mã hoặc tên đơn vị",
    "hx-get": reverse_lazy("org:unit_suggest"),
    "hx-trigger": "input changed delay:250ms",
    "hx-target": "#unit-codes",
    "hx-swap": "innerHTML",
}


def _unit(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=40,
        widget=forms.TextInput(attrs=UNIT_ATTRS),
        error_messages={"required": "Chưa nhập mã đơn vị."},
    )


def _cccd(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        required=False,
        help_text="Để trống nếu là tập thể.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


def _year() -> forms.IntegerField:
    return forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year,
        error_messages={
            "required": "Chưa nhập năm.",
            "invalid": "Năm phải là số, ví dụ 2025.",
            "min_value": "Năm phải từ 2000 đến 2100.",
            "max_value": "Năm phải từ 2000 đến 2100.",
        },
    )


def _count(label: str, initial: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=9999,
        initial=initial,
        error_messages={
            "required": "Chưa nhập số.",
            "invalid": "Phải là số nguyên.",
            "min_value": "Không được âm.",
            "max_value": "Số quá lớn.",
        },
    )


class _Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class MovementForm(_Form):
    name = forms.CharField(
        label="Tên phong trào", max_length=255, error_messages={"required": "Chưa nhập tên phong trào."}
    )
    owner = _unit("Đơn vị phát động (mã)")
    starts_on = date_field("Từ ngày")
    ends_on = date_field("Đến ngày")
    description = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RegistrationForm(_Form):
    unit = _unit("Đơn vị đăng ký (mã)")
    cccd = _cccd("Số CCCD của cá nhân đăng ký")
    year = _year()
    title = forms.CharField(
        label="Danh hiệu đăng ký",
        max_length=200,
        help_text="Ví dụ: Lao động giỏi, Tập thể lao động xuất sắc, CĐCS vững mạnh.",
        error_messages={"required": "Chưa nhập danh hiệu đăng ký."},
    )
    movement = forms.TypedChoiceField(label="Phong trào", required=False, coerce=int, empty_value=None)
    goals = forms.CharField(
        label="Chỉ tiêu, mục tiêu", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    registered_on = date_field("Ngày đăng ký", required=False)

    def __init__(self, *args: Any, movements: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["movement"].choices = [("", "— Không thuộc phong trào nào —"), *(movements or [])]  # type: ignore[attr-defined]


class InitiativeForm(_Form):
    kind = forms.ChoiceField(label="Loại", choices=InitiativeKind.choices)
    title = forms.CharField(
        label="Tên sáng kiến, công trình", max_length=255, error_messages={"required": "Chưa nhập tên."}
    )
    unit = _unit("Đơn vị (mã)")
    cccd = _cccd("Số CCCD của tác giả")
    movement = forms.TypedChoiceField(label="Phong trào", required=False, coerce=int, empty_value=None)
    submitted_on = date_field("Ngày đăng ký")
    benefit = forms.IntegerField(
        label="Giá trị làm lợi (đồng)",
        min_value=0,
        required=False,
        error_messages={
            "invalid": "Giá trị làm lợi phải là số nguyên (đồng).",
            "min_value": "Không được âm.",
        },
    )

    def __init__(self, *args: Any, movements: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["movement"].choices = [("", "— Không thuộc phong trào nào —"), *(movements or [])]  # type: ignore[attr-defined]


class ProposalForm(_Form):
    unit = _unit("Đơn vị (mã)")
    cccd = _cccd("Số CCCD của cá nhân được đề nghị")
    year = _year()
    form = forms.ChoiceField(label="Hình thức khen thưởng", choices=AwardForm.choices)
    level = forms.ChoiceField(label="Cấp khen thưởng", choices=AwardLevel.choices)
    achievement = forms.CharField(
        label="Thành tích", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    absent_days = _count("Số ngày nghỉ trong năm", 0)
    months_employed = _count("Số tháng công tác", 12)
    disciplined = forms.BooleanField(label="Bị kỷ luật trong năm", required=False)


class CertificateTemplateForm(_Form):
    owner = _unit("Đơn vị sở hữu mẫu (mã)")
    name = forms.CharField(label="Tên mẫu", max_length=200, required=False)
    file = forms.FileField(
        label="Tệp mẫu Word (.docx)",
        widget=FileInput(attrs={"accept": ".docx"}),
        error_messages={"required": "Chưa chọn tệp mẫu.", "empty": "Tệp mẫu rỗng."},
    )
