"""The loan fund's part of the period report: drafted sentences ("giải ngân 2 dự án với số tiền 1 tỷ đồng
cho 50 người vay") and a table by child unit. Described with the kernel's plain types (``loans`` sits
below ``reports`` and never imports it)."""

from __future__ import annotations

from typing import Any

from congdoan.core import registry
from congdoan.core.formatting import format_fraction_percent, format_money_words, format_number


def _value(stat: Any) -> int:
    return int(stat.value) if stat is not None and stat.value else 0


def sentence(*, period_label: str, area: str, projects: int, amount: int, borrowers: int) -> str:
    """ "Năm 2025, toàn thành phố đã giải ngân 2 dự án với số tiền 1 tỷ đồng cho 50 người vay." """
    return (
        f"{period_label[:1].upper()}{period_label[1:]}, {area} đã giải ngân {format_number(projects)} dự án "
        f"với số tiền {format_money_words(amount)} cho {format_number(borrowers)} người vay."
    )


def draft(f: registry.SectionFigures) -> list[str]:
    projects, amount, borrowers = (
        _value(f.stat("VAY_DU_AN")),
        _value(f.stat("VAY_SO_TIEN")),
        _value(f.stat("VAY_NGUOI")),
    )
    outstanding, par30 = f.stat("VAY_DU_NO"), f.stat("VAY_PAR30")
    if not amount and not _value(outstanding):
        why = f" ({f.reason})." if f.reason else "."
        return [f"Chưa có số liệu giải ngân vốn vay từ Quỹ trợ vốn {f.period.label}{why}"]
    out = []
    if amount:
        out.append(
            sentence(
                period_label=f.period.label,
                area=f.area,
                projects=projects,
                amount=amount,
                borrowers=borrowers,
            )
        )
    if _value(outstanding):
        text = f"Dư nợ gốc cuối kỳ {format_money_words(_value(outstanding))}"
        if par30 is not None and par30.value is not None:
            text += (
                f"; tỷ lệ dư nợ có nợ quá hạn trên 30 ngày (PAR30) {format_fraction_percent(par30.value, 2)}"
            )
        out.append(text + ".")
    return out


SECTION = registry.ReportSection(
    key="loans",
    chapter="IV",
    title="HOẠT ĐỘNG QUỸ TRỢ VỐN CNVCLĐ NGHÈO",
    indicators=("VAY_DU_AN", "VAY_SO_TIEN", "VAY_NGUOI", "VAY_DU_NO", "VAY_PAR30"),
    draft=draft,
    order=50,
    table=registry.ReportTable(
        "loans",
        "Giải ngân và dư nợ vốn vay",
        (
            registry.ReportColumn("loans_n", "Khoản vay giải ngân", "Giải ngân", "VAY_SO_KHOAN", "value"),
            registry.ReportColumn("loans_amount", "Số tiền (đồng)", "Giải ngân", "VAY_SO_TIEN", "value"),
            registry.ReportColumn("loans_outstanding", "Dư nợ gốc (đồng)", "Dư nợ", "VAY_DU_NO", "value"),
            registry.ReportColumn("loans_par30", "PAR30", "Dư nợ", "VAY_PAR30", "value", kind="pct"),
        ),
    ),
)
