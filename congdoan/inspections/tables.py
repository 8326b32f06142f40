"""The table of inspections."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date

from .models import Inspection

TEMPLATE = "django_tables2/congdoan.html"
ATTRS = {"class": "table table-sm table-hover align-middle"}


class InspectionTable(tables.Table):
    held_on = tables.Column(verbose_name="Ngày")
    kind = tables.Column(verbose_name="Nội dung")
    employer = tables.Column(verbose_name="Đơn vị sử dụng lao động", order_by=("employer__name",))
    unit = tables.Column(verbose_name="Công đoàn thực hiện", order_by=("unit__name",))
    violations = tables.Column(verbose_name="Vi phạm")
    state = tables.Column(verbose_name="Trạng thái")

    class Meta:
        model = Inspection
        fields = ("held_on", "kind", "employer", "unit", "violations", "state")
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Không có cuộc kiểm tra, giám sát nào."

    def render_held_on(self, record: Inspection) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), format_date(record.held_on))

    def render_kind(self, record: Inspection) -> str:
        return record.get_kind_display()

    def render_employer(self, record: Inspection) -> str:
        return record.employer.name

    def render_unit(self, record: Inspection) -> str:
        return record.unit.name

    def render_violations(self, value: bool) -> SafeString:
        if value:
            return format_html('<span class="badge text-bg-danger">{}</span>', "Có")
        return format_html("{}", "Không")

    def render_state(self, record: Inspection) -> str:
        return record.get_state_display()
