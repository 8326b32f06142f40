"""The conferences panel of the home page: grassroots unions that have not held their workers' or
civil servants' conference this year (``core.registry.register_home_panel``, registered in ``apps.py``)."""

from __future__ import annotations

from django.urls import reverse

from congdoan.accounts.scope import user_scope
from congdoan.core import registry
from congdoan.core.formatting import format_number

from . import selectors
from .models import ConferenceKind

KINDS = (
    (ConferenceKind.WORKERS, "hội nghị người lao động"),
    (ConferenceKind.CIVIL, "hội nghị cán bộ, công chức, viên chức"),
)


def conferences_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    """To do: how many CĐCS expected to hold each annual conference have not held it this year."""
    year = ctx.day.year
    items = []
    for kind, label in KINDS:
        missing = selectors.not_held(user=ctx.user, year=year, kind=kind).count()
        if not missing:
            continue
        url = reverse("conferences:units") + f"?kind={kind}&status=not_held&year={year}"
        if ctx.level == "cdcs":
            text = f"Chưa tổ chức {label} năm {year}"
        else:
            text = f"{format_number(missing, 0)} CĐCS chưa tổ chức {label} năm {year}"
        tone = "warning" if ctx.day.month >= 10 else "info"  # the last quarter: the year is running out
        badge = "Chưa tổ chức" if ctx.level == "ended" else "Cần làm"  # an ended unit can only look back
        items.append(registry.HomeItem(text=text, url=url, tone=tone, badge=badge))
    links = [registry.HomeLink("Hội nghị, đối thoại", reverse("conferences:list"), "bi-chat-square-text")]
    if user_scope(ctx.user).can_write_anything:
        links.insert(0, registry.HomeLink("Ghi nhận hội nghị", reverse("conferences:create"), "bi-plus-lg"))
    return registry.HomeBlock(
        title=f"Hội nghị người lao động, hội nghị CB,CC,VC năm {year}",
        icon="bi-chat-square-text",
        items=items,
        links=links,
        empty=f"Mọi CĐCS đã tổ chức hội nghị năm {year}.",
    )


PANEL = registry.HomePanel("conferences", 30, conferences_panel, area="todo")
