"""Chapter III of the period report: "CÔNG TÁC CHĂM LO ĐỜI SỐNG, VIỆC LÀM CHO ĐOÀN VIÊN, NGƯỜI LAO
ĐỘNG", with sentences in the style of the federations' own reports ("trao trợ cấp cho 56 trường hợp
với tổng kinh phí 56 triệu đồng", "tặng 83.000 suất quà Tết, tổng trị giá 41,5 tỷ đồng")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from congdoan.core import registry
from congdoan.core.formatting import format_money_words, format_number

TITLE = "CÔNG TÁC CHĂM LO ĐỜI SỐNG, VIỆC LÀM CHO ĐOÀN VIÊN, NGƯỜI LAO ĐỘNG"
INDICATORS = (
    "CL_NGUOI",
    "CL_LUOT",
    "CL_TIEN",
    "CL_TET_SUAT",
    "CL_TET_TIEN",
    "CL_KHO_KHAN",
    "CL_KHO_KHAN_TIEN",
    "MAI_AM",
    "PHUC_LOI",
    "CL_TIEN_CD",
    "CL_TIEN_XHH",
    "CL_TIEN_DN",
)
SOURCES = (
    ("CL_TIEN_CD", "nguồn tài chính công đoàn"),
    ("CL_TIEN_XHH", "xã hội hóa"),
    ("CL_TIEN_DN", "người sử dụng lao động đóng góp"),
)


def _v(f: registry.SectionFigures, code: str) -> Decimal:
    stat: Any = f.stat(code)
    return Decimal(stat.value) if stat is not None and stat.value is not None else Decimal(0)


def _n(value: Decimal) -> str:
    return format_number(value, 0)


def draft(f: registry.SectionFigures) -> list[str]:
    cases, people, money = _v(f, "CL_LUOT"), _v(f, "CL_NGUOI"), _v(f, "CL_TIEN")
    houses, deals = _v(f, "MAI_AM"), _v(f, "PHUC_LOI")
    if not (cases or money or houses or deals):
        why = f" ({f.reason})" if f.reason else ""
        return [f"Chưa có số liệu về công tác chăm lo cho đoàn viên, người lao động {f.period.label}{why}."]
    lead = f"{f.period.label[0].upper()}{f.period.label[1:]}, {f.area}"
    out: list[str] = []
    if cases:
        out.append(
            f"{lead} đã chăm lo, hỗ trợ {_n(cases)} lượt đoàn viên, người lao động ({_n(people)} người) "
            f"với tổng kinh phí {format_money_words(int(money))}."
        )
        lead = "Trong đó"
    clauses: list[str] = []
    tet, tet_money = _v(f, "CL_TET_SUAT"), _v(f, "CL_TET_TIEN")
    if tet:
        clauses.append(f"tặng {_n(tet)} suất quà Tết, tổng trị giá {format_money_words(int(tet_money))}")
    hardship, hardship_money = _v(f, "CL_KHO_KHAN"), _v(f, "CL_KHO_KHAN_TIEN")
    if hardship:
        words = format_money_words(int(hardship_money))
        clauses.append(f"trao trợ cấp cho {_n(hardship)} trường hợp với tổng kinh phí {words}")
    if houses:
        clauses.append(f"hỗ trợ xây mới, sửa chữa {_n(houses)} Mái ấm Công đoàn")
    if deals:
        clauses.append(f"ký {_n(deals)} thỏa thuận hợp tác mang lại phúc lợi cho đoàn viên")
    if clauses:
        out.append(f"{lead}, " + "; ".join(clauses) + ".")
    sources = [(label, _v(f, code)) for code, label in SOURCES]
    if money and any(v for _, v in sources):
        parts = [f"{label} {format_money_words(int(v))}" for label, v in sources if v]
        out.append("Kinh phí chăm lo theo nguồn: " + "; ".join(parts) + ".")
    return out


C = registry.ReportColumn
SECTION = registry.ReportSection(
    key="care",
    chapter="III",
    title=TITLE,
    indicators=INDICATORS,
    draft=draft,
    order=40,
    table=registry.ReportTable(
        "care",
        "Chăm lo đoàn viên, người lao động",
        (
            C("care_people", "Người", "Được chăm lo, hỗ trợ", "CL_NGUOI", "value"),
            C("care_cases", "Lượt", "Được chăm lo, hỗ trợ", "CL_LUOT", "value"),
            C("care_amount", "Kinh phí (đồng)", "Được chăm lo, hỗ trợ", "CL_TIEN", "value"),
            C("care_tet", "Suất quà Tết", "", "CL_TET_SUAT", "value"),
            C("care_houses", "Mái ấm Công đoàn", "", "MAI_AM", "value"),
        ),
    ),
)
