"""Computed indicators of conferences and dialogues (codes as in ``indicators/catalogue.py``).

Units are counted once each (a CĐCS that held its conference counts 1); dialogues are counted one by
one. ``records_url`` pages take ``?unit=CODE&from=&to=`` and show exactly ``records``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from congdoan.indicators.providers import (
    UnitIds,
    Values,
    grassroots_rows,
    keep,
    register_batch,
    register_records,
)
from congdoan.org.models import alive_on

from . import selectors
from .models import DIALOGUE_KINDS, Conference, ConferenceKind


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


def _conference_counts(units: UnitIds, start: dt.date, end: dt.date) -> dict[str, Values]:
    """Every conference provider from one read of the conferences held in the period and one of the
    grassroots units (their sector and dates)."""
    held: dict[str, set[int]] = defaultdict(set)
    dialogues: Values = {}
    rows = (
        Conference.objects.filter(unit_id__in=units, held_on__gte=start, held_on__lte=end)
        .values("unit_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit_id", "kind", "n")  # tuples: ~100,000 rows for the nation, no dict each
    )
    for unit_id, kind, n in rows:
        held[kind].add(unit_id)
        if kind in DIALOGUE_KINDS:
            dialogues[unit_id] = dialogues.get(unit_id, Decimal(0)) + n
    one = Decimal(1)
    out: dict[str, Values] = {code: {} for code in CODES}
    out["dialogues"] = dialogues
    workers = selectors.EXPECTED_SECTORS[ConferenceKind.WORKERS]
    civil = selectors.EXPECTED_SECTORS[ConferenceKind.CIVIL]
    for pk, sector, founded_on, dissolved_on in grassroots_rows(units):
        alive = alive_on(founded_on, dissolved_on, end)
        if sector in workers:
            if alive:
                out["enterprises_with_cdcs"][pk] = one
            if pk in held[ConferenceKind.WORKERS]:
                out["conferences_workers"][pk] = one
        if sector in civil:
            if alive:
                out["public_bodies_with_cdcs"][pk] = one
            if pk in held[ConferenceKind.CIVIL]:
                out["conferences_civil"][pk] = one
    return out


CODES = (
    "conferences_workers",
    "enterprises_with_cdcs",
    "conferences_civil",
    "public_bodies_with_cdcs",
    "dialogues",
)
register_batch("conferences", _conference_counts)

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
    register_records(code, label, records, records_url=url, batch="conferences")

register_records(
    "dialogues",
    "Cuộc đối thoại tại nơi làm việc",
    _dialogues,
    counted_at="unit_id",
    records_url="conferences:records_dialogues",
    batch="conferences",
)

# Kept per unit and period (``indicators.leaf``): the services call
# ``core.registry.records_changed("conferences", …)`` (the held date: old and new); the providers that
# also read the unit's sector and dates are recounted on ``core.registry.units_changed`` too.
keep("conferences", batch="conferences", codes=CODES, reads_units=True)
