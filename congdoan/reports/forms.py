"""Forms of the report pages: which period and format to generate; a template upload."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.forms import FileInput
from congdoan.core.periods import PeriodError, parse_period

from .models import GeneratedReport, ReportTemplate


class GenerateForm(forms.Form):
    period = forms.CharField(
        label="Kỳ báo cáo",
        max_length=9,
        help_text="2024 (năm), 2025S1 (6 tháng đầu năm), 2024Q2 (quý)…",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "2024"}),
    )
    format = forms.ChoiceField(
        label="Định dạng",
        choices=GeneratedReport.Format.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    template = forms.ModelChoiceField(
        label="Mẫu Word",
        queryset=ReportTemplate.objects.none(),
        required=False,
        empty_label="Mẫu chuẩn của hệ thống",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, templates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if templates is not None:
            self.fields["template"].queryset = templates  # type: ignore[attr-defined]

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"]).code
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc


class TemplateUploadForm(forms.Form):
    name = forms.CharField(
        label="Tên mẫu", max_length=255, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    unit = forms.CharField(
        label="Mã đơn vị dùng mẫu",
        max_length=32,
        required=False,
        help_text=(
            "Mẫu dùng cho đơn vị này và các đơn vị trực thuộc; để trống (chỉ quản trị hệ thống): mọi đơn vị."
        ),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    file = forms.FileField(
        label="Tệp mẫu Word (.docx)",
        widget=FileInput(attrs={"accept": ".docx"}),
    )
