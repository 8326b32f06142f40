"""The emulation indicators in the catalogue (added by migration 0002 and by the demo)."""

from __future__ import annotations

from typing import Any

# code, name, unit, aggregation, source, provider, numerator, denominator, decimals
EMULATION_INDICATORS: list[tuple[str, str, str, str, str, str, str, str, int]] = [
    ("TD_XEP_LOAI", "CĐCS được xếp loại", "đơn vị", "sum", "computed", "emulation_graded", "", "", 0),
    (
        "TD_XUAT_SAC",
        "CĐCS hoàn thành xuất sắc nhiệm vụ",
        "đơn vị",
        "sum",
        "computed",
        "emulation_grade_xuat_sac",
        "",
        "",
        0,
    ),
    ("TD_TOT", "CĐCS hoàn thành tốt nhiệm vụ", "đơn vị", "sum", "computed", "emulation_grade_tot", "", "", 0),
    (
        "TD_HOAN_THANH",
        "CĐCS hoàn thành nhiệm vụ",
        "đơn vị",
        "sum",
        "computed",
        "emulation_grade_hoan_thanh",
        "",
        "",
        0,
    ),
    (
        "TD_KHONG_HT",
        "CĐCS không hoàn thành nhiệm vụ",
        "đơn vị",
        "sum",
        "computed",
        "emulation_grade_khong_hoan_thanh",
        "",
        "",
        0,
    ),
    (
        "TD_TOT_TRO_LEN",
        "CĐCS hoàn thành tốt nhiệm vụ trở lên",
        "đơn vị",
        "sum",
        "computed",
        "emulation_good_or_better",
        "",
        "",
        0,
    ),
    (
        "TL_TD_TOT",
        "Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên",
        "%",
        "ratio",
        "computed",
        "",
        "TD_TOT_TRO_LEN",
        "TD_XEP_LOAI",
        2,
    ),
    (
        "SANG_KIEN",
        "Sáng kiến, công trình đăng ký",
        "sáng kiến",
        "sum",
        "computed",
        "emulation_initiatives",
        "",
        "",
        0,
    ),
    (
        "SANG_KIEN_CN",
        "Sáng kiến được công nhận",
        "sáng kiến",
        "sum",
        "computed",
        "emulation_initiatives_recognised",
        "",
        "",
        0,
    ),
    ("KT_TONG", "Khen thưởng (mọi hình thức)", "lượt", "sum", "computed", "emulation_awards", "", "", 0),
    ("KT_GIAY_KHEN", "Giấy khen", "lượt", "sum", "computed", "emulation_awards_giay_khen", "", "", 0),
    ("KT_BANG_KHEN", "Bằng khen", "lượt", "sum", "computed", "emulation_awards_bang_khen", "", "", 0),
    ("KT_CO_THI_DUA", "Cờ thi đua", "lượt", "sum", "computed", "emulation_awards_co_thi_dua", "", "", 0),
    (
        "KT_LAO_DONG_GIOI",
        "Lao động giỏi",
        "lượt",
        "sum",
        "computed",
        "emulation_awards_lao_dong_gioi",
        "",
        "",
        0,
    ),
]


def load_catalogue(indicator_model: Any) -> None:
    """Create or update the emulation indicators (ratios after their parts)."""
    by_code: dict[str, object] = {}
    for order, (code, name, unit, agg, source, provider, num, den, decimals) in enumerate(
        EMULATION_INDICATORS
    ):
        by_code[code], _ = indicator_model._default_manager.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "aggregation": agg,
                "source": source,
                "provider": provider,
                "decimals": decimals,
                "standard": False,
                "sort_order": 1000 + order * 10,
                "numerator": by_code.get(num),
                "denominator": by_code.get(den),
            },
        )
