"""Computed indicators of inspections: inspections made, employers inspected (each employer once per
inspecting unit), inspections finding violations, and inspections by kind; counted at the inspecting
unit and rolled up the dated tree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from congdoan.indicators.providers import Provider, UnitIds, Values, register, register_batch

from . import selectors
from .models import InspectionKind

CODES = [
    "inspections",
    "inspected_employers",
    "inspections_violations",
    *[f"inspections_{k}" for k in InspectionKind.values],
]
BATCH = "inspections"
URL = "inspections:list"


def _batch(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    out: dict[str, Values] = {code: {} for code in CODES}
    rows: Any = (
        selectors.held(units, start, end)
        .values("unit_id")
        .annotate(
            n=Count("pk"),
            employers=Count("employer_id", distinct=True),
            violations=Count("pk", filter=Q(violations=True)),
            **{k: Count("pk", filter=Q(kind=k)) for k in InspectionKind.values},
        )
        .order_by()
    )
    for row in rows:
        for code, column in (
            ("inspections", "n"),
            ("inspected_employers", "employers"),
            ("inspections_violations", "violations"),
        ):
            if row[column]:
                out[code][row["unit_id"]] = Decimal(row[column])
        for k in InspectionKind.values:
            if row[k]:
                out[f"inspections_{k}"][row["unit_id"]] = Decimal(row[k])
    return out


def _values(code: str) -> Any:
    def values(units: UnitIds, start: dt.date, end: dt.date) -> Values:
        return _batch(units, start, end)[code]

    return values


def _records(kind: str | None = None, violations: bool = False) -> Any:
    def records(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
        qs = selectors.held(units, start, end, kind).select_related("unit", "employer")
        return qs.filter(violations=True) if violations else qs

    return records


register_batch(BATCH, _batch)
register(Provider("inspections", "Cuộc kiểm tra, giám sát", _values("inspections"), _records(), URL, BATCH))
register(
    Provider(
        "inspected_employers",
        "Doanh nghiệp được kiểm tra, giám sát",
        _values("inspected_employers"),
        _records(),
        URL,
        BATCH,
    )
)
register(
    Provider(
        "inspections_violations",
        "Cuộc kiểm tra phát hiện vi phạm",
        _values("inspections_violations"),
        _records(violations=True),
        URL,
        BATCH,
    )
)
for kind, label in InspectionKind.choices:
    code = f"inspections_{kind}"
    register(
        Provider(code, f"Kiểm tra, giám sát: {label.lower()}", _values(code), _records(kind), URL, BATCH)
    )
