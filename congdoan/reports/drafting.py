"""The drafted Vietnamese sentences that open each section of a report, built from the figures.

Pure functions: they take :class:`Stat` values (``None`` = no data for that figure) and return
sentences. Every number goes through ``congdoan.core.formatting`` (thousands dot, decimal comma).
Rules an officer expects:
- a figure with a target is written "actual/target" and followed by the achievement ("đạt x%");
  without a target there is no "đạt";
- a section whose figures are all missing or all zero says "Chưa có số liệu về …" instead of
  printing zeros as facts;
- the area word follows the unit: "toàn thành phố", "toàn huyện", "toàn quận", "toàn phường", …
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from congdoan.core.formatting import format_date, format_fraction_percent, format_number
from congdoan.core.periods import Period, format_period
from congdoan.core.text import fold

__all__ = [
    "Stat",
    "agreement_paragraphs",
    "area_phrase",
    "cluster_paragraphs",
    "conference_paragraphs",
    "count_phrase",
    "membership_paragraphs",
    "no_data_sentence",
    "period_opening",
    "ratio_phrase",
    "report_title",
]


class FigureLike(Protocol):
    """What :meth:`Stat.of` reads: the roll-up engine's ``Figure`` (kept duck-typed: no Django here)."""

    value: Decimal | None
    target: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    compared: Decimal | None


@dataclass(frozen=True)
class Stat:
    """One figure of the reporting unit: the actual, its target and, for a ratio, its parts."""

    value: Decimal | None
    target: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    decimals: int = 0  # for ratios: decimals of the percentage (the indicator's own setting)
    # The part of the value measured against a summed target (children that have a target), if any.
    compared: Decimal | None = None

    @classmethod
    def of(cls, figure: FigureLike, decimals: int = 0) -> Stat:
        """The figure of the roll-up engine (``indicators.engine.Figure``) as a sentence reads it."""
        return cls(
            value=figure.value,
            target=figure.target,
            numerator=figure.numerator,
            denominator=figure.denominator,
            decimals=decimals,
            compared=figure.compared,
        )

    @property
    def achieved(self) -> Decimal | None:
        """What the target is measured against: like with like (see ``indicators.engine``)."""
        return self.compared if self.compared is not None else self.value

    @property
    def achievement(self) -> Decimal | None:
        if self.achieved is None or not self.target:
            return None
        return self.achieved / self.target

    def total_clause(self, noun: str) -> str:
        """ "; tổng cộng 29 buổi" when children without a target add to the value, else nothing."""
        if self.compared is None or self.value is None or self.compared == self.value:
            return ""
        return f"; tổng cộng {_n(self.value)} {noun}"

    @property
    def empty(self) -> bool:
        """Nothing recorded: no value, or zero, and for a ratio nothing in its numerator. A denominator
        alone (e.g. 55 enterprise CĐCS but not one agreement recorded) is no data on the topic."""
        return not self.value and not self.numerator


def _empty(*stats: Stat | None) -> bool:
    return all(s is None or s.empty for s in stats)


def _n(value: Decimal | int) -> str:
    return format_number(value, 0)


def _pct(fraction: Decimal | None) -> str:
    """A percentage by the one rule of pages and reports (``core.formatting.percent_decimals``)."""
    return format_fraction_percent(fraction)


# -- words -------------------------------------------------------------------------------------

# (folded keyword in the unit's name, area phrase), most specific first.
_AREA_WORDS: tuple[tuple[str, str], ...] = (
    ("thanh pho", "toàn thành phố"),
    ("thi xa", "toàn thị xã"),
    ("huyen", "toàn huyện"),
    ("quan", "toàn quận"),
    ("tinh", "toàn tỉnh"),
    ("phuong", "toàn phường"),
    ("dac khu", "toàn đặc khu"),
    ("xa", "toàn xã"),
)
_AREA_BY_TYPE = {
    "TLD": "toàn quốc",
    "CDN_TW": "toàn ngành",
    "CD_NGANH": "toàn ngành",
    "CD_VIEN_CHUC": "toàn khối",
    "CD_KCN": "toàn khu",
    "CD_TCT": "toàn tổng công ty",
    "CDCS": "toàn đơn vị",
    "NGHIEP_DOAN": "toàn nghiệp đoàn",
}


