"""The form of the check page: pasted text or an uploaded file, and optionally a unit and a period."""

from __future__ import annotations

from typing import Any

from django import forms

from congdoan.core.periods import PeriodError, parse_period

from .readers import MAX_BYTES, ReadError, read_bytes

MAX_CHARS = 200_000


class CheckForm(forms.Form):
    text = forms.CharField(
        label="Dán nội dung báo cáo",
        required=False,
        max_length=MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 10}),
    )
    file = forms.FileField(
        label="hoặc tải lên tệp (.docx, .pdf, .txt)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".docx,.pdf,.txt"}),
    )
    unit = forms.ChoiceField(
        label="Đối chiếu với số liệu của đơn vị",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period = forms.CharField(
        label="Kỳ báo cáo",
        required=False,
        max_length=9,
        help_text="2024 (năm), 2025S1 (6 tháng đầu năm), 2024Q2 (quý)…",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "2024"}),
    )

    def __init__(self, *args: Any, units: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        choices = [("", "— Không đối chiếu, chỉ kiểm tra phép tính —")]
        choices += [(u.code, f"{u.name} ({u.code})") for u in units]
        self.fields["unit"].choices = choices  # type: ignore[attr-defined]

    def clean_period(self) -> str:
        code = self.cleaned_data["period"].strip()
        if not code:
            return ""
        try:
            return parse_period(code).code
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        text = data.get("text") or ""
        if upload:
            if upload.size > MAX_BYTES:
                self.add_error("file", f"Tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB.")
            else:
                try:
                    data["text"] = read_bytes(upload.read(), upload.name)
                except ReadError as exc:
                    self.add_error("file", str(exc))
        elif not text.strip():
            self.add_error("text", "Hãy dán nội dung báo cáo hoặc tải lên một tệp.")
        if data.get("unit") and not data.get("period") and "period" not in self.errors:
            self.add_error("period", "Chọn đơn vị thì cần nhập kỳ báo cáo để đối chiếu.")
        if data.get("period") and not data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", "Nhập kỳ báo cáo thì cần chọn đơn vị để đối chiếu.")
        return data
