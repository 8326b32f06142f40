"""Forms of the conference pages: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.forms import BootstrapMixin, date_field
from congdoan.org.models import Employer, OrgUnit

from .models import ConferenceKind

COUNT_ERRORS = {"invalid": "Số người phải là số nguyên.", "min_value": "Số người không được âm."}


class ConferenceForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=ConferenceKind.choices)
    held_on = date_field("Ngày tổ chức")
    employer = forms.ModelChoiceField(
        label="Đơn vị sử dụng lao động",
        queryset=Employer.objects.none(),
        required=False,
        empty_label="—",
    )
    employer_side = forms.IntegerField(
        label="Số người phía người sử dụng lao động", min_value=0, initial=0, error_messages=COUNT_ERRORS
    )
    employee_side = forms.IntegerField(
        label="Số người phía người lao động (đại biểu)", min_value=0, initial=0, error_messages=COUNT_ERRORS
    )
    notes = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Employer.objects.filter(cdcs=unit).order_by("name")
        self._style()

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "held_on": d["held_on"],
            "employer": d.get("employer"),
            "employer_side": d.get("employer_side") or 0,
            "employee_side": d.get("employee_side") or 0,
            "notes": d.get("notes") or "",
        }
