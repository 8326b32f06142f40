"""The disputes part of the period report: counts of disputes and stoppages, how the union took part,
and the enterprises where the workers' mood was flagged at risk."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from congdoan.core import registry
from congdoan.core.formatting import format_number

from .catalogue import INDICATORS

CHAPTER = "VII"
CHAPTER_TITLE = "CÔNG TÁC TUYÊN TRUYỀN, KIỂM TRA, GIÁM SÁT VÀ CÁC HOẠT ĐỘNG PHONG TRÀO"


def _v(f: registry.SectionFigures, code: str) -> Decimal:
    stat: Any = f.stat(code)
    return Decimal(stat.value) if stat is not None and stat.value is not None else Decimal(0)


def draft(f: registry.SectionFigures) -> list[str]:
    disputes, stoppages = _v(f, "TC_VU"), _v(f, "NV_VU")
    risky = _v(f, "TT_NGUY_CO")
    label = f.period.label
    lead = f"{label[0].upper()}{label[1:]}, {f.area}"
    if not (disputes or stoppages):
        why = f" ({f.reason})" if f.reason else ""
        out = [f"{lead} không có tranh chấp lao động tập thể, ngừng việc tập thể được ghi nhận{why}."]
    else:
        parts = []
        if stoppages:
            parts.append(
                f"{format_number(stoppages)} vụ ngừng việc tập thể với {format_number(_v(f, 'NV_NLD'))} "
                "người lao động tham gia"
            )
        if disputes:
            parts.append(f"{format_number(disputes)} vụ tranh chấp lao động tập thể")
        out = [
            f"{lead} đã xảy ra " + " và ".join(parts) + "; công đoàn các cấp đã chủ động nắm tình hình, "
            f"tham gia giải quyết, {format_number(_v(f, 'TC_GQ'))} vụ đã được giải quyết."
        ]
    if risky:
        out.append(
            f"Qua nắm bắt tình hình tư tưởng người lao động, đã cảnh báo {format_number(risky)} doanh nghiệp "
            "có nguy cơ tranh chấp, ngừng việc để phối hợp giải quyết từ sớm."
        )
    return out


C = registry.ReportColumn
SECTION = registry.ReportSection(
    key="disputes",
    chapter=CHAPTER,
    chapter_title=CHAPTER_TITLE,
    title="Tham gia giải quyết tranh chấp lao động, ngừng việc tập thể",
    indicators=tuple(code for code, *_ in INDICATORS),
    draft=draft,
    order=74,
    table=registry.ReportTable(
        "disputes",
        "Tranh chấp lao động, ngừng việc tập thể",
        (
            C("disp_disputes", "Tranh chấp tập thể", "Số vụ", "TC_VU", "value"),
            C("disp_stoppages", "Ngừng việc tập thể", "Số vụ", "NV_VU", "value"),
            C("disp_workers", "Người tham gia ngừng việc", "", "NV_NLD", "value"),
            C("disp_resolved", "Đã giải quyết", "", "TC_GQ", "value"),
            C("disp_risky", "DN có nguy cơ", "", "TT_NGUY_CO", "value"),
        ),
    ),
)
