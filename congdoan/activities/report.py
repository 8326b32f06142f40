"""The activities part of the period report: sentences counted from the records, in the style of the
federations' own reports ("1.846 cuộc tuyên truyền cho hơn 45.000 lượt CNVCLĐ")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from congdoan.core import registry
from congdoan.core.formatting import format_money_words, format_number

from .catalogue import KINDS

CHAPTER = "VII"
CHAPTER_TITLE = "CÔNG TÁC TUYÊN TRUYỀN, KIỂM TRA, GIÁM SÁT VÀ CÁC HOẠT ĐỘNG PHONG TRÀO"
INDICATORS = (
    "HD_SO",
    "HD_CUOC",
    "HD_LUOT",
    "HD_NU",
    "HD_KINH_PHI",
    *[f"{prefix}_{part}" for *_, prefix in KINDS for part in ("CUOC", "LUOT")],
)


def value(f: registry.SectionFigures, code: str) -> Decimal:
    stat: Any = f.stat(code)
    return Decimal(stat.value) if stat is not None and stat.value is not None else Decimal(0)


def about(n: Decimal | int) -> str:
    """A count of people as the reports write it: exact below 10.000, else "hơn 45.000"."""
    n = int(n)
    if n >= 10_000 and n % 1000:
        return f"hơn {format_number(n // 1000 * 1000)}"
    return format_number(n)


def lead(f: registry.SectionFigures) -> str:
    label = f.period.label
    return f"{label[0].upper()}{label[1:]}, {f.area}"


def phrases() -> dict[str, str]:
    """The kinds' counting phrases as configured (the seeded ones when a kind was renamed away)."""
    from .models import ActivityKind

    found = dict(ActivityKind.objects.values_list("code", "phrase"))
    return {code: found.get(code) or phrase for code, _, phrase, _ in KINDS}


def draft(f: registry.SectionFigures) -> list[str]:
    total, people = value(f, "HD_SO"), value(f, "HD_LUOT")
    if not total:
        why = f" ({f.reason})" if f.reason else ""
        return [
            f"Chưa có số liệu về các hoạt động tuyên truyền, tập huấn, văn hóa, thể thao "
            f"{f.period.label}{why}."
        ]
    words = phrases()
    clauses = []
    for code, _name, _phrase, prefix in KINDS:
        sessions, attended = value(f, f"{prefix}_CUOC"), value(f, f"{prefix}_LUOT")
        if not sessions:
            continue
        clause = f"{format_number(sessions)} {words[code]}"
        if attended:
            clause += f" cho {about(attended)} lượt CNVCLĐ"
        clauses.append(clause)
    out = []
    if clauses:
        out.append(f"{lead(f)} đã tổ chức " + "; ".join(clauses) + ".")
    women, cost = value(f, "HD_NU"), value(f, "HD_KINH_PHI")
    summary = (
        f"Tổng cộng {format_number(total)} hoạt động ({format_number(value(f, 'HD_CUOC'))} cuộc, buổi) "
        f"với {format_number(people)} lượt người tham gia"
    )
    if women:
        summary += f", trong đó {format_number(women)} lượt nữ"
    if cost:
        summary += f"; tổng kinh phí {format_money_words(int(cost))}"
    out.append(summary + ".")
    return out


C = registry.ReportColumn
SECTION = registry.ReportSection(
    key="activities",
    chapter=CHAPTER,
    chapter_title=CHAPTER_TITLE,
    title="Các hoạt động tuyên truyền, tập huấn, văn hóa, thể thao, chăm sóc sức khỏe",
    indicators=INDICATORS,
    draft=draft,
    order=72,
    table=registry.ReportTable(
        "activities",
        "Hoạt động đã tổ chức",
        (
            C("act_count", "Hoạt động", "", "HD_SO", "value"),
            C("act_sessions", "Cuộc, buổi", "", "HD_CUOC", "value"),
            C("act_people", "Lượt tham gia", "Người tham gia", "HD_LUOT", "value"),
            C("act_women", "Lượt nữ", "Người tham gia", "HD_NU", "value"),
            C("act_cost", "Kinh phí (đồng)", "", "HD_KINH_PHI", "value"),
        ),
    ),
)
