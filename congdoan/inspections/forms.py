"""Forms of the inspection pages: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.forms import BootstrapMixin, date_field
from congdoan.org.forms import EmployerRefField, UnitCodeField

from .models import InspectionKind

TEXT = forms.Textarea(attrs={"rows": 3})


class InspectionForm(BootstrapMixin, forms.Form):
    unit = UnitCodeField(label="Công đoàn thực hiện (mã)", error_messages={"required": "Chưa chọn đơn vị."})
    employer = EmployerRefField()
    kind = forms.ChoiceField(label="Nội dung kiểm tra, giám sát", choices=InspectionKind.choices)
    held_on = date_field("Ngày bắt đầu")
    ends_on = date_field("Ngày kết thúc", required=False)
    team = forms.CharField(
        label="Thành phần đoàn", widget=TEXT, error_messages={"required": "Chưa nhập thành phần đoàn."}
    )
    findings = forms.CharField(label="Kết quả, phát hiện", required=False, widget=TEXT)
    violations = forms.BooleanField(label="Phát hiện vi phạm", required=False)
    recommendations = forms.CharField(label="Kiến nghị đã nêu", required=False, widget=TEXT)

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
            "held_on": d["held_on"],
            "ends_on": d.get("ends_on"),
            "team": d["team"],
            "findings": d.get("findings") or "",
            "violations": bool(d.get("violations")),
            "recommendations": d.get("recommendations") or "",
        }


class CloseForm(BootstrapMixin, forms.Form):
    follow_up = forms.CharField(
        label="Kết quả theo dõi khắc phục",
        widget=TEXT,
        error_messages={"required": "Ghi kết quả theo dõi khắc phục trước khi kết thúc."},
    )
    closed_on = date_field("Ngày kết thúc theo dõi")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
