"""Computed indicators of recommendations (codes in ``recommendations/catalogue.py``), counted at the
unit that raised them: raised in the period, answered by its end, still waiting at its end and waiting
past their due day (KN_TY_LE = answered / raised)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from congdoan.indicators.providers import UnitIds, Values, columns, register_batch, register_records

from . import selectors
from .models import RecStatus


def _counts(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    answered = selectors.answered_by(end)
    closed = Q(status=RecStatus.CLOSED, closed_on__lte=end)
    waiting = ~answered & ~closed
    rows = (
        selectors.raised(units, start, end)
        .values("unit_id")
        .annotate(
            raised=Count("pk"),
            answered=Count("pk", filter=answered),
            waiting=Count("pk", filter=waiting),
            overdue=Count("pk", filter=waiting & selectors.overdue_at(end)),
        )
        .order_by()
    )
    return columns(
        rows,
        "unit_id",
        recs_raised="raised",
        recs_answered="answered",
        recs_waiting="waiting",
        recs_overdue="overdue",
    )


register_batch("recommendations", _counts)
for code, label, records in (
    ("recs_raised", "Kiến nghị đã gửi trong kỳ", selectors.raised),
    ("recs_answered", "Kiến nghị đã được trả lời", selectors.answered),
    ("recs_waiting", "Kiến nghị chưa được trả lời", selectors.waiting),
    ("recs_overdue", "Kiến nghị quá hạn trả lời", selectors.overdue),
):
    register_records(
        code,
        label,
        records,
        counted_at="unit_id",
        records_url="recommendations:list",
        batch="recommendations",
    )
