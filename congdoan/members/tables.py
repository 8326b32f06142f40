"""The member list table: CCCD and phone always masked; birth date to the year unless the role may see it.

Rows come from ``selectors.membership_list`` (with their person and CĐCS: joined, or read after the page
for a search sorted from its matches), so rendering a page costs the same number of queries whatever
its size.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date

from . import privacy
from .models import Membership

TEMPLATE = "django_tables2/congdoan.html"
EMPTY = "—"  # django-tables2's default for an empty cell
STATUS_BADGES: dict[str, str] = {
    Membership.Status.ACTIVE: "text-bg-success",
    Membership.Status.TRANSFERRED: "text-bg-info",
    Membership.Status.LEFT: "text-bg-secondary",
    Membership.Status.REMOVED: "text-bg-danger",
}


class MemberTable(tables.Table):
    full_name = tables.Column(
        verbose_name="Họ và tên", accessor="person__full_name", order_by=("person__sort_key", "person_id")
    )
    birth_date = tables.Column(
        verbose_name="Ngày sinh", accessor="person__birth_date", order_by=("person__birth_date",)
    )
    gender = tables.Column(verbose_name="Giới tính", accessor="person__gender", orderable=False)
    cccd = tables.Column(verbose_name="CCCD", accessor="person__cccd", orderable=False, default="—")
    phone = tables.Column(verbose_name="Điện thoại", accessor="person__phone", orderable=False, default="—")
    cdcs = tables.Column(verbose_name="Công đoàn cơ sở", order_by=("cdcs__name", "person__sort_key"))
    join_date = tables.Column(verbose_name="Ngày vào CĐ")
    card_number = tables.Column(verbose_name="Số thẻ", default="—")
    status = tables.Column(verbose_name="Tình trạng")

    class Meta:
        model = Membership
        fields = (
            "full_name",
            "birth_date",
            "gender",
            "cccd",
            "phone",
            "cdcs",
            "join_date",
            "card_number",
            "status",
        )
        template_name = TEMPLATE
        attrs = {"class": "table table-sm table-hover align-middle member-table"}
        empty_text = "Không có đoàn viên nào."
        per_page_field = "so_dong"

    def __init__(self, *args: Any, personal_data: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.personal_data = personal_data
        if not personal_data:
            # Sorted by the full date, a masked birth date (**/**/1995) would show who is older than
            # whom within a year; these roles sort by the other columns only.
            self.columns["birth_date"].column.orderable = False

    def cells(self, record: Membership) -> dict[str, str]:
        """The row's cells by column name, as django-tables2 renders them with the ``render_*`` methods
        (an empty value shows the table's "—"), without its per-cell work: ~30 ms of a city's page
        of 25 (``{% row_cells %}``, issue 18). A test renders both ways and compares."""
        person = record.person
        return {
            "full_name": self.render_full_name(record),
            "birth_date": self.render_birth_date(record),
            "gender": self.render_gender(record) if person.gender else EMPTY,
            "cccd": self.render_cccd(person.cccd) if person.cccd else EMPTY,
            "phone": self.render_phone(person.phone) if person.phone else EMPTY,
            "cdcs": self.render_cdcs(record),
            "join_date": self.render_join_date(record.join_date),
            "card_number": record.card_number or EMPTY,
            "status": self.render_status(record),
        }

    def render_full_name(self, record: Membership) -> SafeString:
        url = reverse("members:detail", args=[record.person_id])
        return format_html('<a href="{}">{}</a>', url, record.person.full_name)

    def render_birth_date(self, record: Membership) -> str:
        person = record.person
        if person.birth_date is None:
            return "—"
        return format_date(person.birth_date) if self.personal_data else privacy.mask_birth_date(person)

    def render_gender(self, record: Membership) -> str:
        return record.person.get_gender_display()

    def render_cccd(self, value: str) -> SafeString:
        return format_html('<span class="font-monospace">{}</span>', privacy.mask(value))

    def render_phone(self, value: str) -> SafeString:
        return format_html('<span class="font-monospace">{}</span>', privacy.mask(value))

    def render_cdcs(self, record: Membership) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.cdcs.get_absolute_url(), record.cdcs.name)

    def render_join_date(self, value: Any) -> str:
        return format_date(value)

    def render_status(self, record: Membership) -> SafeString:
        css = STATUS_BADGES.get(record.status, "text-bg-light")
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())
