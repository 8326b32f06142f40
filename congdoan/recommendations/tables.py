"""The table of recommendations."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date, format_number

from . import selectors
from .models import Recommendation, RecStatus

TONES: dict[str, str] = {
    RecStatus.RAISED: "secondary",
    RecStatus.ROUTED: "info",
    RecStatus.ANSWERED: "success",
    RecStatus.CLOSED: "light",
}


def status_badge(rec: Recommendation) -> SafeString:
    late = rec.is_waiting and rec.due_on < timezone.localdate()
    tone = "danger" if late else TONES.get(rec.status, "secondary")
    label = f"{rec.get_status_display()} · quá hạn" if late else rec.get_status_display()
    return format_html('<span class="badge text-bg-{} rec-status">{}</span>', tone, label)


class RecTable(tables.Table):
    raised_on = tables.Column(verbose_name="Ngày gửi")
    title = tables.Column(verbose_name="Kiến nghị")
    unit = tables.Column(verbose_name="Đơn vị kiến nghị", order_by=("unit__name", "-raised_on"))
    to = tables.Column(verbose_name="Gửi đến", empty_values=(), orderable=False)
    due_on = tables.Column(verbose_name="Hạn trả lời")
    age = tables.Column(
        verbose_name="Số ngày", empty_values=(), orderable=False, attrs={"td": {"class": "text-end"}}
    )
    status = tables.Column(verbose_name="Trạng thái")

    class Meta:
        model = Recommendation
        fields = ("raised_on", "title", "unit", "to", "due_on", "age", "status")
        template_name = "django_tables2/congdoan.html"
        attrs = {"class": "table table-sm table-hover align-middle recommendations"}
        empty_text = "Không có kiến nghị nào."

    def render_raised_on(self, record: Recommendation) -> str:
        return format_date(record.raised_on)

    def render_title(self, record: Recommendation) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_unit(self, record: Recommendation) -> str:
        return record.unit.name

    def render_to(self, record: Recommendation) -> str:
        return record.addressee

    def render_due_on(self, record: Recommendation) -> str:
        return format_date(record.due_on)

    def render_age(self, record: Recommendation) -> str:
        return format_number(selectors.ageing_days(record))

    def render_status(self, record: Recommendation) -> SafeString:
        return status_badge(record)
