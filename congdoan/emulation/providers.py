"""Computed indicators of emulation: CĐCS by grade, initiatives, awards by form.

A year's sheets count in the periods that contain that year's last day (the grade is a result of
the year); initiatives count on the day they were submitted (recognised: on the day of recognition);
awards on the day of the decision. The generic drill-down (``indicators:records``) lists ``records``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from congdoan.indicators.providers import UnitIds, register_records

from .models import (
    SCORED_STATES,
    AwardForm,
    AwardProposal,
    Initiative,
    ProposalState,
    Recognition,
    ScoreSheet,
)
from .schemes import GRADE_LABELS

GRASSROOTS = ("CDCS", "NGHIEP_DOAN")
GOOD = ("xuat_sac", "tot", "vung_manh", "kha")


def graded(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[ScoreSheet]:
    """The CĐCS sheets graded for the years ending inside ``[start, end]``."""
    years = [y for y in range(start.year, end.year + 1) if start <= dt.date(y, 12, 31) <= end]
    return ScoreSheet.objects.filter(
        unit_id__in=units, year__in=years, state__in=SCORED_STATES, unit__type__in=GRASSROOTS
    ).select_related("unit")


def _by_grade(codes: tuple[str, ...]) -> Any:
    def records(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[ScoreSheet]:
        return graded(units, start, end).filter(grade__in=codes)

    return records


def _initiatives(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Initiative]:
    return Initiative.objects.filter(unit_id__in=units, submitted_on__gte=start, submitted_on__lte=end)


def _recognised(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Initiative]:
    return Initiative.objects.filter(
        unit_id__in=units, status=Recognition.RECOGNISED, recognised_on__gte=start, recognised_on__lte=end
    )


def awarded(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[AwardProposal]:
    return AwardProposal.objects.filter(
        unit_id__in=units, state=ProposalState.AWARDED, awarded_on__gte=start, awarded_on__lte=end
    ).select_related("unit", "person")


def _by_form(form: str) -> Any:
    def records(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[AwardProposal]:
        return awarded(units, start, end).filter(form=form)

    return records


register_records("emulation_graded", "CĐCS được xếp loại trong năm", graded, counted_at="unit_id")
for _code, _label in GRADE_LABELS.items():
    register_records(
        f"emulation_grade_{_code}", f"CĐCS xếp loại «{_label}»", _by_grade((_code,)), counted_at="unit_id"
    )
register_records(
    "emulation_good_or_better", "CĐCS hoàn thành tốt nhiệm vụ trở lên", _by_grade(GOOD), counted_at="unit_id"
)
register_records("emulation_initiatives", "Sáng kiến, công trình đăng ký", _initiatives, counted_at="unit_id")
register_records(
    "emulation_initiatives_recognised", "Sáng kiến được công nhận", _recognised, counted_at="unit_id"
)
register_records("emulation_awards", "Khen thưởng (mọi hình thức)", awarded, counted_at="unit_id")
for _form, _flabel in AwardForm.choices:
    register_records(
        f"emulation_awards_{_form}", f"Khen thưởng «{_flabel}»", _by_form(_form), counted_at="unit_id"
    )
