"""Computed indicators of conferences and dialogues (codes as in ``indicators/catalogue.py``).

Units are counted once each (a CĐCS that held its conference counts 1); dialogues are counted one by
one. ``records_url`` pages take ``?unit=CODE&from=&to=`` and show exactly ``records``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from congdoan.indicators.providers import Provider, UnitIds, count_by, one_each, register

from . import selectors
from .models import ConferenceKind


def _workers(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.held_units(units, start, end, ConferenceKind.WORKERS)


def _enterprises(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.expected_units(units, end, ConferenceKind.WORKERS)


def _civil(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.held_units(units, start, end, ConferenceKind.CIVIL)


def _public_bodies(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.expected_units(units, end, ConferenceKind.CIVIL)


def _dialogues(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return selectors.held(units, start, end, selectors.DIALOGUE)


for code, label, records, url in (
    (
        "conferences_workers",
        "Doanh nghiệp tổ chức Hội nghị người lao động",
        _workers,
        "conferences:records_workers",
    ),
    ("enterprises_with_cdcs", "Doanh nghiệp có CĐCS", _enterprises, "conferences:records_enterprises"),
    ("conferences_civil", "Cơ quan, đơn vị tổ chức Hội nghị CB,CC,VC", _civil, "conferences:records_civil"),
    ("public_bodies_with_cdcs", "Cơ quan, đơn vị HCSN có CĐCS", _public_bodies, "conferences:records_public"),
):
    register(
        Provider(
            code=code,
            label=label,
            values=one_each(records),
            records=records,
            records_url=url,
        )
    )

register(
    Provider(
        code="dialogues",
        label="Cuộc đối thoại tại nơi làm việc",
        values=count_by(_dialogues, "unit_id"),
        records=_dialogues,
        records_url="conferences:records_dialogues",
    )
)
