"""Forms of the key-task pages: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.forms import BootstrapMixin, FileInput, date_field
from congdoan.org.forms import UnitCodeField

from .models import TaskSource

REQUIRED = {"required": "Chưa nhập."}


class TaskForm(BootstrapMixin, forms.Form):
    title = forms.CharField(
        label="Nhiệm vụ", max_length=300, error_messages={"required": "Chưa nhập tên nhiệm vụ."}
    )
    source = forms.ChoiceField(label="Căn cứ", choices=TaskSource.choices, initial=TaskSource.PROGRAMME)
    owner = forms.CharField(label="Người phụ trách", max_length=200, required=False)
    start_on = date_field("Ngày bắt đầu")
    deadline = date_field("Hạn hoàn thành")
    description = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, with_unit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_unit:
            self.fields = {
                "unit": UnitCodeField(
                    label="Đơn vị thực hiện (mã)", error_messages={"required": "Chưa chọn đơn vị."}
                ),
                **self.fields,
            }
        self._style()

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d.get(k) for k in ("title", "source", "owner", "start_on", "deadline", "description")}


class HandDownForm(BootstrapMixin, forms.Form):
    by = UnitCodeField(label="Đơn vị giao (mã)", error_messages={"required": "Chưa chọn đơn vị giao."})
    units = forms.CharField(
        label="Giao cho các đơn vị (mã, cách nhau bởi dấu phẩy)",
        error_messages={"required": "Chưa chọn đơn vị nhận nhiệm vụ."},
    )
    titles = forms.CharField(
        label="Nhiệm vụ (mỗi dòng một nhiệm vụ)",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Chưa nhập nhiệm vụ nào."},
    )
    source = forms.ChoiceField(label="Căn cứ", choices=TaskSource.choices, initial=TaskSource.UPPER)
    owner = forms.CharField(label="Người phụ trách", max_length=200, required=False)
    start_on = date_field("Ngày bắt đầu")
    deadline = date_field("Hạn hoàn thành")
    description = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def unit_codes(self) -> list[str]:
        raw = self.cleaned_data.get("units") or ""
        return [c.strip() for c in raw.replace(";", ",").replace("\n", ",").split(",") if c.strip()]

    def title_lines(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("titles") or "").splitlines() if line.strip()]


class CompleteForm(BootstrapMixin, forms.Form):
    done_on = date_field("Ngày hoàn thành")
    evidence = forms.CharField(
        label="Minh chứng (kết quả, văn bản, số liệu)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_file = forms.FileField(label="Tệp minh chứng", required=False, widget=FileInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class CancelForm(BootstrapMixin, forms.Form):
    cancel_reason = forms.CharField(
        label="Lý do hủy", max_length=300, error_messages={"required": "Cần ghi lý do hủy nhiệm vụ."}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