def area_phrase(unit_type: str, unit_name: str) -> str:
    """ "toàn thành phố" for LĐLĐ thành phố Hà Nội, "toàn huyện" for LĐLĐ huyện Gia Lâm, …"""
    if unit_type in ("LDLD_TINH", "LDLD_HUYEN", "CD_XA"):
        words = f" {fold(unit_name)} "
        for key, phrase in _AREA_WORDS:
            if f" {key} " in words:
                return phrase
        return {"LDLD_TINH": "toàn tỉnh", "LDLD_HUYEN": "toàn huyện", "CD_XA": "toàn xã"}[unit_type]
    return _AREA_BY_TYPE.get(unit_type, "toàn đơn vị")


def period_opening(period: Period) -> str:
    """ "Năm 2024", "6 tháng đầu năm 2025", "Quý II/2024" — the sentence opener."""
    label = format_period(period)
    return label[:1].upper() + label[1:]


def report_title(period: Period) -> str:
    """ "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024"; sơ kết for parts of a year."""
    kind = "TỔNG KẾT" if period.kind in ("year", "term") else "SƠ KẾT"
    return f"BÁO CÁO {kind} CÔNG TÁC CÔNG ĐOÀN {format_period(period).upper()}"


def count_phrase(stat: Stat, noun: str, *, achievement_words: str = "đạt {pct}") -> str:
    """As the articles write it: "265 đoàn viên, đạt 123,26% chỉ tiêu" with a target (and "(tổng cộng
    29 buổi)" when children without a target add to it), "265 đoàn viên" without."""
    assert stat.value is not None
    if stat.target:
        words = achievement_words.format(pct=_pct(stat.achievement))
        total = ""
        if stat.compared is not None and stat.compared != stat.value:
            total = f" (tổng cộng {_n(stat.value)} {noun})"
        return f"{_n(stat.achieved or 0)} {noun}, {words} chỉ tiêu{total}"
    return f"{_n(stat.value)} {noun}"


def ratio_phrase(stat: Stat, noun: str) -> str:
    """ "131/137 CĐCS có thỏa ước (95,62%)"; with a target share: "(95,62%, chỉ tiêu 90%)"."""
    assert stat.numerator is not None and stat.denominator
    share = _pct(stat.value)
    if stat.target:
        share += f", chỉ tiêu {_pct(stat.target)}"
    return f"{_n(stat.numerator)}/{_n(stat.denominator)} {noun} ({share})"


def no_data_sentence(topic: str, period: Period, reason: str = "") -> str:
    """ "Chưa có số liệu về thỏa ước lao động tập thể năm 2024 (…)." """
    tail = f" ({reason})" if reason else ""
    return f"Chưa có số liệu về {topic} {format_period(period)}{tail}."


def _as_of(end: dt.date, ended: bool) -> str:
    if ended:
        return f"đến ngày {format_date(end)} (ngày cuối cùng đơn vị hoạt động)"
    return f"đến ngày {format_date(end)}"


# -- sections ----------------------------------------------------------------------------------


