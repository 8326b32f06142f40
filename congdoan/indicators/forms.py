"""Forms of the indicator pages: they parse Vietnamese input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from congdoan.core.formatting import format_number, parse_amount, parse_number, parse_percent
from congdoan.core.forms import FileInput
from congdoan.org.models import OrgUnit

from .models import Indicator

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def cell_name(unit: OrgUnit, indicator: Indicator) -> str:
    """The name of a target-grid cell: ``t__<unit code>__<indicator code>``."""
    return f"t__{unit.code}__{indicator.code}"


def parse_cell(indicator: Indicator, text: str) -> Decimal | None:
    """A typed cell → the number the services store (a share as a fraction); "" → None.

    Shares are typed as percentages ("70" or "70%" → 0.7); money accepts "1 tỷ 250 triệu"; counts the
    Vietnamese way ("1.250", "2,5")."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if indicator.is_ratio:
            value = parse_percent(text)
            if value > 1:
                raise ValidationError("Tỷ lệ không được vượt quá 100%.")
        elif indicator.unit == "đồng":
            value = Decimal(parse_amount(text))
        else:
            value = parse_number(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if value < 0:
        raise ValidationError("Giá trị phải là số không âm.")
    return value


def show_cell(indicator: Indicator, value: Decimal | None) -> str:
    """A stored number as it is typed back in the grid ("70" for a 70 % share, "1.250" for a count)."""
    if value is None:
        return ""
    if indicator.is_ratio:
        return format_number(value * 100, 2, trim=True)
    return format_number(value, 4, trim=True)


class TargetGridForm(forms.Form):
    """One text field per (child unit, indicator) cell; ``changes()`` lists the cells that differ."""

    def __init__(
        self,
        data: Any = None,
        *,
        units: list[OrgUnit],
        indicators: list[Indicator],
        current: dict[tuple[int, int], Decimal],
    ) -> None:
        super().__init__(data)
        self.units = units
        self.indicators = indicators
        self.current = current
        for unit in units:
            for indicator in indicators:
                name = cell_name(unit, indicator)
                self.fields[name] = forms.CharField(
                    required=False,
                    label=f"{indicator.name} – {unit.name}",
                    initial=show_cell(indicator, current.get((unit.pk, indicator.pk))),
                    widget=forms.TextInput(
                        attrs={"class": "form-control form-control-sm text-end", "inputmode": "decimal"}
                    ),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for unit in self.units:
            for indicator in self.indicators:
                name = cell_name(unit, indicator)
                if name in self.errors:
                    continue
                try:
                    data[name] = parse_cell(indicator, data.get(name, ""))
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def changes(self) -> list[tuple[OrgUnit, Indicator, Decimal | None]]:
        out = []
        for unit in self.units:
            for indicator in self.indicators:
                value = self.cleaned_data.get(cell_name(unit, indicator))
                if value != self.current.get((unit.pk, indicator.pk)):
                    out.append((unit, indicator, value))
        return out

    def rows(self) -> list[dict[str, Any]]:
        """For the template: per unit, its bound fields in column order."""
        return [
            {"unit": unit, "cells": [self[cell_name(unit, indicator)] for indicator in self.indicators]}
            for unit in self.units
        ]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx) hoặc CSV",
        error_messages={"required": "Chưa chọn tệp.", "empty": "Tệp rỗng."},
        widget=FileInput(attrs={"accept": ".xlsx,.csv,.xls,.ods"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("Tệp quá lớn (tối đa 20 MB).")
        return upload


class DataEntryForm(forms.Form):
    """The entered indicators of a report form: one field per indicator, named by its code."""

    def __init__(
        self, data: Any = None, *, indicators: list[Indicator], current: dict[int, Decimal], disabled: bool
    ) -> None:
        super().__init__(data)
        self.indicators = indicators
        self.current = current
        for indicator in indicators:
            self.fields[indicator.code] = forms.CharField(
                required=False,
                label=f"{indicator.name} ({indicator.unit})",
                initial=show_cell(indicator, current.get(indicator.pk)),
                disabled=disabled,
                widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for indicator in self.indicators:
            if indicator.code in self.errors:
                continue
            try:
                data[indicator.code] = parse_cell(indicator, data.get(indicator.code, ""))
            except ValidationError as exc:
                self.add_error(indicator.code, exc)
        return data

    def changes(self) -> list[tuple[Indicator, Decimal]]:
        """Typed values that differ from the stored ones (a blank field leaves the stored value)."""
        out = []
        for indicator in self.indicators:
            value = self.cleaned_data.get(indicator.code)
            if value is not None and value != self.current.get(indicator.pk):
                out.append((indicator, value))
        return out
