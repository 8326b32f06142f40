"""Forms of the recommendation pages: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.forms import BootstrapMixin, date_field
from congdoan.org.forms import UnitCodeField

from .models import RecTopic


class RecForm(BootstrapMixin, forms.Form):
    unit = UnitCodeField(label="Đơn vị kiến nghị (mã)", error_messages={"required": "Chưa chọn đơn vị."})
    title = forms.CharField(
        label="Kiến nghị", max_length=300, error_messages={"required": "Chưa nhập nội dung kiến nghị."}
    )
    topic = forms.ChoiceField(label="Lĩnh vực", choices=RecTopic.choices)
    to_unit = UnitCodeField(label="Gửi công đoàn cấp trên (mã)", required=False)
    to_body = forms.CharField(
        label="Hoặc gửi cơ quan, đơn vị ngoài công đoàn",
        max_length=255,
        required=False,
        help_text="Ví dụ: Sở Nội vụ, Bảo hiểm xã hội thành phố, Công ty TNHH …",
    )
    raised_on = date_field("Ngày gửi")
    due_on = date_field("Hạn trả lời", required=False, help_text="Để trống: 30 ngày sau ngày gửi.")
    conference = forms.IntegerField(
        label="Thu thập tại hội nghị, đối thoại (số hiệu)",
        required=False,
        min_value=1,
        error_messages={"invalid": "Số hiệu hội nghị phải là số."},
    )
    content = forms.CharField(
        label="Nội dung chi tiết", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class AnswerForm(BootstrapMixin, forms.Form):
    by = UnitCodeField(label="Đơn vị trả lời (mã)", error_messages={"required": "Chưa chọn đơn vị trả lời."})
    answered_on = date_field("Ngày trả lời")
    answer = forms.CharField(
        label="Nội dung trả lời",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Chưa nhập nội dung trả lời."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class RouteForm(BootstrapMixin, forms.Form):
    by = UnitCodeField(label="Đơn vị chuyển (mã)", error_messages={"required": "Chưa chọn đơn vị chuyển."})
    routed_on = date_field("Ngày chuyển")
    to_unit = UnitCodeField(label="Chuyển công đoàn cấp trên (mã)", required=False)
    to_body = forms.CharField(
        label="Hoặc chuyển cơ quan, đơn vị ngoài công đoàn", max_length=255, required=False
    )
    route_note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class CloseForm(BootstrapMixin, forms.Form):
    closed_on = date_field("Ngày đóng")
    close_note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
