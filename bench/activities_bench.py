"""Benchmark activities (issue 16): 1,000,000 activity records city-wide.

    .venv/bin/python bench/activities_bench.py [--db postgres|sqlite] [--pg-url URL]
                                               [--activities 1000000] [--reps 10]

Builds a throw-away database (``bench/common.py``; the default PostgreSQL URL is this worktree's own
``congdoan_activities``, dropped at the end): the city, ``--districts`` districts of ``--cdcs`` CĐCS
each through the services, then by bulk insert ``--activities`` activities of the eight seeded kinds
spread over every unit and the last two years. Then times, as the officer of one district:

1. **list**: the district's activity list page (newest first, 25 a page, the total) — goal < 100 ms;
2. **list, one kind**: the same filtered by kind and searched by a word;
3. **dashboard**: the indicators dashboard of the district for the current year (every standard
   indicator, with the 21 activity indicators) — goal < 100 ms;
4. **activity figures**: the activity batch alone for the district and the year (``providers``).

Raw SQL floors: the first page and the count of the district's list, and one GROUP BY of the
district's year (what the batch reads). Figures go in ``bench/README.md`` (## Activities).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAME = "activities_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_activities"


def build(args: argparse.Namespace, today: dt.date) -> dict[str, object]:
    from django.db import transaction

    from congdoan.activities.catalogue import load_activity_catalogue
    from congdoan.activities.models import Activity, ActivityKind

    built = common.build_city(args.districts, args.cdcs, digits=3)
    city, districts, units = built.city, built.districts, built.unit_ids
    load_activity_catalogue()
    kinds = list(ActivityKind.objects.values_list("pk", flat=True))
    officer = common.officer_of(districts[0])
    rng = random.Random(16)
    started = time.perf_counter()
    made = 0
    span = 730
    with transaction.atomic():
        while made < args.activities:
            batch = []
            for _ in range(min(20_000, args.activities - made)):
                participants = rng.randint(10, 400)
                batch.append(
                    Activity(
                        kind_id=rng.choice(kinds),
                        unit_id=rng.choice(units),
                        held_on=today - dt.timedelta(days=rng.randint(0, span)),
                        title=rng.choice(["Tuyên truyền pháp luật", "Tập huấn", "Giải bóng đá", "Hiến máu"]),
                        place="Hội trường",
                        sessions=rng.randint(1, 5),
                        participants=participants,
                        women=participants // 2,
                        cost=participants * 50_000,
                    )
                )
            Activity.objects.bulk_create(batch, batch_size=5000)
            made += len(batch)
            if made % 200_000 == 0 or made == args.activities:
                print(f"  {made} hoạt động ({time.perf_counter() - started:.0f} s)", flush=True)
    return {"city": city, "districts": districts, "officer": officer}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--districts", type=int, default=30)
    parser.add_argument("--cdcs", type=int, default=100)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    common.configure(args.db, NAME, args.pg_url)
    try:
        run(args)
    finally:
        if not args.keep:
            common.teardown(args.db, NAME, args.pg_url)


def run(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from congdoan.indicators.providers import BATCHES
    from congdoan.org import tree

    setup_test_environment()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"migrate: {common.migrate():.1f} s · {common.describe_database()} · load {common.load_average()}")
    today = timezone.localdate()
    started = time.perf_counter()
    world = build(args, today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a table at rest
    print(f"built {args.activities} activities in {time.perf_counter() - started:.0f} s")
    district = world["districts"][0]  # type: ignore[index]
    client = Client()
    client.force_login(world["officer"])
    list_url = reverse("activities:list")
    dashboard_url = reverse("indicators:dashboard")
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    ids = sorted(tree.subtree_ids(district.pk, today))
    placeholders = ",".join(["%s"] * len(ids))

    def page(url: str, **query: str) -> int:
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def floor_page() -> list[object]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, held_on, title FROM activities_activity WHERE unit_id IN ({placeholders}) "
                "ORDER BY held_on DESC, id DESC LIMIT 25",
                ids,
            )
            return cursor.fetchall()

    def floor_count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM activities_activity WHERE unit_id IN ({placeholders})", ids)
            return int(cursor.fetchone()[0])

    def floor_sums() -> list[object]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT unit_id, kind_id, COUNT(*), SUM(sessions), SUM(participants), SUM(women), SUM(cost) "
                f"FROM activities_activity WHERE unit_id IN ({placeholders}) AND held_on BETWEEN %s AND %s "
                "GROUP BY unit_id, kind_id",
                [*ids, start, end],
            )
            return cursor.fetchall()

    def figures() -> int:
        units = tree.in_subtree([district.pk], end)
        return len(BATCHES["activities"](units, start, end)["activity_participants"])

    rows = floor_count()
    print(f"district {district.code}: {len(ids)} units, {rows} activities (of {args.activities})")
    reps = args.reps
    timings = [
        common.measure("page: district activity list", lambda: page(list_url), reps, note="goal < 100 ms"),
        common.measure(
            "page: list, one kind + search",
            lambda: page(list_url, kind="hien_mau", q="Hiến"),
            reps,
        ),
        common.measure(
            "page: list, page 40",
            lambda: page(list_url, page="40"),
            reps,
        ),
        common.measure("page: dashboard (year)", lambda: page(dashboard_url), reps, note="goal < 100 ms"),
        common.measure("activity batch (district, year)", figures, reps),
        common.measure("SQL floor: first page", floor_page, reps),
        common.measure("SQL floor: count", floor_count, reps),
        common.measure("SQL floor: year GROUP BY", floor_sums, reps),
    ]
    common.print_table(timings, f"Activities — {args.activities} records, district of {len(ids)} units")


if __name__ == "__main__":
    main()
