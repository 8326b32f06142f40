"""Computed indicators of collective agreements (codes as in ``indicators/catalogue.py``).

Each provider counts at the CĐCS the record belongs to; the engine sums up the tree. ``records`` is the
queryset behind the figure; ``records_url`` names a page that, given ``?unit=CODE&from=&to=``, shows
exactly those records (it redirects to the agreement or CĐCS list with the matching filters).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from congdoan.indicators.providers import Provider, UnitIds, count_by, one_each, register

from . import selectors
from .models import AgreementKind, Grade


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
    register(
        Provider(
            code=code,
            label=label,
            values=count_by(_records, "cdcs_id"),
            records=_records,
            records_url=url,
        )
    )

register(
    Provider(
        code="cdcs_with_valid_agreement",
        label="CĐCS có thỏa ước còn hiệu lực cuối kỳ",
        values=one_each(_with_valid),
        records=_with_valid,
        records_url="bargaining:records_cdcs_valid",
    )
)
register(
    Provider(
        code="enterprise_cdcs",
        label="CĐCS doanh nghiệp cuối kỳ",
        values=one_each(_enterprise),
        records=_enterprise,
        records_url="bargaining:records_enterprise_cdcs",
    )
)
register(
    Provider(
        code="agreements_grade_ab",
        label="Thỏa ước còn hiệu lực xếp loại A, B",
        values=count_by(_grade_ab, "cdcs_id"),
        records=_grade_ab,
        records_url="bargaining:records_grade_ab",
    )
)
register(
    Provider(
        code="agreements_graded",
        label="Thỏa ước còn hiệu lực đã xếp loại",
        values=count_by(_graded, "cdcs_id"),
        records=_graded,
        records_url="bargaining:records_graded",
    )
)
