"""Benchmark the loan fund (issue 14): 100,000 active loans with their schedules.

    .venv/bin/python bench/loans_bench.py [--db postgres|sqlite] [--loans 100000] [--reps 5]

Builds a throw-away database (``bench/common.py``): the city, 10 districts of 30 CĐCS, one fund and a
monthly declining-balance product through the services; then by bulk insert (as a long-running fund
would leave them) ``--loans`` disbursed loans of 5–30 million over 12 months, disbursed in the last
year, with their 12-line schedules and, for most, repayments of the instalments due (some stopped paying,
so every ageing bucket is filled). Then times:

1. **arrears**: days past due, ageing and PAR30/PAR90 of every active loan of the city as of a date, and
   by district (``selectors.arrears`` + ``ageing_by_unit``) — goal < 10 s on PostgreSQL;
2. **repayment**: one repayment posted through ``services.repayment_post`` (allocation, journal, audit)
   — goal < 50 ms;
3. **district list**: the loan list page of one district as its officer — goal < 200 ms;
4. **recomputation**: every loan's arrears stored as of today (``services.arrears_run``, the body of
   the background task, 5,000 loans a chunk) — no goal; it runs in the background with its progress.
   It runs before the repayments are timed, so each repayment also keeps its loan's stored figures.

The raw floor is one pass over the instalments (``SELECT loan_id, SUM(principal + interest) … GROUP BY``):
the least any arrears computation must read. Figures go in ``bench/README.md`` (## Loans).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAME = "loans_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_loans"
AMOUNTS = [5_000_000, 10_000_000, 15_000_000, 20_000_000, 30_000_000]


def build(loans: int, today: dt.date) -> dict[str, object]:
    from django.db import transaction

    from congdoan.loans import schedule, services
    from congdoan.loans.models import EntryKind, Instalment, JournalEntry, Loan, Project, Repayment
    from congdoan.members.models import Person

    made = common.build_city(10, 30)
    city, districts, cdcs = made.city, made.districts, made.cdcs
    fund = services.fund_create(actor=None, owner=city, code="QTV", name="Quỹ trợ vốn")
    services.capital_receive(actor=None, fund=fund, amount=10**13, on=today - dt.timedelta(days=400))
    product = services.product_create(
        actor=None,
        fund=fund,
        code="SP",
        name="Vay trả hằng tháng",
        min_amount=1_000_000,
        max_amount=50_000_000,
        rate=Decimal("6.6"),
        rate_period="year",
        min_term=3,
        max_term=24,
        frequency="monthly",
        method="declining",
        one_active_loan=False,
    )
    officer = common.officer_of(districts[0])
    rng = random.Random(14)
    projects = Project.objects.bulk_create(
        Project(
            code=f"DA-{u.code}",
            name=f"Dự án {u.code}",
            cdcs=u,
            district=districts[i // 30],
            product=product,
            submitted_on=today - dt.timedelta(days=380),
        )
        for i, u in enumerate(cdcs)
    )
    people = Person.objects.bulk_create(
        (
            Person(
                full_name=f"Người vay {i}",
                gender="F" if i % 2 else "M",
                search_key=f"nguoi vay {i}",
                sort_key=f"vay {i:06d}",
            )
            for i in range(loans)
        ),
        batch_size=5000,
    )
    cache: dict[tuple[int, dt.date], list[schedule.Line]] = {}
    started = time.perf_counter()
    made = 0
    with transaction.atomic():
        for start in range(0, loans, 5000):
            batch = []
            for i in range(start, min(loans, start + 5000)):
                p = projects[i % len(projects)]
                day = today - dt.timedelta(days=rng.randint(20, 360))
                batch.append(
                    Loan(
                        project=p,
                        cdcs_id=p.cdcs_id,
                        fund=fund,
                        product=product,
                        person=people[i],
                        amount=rng.choice(AMOUNTS),
                        term=12,
                        rate=product.rate,
                        rate_period="year",
                        frequency="monthly",
                        method="declining",
                        state="disbursed",
                        applied_on=day - dt.timedelta(days=10),
                        appraised_on=day,
                        approved_on=day,
                        disbursed_on=day,
                    )
                )
            Loan.objects.bulk_create(batch)
            instalments, entries, repayments = [], [], []
            for loan in batch:
                key = (loan.amount, loan.disbursed_on)
                if key not in cache:
                    cache[key] = schedule.build(
                        amount=loan.amount,
                        rate=loan.rate,
                        rate_period="year",
                        term=12,
                        frequency="monthly",
                        method="declining",
                        start=loan.disbursed_on,
                    )
                lines = cache[key]
                due = [ln for ln in lines if ln.due_on <= today]
                roll = rng.random()
                paid = len(due) if roll < 0.8 else rng.randint(0, max(0, len(due) - 1))
                for ln in lines:
                    done = ln.number <= paid
                    instalments.append(
                        Instalment(
                            loan=loan,
                            number=ln.number,
                            due_on=ln.due_on,
                            principal=ln.principal,
                            interest=ln.interest,
                            principal_paid=ln.principal if done else 0,
                            interest_paid=ln.interest if done else 0,
                            paid_on=ln.due_on if done else None,
                        )
                    )
                if paid:
                    p_sum = sum(ln.principal for ln in lines[:paid])
                    i_sum = sum(ln.interest for ln in lines[:paid])
                    entry = JournalEntry(
                        fund=fund,
                        kind=EntryKind.REPAYMENT,
                        posted_on=lines[paid - 1].due_on,
                        amount=p_sum + i_sum,
                        loan=loan,
                        memo="bench",
                    )
                    entries.append(entry)
                    repayments.append(
                        Repayment(
                            loan=loan,
                            paid_on=entry.posted_on,
                            amount=entry.amount,
                            interest=i_sum,
                            principal=p_sum,
                            entry=entry,
                        )
                    )
            Instalment.objects.bulk_create(instalments, batch_size=10000)
            JournalEntry.objects.bulk_create(entries, batch_size=5000)
            Repayment.objects.bulk_create(repayments, batch_size=5000)
            made += len(batch)
            print(f"  {made} khoản vay ({time.perf_counter() - started:.0f} s)", flush=True)
    return {"city": city, "districts": districts, "officer": officer, "fund": fund}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database an earlier --keep run left: migrate it and time, without rebuilding",
    )
    args = parser.parse_args()
    if args.reuse:
        if not common.database_exists(args.db, NAME, args.pg_url):
            raise SystemExit("--reuse: no kept bench database (run once with --keep)")
        common.attach(args.db, NAME, args.pg_url)
        run(args)
    else:
        common.run_on_database(args, NAME, run)


def existing_world() -> dict[str, object]:
    """The city, its districts, the district officer and the fund of a kept bench database."""
    from congdoan.accounts.models import User
    from congdoan.loans.models import Fund
    from congdoan.org.models import OrgUnit

    return {
        "city": OrgUnit.objects.get(code="HN"),
        "districts": list(OrgUnit.objects.filter(code__regex=r"^D[0-9]{2}$").order_by("code")),
        "officer": User.objects.get(username="quan0"),
        "fund": Fund.objects.get(code="QTV"),
    }


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from congdoan.loans import selectors, services
    from congdoan.loans.models import Loan

    common.prepare_pages()
    today = timezone.localdate()
    started = time.perf_counter()
    if args.reuse:
        world = existing_world()
        args.loans = Loan.objects.count()
        print(f"reused the kept database: {args.loans} loans")
    else:
        world = build(args.loans, today)
        print(f"built {args.loans} loans with schedules in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    on = today - dt.timedelta(days=3)
    districts = world["districts"]

    def floor() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT loan_id, SUM(principal + interest) FROM loans_instalment GROUP BY loan_id")
            return len(cursor.fetchall())

    def city_arrears() -> list[object]:
        rows = selectors.arrears(Loan.objects.all(), on)
        total = selectors.ageing(rows)
        by_district = selectors.ageing_by_unit(rows, districts, on)
        assert total.loans == len(rows) and len(by_district) == len(districts)
        return rows

    rows = selectors.arrears(Loan.objects.all(), on)
    total = selectors.ageing(rows)
    print(
        f"as of {on}: {total.loans} active loans, PAR30 {total.par30:.4f}, PAR90 {total.par90:.4f}, buckets "
        + ", ".join(f"{b['key']} {b['loans']}" for b in total.bucket_rows())
    )

    loans = list(
        Loan.objects.filter(state="disbursed").order_by("?")[: args.reps * 3 + 4].values_list("pk", flat=True)
    )
    pool = iter(loans)

    def repay() -> int:
        loan = Loan.objects.get(pk=next(pool))
        services.repayment_post(actor=None, loan=loan, amount=100_000, paid_on=timezone.localdate())
        return 1

    client = Client()
    client.force_login(world["officer"])

    def recompute() -> int:
        run = services.arrears_recompute_request(actor=None, on=today, background=False)
        assert run.status == "done", run.error
        return run.done

    def district_page() -> int:
        response = client.get(f"/tro-von/?unit={districts[0].code}")
        assert response.status_code == 200
        return 1

    def district_late_page() -> int:
        response = client.get(f"/tro-von/?unit={districts[0].code}&bucket=b31_90")
        assert response.status_code == 200 and response.context["total"] > 0
        return 1

    timings = [
        common.measure("raw floor: instalments summed by loan", floor, reps=args.reps, warmup=1),
        common.measure(
            "arrears + ageing + PAR, city and 10 districts", city_arrears, reps=args.reps, warmup=1
        ),
        common.measure("recompute stored arrears, every loan (task body)", recompute, reps=1, warmup=0),
        common.measure("one repayment posted (service)", repay, reps=args.reps * 2, warmup=2),
        common.measure("district loan list page (25 rows)", district_page, reps=args.reps * 2, warmup=1),
        common.measure(
            "district list, 31–90 days (stored arrears)", district_late_page, reps=args.reps * 2, warmup=1
        ),
    ]
    common.print_table(timings, f"Loans bench ({args.loans} loans, {args.loans * 12} instalments)")
    ratio = timings[1].median / timings[0].median
    rate = len(rows) / (timings[1].median / 1000)
    print(f"\narrears: {rate:,.0f} loans/s, {ratio:.1f}× the raw floor")


if __name__ == "__main__":
    main()
