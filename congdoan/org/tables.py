"""django-tables2 tables of the unit and employer lists (Vietnamese headers, dates, numbers)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date, format_number

from .models import Employer, OrgUnit

TEMPLATE = "django_tables2/congdoan.html"


class UnitTable(tables.Table):
    code = tables.Column(verbose_name="Mã", linkify=True)
    name = tables.Column(verbose_name="Tên đơn vị", linkify=True)
    type = tables.Column(verbose_name="Loại")
    sector = tables.Column(verbose_name="Khu vực")
    founded_on = tables.Column(verbose_name="Ngày thành lập")
    dissolved_on = tables.Column(verbose_name="Chấm dứt hoạt động từ")

    class Meta:
        model = OrgUnit
        fields = ("code", "name", "type", "sector", "founded_on", "dissolved_on")
        template_name = TEMPLATE
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Không có đơn vị nào."
        order_by = ("code",)

    def render_type(self, record: OrgUnit) -> SafeString:
        return format_html('<span class="badge text-bg-light border">{}</span>', record.get_type_display())

    def render_sector(self, record: OrgUnit) -> str:
        return record.get_sector_display()

    def render_founded_on(self, value: Any) -> str:
        return format_date(value)

    def render_dissolved_on(self, value: Any) -> str:
        return format_date(value)


class EmployerTable(tables.Table):
    name = tables.Column(verbose_name="Tên doanh nghiệp", linkify=True)
    tax_code = tables.Column(verbose_name="Mã số thuế")
    sector = tables.Column(verbose_name="Khu vực")
    workforce = tables.Column(verbose_name="Số lao động", attrs={"td": {"class": "text-end"}})
    pays_union_funding = tables.BooleanColumn(verbose_name="Đóng KPCĐ", yesno="Có,Không")
    unit = tables.Column(verbose_name="Công đoàn quản lý", order_by=("unit__name",))
    cdcs = tables.Column(verbose_name="CĐCS", order_by=("cdcs__name",), default="—")

    class Meta:
        model = Employer
        fields = ("name", "tax_code", "sector", "workforce", "pays_union_funding", "unit", "cdcs")
        template_name = TEMPLATE
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Không có doanh nghiệp nào."
        order_by = ("name",)

    def render_sector(self, record: Employer) -> str:
        return record.get_sector_display()

    def render_workforce(self, value: int) -> str:
        return format_number(value)

    def render_unit(self, record: Employer) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.unit.get_absolute_url(), record.unit.name)

    def render_cdcs(self, record: Employer) -> SafeString:
        assert record.cdcs is not None
        return format_html('<a href="{}">{}</a>', record.cdcs.get_absolute_url(), record.cdcs.name)
