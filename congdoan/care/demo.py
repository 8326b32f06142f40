"""Demo care data (deterministic): the city's Tết 2025 campaign with its districts' allocations and a
few thousand cases in every state (most paid, by bank or in cash; some approved and waiting for the
bank file; some proposed), a hardship campaign, Mái ấm Công đoàn houses and welfare deals."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from congdoan.core.registry import DemoRun
from congdoan.members.models import Membership, active_on_q
from congdoan.org import tree
from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

from . import services
from .catalogue import load_care_catalogue
from .models import Campaign, Case, CaseApproval, CaseState, Payment

BANKS = ["Vietcombank", "BIDV", "VietinBank", "Agribank", "MB", "Techcombank"]
PARTNERS = [
    ("Siêu thị Co.opmart", "Giảm 10% hóa đơn mua hàng cho đoàn viên", 10),
    ("Nhà thuốc Long Châu", "Giảm 5% thuốc và thiết bị y tế", 5),
    ("Bệnh viện Hồng Ngọc", "Giảm 20% gói khám sức khỏe", 20),
    ("Điện máy Xanh", "Giảm 15% đồ gia dụng, trả góp 0%", 15),
    ("Trung tâm Anh ngữ Apollo", "Giảm 30% học phí cho con đoàn viên", 30),
    ("Vietjet Air", "Ưu đãi vé máy bay về quê dịp Tết", None),
    ("Nha khoa Kim", "Giảm 40% dịch vụ nha khoa", 40),
]


def load_care(*, scale: float = 1.0, stdout: Any = None) -> dict[str, int]:
    if Campaign.objects.filter(code="TET2025").exists():
        return {}
    load_care_catalogue()
    city = OrgUnit.objects.filter(code="HN").first()
    if city is None:
        return {}
    rng = random.Random(2025)
    with transaction.atomic():
        counts = _tet(city, rng, scale)
        counts.update(_others(city, rng))
    if stdout is not None:
        stdout.write(
            f"  chăm lo: {counts['cases']} hồ sơ Tết 2025 ({counts['paid']} đã chi), "
            f"{counts['houses']} Mái ấm Công đoàn, {counts['deals']} thỏa thuận phúc lợi"
        )
    return counts


def _tet(city: OrgUnit, rng: random.Random, scale: float) -> dict[str, int]:
    day = dt.date(2025, 1, 20)
    campaign = services.campaign_create(
        actor=None,
        code="TET2025",
        name="Tết Sum vầy – Xuân gắn kết 2025",
        kind="tet_gift",
        owner=city,
        starts_on=dt.date(2025, 1, 2),
        ends_on=dt.date(2025, 1, 28),
        cap_per_person=1_000_000,
        allows_non_members=True,
        approval_levels=1,
        eligibility="Đoàn viên, người lao động có hoàn cảnh khó khăn, không có điều kiện về quê đón Tết.",
        funding=[
            services.Funding("union", 3_000_000_000, "LĐLĐ thành phố Hà Nội"),
            services.Funding("social", 1_400_000_000, "Các nhà hảo tâm"),
        ],
    )
    districts = list(
        OrgUnit.objects.filter(id__in=tree.in_subtree([city.pk], day), type="LDLD_HUYEN").order_by("code")
    )
    per_district = max(20, int(400 * scale))
    by_district: dict[int, list[tuple[int, Any]]] = {}
    for district in districts:
        units = tree.subtree_ids(district.pk, day)
        cdcs = set(
            OrgUnit.objects.filter(id__in=units, type__in=GRASSROOTS_TYPES).values_list("pk", flat=True)
        )
        members = list(
            Membership.objects.filter(active_on_q(day), cdcs_id__in=cdcs, person__cccd__isnull=False)
            .select_related("person")
            .order_by("pk")[:per_district]
        )
        by_district[district.pk] = [(m.cdcs_id, m.person) for m in members]
        quota = len(members) + rng.randint(5, 40)
        services.allocation_set(
            actor=None, campaign=campaign, unit=district, people=quota, amount=quota * 500_000
        )
    rules = services.CaseRules(campaign)
    by_pk = {u.pk: u for u in OrgUnit.objects.filter(pk__in={c for v in by_district.values() for c, _ in v})}
    cases: list[Case] = []
    for rows in by_district.values():
        for cdcs_id, person in rows:
            bank = rng.random() < 0.6
            checked = rules.check(
                services.CaseInput(
                    unit=by_pk[cdcs_id],
                    amount=rng.choice([500_000, 500_000, 700_000, 1_000_000]),
                    person=person,
                    reason=rng.choice(
                        ["Hoàn cảnh khó khăn", "Bố mẹ già yếu", "Con nhỏ, thu nhập thấp", "Ốm đau dài ngày"]
                    ),
                    bank_account=f"{rng.randint(10**9, 10**13 - 1)}" if bank else "",
                    bank_name=rng.choice(BANKS) if bank else "",
                    proposed_on=dt.date(2025, 1, rng.randint(3, 12)),
                )
            )
            if not checked.errors:
                cases.append(Case(**checked.data))
    Case.objects.bulk_create(cases, batch_size=2000)
    made = list(Case.objects.filter(campaign=campaign).order_by("pk"))
    approvals, payments, paid_ids, approved_ids = [], [], [], []
    for case in made:
        r = rng.random()
        if r < 0.15:
            continue  # proposed, waiting for the city
        approvals.append(CaseApproval(case=case, level=1, unit=city, decided_on=dt.date(2025, 1, 15)))
        if r < 0.35:
            approved_ids.append(case.pk)  # approved: in the bank file / the cash list
            continue
        paid_ids.append(case.pk)
        method = "bank" if case.bank_account else "cash"
        payments.append(
            Payment(
                case=case,
                method=method,
                paid_on=day,
                amount=case.amount,
                bank_account=case.bank_account,
                bank_name=case.bank_name,
            )
        )
    CaseApproval.objects.bulk_create(approvals, batch_size=2000)
    Payment.objects.bulk_create(payments, batch_size=2000)
    Case.objects.filter(pk__in=approved_ids).update(state=CaseState.APPROVED, approved_levels=1)
    for i in range(0, len(paid_ids), 900):
        Case.objects.filter(pk__in=paid_ids[i : i + 900]).update(
            state=CaseState.PAID, approved_levels=1, paid_on=day
        )
    return {"cases": len(made), "paid": len(paid_ids)}


def _others(city: OrgUnit, rng: random.Random) -> dict[str, int]:
    day = dt.date(2025, 3, 1)
    cdcs = list(
        OrgUnit.objects.filter(id__in=tree.in_subtree([city.pk], day), type__in=GRASSROOTS_TYPES).order_by(
            "code"
        )[:400]
    )
    houses = 0
    for i, unit in enumerate(rng.sample(cdcs, min(12, len(cdcs)))):
        started = dt.date(2025, rng.randint(2, 9), rng.randint(1, 28))
        services.house_create(
            actor=None,
            unit=unit,
            beneficiary=rng.choice(
                ["Nguyễn Văn Hải", "Trần Thị Lan", "Lê Văn Nam", "Phạm Thị Hoa", "Đỗ Văn Tuấn"]
            ),
            started_on=started,
            repair=i % 3 == 2,
            amount=30_000_000 if i % 3 == 2 else None,
            contributors="LĐLĐ thành phố; Ngân hàng TMCP Công Thương",
            handed_over_on=started + dt.timedelta(days=75)
            if started + dt.timedelta(days=75) < dt.date(2025, 12, 1)
            else None,
        )
        houses += 1
    deals = 0
    for partner, offer, pct in PARTNERS:
        services.deal_create(
            actor=None,
            unit=city,
            partner=partner,
            offer=offer,
            discount_percent=pct,
            signed_on=dt.date(2025, rng.randint(1, 10), rng.randint(1, 28)),
            valid_until=dt.date(2026, 12, 31),
            how_to_claim="Xuất trình thẻ đoàn viên hoặc mã ưu đãi trên ứng dụng Công đoàn Việt Nam.",
        )
        deals += 1
    return {"houses": houses, "deals": deals}


def demo_command_care(run: DemoRun) -> dict[str, int]:
    return load_care(scale=float(run.options.get("scale") or 1.0), stdout=run.stdout)
