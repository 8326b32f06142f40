"""The key-tasks panel of the home page: tasks past their deadline and tasks due within two weeks
(``core.registry.register_home_panel``, registered in ``apps.py``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from congdoan.accounts.scope import user_scope
from congdoan.core import registry
from congdoan.core.formatting import format_number

from . import selectors
from .models import PENDING

SOON_DAYS = 14


def plans_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    pending = selectors.task_list(user=ctx.user).filter(status__in=PENDING)
    late = pending.filter(deadline__lt=ctx.day).count()
    soon = pending.filter(deadline__gte=ctx.day, deadline__lte=ctx.day + dt.timedelta(days=SOON_DAYS)).count()
    if not late and not soon:
        return None
    items = []
    if late:
        items.append(
            registry.HomeItem(
                text=f"{format_number(late)} nhiệm vụ trọng tâm quá hạn",
                url=reverse("plans:overdue"),
                tone="danger",
            )
        )
    if soon:
        items.append(
            registry.HomeItem(
                text=f"{format_number(soon)} nhiệm vụ trọng tâm đến hạn trong {SOON_DAYS} ngày",
                url=reverse("plans:list") + "?status=pending",
                tone="warning",
            )
        )
    links = [registry.HomeLink("Nhiệm vụ trọng tâm", reverse("plans:list"), "bi-list-check")]
    if user_scope(ctx.user).can_write_anything:
        links.insert(0, registry.HomeLink("Thêm nhiệm vụ", reverse("plans:create"), "bi-plus-lg"))
    return registry.HomeBlock(title="Nhiệm vụ trọng tâm", icon="bi-clipboard-check", items=items, links=links)


PANEL = registry.HomePanel("plans", 35, plans_panel, area="todo")
