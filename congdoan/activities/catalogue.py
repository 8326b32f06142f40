"""The seeded kinds of activity and the activity indicators of the standard catalogue (the dashboard
shows them; the report's activities section reads them). Loaded by the data migration and the demo."""

from __future__ import annotations

from typing import Any

# code, name, phrase in a report sentence, indicator prefix
KINDS: list[tuple[str, str, str, str]] = [
    ("tuyen_truyen", "Tuyên truyền", "cuộc tuyên truyền", "HD_TT"),
    ("tap_huan_phap_luat", "Tập huấn pháp luật", "lớp tập huấn pháp luật", "HD_PL"),
    ("tap_huan_can_bo", "Tập huấn cán bộ", "lớp tập huấn cán bộ công đoàn", "HD_CB"),
    ("van_hoa_the_thao", "Văn hóa, thể thao", "hoạt động văn hóa, thể thao", "HD_VHTT"),
    ("kham_suc_khoe", "Khám sức khỏe", "đợt khám sức khỏe", "HD_KSK"),
    ("hien_mau", "Hiến máu", "đợt hiến máu tình nguyện", "HD_HM"),
    ("chuyen_xe_tet", "Chuyến xe Tết", "chuyến xe Công đoàn đưa người lao động về quê đón Tết", "HD_XT"),
    ("bua_com", "Bữa cơm Công đoàn", "Bữa cơm Công đoàn", "HD_BC"),
]
KIND_PREFIX = {code: prefix for code, _, _, prefix in KINDS}

# code, name, unit, provider
TOTALS: list[tuple[str, str, str, str]] = [
    ("HD_SO", "Hoạt động đã tổ chức", "hoạt động", "activities"),
    ("HD_CUOC", "Cuộc, buổi hoạt động", "cuộc", "activity_sessions"),
    ("HD_LUOT", "Lượt người tham gia hoạt động", "lượt", "activity_participants"),
    ("HD_NU", "Lượt nữ tham gia hoạt động", "lượt", "activity_women"),
    ("HD_KINH_PHI", "Kinh phí tổ chức hoạt động", "đồng", "activity_cost"),
]


def indicators() -> list[tuple[str, str, str, str]]:
    """Every activity indicator: the totals, then the sessions and participants of each seeded kind."""
    rows = list(TOTALS)
    for code, name, _, prefix in KINDS:
        rows.append((f"{prefix}_CUOC", f"{name}: số cuộc, buổi", "cuộc", f"activity_sessions_{code}"))
        rows.append(
            (f"{prefix}_LUOT", f"{name}: lượt người tham gia", "lượt", f"activity_participants_{code}")
        )
    return rows


SORT_FROM = 1200  # after the care (1000) and loans catalogues


def load_activity_catalogue(*, actor: Any = None) -> int:
    """The seeded kinds (when missing) and the indicators; returns how many indicators changed."""
    from congdoan.indicators.services import indicator_upsert

    from .models import ActivityKind

    for i, (code, name, phrase, _) in enumerate(KINDS):
        ActivityKind.objects.get_or_create(
            code=code, defaults={"name": name, "phrase": phrase, "sort_order": (i + 1) * 10}
        )
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