def membership_paragraphs(
    *,
    period: Period,
    area: str,
    admitted: Stat | None,
    members_total: Stat | None,
    cdcs_founded: Stat | None,
    cdcs_total: Stat | None,
    coverage: Stat | None = None,
    end: dt.date,
    ended: bool = False,
    reason: str = "",
) -> list[str]:
    """Section I: "Năm 2024, toàn huyện phát triển mới 2.352 đoàn viên, đạt 176,84% chỉ tiêu, thành lập
    mới 29 CĐCS; đến ngày 31/12/2024, toàn huyện có 23.736 đoàn viên, sinh hoạt tại 412 CĐCS."

    Members and CĐCS are judged apart: with no member recorded at all, the sentence keeps the CĐCS
    figures and says there is no data on members (never "0 đoàn viên")."""
    no_members = _empty(admitted, members_total)
    no_cdcs = _empty(cdcs_founded, cdcs_total)
    if no_members and no_cdcs:
        return [no_data_sentence("đoàn viên và công đoàn cơ sở", period, reason)]
    opening = f"{period_opening(period)}, {area}"
    parts: list[str] = []
    if not no_members and admitted is not None and admitted.value is not None:
        if admitted.value or admitted.target:
            parts.append("phát triển mới " + count_phrase(admitted, "đoàn viên"))
        else:
            parts.append("chưa kết nạp được đoàn viên mới")
    if not no_cdcs and cdcs_founded is not None and cdcs_founded.value is not None:
        if cdcs_founded.value or cdcs_founded.target:
            parts.append("thành lập mới " + count_phrase(cdcs_founded, "CĐCS"))
        else:
            parts.append("chưa thành lập mới CĐCS")
    sentences: list[str] = []
    if parts:
        sentences.append(f"{opening} {', '.join(parts)}")
    stock: list[str] = []
    if not no_members and members_total is not None and members_total.value:
        stock.append(f"{_n(members_total.value)} đoàn viên")
    if not no_cdcs and cdcs_total is not None and cdcs_total.value:
        where = f"sinh hoạt tại {_n(cdcs_total.value)} CĐCS"
        stock.append(where if stock else f"{_n(cdcs_total.value)} CĐCS")
    if stock:
        text = f"{_as_of(end, ended)}, {area} có {', '.join(stock)}"
        if not no_members and coverage is not None and coverage.value is not None and coverage.denominator:
            text += f", bằng {_pct(coverage.value)} tổng số lao động"
        sentences.append(text)
    paragraph = "; ".join(sentences)
    paragraph = paragraph[:1].upper() + paragraph[1:] + "."
    if no_members:
        paragraph += " " + no_data_sentence("đoàn viên", period, reason)
    return [paragraph]


def agreement_paragraphs(
    *,
    period: Period,
    area: str,
    new: Stat | None,
    coverage: Stat | None,
    grade_ab: Stat | None,
    reason: str = "",
) -> list[str]:
    """Section II.1: "Năm 2024, toàn huyện ký kết mới 29 bản thỏa ước lao động tập thể, đạt 120,83%
    chỉ tiêu; nâng tổng số lên 131/137 CĐCS có thỏa ước (95,62%), trong đó 98/131 bản xếp loại A, B
    (74,8%)."""
    if _empty(new, coverage, grade_ab):
        return [no_data_sentence("thỏa ước lao động tập thể", period, reason)]
    noun = "bản thỏa ước lao động tập thể"
    clauses: list[str] = []
    if new is not None and new.value is not None:
        if new.target:
            clauses.append(
                f"ký kết mới {_n(new.achieved or 0)} {noun}, "
                f"đạt {_pct(new.achievement)} chỉ tiêu{new.total_clause('bản')}"
            )
        elif new.value:
            clauses.append(f"ký kết mới {_n(new.value)} {noun}")
        else:
            clauses.append(f"không có {noun} ký kết mới")
    if coverage is not None and coverage.denominator and coverage.numerator is not None:
        lead = "nâng tổng số lên " if new is not None and new.value else "có "
        text = lead + ratio_phrase(coverage, "CĐCS có thỏa ước")
        if grade_ab is not None and grade_ab.denominator and grade_ab.numerator is not None:
            text += ", trong đó " + ratio_phrase(grade_ab, "bản xếp loại A, B")
        clauses.append(text)
    elif grade_ab is not None and grade_ab.denominator and grade_ab.numerator is not None:
        clauses.append("có " + ratio_phrase(grade_ab, "bản thỏa ước xếp loại A, B"))
    return [f"{period_opening(period)}, {area} " + "; ".join(clauses) + "."]


CONFERENCE_TOPIC = (
    "hội nghị người lao động, hội nghị cán bộ, công chức, viên chức và đối thoại tại nơi làm việc"
)


