"""The recommendations' part of the period report: the drafted sentence ("đã gửi 12 kiến nghị, 10 đã được
trả lời (83,33%)") and the "tổng hợp kiến nghị" table by child unit. Plain kernel types only."""

from __future__ import annotations

from typing import Any

from congdoan.core import registry
from congdoan.core.formatting import format_number, format_percent

# The chapter the key tasks open (``plans.report``): this is its second part.
CHAPTER = "VI"
CHAPTER_TITLE = "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH VÀ GIẢI QUYẾT KIẾN NGHỊ"


def _value(stat: Any) -> int:
    return int(stat.value) if stat is not None and stat.value else 0


def draft(f: registry.SectionFigures) -> list[str]:
    raised, answered = _value(f.stat("KN_GUI")), _value(f.stat("KN_TRA_LOI"))
    waiting, late = _value(f.stat("KN_CHUA_TRA_LOI")), _value(f.stat("KN_QUA_HAN"))
    if not raised:
        why = f" ({f.reason})." if f.reason else "."
        return [f"Chưa có kiến nghị nào được gửi {f.period.label}{why}"]
    label = f.period.label
    text = (
        f"{label[:1].upper()}{label[1:]}, {f.area} đã gửi {format_number(raised)} kiến nghị "
        f"đến công đoàn cấp trên và các cơ quan, đơn vị; {format_number(answered)} kiến nghị đã được trả lời "
        f"({format_percent(answered, raised, 2)})"
    )
    if waiting:
        text += f", {format_number(waiting)} kiến nghị đang chờ trả lời"
        if late:
            text += f" (trong đó {format_number(late)} kiến nghị quá hạn)"
    return [text + "."]


SECTION = registry.ReportSection(
    key="recommendations",
    chapter=CHAPTER,
    chapter_title=CHAPTER_TITLE,
    title="Tổng hợp kiến nghị",
    indicators=("KN_GUI", "KN_TRA_LOI", "KN_CHUA_TRA_LOI", "KN_QUA_HAN"),
    draft=draft,
    order=71,
    table=registry.ReportTable(
        "recommendations",
        "Tổng hợp kiến nghị",
        (
            registry.ReportColumn("recs_raised", "Đã gửi", "Kiến nghị", "KN_GUI", "value"),
            registry.ReportColumn("recs_answered", "Đã trả lời", "Kiến nghị", "KN_TRA_LOI", "value"),
            registry.ReportColumn("recs_waiting", "Chờ trả lời", "Kiến nghị", "KN_CHUA_TRA_LOI", "value"),
            registry.ReportColumn("recs_overdue", "Quá hạn", "Kiến nghị", "KN_QUA_HAN", "value"),
            registry.ReportColumn(
                "recs_share", "Tỷ lệ trả lời", "Kiến nghị", "KN_TY_LE", "value", kind="pct"
            ),
        ),
    ),
)
