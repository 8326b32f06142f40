"""The three sections of the annual/period report that the reports app itself registers.

The report is built from ``registry.report_sections()`` alone (``selectors.report_build``); these are
registered like any app's section. They stay here rather than in ``members``, ``bargaining`` and
``conferences`` because their sentences (``drafting.py``) and tables (``layout.py``) belong to the
reports app, which sits above those apps: registering them there would make a lower app import
``reports`` (``core/tests/test_import_graph.py``).
"""

from __future__ import annotations

from congdoan.core.registry import ReportSection, SectionFigures

from . import drafting
from .layout import TABLES

_TABLES = {table.key: table for table in TABLES}

REPRESENTATION = "CÔNG TÁC ĐẠI DIỆN, BẢO VỆ QUYỀN, LỢI ÍCH HỢP PHÁP, CHÍNH ĐÁNG CỦA NGƯỜI LAO ĐỘNG"


def draft_membership(f: SectionFigures) -> list[str]:
    return drafting.membership_paragraphs(
        period=f.period,
        area=f.area,
        admitted=f.stat("DV_KET_NAP"),
        members_total=f.stat("DV_TONG"),
        cdcs_founded=f.stat("CDCS_THANH_LAP"),
        cdcs_total=f.stat("CDCS_TONG"),
        coverage=f.stat("TL_BAO_PHU"),
        end=f.end,
        ended=f.ended,
        reason=f.reason,
    )


def draft_agreements(f: SectionFigures) -> list[str]:
    return drafting.agreement_paragraphs(
        period=f.period,
        area=f.area,
        new=f.stat("TU_KY_MOI"),
        coverage=f.stat("TL_CO_THOA_UOC"),
        grade_ab=f.stat("TL_LOAI_AB"),
        reason=f.reason,
    )


def draft_conferences(f: SectionFigures) -> list[str]:
    return drafting.conference_paragraphs(
        period=f.period,
        area=f.area,
        workers=f.stat("TL_HN_NLD"),
        civil=f.stat("TL_HN_CBCCVC"),
        dialogues=f.stat("DOI_THOAI"),
        reason=f.reason,
    )


SECTIONS: tuple[ReportSection, ...] = (
    ReportSection(
        key="org",
        chapter="I",
        title="CÔNG TÁC TỔ CHỨC VÀ PHÁT TRIỂN ĐOÀN VIÊN",
        indicators=("DV_KET_NAP", "DV_TONG", "CDCS_THANH_LAP", "CDCS_TONG", "TL_BAO_PHU"),
        draft=draft_membership,
        order=10,
        table=_TABLES["org"],
    ),
    ReportSection(
        key="agreement",
        chapter="II",
        title="1. Thương lượng, ký kết thỏa ước lao động tập thể",
        indicators=("TU_KY_MOI", "TL_CO_THOA_UOC", "TL_LOAI_AB"),
        draft=draft_agreements,
        order=20,
        table=_TABLES["agreement"],
        chapter_title=REPRESENTATION,
    ),
    ReportSection(
        key="conference",
        chapter="II",
        title="2. Hội nghị người lao động, Hội nghị cán bộ, công chức, viên chức "
        "và đối thoại tại nơi làm việc",
        indicators=("TL_HN_NLD", "TL_HN_CBCCVC", "DOI_THOAI"),
        draft=draft_conferences,
        order=30,
        table=_TABLES["conference"],
        chapter_title=REPRESENTATION,
    ),
)
