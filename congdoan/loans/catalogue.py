"""The loan fund's indicators in the catalogue (added by migration 0002 and by the demo)."""

from __future__ import annotations

# code, name, unit, aggregation, source, provider, numerator, denominator, decimals
LOAN_INDICATORS: list[tuple[str, str, str, str, str, str, str, str, int]] = [
    ("VAY_SO_KHOAN", "Khoản vay giải ngân", "khoản", "sum", "computed", "loans_disbursed", "", "", 0),
    ("VAY_SO_TIEN", "Số tiền giải ngân", "đồng", "sum", "computed", "loans_disbursed_amount", "", "", 0),
    ("VAY_NGUOI", "Người được vay vốn", "người", "sum", "computed", "loans_borrowers", "", "", 0),
    ("VAY_DU_AN", "Dự án vay vốn được giải ngân", "dự án", "sum", "computed", "loans_projects", "", "", 0),
    ("VAY_DU_NO", "Dư nợ gốc cuối kỳ", "đồng", "last", "computed", "loans_outstanding", "", "", 0),
    (
        "VAY_RUI_RO_30",
        "Dư nợ có nợ quá hạn trên 30 ngày",
        "đồng",
        "last",
        "computed",
        "loans_at_risk_30",
        "",
        "",
        0,
    ),
    (
        "VAY_RUI_RO_90",
        "Dư nợ có nợ quá hạn trên 90 ngày",
        "đồng",
        "last",
        "computed",
        "loans_at_risk_90",
        "",
        "",
        0,
    ),
    ("VAY_PAR30", "Tỷ lệ dư nợ rủi ro PAR30", "%", "ratio", "computed", "", "VAY_RUI_RO_30", "VAY_DU_NO", 2),
    ("VAY_PAR90", "Tỷ lệ dư nợ rủi ro PAR90", "%", "ratio", "computed", "", "VAY_RUI_RO_90", "VAY_DU_NO", 2),
]


def load_catalogue(indicator_model: type) -> None:
    """Create or update the loan indicators (ratios after their parts)."""
    by_code: dict[str, object] = {}
    for order, (code, name, unit, agg, source, provider, num, den, decimals) in enumerate(LOAN_INDICATORS):
        by_code[code], _ = indicator_model._default_manager.update_or_create(  # type: ignore[attr-defined]
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "aggregation": agg,
                "source": source,
                "provider": provider,
                "decimals": decimals,
                "standard": True,
                "sort_order": 900 + order * 10,
                "numerator": by_code.get(num),
                "denominator": by_code.get(den),
            },
        )
