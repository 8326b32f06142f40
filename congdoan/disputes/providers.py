"""Computed indicators of disputes: disputes and stoppages begun in the period, workers in stoppages,
those resolved (fully or partly), and enterprises flagged at risk in a sentiment note of the period
(each enterprise once per unit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from congdoan.indicators.providers import Provider, UnitIds, Values, register, register_batch

from . import selectors
from .models import DisputeKind, Outcome

CODES = ["disputes", "stoppages", "stoppage_workers", "disputes_resolved", "employers_at_risk"]
BATCH = "disputes"
RESOLVED = Q(outcome__in=[Outcome.RESOLVED, Outcome.PARTLY])


def _batch(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    out: dict[str, Values] = {code: {} for code in CODES}
    rows: Any = (
        selectors.began(units, start, end)
        .values("unit_id")
        .annotate(
            disputes=Count("pk", filter=Q(kind=DisputeKind.DISPUTE)),
            stoppages=Count("pk", filter=Q(kind=DisputeKind.STOPPAGE)),
            stoppage_workers=Sum("workers", filter=Q(kind=DisputeKind.STOPPAGE)),
            disputes_resolved=Count("pk", filter=RESOLVED),
        )
        .order_by()
    )
    for row in rows:
        for code in ("disputes", "stoppages", "stoppage_workers", "disputes_resolved"):
            if row[code]:
                out[code][row["unit_id"]] = Decimal(row[code])
    risky: Any = (
        selectors.noted(units, start, end, at_risk=True)
        .values("unit_id")
        .annotate(n=Count("employer_id", distinct=True))
        .order_by()
    )
    for row in risky:
        out["employers_at_risk"][row["unit_id"]] = Decimal(row["n"])
    return out


def _values(code: str) -> Any:
    def values(units: UnitIds, start: dt.date, end: dt.date) -> Values:
        return _batch(units, start, end)[code]

    return values


def _disputes(kind: str | None = None, resolved: bool = False) -> Any:
    def records(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
        qs = selectors.began(units, start, end, kind).select_related("unit", "employer")
        return qs.filter(RESOLVED) if resolved else qs

    return records


def _risky(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.noted(units, start, end, at_risk=True).select_related("unit", "employer")


register_batch(BATCH, _batch)
LIST = "disputes:list"
register(
    Provider(
        "disputes",
        "Vụ tranh chấp lao động tập thể",
        _values("disputes"),
        _disputes(DisputeKind.DISPUTE),
        LIST,
        BATCH,
    )
)
register(
    Provider(
        "stoppages",
        "Vụ ngừng việc tập thể",
        _values("stoppages"),
        _disputes(DisputeKind.STOPPAGE),
        LIST,
        BATCH,
    )
)
register(
    Provider(
        "stoppage_workers",
        "Người lao động tham gia ngừng việc tập thể",
        _values("stoppage_workers"),
        _disputes(DisputeKind.STOPPAGE),
        LIST,
        BATCH,
    )
)
register(
    Provider(
        "disputes_resolved",
        "Vụ tranh chấp, ngừng việc đã giải quyết",
        _values("disputes_resolved"),
        _disputes(resolved=True),
        LIST,
        BATCH,
    )
)
register(
    Provider(
        "employers_at_risk",
        "Doanh nghiệp có nguy cơ tranh chấp, ngừng việc",
        _values("employers_at_risk"),
        _risky,
        "disputes:sentiment_list",
        BATCH,
    )
)
