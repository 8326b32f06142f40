"""The recommendations panel of the home page: recommendations addressed to the user's units waiting for
an answer (overdue ones first), and the user's own waiting past their due day."""

from __future__ import annotations

from django.urls import reverse

from congdoan.core import registry
from congdoan.core.formatting import format_number

from . import selectors
from .models import WAITING


def recs_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    waiting = selectors.rec_list(user=ctx.user).filter(status__in=WAITING)
    to_answer = waiting.filter(to_unit_id__in=ctx.unit_ids)
    inbox, late = to_answer.count(), to_answer.filter(due_on__lt=ctx.day).count()
    mine_late = waiting.exclude(to_unit_id__in=ctx.unit_ids).filter(due_on__lt=ctx.day).count()
    if not inbox and not mine_late:
        return None
    items = []
    if inbox:
        items.append(
            registry.HomeItem(
                text=f"{format_number(inbox)} kiến nghị gửi đơn vị chờ trả lời"
                + (f" ({format_number(late)} quá hạn)" if late else ""),
                url=reverse("recommendations:list") + "?status=waiting",
                tone="danger" if late else "warning",
            )
        )
    if mine_late:
        items.append(
            registry.HomeItem(
                text=f"{format_number(mine_late)} kiến nghị đã gửi quá hạn chưa được trả lời",
                url=reverse("recommendations:list") + "?status=overdue",
                tone="info",
                badge="Cần xem",
            )
        )
    links = [registry.HomeLink("Kiến nghị", reverse("recommendations:list"), "bi-megaphone")]
    return registry.HomeBlock(title="Kiến nghị", icon="bi-megaphone", items=items, links=links)


PANEL = registry.HomePanel("recommendations", 36, recs_panel, area="todo")
