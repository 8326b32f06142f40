"""Demo inspections (deterministic): each district (and the city) inspects a few employers of its own
subtree in the last year and a half, some finding violations, most followed up and closed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.core.formatting import format_number
from congdoan.core.registry import DemoRun
from congdoan.org import selectors as org_selectors
from congdoan.org import tree
from congdoan.org.models import Employer, OrgUnit

from . import services
from .catalogue import load_inspection_catalogue
from .models import Inspection, InspectionKind

TEAMS = [
    "Đồng chí Phó Chủ tịch LĐLĐ (trưởng đoàn); đại diện Ban Chính sách pháp luật; Thanh tra Sở LĐTB&XH",
    "Ban Tuyên giáo, Ban Chính sách pháp luật LĐLĐ; đại diện BHXH huyện",
    "Đại diện LĐLĐ, Liên đoàn Lao động huyện và Ban chấp hành CĐCS",
]
FINDINGS = [
    "Doanh nghiệp thực hiện cơ bản đầy đủ các chế độ cho người lao động.",
    "Chưa đóng đủ bảo hiểm xã hội cho 12 lao động; thiếu trang bị bảo hộ lao động ở xưởng may.",
    "Chậm đóng kinh phí công đoàn 6 tháng; chưa xây dựng quy chế dân chủ ở cơ sở.",
    "Thời giờ làm thêm vượt quy định ở bộ phận đóng gói.",
]


def load_inspections() -> dict[str, int]:
    load_inspection_catalogue()
    if Inspection.objects.exists():
        return {}
    rng = random.Random(65)
    today = timezone.localdate()
    uppers = OrgUnit.objects.filter(
        type__in=("LDLD_TINH", "LDLD_HUYEN", "CD_XA", "CD_KCN", "CD_NGANH")
    ).order_by("code")
    made = 0
    first = dt.date(today.year - 1, 1, 1)
    with transaction.atomic():
        for unit in uppers:
            # Units alive in the two years, those ended on 30/06/2025 too (up to their last day).
            last = min(today, unit.dissolved_on - dt.timedelta(days=1)) if unit.dissolved_on else today
            if last < first or not unit.is_alive_on(last):
                continue
            ids = tree.subtree_ids(unit.pk, last)
            employers = list(Employer.objects.filter(cdcs_id__in=ids).order_by("pk")[:200])
            for employer in rng.sample(employers, min(len(employers), rng.randint(2, 6))):
                held_on = first + dt.timedelta(days=rng.randint(0, (last - first).days))
                if not unit.is_alive_on(held_on) or not org_selectors.employer_in_unit(
                    employer, unit, held_on
                ):
                    continue
                violations = rng.random() < 0.35
                inspection = services.inspection_create(
                    actor=None,
                    unit=unit,
                    employer=employer,
                    kind=rng.choice(InspectionKind.values),
                    held_on=held_on,
                    ends_on=held_on + dt.timedelta(days=rng.randint(0, 2)),
                    team=rng.choice(TEAMS),
                    findings=rng.choice(FINDINGS[1:]) if violations else FINDINGS[0],
                    violations=violations,
                    recommendations="Đề nghị doanh nghiệp khắc phục trong 30 ngày." if violations else "",
                )
                made += 1
                closed_on = min(held_on + dt.timedelta(days=45), last)
                if closed_on <= today and rng.random() < 0.7:
                    services.inspection_close(
                        actor=None,
                        inspection=inspection,
                        follow_up="Doanh nghiệp đã khắc phục các tồn tại theo kiến nghị."
                        if violations
                        else "Không có tồn tại cần khắc phục.",
                        on=closed_on,
                    )
    return {"inspections": made}


def demo_command_inspections(run: DemoRun) -> dict[str, Any]:
    counts = load_inspections()
    if counts:
        run.stdout.write(f"Đã nạp {format_number(counts['inspections'])} cuộc kiểm tra, giám sát.")
    return counts
