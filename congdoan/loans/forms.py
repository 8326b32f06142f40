"""Forms of the loan pages (the services validate again; these only parse input)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from congdoan.core.formatting import parse_amount

from .models import Product


class AmountField(forms.CharField):
    """An amount in đồng as officers type it: "1.500.000", "1500000"."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_amount(value)
        except ValueError as exc:
            raise forms.ValidationError("Số tiền «%(v)s» không hợp lệ.", params={"v": value}) from exc


class DayForm(forms.Form):
    on = forms.DateField(label="Ngày", initial=timezone.localdate)


class RepaymentForm(forms.Form):
    amount = AmountField(label="Số tiền trả (đồng)")
    paid_on = forms.DateField(
        label="Ngày trả", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class CheckForm(forms.Form):
    checked_on = forms.DateField(
        label="Ngày kiểm tra", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    used_as_intended = forms.BooleanField(label="Sử dụng vốn đúng mục đích", required=False, initial=True)
    findings = forms.CharField(
        label="Kết quả kiểm tra", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProjectForm(forms.Form):
    """A project and its borrowers, one a line: ``CCCD; số tiền; thời hạn; mục đích``."""

    code = forms.CharField(label="Mã dự án", max_length=32)
    name = forms.CharField(label="Tên dự án", max_length=255)
    product = forms.ModelChoiceField(label="Sản phẩm cho vay", queryset=Product.objects.none())
    submitted_on = forms.DateField(
        label="Ngày lập", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    borrowers = forms.CharField(
        label="Người vay (mỗi dòng: CCCD; số tiền; thời hạn; mục đích)",
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, products: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products if products is not None else Product.objects.none()  # type: ignore[attr-defined]

    def lines(self) -> list[tuple[int, str, str, str, str]]:
        """(line number, cccd, amount, term, purpose) of the non-empty lines."""
        out = []
        for k, raw in enumerate(self.cleaned_data["borrowers"].splitlines(), start=1):
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.split(";")] + ["", "", "", ""]
            out.append((k, parts[0], parts[1], parts[2], parts[3]))
        return out


def parse_day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default
