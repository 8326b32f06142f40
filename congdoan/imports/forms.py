"""Forms of the import pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from congdoan.core.forms import FileInput
from congdoan.core.registry import web_importer_choices

from .reader import DEFAULT_MAX_BYTES
from .services import ALLOWED_SUFFIXES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại dữ liệu",
        choices=web_importer_choices,  # the kinds the apps register (core.registry)
        initial="members",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label="Tệp danh sách",
        help_text="Tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV UTF-8; "
        "dòng đầu tiên là dòng tiêu đề.",
        widget=FileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )
    sheet = forms.CharField(
        label="Trang tính",
        required=False,
        max_length=255,
        help_text="Tên hoặc số thứ tự trang tính (1 = trang đầu). Để trống: nếu tệp có nhiều trang tính, "
        "bạn sẽ được chọn sau khi tải lên.",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
        if upload.size and upload.size > limit:
            raise forms.ValidationError(
                "Tệp có dung lượng %(size)s MB, vượt giới hạn %(limit)s MB. "
                "Hãy chia thành nhiều tệp nhỏ hơn.",
                params={"size": upload.size // (1024 * 1024), "limit": limit // (1024 * 1024)},
            )
        return upload


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(label="Trang tính cần nhập", widget=forms.RadioSelect)

    def __init__(self, *args: Any, sheets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]  # type: ignore[attr-defined]
