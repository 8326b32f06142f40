"""The key-task indicators of the standard catalogue (on the dashboard, read by the report's section);
loaded by the plans data migration and by the demo (``load_catalogue``)."""

from __future__ import annotations

# code, name, unit, aggregation, provider, numerator, denominator, decimals
PLAN_INDICATORS: list[tuple[str, str, str, str, str, str, str, int]] = [
    ("NV_TONG", "Nhiệm vụ trọng tâm", "nhiệm vụ", "sum", "plans_tasks", "", "", 0),
    ("NV_HOAN_THANH", "Nhiệm vụ trọng tâm hoàn thành", "nhiệm vụ", "sum", "plans_tasks_done", "", "", 0),
    (
        "NV_CHUA_HOAN_THANH",
        "Nhiệm vụ trọng tâm chưa hoàn thành",
        "nhiệm vụ",
        "sum",
        "plans_tasks_open",
        "",
        "",
        0,
    ),
    ("NV_TY_LE", "Tỷ lệ hoàn thành nhiệm vụ trọng tâm", "%", "ratio", "", "NV_HOAN_THANH", "NV_TONG", 2),
]
SORT_FROM = 1200  # after care (1000…) and loans (900…)


def load_catalogue(
    indicator_model: type,
    rows: list[tuple[str, str, str, str, str, str, str, int]] | None = None,
    sort_from: int = SORT_FROM,
) -> None:
    """Create or update the indicators (ratios after their parts) with ``indicator_model`` (the real
    model, or the historical one of a migration)."""
    by_code: dict[str, object] = {}
    for order, (code, name, unit, agg, provider, num, den, decimals) in enumerate(rows or PLAN_INDICATORS):
        by_code[code], _ = indicator_model._default_manager.update_or_create(  # type: ignore[attr-defined]
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "aggregation": agg,
                "source": "computed",
                "provider": provider,
                "decimals": decimals,
                "standard": True,
                "sort_order": sort_from + order * 10,
                "numerator": by_code.get(num) if num else None,
                "denominator": by_code.get(den) if den else None,
            },
        )
