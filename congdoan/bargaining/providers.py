"""Computed indicators of collective agreements (codes as in ``indicators/catalogue.py``).

Each provider counts at the CĐCS the record belongs to; the engine sums up the tree. ``records`` is the
queryset behind the figure; ``records_url`` names a page that, given ``?unit=CODE&from=&to=``, shows
exactly those records (it redirects to the agreement or CĐCS list with the matching filters).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from congdoan.indicators.providers import (
    UnitIds,
    Values,
    columns,
    grassroots_rows,
    keep,
    register_batch,
    register_records,
)
from congdoan.org.models import alive_on

from . import selectors
from .models import ENTERPRISE_SECTORS, AgreementKind, CollectiveAgreement, Grade, valid_on_q


def _signed(kind: str) -> Any:
    def records(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
        return selectors.signed_in(units, start, end, kind)

    return records


def _graded(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.valid_agreements(units, end).exclude(grade="")


def _grade_ab(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.valid_agreements(units, end).filter(grade__in=[Grade.A, Grade.B])


def _with_valid(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.cdcs_with_valid(units, end)


def _enterprise(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.enterprise_cdcs(units, end)


def _agreement_counts(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    """Every agreement provider from one pass over the agreements signed in the period or holding at
    its end, and one read of the enterprise CĐCS."""
    signed = Q(signed_on__gte=start, signed_on__lte=end)
    valid = valid_on_q(end)
    rows = (
        CollectiveAgreement.objects.filter(cdcs_id__in=units)
        .filter(signed | valid)
        .values("cdcs_id")
        .annotate(
            new=Count("pk", filter=signed & Q(kind=AgreementKind.NEW)),
            resigned=Count("pk", filter=signed & Q(kind=AgreementKind.RESIGNED)),
            amended=Count("pk", filter=signed & Q(kind=AgreementKind.AMENDED)),
            graded=Count("pk", filter=valid & ~Q(grade="")),
            grade_ab=Count("pk", filter=valid & Q(grade__in=[Grade.A, Grade.B])),
            valid=Count("pk", filter=valid),
        )
        .order_by()
    )
    out = columns(
        rows,
        "cdcs_id",
        agreements_new="new",
        agreements_resigned="resigned",
        agreements_amended="amended",
        agreements_graded="graded",
        agreements_grade_ab="grade_ab",
        holding="valid",
    )
    one = Decimal(1)
    enterprise = {
        pk: one
        for pk, sector, founded_on, dissolved_on in grassroots_rows(units)
        if sector in ENTERPRISE_SECTORS and alive_on(founded_on, dissolved_on, end)
    }
    holding = out.pop("holding")
    out["enterprise_cdcs"] = enterprise
    out["cdcs_with_valid_agreement"] = {pk: one for pk in enterprise if pk in holding}
    return out


register_batch("agreements", _agreement_counts)

for code, kind, label, url in (
    ("agreements_new", AgreementKind.NEW, "Thỏa ước ký mới trong kỳ", "bargaining:records_new"),
    (
        "agreements_resigned",
        AgreementKind.RESIGNED,
        "Thỏa ước ký lại trong kỳ",
        "bargaining:records_resigned",
    ),
    (
        "agreements_amended",
        AgreementKind.AMENDED,
        "Thỏa ước sửa đổi, bổ sung trong kỳ",
        "bargaining:records_amended",
    ),
):
    _records = _signed(kind)
    register_records(code, label, _records, counted_at="cdcs_id", records_url=url, batch="agreements")

register_records(
    "cdcs_with_valid_agreement",
    "CĐCS có thỏa ước còn hiệu lực cuối kỳ",
    _with_valid,
    records_url="bargaining:records_cdcs_valid",
    batch="agreements",
)
register_records(
    "enterprise_cdcs",
    "CĐCS doanh nghiệp cuối kỳ",
    _enterprise,
    records_url="bargaining:records_enterprise_cdcs",
    batch="agreements",
)
register_records(
    "agreements_grade_ab",
    "Thỏa ước còn hiệu lực xếp loại A, B",
    _grade_ab,
    counted_at="cdcs_id",
    records_url="bargaining:records_grade_ab",
    batch="agreements",
)
register_records(
    "agreements_graded",
    "Thỏa ước còn hiệu lực đã xếp loại",
    _graded,
    counted_at="cdcs_id",
    records_url="bargaining:records_graded",
    batch="agreements",
)

# Kept per CĐCS and period (``indicators.leaf``): the services call
# ``core.registry.records_changed("agreements", …)`` with every date of the agreement (old and new);
# enterprise CĐCS and CĐCS with a valid agreement also read the CĐCS's sector and dates, so
# ``core.registry.units_changed`` (the org services) recounts them too.
keep(
    "agreements",
    batch="agreements",
    codes=(
        "agreements_new",
        "agreements_resigned",
        "agreements_amended",
        "agreements_graded",
        "agreements_grade_ab",
        "enterprise_cdcs",
        "cdcs_with_valid_agreement",
    ),
    reads_units=True,
)
