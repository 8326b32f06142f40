"""The tables of the annual report: columns, their header groups and the indicator each reads.

Django-free (the kernel registry it takes its types from needs no settings), so ``build_templates``
(the shipped Word template) and the selectors share one layout.
"""

from __future__ import annotations

from congdoan.core.registry import ReportColumn as ColumnSpec
from congdoan.core.registry import ReportTable as TableSpec

__all__ = ["EXTRA_INDICATORS", "TABLES", "ColumnSpec", "TableSpec", "groups"]

# The types live in the kernel's registry so an app below ``reports`` can describe its own section's
# table; the three tables below are those of the sections the reports app registers (``apps.py``).
C = ColumnSpec
TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "org",
        "Tổ chức và phát triển đoàn viên",
        (
            C("admitted", "Kết nạp mới", "Đoàn viên", "DV_KET_NAP", "value"),
            C("admitted_target", "Chỉ tiêu", "Đoàn viên", "DV_KET_NAP", "target"),
            C("admitted_pct", "Đạt (%)", "Đoàn viên", "DV_KET_NAP", "achievement", "pct"),
            C("members", "Tổng số cuối kỳ", "Đoàn viên", "DV_TONG", "value"),
            C("founded", "Thành lập mới", "Công đoàn cơ sở", "CDCS_THANH_LAP", "value"),
            C("cdcs", "Tổng số cuối kỳ", "Công đoàn cơ sở", "CDCS_TONG", "value"),
        ),
    ),
    TableSpec(
        "agreement",
        "Thỏa ước lao động tập thể",
        (
            C("new", "Ký mới", "Thỏa ước ký mới", "TU_KY_MOI", "value", topic="agreements"),
            C("new_target", "Chỉ tiêu", "Thỏa ước ký mới", "TU_KY_MOI", "target", topic="agreements"),
            C("new_pct", "Đạt (%)", "Thỏa ước ký mới", "TU_KY_MOI", "achievement", "pct", topic="agreements"),
            C(
                "with_valid",
                "CĐCS có thỏa ước",
                "CĐCS doanh nghiệp có thỏa ước",
                "TL_CO_THOA_UOC",
                "numerator",
                topic="agreements",
            ),
            C(
                "enterprise",
                "CĐCS doanh nghiệp",
                "CĐCS doanh nghiệp có thỏa ước",
                "TL_CO_THOA_UOC",
                "denominator",
                topic="agreements",
            ),
            C(
                "coverage_pct",
                "Tỷ lệ (%)",
                "CĐCS doanh nghiệp có thỏa ước",
                "TL_CO_THOA_UOC",
                "value",
                "pct",
                topic="agreements",
            ),
            C(
                "grade_ab",
                "Loại A, B",
                "Thỏa ước được xếp loại",
                "TL_LOAI_AB",
                "numerator",
                topic="agreements",
            ),
            C(
                "graded",
                "Đã xếp loại",
                "Thỏa ước được xếp loại",
                "TL_LOAI_AB",
                "denominator",
                topic="agreements",
            ),
            C(
                "grade_ab_pct",
                "Tỷ lệ A, B (%)",
                "Thỏa ước được xếp loại",
                "TL_LOAI_AB",
                "value",
                "pct",
                topic="agreements",
            ),
        ),
    ),
    TableSpec(
        "conference",
        "Hội nghị người lao động, Hội nghị CB,CC,VC và đối thoại tại nơi làm việc",
        (
            C("workers_conf", "Đã tổ chức", "Hội nghị người lao động", "TL_HN_NLD", "numerator"),
            C("enterprises", "DN có CĐCS", "Hội nghị người lao động", "TL_HN_NLD", "denominator"),
            C("workers_conf_pct", "Tỷ lệ (%)", "Hội nghị người lao động", "TL_HN_NLD", "value", "pct"),
            C("civil_conf", "Đã tổ chức", "Hội nghị CB,CC,VC", "TL_HN_CBCCVC", "numerator"),
            C("public_bodies", "Đơn vị HCSN có CĐCS", "Hội nghị CB,CC,VC", "TL_HN_CBCCVC", "denominator"),
            C("civil_conf_pct", "Tỷ lệ (%)", "Hội nghị CB,CC,VC", "TL_HN_CBCCVC", "value", "pct"),
            C("dialogues", "Đối thoại (cuộc)", "", "DOI_THOAI", "value"),
        ),
    ),
)
# Read for the sentences only (not a table column).
EXTRA_INDICATORS = ("TL_BAO_PHU",)


def groups(spec: TableSpec) -> list[tuple[str, list[ColumnSpec]]]:
    """Consecutive columns under one header (merged cells); a column without a group stands alone."""
    out: list[tuple[str, list[ColumnSpec]]] = []
    for column in spec.columns:
        if column.group and out and out[-1][0] == column.group:
            out[-1][1].append(column)
        else:
            out.append((column.group, [column]))
    return out
