"""Demo disputes (deterministic): a few stoppages and disputes at enterprises of the districts, each
with mediation steps, most settled; and sentiment notes, some flagged at risk."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.core.formatting import format_number
from congdoan.core.registry import DemoRun
from congdoan.org import tree
from congdoan.org.models import Employer, OrgUnit
from congdoan.org.selectors import employer_in_unit

from . import services
from .catalogue import load_dispute_catalogue
from .models import Dispute, DisputeKind, Outcome

UNION_ROLE = "Công đoàn cấp trên phối hợp chính quyền đối thoại, hướng dẫn CĐCS đại diện người lao động."
DEMANDS = [
    "Trả lương đúng hạn, thanh toán tiền lương tháng trước còn nợ.",
    "Tăng lương tối thiểu theo vùng từ 01/7; cải thiện bữa ăn ca.",
    "Đóng đủ bảo hiểm xã hội; không tăng ca quá quy định.",
    "Thưởng Tết như năm trước; công khai quy chế thưởng.",
]
NOTES = [
    ("Người lao động yên tâm làm việc, doanh nghiệp có đơn hàng ổn định.", False),
    ("Doanh nghiệp chậm trả lương 2 tháng; người lao động bức xúc, có nguy cơ ngừng việc.", True),
    ("Có tin đồn cắt giảm lao động; công đoàn cơ sở đã đối thoại với ban giám đốc.", True),
    ("Bữa ăn ca được cải thiện; tâm lý người lao động ổn định.", False),
]


def load_disputes() -> dict[str, int]:
    load_dispute_catalogue()
    if Dispute.objects.exists():
        return {}
    rng = random.Random(2026)
    today = timezone.localdate()
    counts = {"disputes": 0, "notes": 0}
    uppers = OrgUnit.objects.filter(type__in=("LDLD_HUYEN", "CD_XA", "CD_KCN")).order_by("code")
    first = dt.date(today.year - 1, 1, 1)
    with transaction.atomic():
        for unit in uppers:
            last = min(today, unit.dissolved_on - dt.timedelta(days=1)) if unit.dissolved_on else today
            if last < first or not unit.is_alive_on(last):
                continue
            ids = tree.subtree_ids(unit.pk, last)
            employers = list(Employer.objects.filter(cdcs_id__in=ids).order_by("pk")[:100])
            for employer in rng.sample(employers, min(len(employers), rng.randint(1, 4))):
                day = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days - 15)))
                if not unit.is_alive_on(day) or not employer_in_unit(employer, unit, day):
                    continue
                text, risky = rng.choice(NOTES)
                services.sentiment_note(
                    actor=None, unit=unit, employer=employer, noted_on=day, note=text, at_risk=risky
                )
                counts["notes"] += 1
                if not risky or rng.random() < 0.5:
                    continue
                dispute = services.dispute_create(
                    actor=None,
                    unit=unit,
                    employer=employer,
                    kind=DisputeKind.STOPPAGE if rng.random() < 0.6 else DisputeKind.DISPUTE,
                    began_on=min(last, day + dt.timedelta(days=rng.randint(3, 14))),
                    workers=rng.randint(30, 800),
                    demands=rng.choice(DEMANDS),
                    union_role=UNION_ROLE,
                )
                counts["disputes"] += 1
                step_day = min(last, dispute.began_on + dt.timedelta(days=1))
                services.mediation_add(
                    actor=None,
                    dispute=dispute,
                    held_on=step_day,
                    action="Tổ chức đối thoại giữa người lao động và người sử dụng lao động.",
                    by=unit.name,
                    result="Hai bên thống nhất một phần yêu cầu.",
                )
                end = dispute.began_on + dt.timedelta(days=rng.randint(2, 10))
                if end <= last and rng.random() < 0.8:
                    services.dispute_close(
                        actor=None,
                        dispute=dispute,
                        outcome=rng.choice([Outcome.RESOLVED, Outcome.RESOLVED, Outcome.PARTLY]),
                        result="Người lao động trở lại làm việc; doanh nghiệp cam kết thực hiện các yêu cầu.",
                        ended_on=end,
                    )
    return counts


def demo_command_disputes(run: DemoRun) -> dict[str, Any]:
    counts = load_disputes()
    if counts:
        run.stdout.write(
            f"Đã nạp {format_number(counts['disputes'])} vụ tranh chấp, ngừng việc và "
            f"{format_number(counts['notes'])} ghi nhận tình hình tư tưởng."
        )
    return counts
