"""The bargaining panel of the home page: agreements expiring within 90 days and enterprise CĐCS
without an agreement (``core.registry.register_home_panel``, registered in ``apps.py``)."""

from __future__ import annotations

from django.urls import reverse

from congdoan.accounts.permissions import scoped
from congdoan.accounts.scope import user_scope
from congdoan.core import registry
from congdoan.core.formatting import format_number
from congdoan.org.models import OrgUnit

from . import selectors

EXPIRING_DAYS = 90
SHOWN = 5


def agreements_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    """To do: agreements holding today that expire within 90 days with no successor, soonest first;
    how many enterprise CĐCS never had one and how many let theirs lapse."""
    expiring = selectors.expiring_soon(user=ctx.user, days=EXPIRING_DAYS)
    total = expiring.count()
    items = [
        registry.HomeItem(
            text=f"Thỏa ước của {a.cdcs.name} hết hiệu lực",
            url=a.get_absolute_url(),
            tone="danger" if (a.expires_on - ctx.day).days <= 30 else "warning",
            due=a.expires_on,
            badge=f"Còn {(a.expires_on - ctx.day).days} ngày",
        )
        for a in expiring[:SHOWN]
    ]
    units = scoped(OrgUnit.objects.all(), ctx.user, on=ctx.day).values("id")
    never = selectors.without_agreement(units, ctx.day).count()
    lapsed = selectors.lapsed(units, ctx.day).count()
    cdcs_url = reverse("bargaining:cdcs_list")
    cdcs = ctx.level == "cdcs"  # a chair reads about their own union
    if never:
        items.append(
            registry.HomeItem(
                text="Đơn vị chưa có thỏa ước"
                if cdcs
                else f"{format_number(never, 0)} CĐCS doanh nghiệp chưa có thỏa ước",
                url=f"{cdcs_url}?status=none",
            )
        )
    if lapsed:
        items.append(
            registry.HomeItem(
                text="Thỏa ước của đơn vị đã hết hạn"
                if cdcs
                else f"{format_number(lapsed, 0)} CĐCS doanh nghiệp có thỏa ước đã hết hạn",
                url=reverse("bargaining:lapsed"),
            )
        )
    links = [registry.HomeLink("Thỏa ước", reverse("bargaining:agreement_list"), "bi-file-earmark-text")]
    if user_scope(ctx.user).can_write_anything:
        links.insert(
            0, registry.HomeLink("Thêm thỏa ước", reverse("bargaining:agreement_create"), "bi-plus-lg")
        )
    return registry.HomeBlock(
        title="Thỏa ước lao động tập thể"
        + (f": {format_number(total, 0)} sắp hết hạn trong {EXPIRING_DAYS} ngày" if total else ""),
        icon="bi-file-earmark-text",
        items=items,
        links=links,
        empty="Không có thỏa ước nào sắp hết hạn; mọi CĐCS doanh nghiệp đều có thỏa ước.",
        more_url=reverse("bargaining:expiring") if total > SHOWN else "",
    )


PANEL = registry.HomePanel("bargaining", 20, agreements_panel, area="todo")