def conference_paragraphs(
    *,
    period: Period,
    area: str,
    workers: Stat | None,
    civil: Stat | None,
    dialogues: Stat | None,
    reason: str = "",
) -> list[str]:
    """Section II.2: Hội nghị người lao động, Hội nghị CB,CC,VC and workplace dialogues."""
    if _empty(workers, civil, dialogues):
        return [
            no_data_sentence(
                CONFERENCE_TOPIC,
                period,
                reason,
            )
        ]
    clauses: list[str] = []
    if workers is not None and workers.denominator and workers.numerator is not None:
        clauses.append(ratio_phrase(workers, "doanh nghiệp đã tổ chức Hội nghị người lao động"))
    if civil is not None and civil.denominator and civil.numerator is not None:
        clauses.append(
            ratio_phrase(civil, "cơ quan, đơn vị đã tổ chức Hội nghị cán bộ, công chức, viên chức")
        )
    if dialogues is not None and dialogues.value is not None:
        who = "các CĐCS đã tổ chức" if clauses else "đã tổ chức"
        if dialogues.target:
            clauses.append(f"{who} " + count_phrase(dialogues, "cuộc đối thoại tại nơi làm việc"))
        elif dialogues.value:
            clauses.append(f"{who} {_n(dialogues.value)} cuộc đối thoại tại nơi làm việc")
        else:
            clauses.append("chưa có cuộc đối thoại tại nơi làm việc nào")
    if not clauses:
        return [
            no_data_sentence(
                CONFERENCE_TOPIC,
                period,
                reason,
            )
        ]
    lead = "có " if clauses[0][:1].isdigit() else ""
    return [f"{period_opening(period)}, {area} {lead}" + "; ".join(clauses) + "."]


def _names(names: list[str]) -> str:
    """ "A", "A và B", "A, B và C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


def cluster_paragraphs(
    *,
    period: Period,
    cluster: str,
    members: int,
    ranked_indicators: int,
    by_target: bool,
    standings: list[tuple[str, int, int, int]],
    no_data: list[str],
    hidden: int = 0,
) -> list[str]:
    """The cluster report's opening: what was compared, who leads, what has no data.

    ``standings``: (name, rank, sum of ranks, first places) in ranked order. E.g. "Năm 2024, Cụm thi
    đua số 3 gồm 6 đơn vị được so sánh trên 12 chỉ tiêu có số liệu. Dẫn đầu cụm là LĐLĐ huyện Gia Lâm
    (tổng thứ hạng 20, đứng đầu 5/12 chỉ tiêu); tiếp theo là …"."""
    if not ranked_indicators or not standings:
        topic = f"các chỉ tiêu thi đua của {cluster}"
        reason = "không có đơn vị nào trong phạm vi tài khoản" if not standings and hidden else ""
        return [no_data_sentence(topic, period, reason)]
    basis = (
        "theo tỷ lệ đạt chỉ tiêu được giao (chỉ tiêu chưa giao: theo số thực hiện)"
        if by_target
        else "theo số thực hiện"
    )
    out = [
        f"{period_opening(period)}, {cluster} gồm {_n(members)} đơn vị được so sánh trên "
        f"{_n(ranked_indicators)} chỉ tiêu có số liệu, xếp hạng từng chỉ tiêu {basis}; thứ hạng chung "
        "theo tổng thứ hạng các chỉ tiêu (càng nhỏ càng cao)."
    ]
    top = [s for s in standings if s[1] == 1]
    name_list = _names([s[0] for s in top])
    lead = "Dẫn đầu cụm là" if len(top) == 1 else "Đồng dẫn đầu cụm là"
    first = top[0]
    firsts = f"{_n(first[3])}/{_n(ranked_indicators)}"
    text = f"{lead} {name_list} (tổng thứ hạng {_n(first[2])}, đứng đầu {firsts} chỉ tiêu)"
    rest = [s for s in standings if s[1] != 1][:2]
    if rest:
        text += "; tiếp theo là " + " và ".join(f"{s[0]} (tổng thứ hạng {_n(s[2])})" for s in rest)
    out.append(text + ".")
    if hidden:
        out.append(
            f"{_n(hidden)} đơn vị ngoài phạm vi tài khoản không hiển thị số liệu và không được xếp hạng."
        )
    if no_data:
        names = ", ".join(f"«{n}»" for n in no_data)
        out.append(f"Chưa có số liệu về các chỉ tiêu {names} {format_period(period)}.")
    return out
