"""The care indicators of the standard catalogue (shown on the dashboard and read by the report's
care section); loaded by the care data migration and ``load_care_catalogue``."""

from __future__ import annotations

from typing import Any

# code, name, unit, provider
CARE_INDICATORS: list[tuple[str, str, str, str]] = [
    ("CL_NGUOI", "Người được chăm lo, hỗ trợ", "người", "care_people"),
    ("CL_LUOT", "Lượt người được chăm lo, hỗ trợ", "lượt", "care_cases"),
    ("CL_TIEN", "Kinh phí chăm lo đã chi", "đồng", "care_amount"),
    ("CL_TET_SUAT", "Suất quà Tết đã trao", "suất", "care_cases_tet_gift"),
    ("CL_TET_TIEN", "Kinh phí quà Tết", "đồng", "care_amount_tet_gift"),
    ("CL_KHO_KHAN", "Trường hợp được trợ cấp khó khăn", "trường hợp", "care_cases_hardship"),
    ("CL_KHO_KHAN_TIEN", "Kinh phí trợ cấp khó khăn", "đồng", "care_amount_hardship"),
    ("MAI_AM", "Mái ấm Công đoàn", "nhà", "care_houses"),
    ("PHUC_LOI", "Thỏa thuận phúc lợi đoàn viên", "thỏa thuận", "care_deals"),
    ("CL_TIEN_CD", "Kinh phí chăm lo từ nguồn tài chính công đoàn", "đồng", "care_amount_src_union"),
    ("CL_TIEN_XHH", "Kinh phí chăm lo từ nguồn xã hội hóa", "đồng", "care_amount_src_social"),
    ("CL_TIEN_DN", "Kinh phí chăm lo do người sử dụng lao động đóng góp", "đồng", "care_amount_src_employer"),
]
SORT_FROM = 1000  # after the standard catalogue


def load_care_catalogue(*, actor: Any = None) -> int:
    from congdoan.indicators.services import indicator_upsert

    changed = 0
    for i, (code, name, unit, provider) in enumerate(CARE_INDICATORS):
        _, did = indicator_upsert(
            actor=actor,
            code=code,
            name=name,
            unit=unit,
            aggregation="sum",
            source="computed",
            provider=provider,
            standard=True,
            sort_order=SORT_FROM + i * 10,
        )
        changed += did
    return changed
