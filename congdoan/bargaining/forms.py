"""Forms of the agreement pages: they parse input (the approval share as a percentage, the CĐCS by code);
the services validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from congdoan.core.concurrency import VersionFormMixin
from congdoan.core.forms import BootstrapMixin, FileInput, date_field
from congdoan.org.models import Employer, OrgUnit

from . import services
from .models import AgreementKind, AgreementScope, CollectiveAgreement, FavourableClause, Grade

MSG_NO_EMPLOYER = "Chưa chọn đơn vị sử dụng lao động."
PERCENT_ERRORS = {
    "invalid": "Tỷ lệ tán thành phải là số phần trăm, ví dụ 75 hoặc 75,5.",
    "required": "Chưa nhập tỷ lệ người lao động biểu quyết tán thành.",
}


class PercentField(forms.DecimalField):
    """A percentage typed with a decimal comma or dot ("75,5"), returned as a fraction (0.755)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=7, decimal_places=2, error_messages=PERCENT_ERRORS, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace("%", "").replace(",", ".").strip()
        number = super().to_python(value)
        return None if number is None else number / 100

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def run_validators(self, value: Any) -> None:
        return None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{(value * 100).normalize():f}".replace(".", ",")
        return value


class _AgreementFields(BootstrapMixin, forms.Form):
    number = forms.CharField(label="Số văn bản", max_length=64, required=False)
    signed_on = date_field("Ngày ký")
    effective_on = date_field("Có hiệu lực từ ngày", required=False, help_text="Để trống: từ ngày ký.")
    expires_on = date_field("Có hiệu lực đến hết ngày")
    approval_share = PercentField(
        label="Tỷ lệ người lao động biểu quyết tán thành (%)", help_text="Phải trên 50%."
    )
    favourable_clauses = forms.MultipleChoiceField(
        label="Nội dung có lợi hơn quy định của pháp luật",
        choices=FavourableClause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signed_file = forms.FileField(
        label="Bản thỏa ước đã ký (PDF)",
        required=False,
        widget=FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    notes = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(VersionFormMixin, _AgreementFields):
    """Create or correct an agreement of one CĐCS (its employers offered as checkboxes); when
    correcting, ``version`` is the agreement's version when the page was shown."""

    kind = forms.ChoiceField(
        label="Hình thức",
        choices=[
            (AgreementKind.NEW, AgreementKind.NEW.label),
            (AgreementKind.RESIGNED, AgreementKind.RESIGNED.label),
        ],
    )
    scope = forms.ChoiceField(label="Phạm vi", choices=AgreementScope.choices)
    employers = forms.ModelMultipleChoiceField(
        label="Đơn vị sử dụng lao động",
        queryset=Employer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        # Checked by the service with the other fields, so a missing employer hides no other error.
        required=False,
    )
    grade = forms.ChoiceField(
        label="Xếp loại", choices=[("", "Chưa xếp loại"), *Grade.choices], required=False
    )

    field_order = [
        "number",
        "kind",
        "scope",
        "employers",
        "signed_on",
        "effective_on",
        "expires_on",
        "approval_share",
        "favourable_clauses",
        "grade",
        "signed_file",
        "notes",
    ]

    def __init__(
        self, *args: Any, cdcs: OrgUnit, agreement: CollectiveAgreement | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["employers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        ids = set(Employer.objects.filter(cdcs=cdcs).values_list("pk", flat=True))
        if agreement is not None:
            ids |= {e.pk for e in agreement.employers.all()}
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = AgreementKind.choices
        field.queryset = Employer.objects.filter(pk__in=ids).order_by("name")
        field.show_required = True  # type: ignore[attr-defined]  # the service requires one
        self._style()

    def clean(self) -> dict[str, Any]:
        """When a field failed here (the service will not run), still show the service's own checks
        of the fields that did parse: every problem at once (issue 12)."""
        data = super().clean() or {}
        needed = ("kind", "scope", "signed_on", "expires_on", "approval_share")
        if self.errors and all(data.get(name) is not None for name in needed):
            found = services.agreement_field_errors(
                **{name: data[name] for name in needed},
                effective_on=data.get("effective_on"),
                grade=data.get("grade") or "",
            )
            for name, messages in found.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        if self.errors and not data.get("employers") and "employers" not in self.errors:
            self.add_error("employers", MSG_NO_EMPLOYER)
        return data

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "number": d.get("number") or "",
            "kind": d["kind"],
            "scope": d["scope"],
            "employers": list(d["employers"]),
            "signed_on": d["signed_on"],
            "effective_on": d.get("effective_on") or d["signed_on"],
            "expires_on": d["expires_on"],
            "approval_share": d["approval_share"],
            "favourable_clauses": list(d.get("favourable_clauses") or []),
            "grade": d.get("grade") or "",
            "notes": d.get("notes") or "",
            "signed_file": d.get("signed_file") or None,
        }


class RenewForm(_AgreementFields):
    kind = forms.ChoiceField(
        label="Hình thức",
        choices=[
            (AgreementKind.RESIGNED, AgreementKind.RESIGNED.label),
            (AgreementKind.AMENDED, AgreementKind.AMENDED.label),
        ],
    )
    field_order = ["kind", "number", "signed_on", "effective_on", "expires_on", "approval_share"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "number": d.get("number") or "",
            "signed_on": d["signed_on"],
            "effective_on": d.get("effective_on") or None,
            "expires_on": d["expires_on"],
            "approval_share": d["approval_share"],
            "favourable_clauses": list(d.get("favourable_clauses") or []),
            "notes": d.get("notes") or "",
            "signed_file": d.get("signed_file") or None,
        }
