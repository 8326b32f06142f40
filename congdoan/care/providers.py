"""Computed indicators of care (codes as in ``care/catalogue.py``), answered by one batch.

- ``care_cases`` (lượt): cases paid in the period and not reversed by its end; ``care_people``
  (người): their distinct CCCDs per unit (a person helped by two units counts at each);
- ``care_amount`` (đồng): payments made in the period plus the reversals made in it (negative), so
  a payment reversed in the same period nets to zero;
- the same by campaign kind (``care_cases_<kind>``, ``care_amount_<kind>``);
- the amount by funding source (``care_amount_src_<union|social|employer>``): a campaign's net
  payments attributed to its sources in proportion to their amounts (``selectors.split_amount``);
- ``care_houses``: Mái ấm Công đoàn houses started; ``care_deals``: welfare deals signed.
Every figure is counted at the case's (house's, deal's) unit and rolls up the dated tree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from congdoan.indicators.providers import (
    Provider,
    UnitIds,
    Values,
    counts,
    register,
    register_batch,
    register_records,
)

from . import selectors
from .models import CampaignKind, FundingKind


def _counts_by_kind(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    out: dict[str, Values] = {code: {} for code in CODES}
    rows = (
        selectors.paid(units, start, end)
        .values_list("unit_id", "campaign__kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, kind, n in rows:
        for code in ("care_cases", f"care_cases_{kind}"):
            out[code][unit_id] = out[code].get(unit_id, Decimal(0)) + n
    people = selectors.paid(units, start, end).values_list("unit_id").annotate(n=Count("cccd", distinct=True))
    for unit_id, n in people.order_by():
        out["care_people"][unit_id] = Decimal(n)
    for (unit_id, kind), total in selectors.paid_amounts(units, start, end).items():
        for code in ("care_amount", f"care_amount_{kind}"):
            out[code][unit_id] = out[code].get(unit_id, Decimal(0)) + total
    for (unit_id, source), total in selectors.paid_by_source(units, start, end).items():
        code = f"care_amount_src_{source}"
        if code in out:
            out[code][unit_id] = out[code].get(unit_id, Decimal(0)) + total
    for code in [c for c in out if c.startswith("care_amount")]:
        out[code] = {u: v for u, v in out[code].items() if v}
    out["care_houses"] = counts(selectors.houses(units, start, end), "unit_id")
    out["care_deals"] = counts(selectors.deals(units, start, end), "unit_id")
    return out


def _paid(kind: str | None) -> Any:
    def records(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
        return selectors.paid(units, start, end, kind)

    return records


def _amount(kind: str | None) -> Any:
    def values(units: UnitIds, start: dt.date, end: dt.date) -> Values:
        out: Values = {}
        for (unit_id, k), total in selectors.paid_amounts(units, start, end).items():
            if kind is None or k == kind:
                out[unit_id] = out.get(unit_id, Decimal(0)) + total
        return {u: v for u, v in out.items() if v}

    return values


def _by_source(source: str) -> Any:
    def values(units: UnitIds, start: dt.date, end: dt.date) -> Values:
        out: Values = {}
        for (unit_id, s), total in selectors.paid_by_source(units, start, end).items():
            if s == source and total:
                out[unit_id] = out.get(unit_id, Decimal(0)) + total
        return out

    return values


def _people(units: UnitIds, start: dt.date, end: dt.date) -> Values:
    rows = selectors.paid(units, start, end).values_list("unit_id").annotate(n=Count("cccd", distinct=True))
    return {unit_id: Decimal(n) for unit_id, n in rows.order_by()}


CODES = [
    "care_cases",
    "care_people",
    "care_amount",
    *[f"care_cases_{k}" for k in CampaignKind.values],
    *[f"care_amount_{k}" for k in CampaignKind.values],
    *[f"care_amount_src_{k}" for k in FundingKind.values],
    "care_houses",
    "care_deals",
]
BATCH = "care"
register_batch(BATCH, _counts_by_kind)
URL = "care:records"
register_records(
    "care_cases",
    "Lượt người được chăm lo, hỗ trợ",
    _paid(None),
    counted_at="unit_id",
    records_url=URL,
    batch=BATCH,
)
register(Provider("care_people", "Người được chăm lo, hỗ trợ", _people, _paid(None), URL, BATCH))
register(Provider("care_amount", "Kinh phí chăm lo đã chi (đồng)", _amount(None), _paid(None), URL, BATCH))
for kind, label in CampaignKind.choices:
    register_records(
        f"care_cases_{kind}",
        f"Lượt hỗ trợ – {label}",
        _paid(kind),
        counted_at="unit_id",
        records_url=URL,
        batch=BATCH,
    )
    register(
        Provider(f"care_amount_{kind}", f"Kinh phí đã chi – {label}", _amount(kind), _paid(kind), URL, BATCH)
    )
for source, label in FundingKind.choices:
    register(
        Provider(
            f"care_amount_src_{source}",
            f"Kinh phí chăm lo đã chi từ nguồn: {label}",
            _by_source(source),
            _paid(None),
            URL,
            BATCH,
        )
    )
register_records(
    "care_houses",
    "Mái ấm Công đoàn khởi công",
    selectors.houses,
    counted_at="unit_id",
    records_url="care:houses",
    batch=BATCH,
)
register_records(
    "care_deals",
    "Thỏa thuận phúc lợi đoàn viên ký kết",
    selectors.deals,
    counted_at="unit_id",
    records_url="care:deals",
    batch=BATCH,
)
