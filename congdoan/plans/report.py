"""The key tasks' part of the period report: "Năm 2026, toàn thành phố hoàn thành 19/21 nhiệm vụ trọng tâm
(90,48%)" and a table by child unit. Described with the kernel's plain types (``plans`` sits below
``reports`` and never imports it)."""

from __future__ import annotations

from typing import Any

from congdoan.core import registry
from congdoan.core.formatting import format_number, format_percent

CHAPTER = "VI"
CHAPTER_TITLE = "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH VÀ GIẢI QUYẾT KIẾN NGHỊ"


def _value(stat: Any) -> int:
    return int(stat.value) if stat is not None and stat.value else 0


def draft(f: registry.SectionFigures) -> list[str]:
    total, done, still = (
        _value(f.stat("NV_TONG")),
        _value(f.stat("NV_HOAN_THANH")),
        _value(f.stat("NV_CHUA_HOAN_THANH")),
    )
    if not total:
        why = f" ({f.reason})." if f.reason else "."
        return [f"Chưa có nhiệm vụ trọng tâm đến hạn {f.period.label}{why}"]
    label = f.period.label
    text = (
        f"{label[:1].upper()}{label[1:]}, {f.area} hoàn thành {format_number(done)}/{format_number(total)} "
        f"nhiệm vụ trọng tâm ({format_percent(done, total, 2)})"
    )
    if still:
        text += f"; còn {format_number(still)} nhiệm vụ chưa hoàn thành"
    return [text + "."]


SECTION = registry.ReportSection(
    key="plans",
    chapter=CHAPTER,
    chapter_title=CHAPTER_TITLE,
    title="Thực hiện nhiệm vụ trọng tâm",
    indicators=("NV_TONG", "NV_HOAN_THANH", "NV_CHUA_HOAN_THANH"),
    draft=draft,
    order=70,
    table=registry.ReportTable(
        "plans",
        "Thực hiện nhiệm vụ trọng tâm",
        (
            registry.ReportColumn("tasks_total", "Số nhiệm vụ", "Nhiệm vụ trọng tâm", "NV_TONG", "value"),
            registry.ReportColumn("tasks_done", "Hoàn thành", "Nhiệm vụ trọng tâm", "NV_HOAN_THANH", "value"),
            registry.ReportColumn(
                "tasks_share", "Tỷ lệ hoàn thành", "Nhiệm vụ trọng tâm", "NV_TY_LE", "value", kind="pct"
            ),
        ),
    ),
)
