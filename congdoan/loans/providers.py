"""Computed indicators of the loan fund (codes in ``loans/catalogue.py``): loans disbursed, their amount,
borrowers and projects in the period; principal outstanding and the principal at risk (more than 30 / 90
days past due) at the period's end, whose ratios are PAR30 and PAR90 (ratio of sums up the dated tree)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from congdoan.indicators.providers import (
    Provider,
    UnitIds,
    Values,
    register,
    register_batch,
    register_records,
)

from . import selectors
from .models import Loan, Project


def _disbursed(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.disbursed(units, start, end)


def _amounts(units: UnitIds, start: dt.date, end: dt.date) -> Values:
    rows = _disbursed(units, start, end).values("cdcs_id").annotate(s=Sum("amount")).order_by()
    return {r["cdcs_id"]: Decimal(r["s"]) for r in rows if r["s"]}


def _borrowers(units: UnitIds, start: dt.date, end: dt.date) -> Values:
    rows = (
        _disbursed(units, start, end)
        .values("cdcs_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return {r["cdcs_id"]: Decimal(r["n"]) for r in rows if r["n"]}


def _projects(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return Project.objects.filter(pk__in=_disbursed(units, start, end).values("project_id"))


def _active(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.active_on(units, end)


def _at_risk(days: int) -> Any:
    def records(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
        rows = selectors.arrears(selectors.active_on(units, end), end)
        return Loan.objects.filter(pk__in=[r.loan_id for r in rows if r.days > days])

    return records


def _arrears_batch(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    """Outstanding and at-risk principal per CĐCS on ``end``, from one arrears read."""
    out: dict[str, dict[int, Decimal]] = {c: defaultdict(Decimal) for c in ARREARS_CODES}
    for row in selectors.arrears(selectors.active_on(units, end), end):
        if row.outstanding <= 0:
            continue
        out["loans_outstanding"][row.cdcs_id] += row.outstanding
        if row.days > 30:
            out["loans_at_risk_30"][row.cdcs_id] += row.outstanding
        if row.days > 90:
            out["loans_at_risk_90"][row.cdcs_id] += row.outstanding
    return {code: dict(values) for code, values in out.items()}


def _from_batch(code: str) -> Any:
    def values(units: UnitIds, start: dt.date, end: dt.date) -> Values:
        return _arrears_batch(units, start, end)[code]

    return values


ARREARS_CODES = ("loans_outstanding", "loans_at_risk_30", "loans_at_risk_90")

register_records(
    "loans_disbursed",
    "Khoản vay giải ngân trong kỳ",
    _disbursed,
    counted_at="cdcs_id",
    records_url="loans:list",
)
register(Provider("loans_disbursed_amount", "Số tiền giải ngân trong kỳ", _amounts, _disbursed, "loans:list"))
register(Provider("loans_borrowers", "Người được vay vốn trong kỳ", _borrowers, _disbursed, "loans:list"))
register_records(
    "loans_projects",
    "Dự án vay vốn được giải ngân trong kỳ",
    _projects,
    counted_at="cdcs_id",
    records_url="loans:projects",
)
register_batch("loans_arrears", _arrears_batch)
register(
    Provider(
        "loans_outstanding",
        "Dư nợ gốc cuối kỳ",
        _from_batch("loans_outstanding"),
        _active,
        "loans:arrears",
        "loans_arrears",
    )
)
register(
    Provider(
        "loans_at_risk_30",
        "Dư nợ quá hạn trên 30 ngày",
        _from_batch("loans_at_risk_30"),
        _at_risk(30),
        "loans:arrears",
        "loans_arrears",
    )
)
register(
    Provider(
        "loans_at_risk_90",
        "Dư nợ quá hạn trên 90 ngày",
        _from_batch("loans_at_risk_90"),
        _at_risk(90),
        "loans:arrears",
        "loans_arrears",
    )
)
