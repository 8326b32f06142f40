"""The dispute indicators of the standard catalogue (dashboard, report)."""

from __future__ import annotations

from typing import Any

INDICATORS: list[tuple[str, str, str, str]] = [
    ("TC_VU", "Vụ tranh chấp lao động tập thể", "vụ", "disputes"),
    ("NV_VU", "Vụ ngừng việc tập thể", "vụ", "stoppages"),
    ("NV_NLD", "Người lao động tham gia ngừng việc tập thể", "người", "stoppage_workers"),
    ("TC_GQ", "Vụ tranh chấp, ngừng việc đã giải quyết", "vụ", "disputes_resolved"),
    ("TT_NGUY_CO", "Doanh nghiệp có nguy cơ tranh chấp, ngừng việc", "doanh nghiệp", "employers_at_risk"),
]
SORT_FROM = 1600


def load_dispute_catalogue(*, actor: Any = None) -> int:
    from congdoan.indicators.services import indicator_upsert

    changed = 0
    for i, (code, name, unit, provider) in enumerate(INDICATORS):
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
