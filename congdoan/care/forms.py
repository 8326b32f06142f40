"""Forms of the care pages (the services validate; these only parse)."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.forms import DATE_ERROR

from .models import CampaignKind, CaseState, PaymentMethod


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": DATE_ERROR, "required": "Chưa nhập ngày."},
    )


def _money(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


class CampaignForm(_Styled):
    code = forms.CharField(label="Mã chương trình", max_length=40)
    name = forms.CharField(label="Tên chương trình", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=CampaignKind.choices)
    owner = forms.CharField(label="Đơn vị tổ chức (mã)", max_length=40)
    starts_on = _date("Từ ngày")
    ends_on = _date("Đến ngày")
    cap_per_person = _money("Mức tối đa mỗi người (đồng, 0 = không giới hạn)", required=False)
    cap_per_year = _money("Mức tối đa mỗi người trong năm (đồng)", required=False)
    approval_levels = forms.IntegerField(label="Số cấp duyệt", min_value=1, max_value=5, initial=1)
    allows_non_members = forms.BooleanField(
        label="Hỗ trợ cả người lao động chưa là đoàn viên", required=False
    )
    funding_union = _money("Kinh phí công đoàn (đồng)", required=False)
    funding_social = _money("Xã hội hóa (đồng)", required=False)
    eligibility = forms.CharField(
        label="Đối tượng, tiêu chí", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseForm(_Styled):
    unit = forms.CharField(label="Đơn vị đề xuất (mã)", max_length=40)
    full_name = forms.CharField(label="Họ và tên", max_length=120, required=False)
    cccd = forms.CharField(label="Số CCCD", max_length=20)
    amount = _money("Số tiền (đồng)")
    employer_name = forms.CharField(label="Nơi làm việc", max_length=200, required=False)
    reason = forms.CharField(label="Hoàn cảnh, lý do", max_length=255, required=False)
    bank_account = forms.CharField(label="Số tài khoản", max_length=30, required=False)
    bank_name = forms.CharField(label="Ngân hàng", max_length=80, required=False)


class PayForm(_Styled):
    method = forms.ChoiceField(label="Hình thức chi", choices=PaymentMethod.choices)
    paid_on = _date("Ngày chi", required=False)
    bank_account = forms.CharField(label="Số tài khoản", max_length=30, required=False)
    bank_name = forms.CharField(label="Ngân hàng", max_length=80, required=False)
    items = forms.CharField(label="Hiện vật, số lượng", max_length=255, required=False)


class ReverseForm(_Styled):
    reason = forms.CharField(label="Lý do điều chỉnh", max_length=255)


class BatchForm(_Styled):
    unit = forms.ChoiceField(label="Duyệt với tư cách")


class PayBatchForm(_Styled):
    unit = forms.ChoiceField(label="Đơn vị chi (các hồ sơ đã duyệt thuộc đơn vị này)")
    method = forms.ChoiceField(
        label="Hình thức",
        choices=[(m.value, m.label) for m in (PaymentMethod.BANK, PaymentMethod.CASH)],
    )
    paid_on = forms.DateField(label="Ngày chi", widget=forms.DateInput(attrs={"type": "date"}))


class CaseFilterForm(_Styled):
    q = forms.CharField(label="Tìm (tên, CCCD)", required=False)
    campaign = forms.CharField(label="Chương trình (mã)", required=False)
    state = forms.ChoiceField(
        label="Trạng thái", choices=[("", "Tất cả"), *CaseState.choices], required=False
    )
    unit = forms.CharField(label="Đơn vị (mã)", required=False)


class HouseForm(_Styled):
    unit = forms.CharField(label="Đơn vị (mã)", max_length=40)
    beneficiary = forms.CharField(label="Người được hỗ trợ", max_length=120)
    repair = forms.BooleanField(label="Sửa chữa (không phải xây mới)", required=False)
    amount = _money("Số tiền hỗ trợ (đồng; để trống: mức mặc định)", required=False)
    contributors = forms.CharField(label="Đơn vị đóng góp", max_length=255, required=False)
    started_on = _date("Ngày khởi công")
    handed_over_on = _date("Ngày bàn giao", required=False)


class DealForm(_Styled):
    unit = forms.CharField(label="Đơn vị ký (mã)", max_length=40)
    partner = forms.CharField(label="Đối tác", max_length=200)
    offer = forms.CharField(label="Ưu đãi", max_length=255)
    discount_percent = forms.IntegerField(label="Giảm giá (%)", required=False)
    signed_on = _date("Ngày ký")
    valid_until = _date("Hiệu lực đến", required=False)
    how_to_claim = forms.CharField(
        label="Cách nhận ưu đãi", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(_Styled):
    file = forms.FileField(label="Ảnh, bản chụp (JPEG, PNG, PDF; tối đa 10 MB)")
