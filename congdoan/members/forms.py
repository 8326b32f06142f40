"""Forms of the member pages: they parse and resolve input; the services validate and write.

Unit codes are typed with the same htmx-suggested datalist as the org forms (``UnitCodeField``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope
from congdoan.core.forms import BootstrapMixin, date_field
from congdoan.org import selectors as org_selectors
from congdoan.org.forms import UnitCodeField
from congdoan.org.models import OrgUnit

from .models import Gender
from .services import clean_person

PERSON_KEYS = (
    "full_name",
    "birth_date",
    "union_join_date",
    "gender",
    "cccd",
    "phone",
    "email",
    "ethnicity",
    "education",
    "job",
    "address",
    "nationality",
    "contract_months",
)
GENDER_CHOICES = [("", "— Chọn —"), *Gender.choices]
KEEP_HELP = "Để trống nếu không thay đổi."
ERR_CDCS_NOT_FOUND = "Không tìm thấy công đoàn cơ sở có mã «%(code)s» trong phạm vi bạn được quyền thay đổi."
ERR_UNIT_NOT_FOUND = "Không tìm thấy đơn vị có mã «%(code)s» trong phạm vi của bạn."


def _text(label: str, max_length: int, required: bool = False, **kwargs: Any) -> forms.CharField:
    messages = {"max_length": "Tối đa %(limit_value)d ký tự (đang có %(show_value)d)."}
    if required:
        messages["required"] = "Chưa nhập " + label.lower() + "."
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=messages, **kwargs
    )


def _count(label: str, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        error_messages={
            "invalid": label + " phải là số nguyên.",
            "min_value": label + " không được âm.",
            "required": "Chưa nhập " + label.lower() + ".",
        },
        **kwargs,
    )


class PersonFieldsForm(BootstrapMixin, forms.Form):
    """A person's own fields, named as the service's keyword arguments."""

    full_name = _text("Họ và tên", 120, required=True)
    birth_date = date_field("Ngày sinh", required=False)
    union_join_date = date_field("Ngày vào công đoàn lần đầu", required=False)
    gender = forms.ChoiceField(
        label="Giới tính", choices=GENDER_CHOICES, error_messages={"required": "Chưa chọn giới tính."}
    )
    cccd = _text("Số CCCD", 20, help_text="12 chữ số (hoặc 9 chữ số nếu là CMND cũ).")
    phone = _text("Điện thoại", 20)
    email = forms.EmailField(
        label="Thư điện tử", required=False, error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."}
    )
    ethnicity = _text("Dân tộc", 40)
    education = _text("Trình độ", 60)
    job = _text("Nghề nghiệp, chức vụ", 120)
    address = _text("Địa chỉ", 255)
    nationality = _text(
        "Quốc tịch (mã 2 chữ)",
        2,
        initial="VN",
        help_text="VN: Việt Nam; người nước ngoài: mã quốc gia 2 chữ (CN: Trung Quốc, KR: Hàn Quốc…).",
    )
    contract_months = _count(
        "Thời hạn hợp đồng (tháng)", required=False, help_text="Với người lao động nước ngoài."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "union_join_date"
        ].help_text = (
            "Ngày ghi trên thẻ đoàn viên, có thể ở nơi làm việc trước; để trống nếu là ngày kết nạp này."
        )
        self._style()

    def clean(self) -> dict[str, Any]:
        """When a field failed here (the service will not run), still show the service's checks of
        the person's other fields (CCCD, phone, name...): every problem at once (issue 12)."""
        data = super().clean() or {}
        if self.errors:
            try:
                clean_person({name: data.get(name) for name in PERSON_KEYS if name not in self.errors})
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    if name in self.fields and name not in self.errors and name in data:
                        self.add_error(name, messages)
        return data

    def person_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "full_name": d["full_name"],
            "birth_date": d.get("birth_date"),
            "union_join_date": d.get("union_join_date"),
            "gender": d["gender"],
            "cccd": (d.get("cccd") or "").strip() or None,
            "phone": d.get("phone") or "",
            "email": d.get("email") or "",
            "ethnicity": d.get("ethnicity") or "",
            "education": d.get("education") or "",
            "job": d.get("job") or "",
            "address": d.get("address") or "",
            "nationality": (d.get("nationality") or "VN").upper(),
            "contract_months": d.get("contract_months"),
        }


class MemberAdmitForm(PersonFieldsForm):
    """Kết nạp đoàn viên: the CĐCS (by code), the join date and card, then the person."""

    cdcs = UnitCodeField(
        label="Công đoàn cơ sở (mã)", error_messages={"required": "Chưa chọn công đoàn cơ sở."}
    )
    join_date = date_field("Ngày vào công đoàn (tại công đoàn cơ sở này)", initial=timezone.localdate)
    card_number = _text("Số thẻ đoàn viên", 20)

    field_order = [
        "cdcs",
        "join_date",
        "union_join_date",
        "card_number",
        "full_name",
        "birth_date",
        "gender",
        "cccd",
        "phone",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("cdcs")
        data["cdcs_unit"] = None
        if code:
            try:
                data["cdcs_unit"] = org_selectors.unit_get_writable(user=self.user, code=code)
            except OutOfScope:
                self.add_error("cdcs", ValidationError(ERR_CDCS_NOT_FOUND, params={"code": code}))
        return data


class PersonEditForm(PersonFieldsForm):
    """Sửa thông tin. For a role that may not see personal data, CCCD, phone and birth date start
    empty (shown masked as placeholders) and an empty field keeps the stored value."""

    def __init__(self, *args: Any, personal_data: bool, masked: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.personal_data = personal_data
        if not personal_data:
            for name in ("cccd", "phone", "birth_date", "address"):
                field = self.fields[name]
                field.required = False
                field.help_text = KEEP_HELP
                if masked.get(name):
                    field.widget.attrs["placeholder"] = masked[name]

    def person_fields(self) -> dict[str, Any]:
        fields = super().person_fields()
        if not self.personal_data:
            for name in ("cccd", "phone", "birth_date", "address"):
                if not self.cleaned_data.get(name):
                    fields.pop(name)
        return fields


class MemberTransferForm(BootstrapMixin, forms.Form):
    """Chuyển sinh hoạt to another CĐCS from a date."""

    to = UnitCodeField(
        label="Công đoàn cơ sở chuyển đến (mã)",
        error_messages={"required": "Chưa chọn công đoàn cơ sở chuyển đến."},
    )
    on = date_field("Từ ngày", initial=timezone.localdate)
    reason = _text("Lý do", 255)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("to")
        data["to_unit"] = None
        if code:
            try:
                data["to_unit"] = org_selectors.unit_get(user=self.user, code=code)
            except OutOfScope:
                self.add_error("to", ValidationError(ERR_UNIT_NOT_FOUND, params={"code": code}))
        return data


class MemberLeaveForm(BootstrapMixin, forms.Form):
    """Thôi sinh hoạt, or khai trừ/xóa tên."""

    on = date_field("Từ ngày", initial=timezone.localdate)
    reason = _text("Lý do", 255, required=True)
    removed = forms.BooleanField(label="Khai trừ, xóa tên (không phải thôi sinh hoạt)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Cần ghi lý do."
        self._style()


class WorkforceForm(BootstrapMixin, forms.Form):
    """Số lao động of a CĐCS's employer(s) on a date (for coverage)."""

    as_of = date_field("Tính đến ngày", initial=timezone.localdate)
    workers = _count("Số lao động")
    women = _count("Trong đó nữ", initial=0, required=False)

    def __init__(self, *args: Any, unit: OrgUnit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self._style()
