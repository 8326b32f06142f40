"""Tables of agreements and of CĐCS by agreement status."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date, format_fraction_percent
from congdoan.org.models import OrgUnit

from .models import CollectiveAgreement

TEMPLATE = "django_tables2/congdoan.html"
ATTRS = {"class": "table table-sm table-hover align-middle"}
GRADE_BADGES = {"A": "text-bg-success", "B": "text-bg-primary", "C": "text-bg-warning", "D": "text-bg-danger"}


class AgreementTable(tables.Table):
    signed_on = tables.Column(verbose_name="Ngày ký", linkify=True)
    number = tables.Column(verbose_name="Số văn bản", default="—")
    cdcs = tables.Column(verbose_name="Công đoàn cơ sở", order_by=("cdcs__name", "-signed_on"))
    employers = tables.Column(verbose_name="Đơn vị sử dụng lao động", orderable=False, empty_values=())
    kind = tables.Column(verbose_name="Hình thức")
    effective_on = tables.Column(verbose_name="Hiệu lực từ")
    expires_on = tables.Column(verbose_name="Đến hết ngày")
    grade = tables.Column(verbose_name="Xếp loại", empty_values=())
    approval_share = tables.Column(verbose_name="Tán thành", attrs={"td": {"class": "text-end"}})

    class Meta:
        model = CollectiveAgreement
        fields = (
            "signed_on",
            "number",
            "cdcs",
            "employers",
            "kind",
            "effective_on",
            "expires_on",
            "grade",
            "approval_share",
        )
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Không có thỏa ước nào."

    def render_signed_on(self, value: Any) -> str:
        return format_date(value)

    def render_effective_on(self, value: Any) -> str:
        return format_date(value)

    def render_expires_on(self, record: CollectiveAgreement) -> SafeString:
        if record.superseded_on is not None:
            return format_html(
                '{} <span class="small text-muted">(thay thế từ {})</span>',
                format_date(record.last_day),
                format_date(record.superseded_on),
            )
        return format_html("{}", format_date(record.expires_on))

    def render_cdcs(self, record: CollectiveAgreement) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.cdcs.get_absolute_url(), record.cdcs.name)

    def render_employers(self, record: CollectiveAgreement) -> SafeString:
        return format_html_join(", ", "{}", ((e.name,) for e in record.employers.all()))

    def render_kind(self, record: CollectiveAgreement) -> str:
        return record.get_kind_display()

    def render_grade(self, record: CollectiveAgreement) -> SafeString:
        if not record.grade:
            return format_html('<span class="text-muted">{}</span>', "Chưa xếp loại")
        return format_html('<span class="badge {}">{}</span>', GRADE_BADGES[record.grade], record.grade)

    def render_approval_share(self, value: Any) -> str:
        return format_fraction_percent(value)


class CdcsAgreementTable(tables.Table):
    code = tables.Column(verbose_name="Mã", linkify=True)
    name = tables.Column(verbose_name="Công đoàn cơ sở", linkify=True)
    sector = tables.Column(verbose_name="Khu vực")
    valid_until = tables.Column(verbose_name="Thỏa ước còn hiệu lực đến", empty_values=())
    last_expired = tables.Column(verbose_name="Thỏa ước gần nhất hết hạn", empty_values=())
    agreements = tables.Column(verbose_name="", orderable=False, empty_values=())

    class Meta:
        model = OrgUnit
        fields = ("code", "name", "sector", "valid_until", "last_expired", "agreements")
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Không có công đoàn cơ sở nào."

    def render_sector(self, record: OrgUnit) -> str:
        return record.get_sector_display() or "—"

    def render_valid_until(self, value: Any) -> str:
        return format_date(value) if value else "—"

    def render_last_expired(self, record: OrgUnit) -> str:
        value = getattr(record, "last_expired", None)
        valid = getattr(record, "valid_until", None)
        return format_date(value) if value and not valid else "—"

    def render_agreements(self, record: OrgUnit) -> SafeString:
        from django.urls import reverse

        url = reverse("bargaining:agreement_list") + "?unit=" + record.code
        return format_html('<a class="small" href="{}">Các thỏa ước</a>', url)
