"""Forms of the activity pages: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.forms import BootstrapMixin, FileInput, date_field
from congdoan.org.forms import UnitCodeField

from .models import ActivityKind

COUNT_ERRORS = {"invalid": "Phải là số nguyên.", "required": "Chưa nhập số."}


class ActivityForm(BootstrapMixin, forms.Form):
    unit = UnitCodeField(label="Đơn vị tổ chức (mã)", error_messages={"required": "Chưa chọn đơn vị."})
    kind = forms.ModelChoiceField(
        label="Loại hoạt động",
        queryset=ActivityKind.objects.filter(active=True),
        empty_label="— chọn —",
        error_messages={
            "required": "Chưa chọn loại hoạt động.",
            "invalid_choice": "Loại hoạt động không hợp lệ.",
        },
    )
    held_on = date_field("Ngày tổ chức")
    title = forms.CharField(
        label="Nội dung", max_length=255, error_messages={"required": "Chưa nhập nội dung hoạt động."}
    )
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    sessions = forms.IntegerField(label="Số cuộc, buổi", initial=1, error_messages=COUNT_ERRORS)
    participants = forms.IntegerField(label="Số lượt tham gia", initial=0, error_messages=COUNT_ERRORS)
    women = forms.IntegerField(label="Trong đó nữ (lượt)", initial=0, error_messages=COUNT_ERRORS)
    cost = forms.IntegerField(label="Kinh phí (đồng)", initial=0, error_messages=COUNT_ERRORS)
    notes = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        self._style()

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "held_on": d["held_on"],
            "title": d["title"],
            "place": d.get("place") or "",
            "sessions": d["sessions"],
            "participants": d["participants"],
            "women": d["women"],
            "cost": d["cost"],
            "notes": d.get("notes") or "",
        }


class PhotoForm(BootstrapMixin, forms.Form):
    photo = forms.FileField(
        label="Ảnh (JPEG, PNG)",
        widget=FileInput(),
        error_messages={"required": "Chưa chọn ảnh.", "empty": "Tệp ảnh rỗng."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
