"""The emulation part of the period report (chapter V, order 60): CĐCS graded and their grades ("100%
CĐCS hoàn thành tốt nhiệm vụ trở lên"), initiatives and awards, with a table by child unit. Described
with the kernel's plain types (``emulation`` sits below ``reports`` and never imports it)."""

from __future__ import annotations

from typing import Any

from congdoan.core import registry
from congdoan.core.formatting import format_fraction_percent, format_number


def _n(stat: Any) -> int:
    return int(stat.value) if stat is not None and stat.value else 0


def draft(f: registry.SectionFigures) -> list[str]:
    graded, good, share = _n(f.stat("TD_XEP_LOAI")), _n(f.stat("TD_TOT_TRO_LEN")), f.stat("TL_TD_TOT")
    initiatives, recognised, awards = (
        _n(f.stat("SANG_KIEN")),
        _n(f.stat("SANG_KIEN_CN")),
        _n(f.stat("KT_TONG")),
    )
    if not (graded or initiatives or awards):
        why = f" ({f.reason})." if f.reason else "."
        return [f"Chưa có số liệu thi đua, khen thưởng {f.period.label}{why}"]
    label = f"{f.period.label[:1].upper()}{f.period.label[1:]}"
    out = []
    if graded:
        text = f"{label}, {f.area} có {format_number(graded)} CĐCS được đánh giá, xếp loại"
        if share is not None and share.value is not None:
            percent = format_fraction_percent(share.value, 2)
            text += f"; {format_number(good)} CĐCS ({percent}) hoàn thành tốt nhiệm vụ trở lên"
        out.append(text + ".")
    if initiatives or recognised:
        out.append(
            f"Có {format_number(initiatives)} sáng kiến, công trình được đăng ký, "
            f"{format_number(recognised)} sáng kiến được công nhận."
        )
    if awards:
        out.append(f"Đã khen thưởng {format_number(awards)} lượt tập thể, cá nhân.")
    return out


SECTION = registry.ReportSection(
    key="emulation",
    chapter="V",
    title="CÔNG TÁC THI ĐUA, KHEN THƯỞNG",
    indicators=("TD_XEP_LOAI", "TD_TOT_TRO_LEN", "TL_TD_TOT", "SANG_KIEN", "SANG_KIEN_CN", "KT_TONG"),
    draft=draft,
    order=60,
    table=registry.ReportTable(
        "emulation",
        "Xếp loại CĐCS, sáng kiến và khen thưởng",
        (
            registry.ReportColumn(
                "emu_graded", "CĐCS được xếp loại", "Xếp loại CĐCS", "TD_XEP_LOAI", "value"
            ),
            registry.ReportColumn("emu_good", "Tốt trở lên", "Xếp loại CĐCS", "TD_TOT_TRO_LEN", "value"),
            registry.ReportColumn("emu_share", "Tỷ lệ", "Xếp loại CĐCS", "TL_TD_TOT", "value", kind="pct"),
            registry.ReportColumn("emu_initiatives", "Đăng ký", "Sáng kiến", "SANG_KIEN", "value"),
            registry.ReportColumn("emu_recognised", "Được công nhận", "Sáng kiến", "SANG_KIEN_CN", "value"),
            registry.ReportColumn("emu_awards", "Lượt khen thưởng", "Khen thưởng", "KT_TONG", "value"),
        ),
    ),
)
