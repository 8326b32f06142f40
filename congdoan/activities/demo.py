"""Demo activities (deterministic): for every live unit of the demo federation — the city, each
district and most grassroots unions — a year and a half of outreach, training, sports, health checks,
blood drives, Tết buses and "Bữa cơm Công đoàn", so that every demo user sees activities in scope."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congdoan.accounts.models import RoleAssignment
from congdoan.core.audit import audit_log
from congdoan.core.formatting import format_number
from congdoan.core.models import AuditEntry
from congdoan.core.registry import DemoRun, records_changed
from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

from . import services
from .catalogue import load_activity_catalogue
from .models import Activity, ActivityKind

# code: (sessions, participants per session, cost per participant in đồng, share of women)
SHAPES: dict[str, tuple[tuple[int, int], tuple[int, int], int, float]] = {
    "tuyen_truyen": ((1, 12), (20, 120), 20_000, 0.55),
    "tap_huan_phap_luat": ((1, 3), (30, 80), 80_000, 0.5),
    "tap_huan_can_bo": ((1, 2), (25, 60), 150_000, 0.45),
    "van_hoa_the_thao": ((1, 4), (40, 300), 50_000, 0.4),
    "kham_suc_khoe": ((1, 2), (30, 150), 300_000, 0.6),
    "hien_mau": ((1, 1), (30, 200), 10_000, 0.4),
    "chuyen_xe_tet": ((1, 5), (40, 45), 250_000, 0.5),
    "bua_com": ((1, 1), (50, 300), 60_000, 0.55),
}
TITLES = {
    "tuyen_truyen": "Tuyên truyền Bộ luật Lao động, Luật Công đoàn 2024",
    "tap_huan_phap_luat": "Tập huấn pháp luật lao động cho người lao động",
    "tap_huan_can_bo": "Tập huấn nghiệp vụ cho cán bộ công đoàn cơ sở",
    "van_hoa_the_thao": "Giải bóng đá, kéo co chào mừng ngày thành lập Công đoàn",
    "kham_suc_khoe": "Khám sức khỏe miễn phí cho đoàn viên",
    "hien_mau": "Ngày hội hiến máu tình nguyện",
    "chuyen_xe_tet": "Chuyến xe Công đoàn đưa công nhân về quê đón Tết",
    "bua_com": "Bữa cơm Công đoàn – sum vầy yêu thương",
}
PLACES = [
    "Hội trường công ty",
    "Nhà văn hóa khu công nghiệp",
    "Trụ sở LĐLĐ",
    "Sân vận động huyện",
    "Nhà ăn ca",
]


def _day(rng: random.Random, year: int, today: dt.date) -> dt.date:
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), today)
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def load_activities(*, scale: float = 1.0) -> dict[str, int]:
    """The catalogue and the demo activities; nothing when activities exist already."""
    load_activity_catalogue()
    if Activity.objects.exists():
        return {}
    rng = random.Random(1846)
    today = timezone.localdate()
    kinds = {k.code: k for k in ActivityKind.objects.filter(code__in=SHAPES)}
    # Every unit alive in the two years, the districts ended on 30/06/2025 too (their officers read them).
    alive = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=dt.date(today.year - 1, 1, 1))
    units = list(OrgUnit.objects.filter(alive).order_by("code"))
    with_users = set(RoleAssignment.objects.values_list("unit_id", flat=True))
    rows: list[Activity] = []
    for unit in units:
        grassroots = unit.type in GRASSROOTS_TYPES
        if grassroots and unit.pk not in with_users and rng.random() < 0.3:
            continue
        per_year = rng.randint(1, 4) if grassroots else max(4, int(rng.randint(20, 40) * scale))
        for year in (today.year - 1, today.year):
            for _ in range(per_year if year < today.year else per_year // 2 + 1):
                code = rng.choice(list(SHAPES))
                if grassroots and code in ("tap_huan_can_bo", "chuyen_xe_tet") and rng.random() < 0.7:
                    code = "tuyen_truyen"
                (s0, s1), (p0, p1), per_head, share = SHAPES[code]
                held_on = _day(rng, year, today)
                if not unit.is_alive_on(held_on):
                    continue
                sessions = rng.randint(s0, s1)
                participants = sessions * rng.randint(p0, p1)
                rows.append(
                    Activity(
                        kind=kinds[code],
                        unit=unit,
                        held_on=held_on,
                        title=TITLES[code],
                        place=rng.choice(PLACES),
                        sessions=sessions,
                        participants=participants,
                        women=int(participants * share * rng.uniform(0.8, 1.1)) if share else 0,
                        cost=participants * per_head // 1000 * 1000,
                    )
                )
    for row in rows:
        row.women = min(row.women, row.participants)
        problems = services.check({f: getattr(row, f) for f in services.FIELDS})
        problems.raise_if_any()  # the demo obeys the same rules as the pages
    with transaction.atomic():
        Activity.objects.bulk_create(rows, batch_size=2000)
        if rows:
            records_changed(
                services.SOURCE, sorted({r.unit_id for r in rows}), [min(r.held_on for r in rows)]
            )
        audit_log(
            actor=None,
            action=AuditEntry.Action.IMPORT,
            object_type="demo.activities",
            object_repr="Hoạt động (dữ liệu dùng thử)",
            after={"created": len(rows)},
        )
    return {"activities": len(rows), "participants": sum(r.participants for r in rows)}


def demo_command_activities(run: DemoRun) -> dict[str, Any]:
    counts = load_activities(scale=float(run.options.get("scale") or 1.0))
    if counts:
        run.stdout.write(
            f"Đã nạp {format_number(counts['activities'])} hoạt động "
            f"({format_number(counts['participants'])} lượt tham gia)."
        )
    return counts
