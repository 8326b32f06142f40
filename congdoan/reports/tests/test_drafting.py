"""The drafted sentences: Vietnamese number formats, targets or not, unit wording, no data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from congdoan.core.periods import parse_period
from congdoan.indicators.engine import Figure
from congdoan.org.models import OrgUnit
from congdoan.reports import drafting
from congdoan.reports.drafting import Stat, count_phrase

Y2024 = parse_period("2024")
END = dt.date(2024, 12, 31)


def _figure(
    value: D, target: D | None = None, numerator: D | None = None, denominator: D | None = None
) -> Figure:
    unit = OrgUnit(code="HN-GIALAM", name="LĐLĐ huyện Gia Lâm", type="LDLD_HUYEN")  # never saved
    start = dt.date(2024, 1, 1)
    return Figure(unit, 0, value, target, numerator, denominator, start, END, ended=False)


def test_agreement_sentence_of_the_issue_from_engine_figures() -> None:
    """The issue's example sentence, figure for figure, from the roll-up engine's Figure objects as
    the report reads them (TL_CO_THOA_UOC has 2 decimals, TL_LOAI_AB 1)."""
    [text] = drafting.agreement_paragraphs(
        period=Y2024,
        area=drafting.area_phrase("LDLD_HUYEN", "LĐLĐ huyện Gia Lâm"),
        new=Stat.of(_figure(D(29), target=D(24))),
        coverage=Stat.of(_figure(D(131) / D(137), numerator=D(131), denominator=D(137)), decimals=2),
        grade_ab=Stat.of(_figure(D(98) / D(131), numerator=D(98), denominator=D(131)), decimals=1),
    )
    assert text == (
        "Năm 2024, toàn huyện ký kết mới 29 bản thỏa ước lao động tập thể, đạt 120,83% chỉ tiêu; "
        "nâng tổng số lên 131/137 CĐCS có thỏa ước (95,62%), trong đó 98/131 bản xếp loại A, B (74,81%)."
    )


def test_agreement_without_target_has_no_achievement() -> None:
    [text] = drafting.agreement_paragraphs(
        period=Y2024, area="toàn quận", new=Stat(D(1250)), coverage=None, grade_ab=None
    )
    assert text == "Năm 2024, toàn quận ký kết mới 1.250 bản thỏa ước lao động tập thể."
    assert "đạt" not in text


def test_membership_sentence() -> None:
    [text] = drafting.membership_paragraphs(
        period=Y2024,
        area="toàn thành phố",
        admitted=Stat(D(2352), target=D(1330)),
        members_total=Stat(D(23736)),
        cdcs_founded=Stat(D(29)),
        cdcs_total=Stat(D(412)),
        end=END,
    )
    assert text == (
        "Năm 2024, toàn thành phố phát triển mới 2.352 đoàn viên, đạt 176,84% chỉ tiêu, "
        "thành lập mới 29 CĐCS; đến ngày 31/12/2024, toàn thành phố có 23.736 đoàn viên, "
        "sinh hoạt tại 412 CĐCS."
    )


def test_membership_of_an_ended_unit_counts_to_its_last_day() -> None:
    [text] = drafting.membership_paragraphs(
        period=parse_period("2025S1"),
        area="toàn huyện",
        admitted=Stat(D(12)),
        members_total=Stat(D(800)),
        cdcs_founded=Stat(D(0)),
        cdcs_total=Stat(D(40)),
        end=dt.date(2025, 6, 29),
        ended=True,
    )
    assert text.startswith(
        "6 tháng đầu năm 2025, toàn huyện phát triển mới 12 đoàn viên, chưa thành lập mới CĐCS;"
    )
    assert "đến ngày 29/06/2025 (ngày cuối cùng đơn vị hoạt động)" in text


def test_no_data_is_said_not_printed_as_zero() -> None:
    [text] = drafting.membership_paragraphs(
        period=Y2024,
        area="toàn huyện",
        admitted=Stat(D(0)),
        members_total=Stat(D(0)),
        cdcs_founded=None,
        cdcs_total=Stat(D(0)),
        end=END,
    )
    assert text == "Chưa có số liệu về đoàn viên và công đoàn cơ sở năm 2024."
    [text] = drafting.conference_paragraphs(
        period=Y2024,
        area="toàn huyện",
        workers=None,
        civil=None,
        dialogues=None,
        reason="chưa có dữ liệu nguồn",
    )
    assert text.startswith("Chưa có số liệu về hội nghị người lao động")
    assert text.endswith("năm 2024 (chưa có dữ liệu nguồn).")
    assert "0" not in text.replace("2024", "")


def test_conference_sentence() -> None:
    [text] = drafting.conference_paragraphs(
        period=Y2024,
        area="toàn huyện",
        workers=Stat(D(85) / D(120), numerator=D(85), denominator=D(120), decimals=2),
        civil=Stat(D(40) / D(42), numerator=D(40), denominator=D(42), decimals=2),
        dialogues=Stat(D(56)),
    )
    assert text == (
        "Năm 2024, toàn huyện có 85/120 doanh nghiệp đã tổ chức Hội nghị người lao động (70,83%); "
        "40/42 cơ quan, đơn vị đã tổ chức Hội nghị cán bộ, công chức, viên chức (95,24%); "
        "các CĐCS đã tổ chức 56 cuộc đối thoại tại nơi làm việc."
    )


def test_area_follows_the_unit() -> None:
    cases = {
        ("LDLD_TINH", "LĐLĐ thành phố Hà Nội"): "toàn thành phố",
        ("LDLD_TINH", "LĐLĐ tỉnh Bắc Ninh"): "toàn tỉnh",
        ("LDLD_HUYEN", "LĐLĐ huyện Gia Lâm"): "toàn huyện",
        ("LDLD_HUYEN", "LĐLĐ quận Đống Đa"): "toàn quận",
        ("LDLD_HUYEN", "LĐLĐ thị xã Sơn Tây"): "toàn thị xã",
        ("CD_XA", "Công đoàn phường Kim Liên"): "toàn phường",
        ("CD_XA", "Công đoàn xã Bát Tràng"): "toàn xã",
        ("CD_NGANH", "Công đoàn ngành Y tế Hà Nội"): "toàn ngành",
        ("CDCS", "CĐCS Công ty May Gia Lâm"): "toàn đơn vị",
    }
    for (unit_type, name), expected in cases.items():
        assert drafting.area_phrase(unit_type, name) == expected, name


def test_titles() -> None:
    assert drafting.report_title(Y2024) == "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024"
    assert drafting.report_title(parse_period("2025S1")) == (
        "BÁO CÁO SƠ KẾT CÔNG TÁC CÔNG ĐOÀN 6 THÁNG ĐẦU NĂM 2025"
    )


def test_cdcs_without_member_records_says_no_data_on_members() -> None:
    [text] = drafting.membership_paragraphs(
        period=Y2024,
        area="toàn huyện",
        admitted=Stat(D(0)),
        members_total=Stat(D(0)),
        cdcs_founded=Stat(D(4)),
        cdcs_total=Stat(D(74)),
        end=END,
    )
    assert text == (
        "Năm 2024, toàn huyện thành lập mới 4 CĐCS; đến ngày 31/12/2024, toàn huyện có 74 CĐCS. "
        "Chưa có số liệu về đoàn viên năm 2024."
    )


def test_a_denominator_alone_is_no_data() -> None:
    """55 enterprise CĐCS but not one agreement recorded: "no data", not "0/55 (0%)"."""
    [text] = drafting.agreement_paragraphs(
        period=Y2024,
        area="toàn huyện",
        new=Stat(D(0)),
        coverage=Stat(D(0), numerator=D(0), denominator=D(55), decimals=2),
        grade_ab=Stat(None, numerator=D(0), denominator=D(0), decimals=1),
    )
    assert text == "Chưa có số liệu về thỏa ước lao động tập thể năm 2024."
    [text] = drafting.agreement_paragraphs(
        period=Y2024,
        area="toàn huyện",
        new=Stat(D(0)),
        coverage=Stat(D(40) / D(55), numerator=D(40), denominator=D(55), decimals=2),
        grade_ab=None,
    )
    assert text == (
        "Năm 2024, toàn huyện không có bản thỏa ước lao động tập thể ký kết mới; "
        "có 40/55 CĐCS có thỏa ước (72,73%)."
    )


def test_a_summed_target_is_compared_with_the_children_that_have_one() -> None:
    # 29 talks in all, 9 of them by the children that were given a target of 10 (issue 10, item 17).
    stat = Stat(D(29), target=D(10), compared=D(9))
    assert count_phrase(stat, "buổi") == "9 buổi, đạt 90,00% chỉ tiêu (tổng cộng 29 buổi)"
    assert count_phrase(Stat(D(9), target=D(10), compared=D(9)), "buổi") == "9 buổi, đạt 90,00% chỉ tiêu"
