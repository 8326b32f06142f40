"""The recommendation indicators of the standard catalogue (on the dashboard, read by the report's
"tổng hợp kiến nghị"); loaded by the data migration and by the demo."""

from __future__ import annotations

from congdoan.plans.catalogue import load_catalogue as _load

# code, name, unit, aggregation, provider, numerator, denominator, decimals
REC_INDICATORS: list[tuple[str, str, str, str, str, str, str, int]] = [
    ("KN_GUI", "Kiến nghị đã gửi", "kiến nghị", "sum", "recs_raised", "", "", 0),
    ("KN_TRA_LOI", "Kiến nghị đã được trả lời", "kiến nghị", "sum", "recs_answered", "", "", 0),
    ("KN_CHUA_TRA_LOI", "Kiến nghị chưa được trả lời", "kiến nghị", "sum", "recs_waiting", "", "", 0),
    ("KN_QUA_HAN", "Kiến nghị quá hạn trả lời", "kiến nghị", "sum", "recs_overdue", "", "", 0),
    ("KN_TY_LE", "Tỷ lệ kiến nghị được trả lời", "%", "ratio", "", "KN_TRA_LOI", "KN_GUI", 2),
]
SORT_FROM = 1300


def load_catalogue(indicator_model: type) -> None:
    _load(indicator_model, REC_INDICATORS, SORT_FROM)
