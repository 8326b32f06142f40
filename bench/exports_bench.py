"""Benchmark the member roster XLSX export at 100,000 rows against a raw floor.

    .venv/bin/python bench/exports_bench.py                       # SQLite, plus PostgreSQL if reachable
    .venv/bin/python bench/exports_bench.py --db sqlite --members 20000 --reps 1   # a quick look

For each database, in its own process: a fresh bench database (SQLite ``var/bench/exports_bench
.sqlite3``; PostgreSQL ``congdoan_bench_exports``), migrated, with the units and members of
``members_search_bench`` (1 city federation → 20 districts → 10,000 CĐCS; ``--members`` people,
default 100,000, one active membership each, inserted raw), then:

1. **the export** as a city officer who sees all of them: ``members.exports.roster_xlsx`` on
   ``membership_list(user=...)`` (what the list page's "Xuất Excel" passes: scoped, Vietnamese name
   order, personal data masked), its streamed response read to the end; and the same through the
   real view ``GET /doan-vien/?xuat=xlsx`` (``django.test.Client``, ``force_login``). Every run writes
   its access-log row and audit entry, as in production.
2. **the raw floor**: the same rows (same query, ordering and columns, masked the same way) read with
   ``values_list`` and written by a bare ``openpyxl.Workbook(write_only=True)`` ``ws.append`` loop to a
   temporary file — no model instances, no styles, no formula checks; and the write alone (rows
   already in memory). ``export / floor`` is the ratio of medians.
3. **memory**: ``tracemalloc`` peak of one untimed export, for a district officer (1/20 of the rows)
   and for the city officer (all): constant memory means the two peaks are close.

Median of ``--reps`` timed runs after one warm-up; rows/s = rows / median. Figures go in
``bench/README.md`` ("Member export").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench import members_search_bench as population

NAME = "exports_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_exports"


def _drain(response: Any) -> int:
    """Read a (streamed) response to the end, as a client would; returns its size in bytes."""
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return size


def export_service(officer: Any) -> int:
    from congdoan.accounts.scope import user_scope
    from congdoan.members import exports, privacy
    from congdoan.members.selectors import membership_list

    response = exports.roster_xlsx(
        user=officer,
        memberships=membership_list(user=officer),
        unit=None,
        unit_label="LĐLĐ thành phố Bench",
        filters={"status": "active"},
        personal_data=privacy.can_see_personal_data(user_scope(officer)),
    )
    return _drain(response)


def floor_rows(officer: Any) -> list[tuple[Any, ...]]:
    """The roster's rows the cheapest way: one ``values_list`` query, masked as the export masks."""
    from congdoan.members import privacy
    from congdoan.members.models import Gender
    from congdoan.members.selectors import membership_list

    genders = dict(Gender.choices)
    rows = []
    qs = membership_list(user=officer).values_list(
        "person__full_name",
        "person__birth_date",
        "person__gender",
        "person__cccd",
        "person__phone",
        "cdcs__name",
        "join_date",
        "card_number",
    )
    for n, (name, birth, gender, cccd, phone, cdcs, join, card) in enumerate(
        qs.iterator(chunk_size=2000), start=1
    ):
        masked_birth = f"**/**/{birth.year}" if birth else ""
        rows.append(
            (
                n,
                name,
                masked_birth,
                genders.get(gender, ""),
                privacy.mask(cccd),
                privacy.mask(phone),
                cdcs,
                join,
                card or "",
            )
        )
    return rows


def floor_write(rows: list[tuple[Any, ...]]) -> int:
    """A bare write-only openpyxl loop to a temporary file; returns the file's size."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Đoàn viên")
    for row in rows:
        ws.append(row)
    with tempfile.TemporaryFile() as fh:
        wb.save(fh)
        return fh.tell()


def run_one(args: argparse.Namespace) -> None:
    url = common.configure(args.db, NAME, args.pg_url)
    print(f"=== member export benchmark: {args.db} ({url}) ===")
    print(common.describe_database())
    print(f"load average at the start: {common.load_average()}")
    try:
        print(f"migrate: {common.migrate():.1f} s")
        population.load_units()
        seconds = population.load_members(args.members)
        print(f"loaded {args.members:,} people + memberships raw in {seconds:.1f} s")
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings

        from congdoan.accounts.models import User
        from congdoan.members.selectors import membership_list

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        city = User.objects.get(username="bench_city")
        district = User.objects.get(username="bench_district")
        rows = membership_list(user=city).count()
        print(f"\nRoster of the city officer: {rows:,} rows; median of {args.reps} runs after 1 warm-up")

        timings = [common.measure("roster_xlsx (service)", lambda: export_service(city), args.reps, warmup=1)]
        client = Client(SERVER_NAME="localhost")
        client.force_login(city)
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }

        def view() -> int:
            response = client.get("/doan-vien/", {"xuat": "xlsx"})
            if response.status_code != 200:
                raise SystemExit(f"GET /doan-vien/?xuat=xlsx: HTTP {response.status_code}")
            return _drain(response)

        with override_settings(STORAGES=storages):
            timings.append(common.measure("GET /doan-vien/?xuat=xlsx", view, args.reps, warmup=1))
        prefetched = floor_rows(city)
        timings.append(
            common.measure(
                "floor: values_list + bare write-only",
                lambda: floor_write(floor_rows(city)),
                args.reps,
                warmup=1,
            )
        )
        timings.append(
            common.measure(
                "floor: bare write-only (rows in memory)", lambda: floor_write(prefetched), args.reps
            )
        )
        for t in timings:
            t.note = f"{rows / (t.median / 1000):,.0f} rows/s"
        common.print_table(timings)
        print("(rows = bytes of the file)")
        export, floor = timings[0].median, timings[2].median
        print(f"export / floor (query + write): {export / floor:.2f}")

        print("\nPeak Python memory of one export (tracemalloc; untimed)")
        for who, officer in (("district officer", district), ("city officer", city)):
            count = membership_list(user=officer).count()
            tracemalloc.start()
            start = time.perf_counter()
            export_service(officer)
            elapsed = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"  {who:<17} {count:>8,} rows: peak {peak / 2**20:6.1f} MiB"
                f" ({elapsed:.1f} s under tracemalloc)"
            )
        print(f"\nload average at the end: {common.load_average()}")
    finally:
        common.teardown(args.db, NAME, args.pg_url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=100_000, help="members (default 100000)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "auto"], default="auto")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_EXPORTS_DATABASE_URL", PG_URL))
    parser.add_argument("--reps", type=int, default=3, help="timed runs per scenario (default 3)")
    args = parser.parse_args()
    if args.db in ("both", "auto"):
        targets = ["sqlite"]
        if args.db == "both" or common.pg_reachable(args.pg_url):
            targets.append("postgres")
        else:
            print("PostgreSQL not reachable: SQLite only.")
        status = 0
        for db in targets:
            argv = list(sys.argv[1:])
            if "--db" in argv:
                i = argv.index("--db")
                del argv[i : i + 2]
            status |= subprocess.call([sys.executable, __file__, *argv, "--db", db])
            print()
        raise SystemExit(status)
    run_one(args)


if __name__ == "__main__":
    main()
