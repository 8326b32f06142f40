"""Demo data of the emulation app: cluster no. 3 of 2024 (six district federations of Hà Nội) with its
pact, score sheets at every stage, a closed peer vote and its ranking (next year's leader recorded),
the graded CĐCS of Gia Lâm, initiatives, registrations, award proposals and decisions.

Loads once (nothing when the cluster already has a vote) with a fixed random seed."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.core import registry
from congdoan.indicators.models import Indicator
from congdoan.org import tree
from congdoan.org.models import EmulationCluster, OrgUnit

from . import catalogue, schemes, scoring, services
from .models import Criterion, ScoreSheet, SheetTemplate, Vote

d = dt.date
YEAR = 2024
CLUSTER = "Cụm thi đua số 3"
# The six districts in the order of their stage: published, published, locked, appraised, self-scored, draft.
SHARES = [
    Decimal("0.96"),
    Decimal("0.92"),
    Decimal("0.88"),
    Decimal("0.84"),
    Decimal("0.80"),
    Decimal("0.70"),
]


def _points(sheet: ScoreSheet, rng: random.Random, share: Decimal) -> dict[int, Decimal]:
    out = {}
    for line in sheet.lines.select_related("criterion"):
        c = line.criterion
        if c.computed:
            continue
        jitter = Decimal(rng.randint(-8, 4)) / 100
        out[c.pk] = scoring.q2(min(c.max_points, max(Decimal(0), c.max_points * (share + jitter))))
    return out


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def demo_command_emulation(run: registry.DemoRun) -> dict[str, Any]:
    out = run.stdout
    cluster = EmulationCluster.objects.filter(name=CLUSTER, year=YEAR).select_related("organiser").first()
    if cluster is None:
        out.write("Thi đua: chưa có cụm thi đua số 3 năm 2024, bỏ qua.")
        return {}
    if Vote.objects.filter(cluster=cluster).exists():
        out.write("Thi đua: dữ liệu mẫu đã có sẵn.")
        return {}
    schemes.load_templates(SheetTemplate, Criterion)
    catalogue.load_catalogue(Indicator)
    rng = random.Random(15)
    city = cluster.organiser
    members = [m.unit for m in cluster.memberships.select_related("unit").order_by("id")]
    with transaction.atomic():
        services.pact_create(
            actor=None,
            cluster=cluster,
            signed_on=d(2024, 3, 5),
            title="Giao ước thi đua năm 2024 Cụm thi đua số 3",
            commitments="Phát triển đoàn viên đạt 100% chỉ tiêu; 100% CĐCS hoàn thành tốt nhiệm vụ trở lên; "
            "thành lập CĐCS mới vượt chỉ tiêu; tổ chức hội nghị người lao động ở mọi doanh nghiệp có CĐCS.",
        )
        sheets = []
        for n, unit in enumerate(members):
            sheet = services.sheet_open(actor=None, unit=unit, year=YEAR, deadline=d(YEAR, 12, 15))
            if n < 5:
                sheet = services.sheet_self_score(
                    actor=None, sheet=sheet, points=_points(sheet, rng, SHARES[n]), today=d(YEAR, 12, 10)
                )
            if n < 4:
                sheet = services.sheet_appraise(
                    actor=None,
                    sheet=sheet,
                    by_unit=city,
                    points=_points(sheet, rng, SHARES[n] - Decimal("0.02")),
                    today=d(2025, 1, 8),
                )
            if n < 3:
                sheet = services.sheet_lock(actor=None, sheet=sheet)
            if n < 2:
                sheet = services.sheet_publish(actor=None, sheet=sheet)
            sheets.append(sheet)
        # the peer vote of 15/1/2025, closed at 17:00
        vote = services.vote_open(
            actor=None,
            cluster=cluster,
            opens_at=_aware(d(2025, 1, 15), 8),
            closes_at=_aware(d(2025, 1, 15), 17),
        )
        cast_at = _aware(d(2025, 1, 15), 10)
        for i, voter in enumerate(members):
            choice = members[0] if voter != members[0] else members[1]
            if i in (3, 5):
                choice = members[1]
            services.ballot_cast(actor=None, vote=vote, voter=voter, choice=choice, now=cast_at)
        vote = services.vote_close(actor=None, vote=vote, now=_aware(d(2025, 1, 15), 17))
        graded = _grade_cdcs(rng, members)
        awards = _awards(rng, city, members)
    out.write(
        f"Thi đua: {CLUSTER} năm {YEAR}: {len(sheets)} bảng điểm, bình xét xong (cụm trưởng năm {YEAR + 1}: "
        f"{vote.next_leader}); {graded} CĐCS được xếp loại; {awards} đề nghị khen thưởng."
    )
    return {"cluster": cluster.pk, "sheets": len(sheets), "graded": graded, "awards": awards}


def _grade_cdcs(rng: random.Random, members: list[OrgUnit]) -> int:
    """Up to 30 CĐCS of each of the first two districts scored, appraised by their district, locked."""
    count = 0
    for district in members[:2]:
        day = min(d(YEAR, 12, 31), district.last_day) if district.last_day else d(YEAR, 12, 31)
        ids = tree.subtree_ids(district.pk, day) - {district.pk}
        cdcs = list(
            OrgUnit.objects.filter(pk__in=ids, type__in=("CDCS", "NGHIEP_DOAN")).order_by("code")[:30]
        )
        for unit in cdcs:
            share = Decimal(rng.choice([55, 70, 80, 86, 92, 97])) / 100
            sheet = services.sheet_open(actor=None, unit=unit, year=YEAR, deadline=d(YEAR, 12, 15))
            sheet = services.sheet_self_score(
                actor=None, sheet=sheet, points=_points(sheet, rng, share), today=d(YEAR, 12, 5)
            )
            sheet = services.sheet_appraise(
                actor=None,
                sheet=sheet,
                by_unit=district,
                points=_points(sheet, rng, share),
                today=d(YEAR, 12, 20),
            )
            services.sheet_lock(actor=None, sheet=sheet)
            count += 1
        for i, unit in enumerate(cdcs[:12]):
            item = services.initiative_create(
                actor=None,
                unit=unit,
                title=f"Sáng kiến cải tiến quy trình số {i + 1} – {unit.short_name or unit.name}",
                submitted_on=d(YEAR, 3 + i % 8, 10),
            )
            if i % 3 != 2:
                services.initiative_recognise(
                    actor=None, initiative=item, recognised=True, on=d(YEAR, 11, 20)
                )
    return count


def _awards(rng: random.Random, city: OrgUnit, members: list[OrgUnit]) -> int:
    """Collective proposals for the districts (Cờ thi đua for the first, Bằng khen for the next two),
    a decision of the city for the first two, one still pending."""
    proposals = []
    for unit, form, level in (
        (members[0], "co_thi_dua", "city"),
        (members[1], "bang_khen", "city"),
        (members[2], "bang_khen", "city"),
    ):
        services.registration_create(
            actor=None, unit=unit, year=YEAR, title="Tập thể lao động xuất sắc", registered_on=d(YEAR, 2, 20)
        )
        proposals.append(
            services.proposal_create(
                actor=None,
                unit=unit,
                year=YEAR,
                form=form,
                level=level,
                proposed_on=d(2025, 1, 20),
                achievement=f"Hoàn thành xuất sắc nhiệm vụ công tác công đoàn, phong trào CNVCLĐ năm {YEAR}",
            )
        )
    services.decision_create(
        actor=None,
        issuer=city,
        number="125/QĐ-LĐLĐ",
        signed_on=d(2025, 2, 10),
        proposals=proposals[:2],
        signer="Nguyễn Phi Thường",
    )
    return len(proposals)
