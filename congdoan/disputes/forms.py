"""Forms of the dispute pages: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.forms import BootstrapMixin, date_field
from congdoan.org.forms import EmployerRefField, UnitCodeField

from .models import DisputeKind, Outcome

TEXT = forms.Textarea(attrs={"rows": 3})


class DisputeForm(BootstrapMixin, forms.Form):
    unit = UnitCodeField(label="Công đoàn theo dõi (mã)", error_messages={"required": "Chưa chọn đơn vị."})
    employer = EmployerRefField()
    kind = forms.ChoiceField(label="Loại vụ việc", choices=DisputeKind.choices)
    began_on = date_field("Ngày xảy ra")
    ended_on = date_field("Ngày kết thúc", required=False)
    workers = forms.IntegerField(
        label="Số người lao động tham gia",
        error_messages={"invalid": "Phải là số nguyên.", "required": "Chưa nhập số người."},
    )
    demands = forms.CharField(
        label="Yêu cầu của người lao động",
        widget=TEXT,
        error_messages={"required": "Chưa nhập yêu cầu của người lao động."},
    )
    union_role = forms.CharField(label="Vai trò của công đoàn", required=False, widget=TEXT)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
            del self.fields["employer"]
        self._style()

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "began_on": d["began_on"],
            "ended_on": d.get("ended_on"),
            "workers": d["workers"],
            "demands": d["demands"],
            "union_role": d.get("union_role") or "",
        }


class MediationForm(BootstrapMixin, forms.Form):
    held_on = date_field("Ngày")
    action = forms.CharField(
        label="Nội dung", widget=TEXT, error_messages={"required": "Chưa nhập nội dung."}
    )
    by = forms.CharField(label="Người, cơ quan thực hiện", required=False, max_length=255)
    result = forms.CharField(label="Kết quả", required=False, widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class CloseForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Kết quả", choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING]
    )
    result = forms.CharField(
        label="Kết quả giải quyết", widget=TEXT, error_messages={"required": "Ghi kết quả giải quyết."}
    )
    ended_on = date_field("Ngày kết thúc")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class SentimentForm(BootstrapMixin, forms.Form):
    unit = UnitCodeField(label="Công đoàn theo dõi (mã)", error_messages={"required": "Chưa chọn đơn vị."})
    employer = EmployerRefField()
    noted_on = date_field("Ngày ghi nhận")
    note = forms.CharField(
        label="Tình hình tư tưởng người lao động",
        widget=TEXT,
        error_messages={"required": "Chưa nhập nội dung."},
    )
    at_risk = forms.BooleanField(label="Có nguy cơ tranh chấp, ngừng việc", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
