"""Tables of conferences and of units by whether they held theirs."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date, format_number
from congdoan.org.models import OrgUnit

from .models import Conference

TEMPLATE = "django_tables2/congdoan.html"
ATTRS = {"class": "table table-sm table-hover align-middle"}


class ConferenceTable(tables.Table):
    held_on = tables.Column(verbose_name="Ngày tổ chức")
    kind = tables.Column(verbose_name="Loại")
    unit = tables.Column(verbose_name="Công đoàn cơ sở", order_by=("unit__name", "-held_on"))
    employer = tables.Column(
        verbose_name="Đơn vị sử dụng lao động", default="—", order_by=("employer__name",)
    )
    employer_side = tables.Column(verbose_name="Phía NSDLĐ", attrs={"td": {"class": "text-end"}})
    employee_side = tables.Column(verbose_name="Phía NLĐ", attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Conference
        fields = ("held_on", "kind", "unit", "employer", "employer_side", "employee_side")
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Không có hội nghị, đối thoại nào."

    def render_held_on(self, record: Conference) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), format_date(record.held_on))

    def render_kind(self, record: Conference) -> str:
        return record.get_kind_display()

    def render_unit(self, record: Conference) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.unit.get_absolute_url(), record.unit.name)

    def render_employer_side(self, value: int) -> str:
        return format_number(value)

    def render_employee_side(self, value: int) -> str:
        return format_number(value)


class UnitStatusTable(tables.Table):
    code = tables.Column(verbose_name="Mã", linkify=True)
    name = tables.Column(verbose_name="Công đoàn cơ sở", linkify=True)
    sector = tables.Column(verbose_name="Khu vực")
    last_held = tables.Column(verbose_name="Đã tổ chức ngày", empty_values=())

    class Meta:
        model = OrgUnit
        fields = ("code", "name", "sector", "last_held")
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Không có đơn vị nào."

    def render_sector(self, record: OrgUnit) -> str:
        return record.get_sector_display() or "—"

    def render_last_held(self, record: OrgUnit) -> SafeString:
        value = getattr(record, "last_held", None)
        if value:
            return format_html("{}", format_date(value))
        return format_html('<span class="badge text-bg-warning">{}</span>', "Chưa tổ chức")
