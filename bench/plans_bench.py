"""Benchmark key tasks and recommendations (issue 16, parts 1 and 2).

    .venv/bin/python bench/plans_bench.py [--db postgres|sqlite] [--pg-url URL] [--tasks N] [--recs N]

Builds a throw-away database (``bench/common.py``): the city, 10 districts of 30 CĐCS through the
services; then by bulk insert ``--tasks`` key tasks (handed down by the city and the districts, due over
three years, most done) and ``--recs`` recommendations (to the districts and the city, most answered).
Then times, for the current year:

1. **batches**: the providers' one-pass batches (tasks, recommendations) for the whole city;
2. **figure**: ``NV_TY_LE`` (19/21-style completion) of the city through the engine;
3. **district task list**, **district recommendation list**, **district dashboard**: the pages as the
   district's officer — goal < 100 ms (the table goal of the issue).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAME = "plans_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_plans"


def build(tasks: int, recs: int, today: dt.date) -> dict[str, Any]:
    from django.db import transaction

    from congdoan.plans.models import KeyTask
    from congdoan.recommendations.models import Recommendation

    d = dt.date
    built = common.build_city(10, 30)
    city, districts, cdcs = built.city, built.districts, built.cdcs
    officer = common.officer_of(districts[0])
    rng = random.Random(16)
    with transaction.atomic():
        batch = []
        for i in range(tasks):
            to_cdcs = rng.random() < 0.8
            unit = cdcs[i % len(cdcs)] if to_cdcs else districts[i % len(districts)]
            by = districts[(i % len(cdcs)) // 30] if to_cdcs else city
            start = d(today.year - rng.randint(0, 2), 1, 15)
            deadline = start + dt.timedelta(days=rng.randint(30, 340))
            done = rng.random() < 0.85 and deadline <= today + dt.timedelta(days=200)
            batch.append(
                KeyTask(
                    unit=unit,
                    assigned_by=by,
                    title=f"Nhiệm vụ trọng tâm {i}",
                    source="upper",
                    owner="Chủ tịch",
                    start_on=start,
                    deadline=deadline,
                    status="done" if done else "in_progress",
                    done_on=min(today, deadline) if done else None,
                    evidence="Báo cáo" if done else "",
                )
            )
            if len(batch) == 10000:
                KeyTask.objects.bulk_create(batch)
                batch = []
        KeyTask.objects.bulk_create(batch)
        batch_r = []
        for i in range(recs):
            to_district = rng.random() < 0.7
            unit = cdcs[i % len(cdcs)] if to_district else districts[i % len(districts)]
            to_unit = districts[(i % len(cdcs)) // 30] if to_district else city
            raised = today - dt.timedelta(days=rng.randint(1, 900))
            answered = raised + dt.timedelta(days=rng.randint(3, 60)) if rng.random() < 0.8 else None
            if answered and answered > today:
                answered = None
            batch_r.append(
                Recommendation(
                    unit=unit,
                    to_unit=to_unit,
                    title=f"Kiến nghị {i}",
                    topic="policy",
                    raised_on=raised,
                    due_on=raised + dt.timedelta(days=30),
                    status="answered" if answered else "raised",
                    answered_on=answered,
                    answer="Đồng ý" if answered else "",
                )
            )
            if len(batch_r) == 10000:
                Recommendation.objects.bulk_create(batch_r)
                batch_r = []
        Recommendation.objects.bulk_create(batch_r)
    return {"city": city, "districts": districts, "officer": officer}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--recs", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    common.run_on_database(parser.parse_args(), NAME, run)


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from congdoan.core.periods import parse_period
    from congdoan.indicators import engine
    from congdoan.indicators.models import Indicator
    from congdoan.plans.providers import _task_counts
    from congdoan.recommendations.providers import _counts as _rec_counts

    common.prepare_pages()
    today = timezone.localdate()
    started = time.perf_counter()
    world = build(args.tasks, args.recs, today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {args.tasks} tasks and {args.recs} recommendations in {time.perf_counter() - started:.0f} s"
    )
    city, districts, officer = world["city"], world["districts"], world["officer"]
    year = today.year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units = engine.subtree_units(city.pk, end)  # type: ignore[attr-defined]
    ratio = Indicator.objects.get(code="NV_TY_LE")
    client = Client()
    client.force_login(officer)
    code = districts[0].code  # type: ignore[index]

    def page(url: str) -> list[int]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return [response.status_code]

    timings = [
        common.measure("tasks batch (city, year)", lambda: _task_counts(units, start, end), args.reps),
        common.measure(
            "recommendations batch (city, year)", lambda: _rec_counts(units, start, end), args.reps
        ),
        common.measure(
            "NV_TY_LE of the city (engine)",
            lambda: [engine.value_of(indicator=ratio, period=parse_period(str(year)), unit=city)],
            args.reps,
        ),
        common.measure("district task list page", lambda: page(f"/nhiem-vu/?unit={code}"), args.reps),
        common.measure(
            "district overdue tasks page", lambda: page(f"/nhiem-vu/qua-han/?unit={code}"), args.reps
        ),
        common.measure("district recommendations page", lambda: page(f"/kien-nghi/?unit={code}"), args.reps),
        common.measure(
            "district dashboard", lambda: page(f"/chi-tieu/?unit={code}&period={year}"), args.reps
        ),
    ]
    common.print_table(timings, f"Key tasks and recommendations ({connection.vendor})")


if __name__ == "__main__":
    main()
