"""The inspections part of the period report: "kiểm tra, giám sát việc thực hiện pháp luật lao động
tại 65 doanh nghiệp", counted from the records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from congdoan.core import registry
from congdoan.core.formatting import format_number

from .catalogue import KIND_CODES, indicators
from .models import InspectionKind

CHAPTER = "VII"
CHAPTER_TITLE = "CÔNG TÁC TUYÊN TRUYỀN, KIỂM TRA, GIÁM SÁT VÀ CÁC HOẠT ĐỘNG PHONG TRÀO"
INDICATORS = tuple(code for code, *_ in indicators())


def _v(f: registry.SectionFigures, code: str) -> Decimal:
    stat: Any = f.stat(code)
    return Decimal(stat.value) if stat is not None and stat.value is not None else Decimal(0)


def draft(f: registry.SectionFigures) -> list[str]:
    n, employers = _v(f, "KT_CUOC"), _v(f, "KT_DN")
    if not n:
        why = f" ({f.reason})" if f.reason else ""
        return [f"Chưa có số liệu về công tác kiểm tra, giám sát tại doanh nghiệp {f.period.label}{why}."]
    label = f.period.label
    parts = [
        f"{format_number(_v(f, KIND_CODES[InspectionKind(k)]))} cuộc về {name[0].lower()}{name[1:]}"
        for k, name in InspectionKind.choices
        if _v(f, KIND_CODES[InspectionKind(k)])
    ]
    out = [
        f"{label[0].upper()}{label[1:]}, {f.area} đã chủ trì, phối hợp tổ chức {format_number(n)} "
        "cuộc kiểm tra, "
        f"giám sát tại {format_number(employers)} doanh nghiệp, đơn vị sử dụng lao động"
        + (f" ({'; '.join(parts)})" if parts else "")
        + "."
    ]
    violations = _v(f, "KT_VI_PHAM")
    if violations:
        out.append(
            f"Qua kiểm tra, giám sát, {format_number(violations)} cuộc phát hiện vi phạm; "
            "công đoàn đã kiến nghị "
            "người sử dụng lao động khắc phục và theo dõi việc thực hiện."
        )
    return out


C = registry.ReportColumn
SECTION = registry.ReportSection(
    key="inspections",
    chapter=CHAPTER,
    chapter_title=CHAPTER_TITLE,
    title="Công tác kiểm tra, giám sát việc thực hiện chế độ, chính sách tại doanh nghiệp",
    indicators=INDICATORS,
    draft=draft,
    order=73,
    table=registry.ReportTable(
        "inspections",
        "Kiểm tra, giám sát tại doanh nghiệp",
        (
            C("insp_count", "Cuộc", "", "KT_CUOC", "value"),
            C("insp_employers", "Doanh nghiệp", "", "KT_DN", "value"),
            C("insp_violations", "Phát hiện vi phạm", "", "KT_VI_PHAM", "value"),
        ),
    ),
)
