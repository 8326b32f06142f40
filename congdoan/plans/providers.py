"""Computed indicators of key tasks (codes in ``plans/catalogue.py``): the tasks due in the period, those
completed by its end and those still open, counted at the unit doing them and summed up the dated tree
(the ratio NV_TY_LE = completed / total: "hoàn thành 19/21 nhiệm vụ trọng tâm (90,48%)")."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from congdoan.indicators.providers import UnitIds, Values, columns, register_batch, register_records

from . import selectors
from .models import KeyTask, TaskStatus


def _task_counts(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    """The three providers from one pass over the tasks due in the period."""
    done = selectors.done_by(end)
    rows = (
        KeyTask.objects.filter(unit_id__in=units, deadline__gte=start, deadline__lte=end)
        .exclude(status=TaskStatus.CANCELLED)
        .values("unit_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=done), open=Count("pk", filter=~done))
        .order_by()
    )
    return columns(rows, "unit_id", plans_tasks="total", plans_tasks_done="done", plans_tasks_open="open")


register_batch("plans", _task_counts)
for code, label, records in (
    ("plans_tasks", "Nhiệm vụ trọng tâm đến hạn trong kỳ", selectors.tasks),
    ("plans_tasks_done", "Nhiệm vụ trọng tâm hoàn thành", selectors.tasks_done),
    ("plans_tasks_open", "Nhiệm vụ trọng tâm chưa hoàn thành", selectors.tasks_open),
):
    register_records(code, label, records, counted_at="unit_id", records_url="plans:list", batch="plans")
