"""Tables of disputes and of sentiment notes."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date, format_number

from .models import Dispute, Outcome, SentimentNote

TEMPLATE = "django_tables2/congdoan.html"
ATTRS = {"class": "table table-sm table-hover align-middle"}


class DisputeTable(tables.Table):
    began_on = tables.Column(verbose_name="Ngày xảy ra")
    kind = tables.Column(verbose_name="Loại")
    employer = tables.Column(verbose_name="Đơn vị sử dụng lao động", order_by=("employer__name",))
    unit = tables.Column(verbose_name="Công đoàn theo dõi", order_by=("unit__name",))
    workers = tables.Column(verbose_name="Số người", attrs={"td": {"class": "text-end"}})
    outcome = tables.Column(verbose_name="Kết quả")

    class Meta:
        model = Dispute
        fields = ("began_on", "kind", "employer", "unit", "workers", "outcome")
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Không có vụ việc nào."

    def render_began_on(self, record: Dispute) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), format_date(record.began_on))

    def render_kind(self, record: Dispute) -> str:
        return record.get_kind_display()

    def render_employer(self, record: Dispute) -> str:
        return record.employer.name

    def render_unit(self, record: Dispute) -> str:
        return record.unit.name

    def render_workers(self, value: int) -> str:
        return format_number(value)

    def render_outcome(self, record: Dispute) -> SafeString:
        tone = "warning" if record.outcome == Outcome.PENDING else "secondary"
        return format_html('<span class="badge text-bg-{}">{}</span>', tone, record.get_outcome_display())


class SentimentTable(tables.Table):
    noted_on = tables.Column(verbose_name="Ngày ghi nhận")
    employer = tables.Column(verbose_name="Đơn vị sử dụng lao động", order_by=("employer__name",))
    unit = tables.Column(verbose_name="Công đoàn theo dõi", order_by=("unit__name",))
    note = tables.Column(verbose_name="Tình hình tư tưởng")
    at_risk = tables.Column(verbose_name="Nguy cơ")

    class Meta:
        model = SentimentNote
        fields = ("noted_on", "employer", "unit", "note", "at_risk")
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Chưa có ghi nhận nào."

    def render_noted_on(self, record: SentimentNote) -> str:
        return format_date(record.noted_on)

    def render_employer(self, record: SentimentNote) -> SafeString:
        return format_html('<a href="?employer={}">{}</a>', record.employer_id, record.employer.name)

    def render_unit(self, record: SentimentNote) -> str:
        return record.unit.name

    def render_at_risk(self, value: bool) -> SafeString:
        if value:
            return format_html('<span class="badge text-bg-danger">{}</span>', "Có nguy cơ")
        return format_html('<span class="badge text-bg-success">{}</span>', "Ổn định")
