"""core.views and core.forms: the form and page helpers the apps share (they used to borrow each
other's private ones: org.views._add_service_errors and _show, org.filters._style,
bargaining.views._pick_cdcs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError

from congdoan.core.forms import DateInput, date_field, style_filter_form
from congdoan.core.models import AuditEntry
from congdoan.core.views import add_service_errors, audit_rows, show_value

PACKAGE = Path(__file__).resolve().parents[2]


class TransferForm(forms.Form):
    to = forms.CharField()
    on = date_field("Ngày")
    kind = forms.ChoiceField(choices=[("a", "A")])


def test_service_errors_land_on_the_field_renamed_or_fall_back() -> None:
    form = TransferForm(data={"to": "X", "on": "01/07/2025", "kind": "a"})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError({"cdcs": ["Đơn vị nhận đã giải thể."], "join_date": ["Ngày 01/07/2025 sai."]}),
        fallback="on",
        rename={"cdcs": "to"},
    )
    assert form.errors == {"to": ["Đơn vị nhận đã giải thể."], "on": ["Ngày 01/07/2025 sai."]}
    top = TransferForm(data={"to": "X", "on": "01/07/2025", "kind": "a"})
    assert top.is_valid()
    add_service_errors(top, ValidationError({"cdcs": ["Không có đơn vị."]}))
    add_service_errors(top, ValidationError("Thỏa ước đã hết hiệu lực."))
    assert top.non_field_errors() == ["Không có đơn vị.", "Thỏa ước đã hết hiệu lực."]


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("name", None, "—"),
        ("name", "", "—"),
        ("pays", True, "Có"),
        ("pays", False, "Không"),
        ("type", "CDCS", "Công đoàn cơ sở"),
        ("type", "XYZ", "XYZ"),
        ("founded_on", "2025-07-01", "01/07/2025"),
        ("code", "2025-13-01", "2025-13-01"),
        ("workforce", 1200, "1200"),
    ],
)
def test_show_value(key: str, value: object, shown: str) -> None:
    assert show_value(key, value, {"type": {"CDCS": "Công đoàn cơ sở"}}) == shown


def test_audit_rows_label_show_and_leave_out_nothing_set() -> None:
    entry = AuditEntry(
        action=AuditEntry.Action.UPDATE,
        before={"name": "A", "founded_on": None},
        after={"name": "B", "founded_on": "2025-07-01", "phone": "", "clauses": [], "filters": {"q": "x"}},
    )
    rows = audit_rows([entry], labels={"name": "Tên"}, show=show_value)
    assert rows[0]["action"] == "Sửa"
    assert rows[0]["changes"] == [
        {"label": "Tên", "before": "A", "after": "B"},
        {"label": "founded_on", "before": "—", "after": "01/07/2025"},
        {"label": "clauses", "before": "", "after": "[]"},
    ]
    rows = audit_rows([entry], labels={}, show=show_value, unset=(None, "", []), action=lambda e: "Đổi")
    assert rows[0]["action"] == "Đổi"
    assert [c["label"] for c in rows[0]["changes"]] == ["name", "founded_on"]


def test_filter_forms_get_small_controls_without_losing_their_own() -> None:
    form = TransferForm()
    form.fields["to"].widget.attrs["class"] = "mine"
    style_filter_form(form)
    assert form.fields["to"].widget.attrs["class"] == "mine"
    assert form.fields["kind"].widget.attrs["class"] == "form-select form-select-sm"
    assert isinstance(form.fields["on"].widget, DateInput)
    assert form.fields["on"].widget.attrs["class"] == "form-control js-date"


def test_file_picker_is_vietnamese_and_checkbox_lists_are_not_bars() -> None:
    """issue 12: "Chọn tệp…" instead of the browser's "Choose File"; a checkbox list gets form-check
    inputs (Bootstrap's form-control on a checkbox draws an empty bar)."""
    from congdoan.core.forms import BootstrapMixin, FileInput

    class Form(BootstrapMixin, forms.Form):
        file = forms.FileField(label="Tệp", widget=FileInput(attrs={"accept": ".xlsx"}))
        picks = forms.MultipleChoiceField(
            label="Chọn", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
        )

        def __init__(self) -> None:
            super().__init__()
            self._style()

    form = Form()
    html = str(form["file"])
    assert "Chọn tệp…" in html and "Chưa chọn tệp" in html and 'accept=".xlsx"' in html
    assert 'class="visually-hidden vi-file-input"' in html and 'for="id_file"' in html
    assert 'class="form-check-input"' in str(form["picks"]) and "form-control" not in str(form["picks"])
