"""The table of activities."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date, format_number

from .models import Activity

TEMPLATE = "django_tables2/congdoan.html"
ATTRS = {"class": "table table-sm table-hover align-middle"}
RIGHT = {"td": {"class": "text-end"}}


class ActivityTable(tables.Table):
    held_on = tables.Column(verbose_name="Ngày", order_by=("held_on", "id"))
    kind = tables.Column(verbose_name="Loại", order_by=("kind__sort_order", "-held_on"))
    title = tables.Column(verbose_name="Nội dung")
    unit = tables.Column(verbose_name="Đơn vị tổ chức", order_by=("unit__name", "-held_on"))
    sessions = tables.Column(verbose_name="Cuộc, buổi", attrs=RIGHT)
    participants = tables.Column(verbose_name="Lượt tham gia", attrs=RIGHT)
    women = tables.Column(verbose_name="Nữ", attrs=RIGHT)
    cost = tables.Column(verbose_name="Kinh phí (đồng)", attrs=RIGHT)

    class Meta:
        model = Activity
        fields = ("held_on", "kind", "title", "unit", "sessions", "participants", "women", "cost")
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Không có hoạt động nào."

    def render_held_on(self, record: Activity) -> str:
        return format_date(record.held_on)

    def render_kind(self, record: Activity) -> str:
        return record.kind.name

    def render_title(self, record: Activity) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_unit(self, record: Activity) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.unit.get_absolute_url(), record.unit.name)

    def render_sessions(self, value: int) -> str:
        return format_number(value)

    def render_participants(self, value: int) -> str:
        return format_number(value)

    def render_women(self, value: int) -> str:
        return format_number(value)

    def render_cost(self, value: int) -> str:
        return format_number(value)
