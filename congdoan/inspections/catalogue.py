"""The inspection indicators of the standard catalogue (dashboard, report). Loaded by the data
migration and the demo."""

from __future__ import annotations

from typing import Any

from .models import InspectionKind

KIND_CODES = {
    InspectionKind.LABOUR_LAW: "KT_PLLD",
    InspectionKind.SAFETY: "KT_ATVSLD",
    InspectionKind.SOCIAL_INSURANCE: "KT_BHXH",
    InspectionKind.UNION_FUNDING: "KT_KPCD",
}


def indicators() -> list[tuple[str, str, str, str]]:
    rows = [
        ("KT_CUOC", "Cuộc kiểm tra, giám sát tại doanh nghiệp", "cuộc", "inspections"),
        ("KT_DN", "Doanh nghiệp được kiểm tra, giám sát", "doanh nghiệp", "inspected_employers"),
        ("KT_VI_PHAM", "Cuộc kiểm tra phát hiện vi phạm", "cuộc", "inspections_violations"),
    ]
    for kind, label in InspectionKind.choices:
        rows.append(
            (
                KIND_CODES[InspectionKind(kind)],
                f"Kiểm tra, giám sát: {label.lower()}",
                "cuộc",
                f"inspections_{kind}",
            )
        )
    return rows


SORT_FROM = 1500


def load_inspection_catalogue(*, actor: Any = None) -> int:
    from congdoan.indicators.services import indicator_upsert

    changed = 0
    for i, (code, name, unit, provider) in enumerate(indicators()):
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
