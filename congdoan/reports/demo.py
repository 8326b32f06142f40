"""Demo report deadlines: the annual and half-year reports of this year and last, due per level
(``congdoan demo``; loads once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from congdoan.core import registry
from congdoan.org.models import UnitType

from .models import GeneratedReport, ReportDeadline

# (level, month, day of the annual report's due day in its own year) — the CĐCS first, the city last.
ANNUAL_DUE = (
    (UnitType.CDCS, 11, 20),
    (UnitType.CD_XA, 11, 30),
    (UnitType.CD_KCN, 11, 30),
    (UnitType.CD_NGANH, 11, 30),
    (UnitType.LDLD_TINH, 12, 10),
)
HALF_DUE = ((UnitType.CDCS, 6, 10), (UnitType.CD_XA, 6, 15), (UnitType.LDLD_TINH, 6, 25))


def deadline_rows(year: int) -> list[ReportDeadline]:
    rows = []
    for level, month, day in ANNUAL_DUE:
        rows.append(
            ReportDeadline(
                kind=GeneratedReport.Kind.ANNUAL,
                title=f"Báo cáo tổng kết năm {year}",
                period=str(year),
                unit_type=level,
                due_on=dt.date(year, month, day),
                note="Gửi kèm biểu thống kê Excel.",
            )
        )
    for level, month, day in HALF_DUE:
        rows.append(
            ReportDeadline(
                kind=GeneratedReport.Kind.ANNUAL,
                title=f"Báo cáo sơ kết 6 tháng đầu năm {year}",
                period=f"{year}S1",
                unit_type=level,
                due_on=dt.date(year, month, day),
            )
        )
    return rows


def demo_command_deadlines(run: registry.DemoRun) -> dict[str, Any]:
    if ReportDeadline.objects.exists():
        return {}
    year = timezone.localdate().year
    rows = [*deadline_rows(year - 1), *deadline_rows(year)]
    ReportDeadline.objects.bulk_create(rows)
    run.stdout.write(f"Hạn nộp báo cáo: {len(rows)} dòng (năm {year - 1} và {year}).")
    return {"deadlines": len(rows)}
