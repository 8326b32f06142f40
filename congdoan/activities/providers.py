"""Computed indicators of activities (codes as in ``activities/catalogue.py``), answered by one batch.

``activities`` counts the records; ``activity_sessions`` / ``activity_participants`` / ``activity_women``
/ ``activity_cost`` add up their sessions (cuộc, buổi), participants (lượt), women and cost (đồng); the
same per seeded kind (``activity_sessions_<kind>``, ``activity_participants_<kind>``). Every figure is
counted at the activity's unit and rolls up the dated tree; the drill-down lists exactly ``records``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from congdoan.indicators.providers import Provider, UnitIds, Values, keep, register, register_batch

from . import selectors
from .catalogue import KINDS
from .models import ActivityKind

KIND_CODES = [code for code, *_ in KINDS]
SUMS = {"activity_sessions": "sessions", "activity_participants": "participants", "activity_women": "women"}
CODES = [
    "activities",
    *SUMS,
    "activity_cost",
    *[f"activity_sessions_{k}" for k in KIND_CODES],
    *[f"activity_participants_{k}" for k in KIND_CODES],
]
BATCH = "activities"
URL = "activities:list"


def _batch(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    """Every activity figure from one grouped read of the period's activities."""
    out: dict[str, Values] = {code: {} for code in CODES}
    # By the kind's id (no join: PostgreSQL reads the covering index alone), named afterwards.
    codes = dict(ActivityKind.objects.values_list("pk", "code"))
    rows = (
        selectors.held(units, start, end)
        .values_list("unit_id", "kind_id")
        .annotate(n=Count("pk"), s=Sum("sessions"), p=Sum("participants"), w=Sum("women"), c=Sum("cost"))
        .order_by()
    )

    def add(code: str, unit_id: int, value: Any) -> None:
        if value:
            out[code][unit_id] = out[code].get(unit_id, Decimal(0)) + Decimal(value)

    for unit_id, kind_id, n, s, p, w, c in rows:
        kind = codes.get(kind_id)
        add("activities", unit_id, n)
        add("activity_sessions", unit_id, s)
        add("activity_participants", unit_id, p)
        add("activity_women", unit_id, w)
        add("activity_cost", unit_id, c)
        if kind in KIND_CODES:
            add(f"activity_sessions_{kind}", unit_id, s)
            add(f"activity_participants_{kind}", unit_id, p)
    return out


def _records(kind: str | None) -> Any:
    def records(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
        return selectors.held(units, start, end, kind).select_related("unit", "kind")

    return records


def _values(code: str) -> Any:
    def values(units: UnitIds, start: dt.date, end: dt.date) -> Values:
        return _batch(units, start, end)[code]

    return values


register_batch(BATCH, _batch)
LABELS = {
    "activities": "Hoạt động đã tổ chức",
    "activity_sessions": "Cuộc, buổi hoạt động",
    "activity_participants": "Lượt người tham gia hoạt động",
    "activity_women": "Lượt nữ tham gia hoạt động",
    "activity_cost": "Kinh phí tổ chức hoạt động (đồng)",
}
for code, label in LABELS.items():
    register(Provider(code, label, _values(code), _records(None), URL, BATCH))
for kind, name, _phrase, _prefix in KINDS:
    for what, words in (("sessions", "số cuộc, buổi"), ("participants", "lượt người tham gia")):
        code = f"activity_{what}_{kind}"
        register(Provider(code, f"{name}: {words}", _values(code), _records(kind), URL, BATCH))

# Kept per unit and period (``indicators.leaf``): the services call
# ``core.registry.records_changed("activities", …)`` on every write.
keep(BATCH, batch=BATCH, codes=CODES)
