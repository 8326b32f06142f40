"""The loan fund in the demo (deterministic): the city fund of Hà Nội with its capital, two products,
projects of CĐCS vouched for by their district unions — the first two in two different districts — and
300 loans in every state: applications waiting at each step, rejected ones, loans repaid on time, paid
off early, late in every ageing bucket, rescheduled and written off. Dates are counted back from today,
so the arrears page always has something to show; everything goes through the services."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.core.formatting import format_money
from congdoan.members.models import Membership, active_on_q
from congdoan.org.models import OrgUnit

from . import services
from .models import Fund, Loan

LOANS = 300
PER_PROJECT = 25


def demo_command_loans(run: Any) -> dict[str, Any]:
    """``congdoan demo``: the loan fund after the activity (``run``: a ``core.registry.DemoRun``)."""
    if Fund.objects.exists():
        run.stdout.write("Quỹ trợ vốn mẫu đã có sẵn, không nạp lại.")
        return {}
    loaded = load_loans()
    if loaded:
        run.stdout.write(
            f"Quỹ trợ vốn: {loaded['projects']} dự án, {loaded['loans']} khoản vay, "
            f"{loaded['repayments']} lần trả nợ; quỹ còn {format_money(loaded['cash'])}."
        )
    return loaded


def _borrowers(today: dt.date) -> list[tuple[OrgUnit, list[Any]]]:
    """CĐCS with members held from two years ago to today, the largest first (at most 40 each)."""
    start = today - dt.timedelta(days=730)
    rows = (
        Membership.objects.filter(active_on_q(start), active_on_q(today), cdcs__dissolved_on__isnull=True)
        .order_by("cdcs_id", "id")
        .values_list("cdcs_id", "person_id")
    )
    people: dict[int, list[int]] = defaultdict(list)
    for cdcs_id, person_id in rows:
        if len(people[cdcs_id]) < 40:
            people[cdcs_id].append(person_id)
    units = OrgUnit.objects.in_bulk(list(people))
    from congdoan.members.models import Person

    persons = Person.objects.in_bulk([p for ids in people.values() for p in ids])
    ranked = sorted(people.items(), key=lambda kv: (-len(kv[1]), units[kv[0]].code))
    return [(units[c], [persons[p] for p in ids]) for c, ids in ranked if len(ids) >= 5]


@transaction.atomic
def load_loans(*, loans: int = LOANS) -> dict[str, Any]:
    today = timezone.localdate()
    city = OrgUnit.objects.filter(type="LDLD_TINH").order_by("code").first()
    candidates = _borrowers(today)
    if city is None or not candidates:
        return {}
    rng = random.Random(2040)
    fund = services.fund_create(actor=None, owner=city, code="QTV-HN", name="Quỹ trợ vốn CNVCLĐ nghèo Thủ đô")
    services.capital_receive(
        actor=None, fund=fund, amount=38_344_000_000, on=today - dt.timedelta(days=760), memo="Vốn điều lệ"
    )
    monthly = services.product_create(
        actor=None,
        fund=fund,
        code="TV-THANG",
        name="Vay phát triển kinh tế (trả hằng tháng)",
        min_amount=5_000_000,
        max_amount=50_000_000,
        rate=Decimal("6.6"),
        rate_period="year",
        min_term=6,
        max_term=24,
        frequency="monthly",
        method="declining",
        late_fee=20_000,
        late_after_days=10,
    )
    weekly = services.product_create(
        actor=None,
        fund=fund,
        code="TV-TUAN",
        name="Vay nhỏ trả hằng tuần",
        min_amount=500_000,
        max_amount=30_000_000,
        rate=Decimal("1"),
        rate_period="month",
        min_term=12,
        max_term=52,
        frequency="weekly",
        method="flat",
        late_fee=10_000,
        late_after_days=7,
    )
    # Projects district by district: the first two from two different district unions.
    order: list[tuple[OrgUnit, list[Any]]] = []
    seen_districts: set[int] = set()
    for unit, people in candidates:
        district = services.district_of(unit, today - dt.timedelta(days=720))
        if district.pk not in seen_districts and len(seen_districts) < 2:
            seen_districts.add(district.pk)
            order.insert(len(seen_districts) - 1, (unit, people))
        else:
            order.append((unit, people))
    made = {"projects": 0, "loans": 0, "repayments": 0}
    for unit, people in order:
        if made["loans"] >= loans:
            break
        n = min(len(people), PER_PROJECT, loans - made["loans"])
        if n < 3:
            continue
        product = weekly if made["projects"] % 4 == 3 else monthly
        made["repayments"] += _project(rng, fund, product, unit, people[:n], made["projects"] + 1, today)
        made["projects"] += 1
        made["loans"] += n
    made["cash"] = services.fund_available(fund)
    return made


def _project(
    rng: random.Random, fund: Fund, product: Any, unit: OrgUnit, people: list[Any], k: int, today: dt.date
) -> int:
    # the first projects are older (their loans run late or end); the later ones still in progress
    disburse_on = today - dt.timedelta(days=max(20, 700 - 55 * k + rng.randint(-10, 10)))
    submitted = disburse_on - dt.timedelta(days=10)
    weekly = product.frequency == "weekly"
    apps = [
        services.Application(
            p,
            rng.choice([10, 15, 20, 25, 30]) * 1_000_000 if not weekly else rng.choice([3, 5, 8]) * 1_000_000,
            rng.choice([12, 18, 24]) if not weekly else rng.choice([24, 36, 52]),
            rng.choice(["chăn nuôi", "buôn bán nhỏ", "sửa chữa nhà ở", "mua sắm đồ dùng gia đình"]),
        )
        for p in people
    ]
    project = services.project_create(
        actor=None,
        cdcs=unit,
        product=product,
        code=f"DA-{disburse_on.year}-{k:03d}",
        name=f"Dự án vay vốn {k} – {unit.name}",
        submitted_on=submitted,
        borrowers=apps,
    )
    loans = list(project.loans.select_related("person", "fund", "cdcs", "product").order_by("id"))
    repayments = 0
    for i, loan in enumerate(loans):
        if k == 8 and i < 6:  # a recent project still on its way: every step waiting
            [_wait, _appraise, _approve, _reject, _approve, _appraise][i](loan, submitted)
            continue
        _appraise(loan, submitted)
        _approve(loan, submitted)
        services.loan_disburse(actor=None, loan=loan, on=disburse_on)
        repayments += _behave(rng, loan, today)
    return repayments


def _wait(loan: Loan, submitted: dt.date) -> None:
    """Left as applied: the CĐCS has not appraised it yet."""


def _appraise(loan: Loan, submitted: dt.date) -> None:
    services.loan_appraise(actor=None, loan=loan, on=submitted + dt.timedelta(days=2))


def _approve(loan: Loan, submitted: dt.date) -> None:
    if loan.state == "applied":
        _appraise(loan, submitted)
    services.loan_approve(actor=None, loan=loan, on=submitted + dt.timedelta(days=6))


def _reject(loan: Loan, submitted: dt.date) -> None:
    services.loan_reject(
        actor=None, loan=loan, on=submitted + dt.timedelta(days=3), reason="Không đủ điều kiện"
    )


def _behave(rng: random.Random, loan: Loan, today: dt.date) -> int:
    """Repay as a borrower does: mostly on time; some stop paying (late in every bucket), some pay off
    early; a few of the long-late are written off or rescheduled."""
    roll = rng.random()
    instalments = list(loan.instalments.order_by("number"))
    due = [i for i in instalments if i.due_on <= today]
    if roll < 0.7:
        stop = len(due)  # on time
    elif roll < 0.8:
        stop = min(len(due), 2)  # pays off early after two instalments
    else:
        stop = rng.randint(0, max(0, len(due) - 1))  # stops paying
    made = 0
    for inst in due[:stop]:
        services.repayment_post(actor=None, loan=loan, amount=inst.total, paid_on=inst.due_on)
        made += 1
    loan.refresh_from_db()
    if loan.state != "disbursed":
        return made
    if 0.7 <= roll < 0.8 and stop:
        owed = sum(i.outstanding for i in loan.instalments.all())
        services.repayment_post(
            actor=None, loan=loan, amount=owed, paid_on=due[stop - 1].due_on + dt.timedelta(days=3)
        )
        return made + 1
    late_since = due[stop].due_on if stop < len(due) else None
    if late_since is not None and (today - late_since).days > 200:
        if rng.random() < 0.35:
            services.loan_write_off(
                actor=None,
                loan=loan,
                on=late_since + dt.timedelta(days=190),
                reason="Người vay mất khả năng trả nợ",
            )
        elif rng.random() < 0.3:
            services.loan_reschedule(actor=None, loan=loan, on=late_since + dt.timedelta(days=120), term=12)
    return made
