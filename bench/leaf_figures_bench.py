"""Benchmark the kept per-CĐCS figures (``congdoan.indicators.leaf``, issue 18) against the live engine.

    .venv/bin/python bench/leaf_figures_bench.py                                  # PostgreSQL, 1M members
    .venv/bin/python bench/leaf_figures_bench.py --units 20000 --members 200000   # a quicker look
    .venv/bin/python bench/leaf_figures_bench.py --db sqlite --units 10000 --members 100000
    .venv/bin/python bench/leaf_figures_bench.py --reuse --reps 3   # time the tables again (--keep first)

Builds a throw-away database with the national tree of ``tree_bench.py`` (``--units``) and the records
of ``achievements_bench.py`` (members, agreements, conferences, workforce, entered values, targets;
on SQLite the records of one province only, as there). Then, for period 2024:

1. **live**: ``engine.rollup_table`` of every standard indicator for the nation (every unit), the
   nation's dashboard (the root and its direct children) and a province (every unit), counted live;
2. **rebuild**: ``leaf.rebuild`` of 2024 and the default periods (year, halves, quarters of the last
   two years), rows and rows/s;
3. **kept**: the same tables summed from kept figures; the figures must be identical to the live ones
   (compared unit by unit, every indicator), and ``leaf.verify`` must report 0 differences; then the
   kept tables with only the record providers kept ("before") and with the unit-attribute providers
   kept too ("after", ``UNIT_CODES``), alternated run by run; and the rebuild of those codes alone;
4. **writes**: admitting one member through ``members.services.member_admit`` (today, and back-dated
   to 2024: every kept period after it is recomputed) and importing a batch of ``--import-rows`` members
   (``import_members``), with no kept period (today's cost: one look-up) and with them kept;
5. ``--random-writes`` random service writes (admit, leave, transfer, back-dated; a CĐCS's sector, a
   workforce count), then ``verify`` again.

Wall-clock ms per call, median and p95 of ``--reps`` runs after a warm-up; ratios live / kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import achievements_bench, common

NAME = "leaf_figures_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_scale_bench"
PERIOD = "2024"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Huy", "Thị Lan"]


def timed_table(holder: dict[str, Any], root: Any, depth: int | None, kept: bool) -> int:
    holder.update(tables(root, depth, kept))
    return len(next(iter(holder.values())))


def tables(root: Any, depth: int | None, kept: bool) -> dict[str, Any]:
    from django.test import override_settings

    from congdoan.core.periods import parse_period
    from congdoan.indicators import engine

    with override_settings(LEAF_FIGURES=kept, LEAF_FIGURES_MIN_UNITS=0 if kept else 10**9):
        return engine.rollup_table(
            indicators=achievements_bench.standard_indicators(),
            period=parse_period(PERIOD),
            root=root,
            depth=depth,
        )


# The providers kept since the unit-attribute pass (they read the unit's type, sector and dates, or the
# workforce counts); "before" = the same tables with only the record providers kept.
UNIT_CODES = (
    "cdcs_founded",
    "cdcs_total",
    "workers_total",
    "conferences_workers",
    "enterprises_with_cdcs",
    "conferences_civil",
    "public_bodies_with_cdcs",
    "enterprise_cdcs",
    "cdcs_with_valid_agreement",
)


def kept_tables(root: Any, depth: int | None, records_only: bool) -> dict[str, Any]:
    """The kept table, in a transaction (as a request's); ``records_only``: the unit-attribute providers
    counted live, as before they were kept (their ``KeptPeriod`` rows removed, then put back)."""
    from django.db import transaction

    from congdoan.indicators.models import KeptPeriod

    with transaction.atomic():
        if records_only:
            KeptPeriod.objects.filter(code__in=UNIT_CODES).delete()
        try:
            return tables(root, depth, True)
        finally:
            transaction.set_rollback(records_only)


def before_after(subjects: list[tuple[str, Any, int | None]], reps: int) -> list[common.Timing]:
    """Kept tables with the record providers only ("before") and with the unit-attribute providers kept
    too ("after"), alternated run by run in this process (the machine's load moves between runs)."""
    timings: list[common.Timing] = []
    for label, root, depth in subjects:
        results: dict[bool, dict[str, Any]] = {}
        times: dict[bool, list[float]] = {True: [], False: []}
        for records_only in (True, False):  # warm-up
            results[records_only] = kept_tables(root, depth, records_only)
        for _ in range(reps):
            for records_only in (True, False):
                start = time.perf_counter()
                kept_tables(root, depth, records_only)
                times[records_only].append((time.perf_counter() - start) * 1000)
        read_before, _ = compare(results[False], results[True])
        read_after, differ = compare(results[True], results[False])
        rows = len(next(iter(results[False].values())))  # the table's units, as ``timed_table`` says
        before = common.Timing(f"before (records kept): {label}", rows, times[True])
        after = common.Timing(f"after (units kept too): {label}", rows, times[False])
        before.note = f"{read_before} indicators from kept figures"
        after.note = (
            f"{read_after} indicators from kept figures; {differ} figures differ from before; "
            f"before/after {before.median / after.median:.2f}×; load {common.load_average()}"
        )
        timings += [before, after]
    return timings


def key(column: Any) -> list[tuple]:
    return [(f.unit.pk, f.depth, f.value, f.target, f.numerator, f.denominator, f.ended) for f in column]


def compare(live: dict[str, Any], kept: dict[str, Any]) -> tuple[int, int]:
    """(indicators read from kept figures, figures that differ from the live ones)."""
    differ = sum(a != b for code in live for a, b in zip(key(live[code]), key(kept[code]), strict=True))
    return sum(column.kept_at is not None for column in kept.values()), differ


def alive_cdcs(rng: random.Random, n: int) -> list[Any]:
    from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

    ids = list(
        OrgUnit.objects.filter(
            type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True, founded_on__lte=dt.date(2024, 1, 1)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(OrgUnit.objects.filter(pk__in=rng.sample(ids, min(n, len(ids)))))


def admit_timing(label: str, units: list[Any], day: dt.date, reps: int, rng: random.Random) -> common.Timing:
    from congdoan.members import services

    counter = [0]

    def run() -> int:
        counter[0] += 1
        name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        services.member_admit(
            actor=None,
            cdcs=units[counter[0] % len(units)],
            join_date=day,
            full_name=name,
            birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=counter[0] % 5000),
            gender=rng.choice(["Nam", "Nữ"]),
            cccd="",
            card_number=None,
        )
        return 1

    return common.measure(label, run, reps, warmup=2)


def import_file(units: list[Any], rows: int, rng: random.Random, tag: int) -> Path:
    lines = ["Mã CĐCS,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Ngày vào công đoàn"]
    for i in range(rows):  # (name, birth date) distinct in the file and between files
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=tag * 2000 + i // 80)
        name = f"{FAMILY[i % 10]} {GIVEN[(i // 10) % 8]}"
        lines.append(
            f"{units[i % len(units)].code},{name},{birth:%d/%m/%Y},{rng.choice(['Nam', 'Nữ'])},,01/03/2026"
        )
    path = Path(tempfile.gettempdir()) / f"leaf_bench_import_{os.getpid()}_{tag}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_seconds(units: list[Any], rows: int, rng: random.Random, tag: int) -> float:
    from congdoan.members.member_import import import_members

    path = import_file(units, rows, rng, tag)
    start = time.perf_counter()
    result = import_members(actor=None, source=path)
    took = time.perf_counter() - start
    path.unlink()
    assert not result.errors, result.errors[:3]
    return took


def random_writes(n: int, rng: random.Random) -> dict[str, int]:
    from django.core.exceptions import ValidationError

    from congdoan.members import services
    from congdoan.members.models import Membership
    from congdoan.org import services as org_services

    units = alive_cdcs(rng, 200)
    done = {"admit": 0, "leave": 0, "transfer": 0, "sector": 0, "workforce": 0, "refused": 0}
    for i in range(n):
        kind = rng.choice(["admit", "admit", "leave", "transfer"] * 5 + ["sector", "workforce"])
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 1060))
        try:
            if kind == "sector":  # every kept period of the unit-attribute providers recounted
                sector = rng.choice(["HCSN", "DN_NHA_NUOC", "DN_NGOAI_NHA_NUOC", "FDI", "HTX"])
                org_services.unit_update(actor=None, unit=rng.choice(units), sector=sector)
            elif kind == "workforce":
                services.workforce_set(
                    actor=None,
                    cdcs=rng.choice(units),
                    as_of=day,
                    workers=rng.randrange(1, 900),
                )
            elif kind == "admit":
                services.member_admit(
                    actor=None,
                    cdcs=rng.choice(units),
                    join_date=day,
                    full_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                    birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i),
                    gender=rng.choice(["Nam", "Nữ"]),
                    cccd="",
                    card_number=None,
                )
            else:
                unit = rng.choice(units)
                m = Membership.objects.filter(cdcs=unit, status="active").order_by("?").first()
                if m is None:
                    continue
                on = max(m.join_date, day)
                if kind == "leave":
                    services.member_leave(actor=None, membership=m, on=on, reason="Nghỉ việc")
                else:
                    services.member_transfer(actor=None, membership=m, to=rng.choice(units), on=on)
            done[kind] += 1
        except ValidationError:
            done["refused"] += 1
    return done


SIZED = [
    "members_person",
    "members_membership",
    "bargaining_collectiveagreement",
    "conferences_conference",
    "indicators_leaffigure",
    "indicators_datavalue",
    "org_orgunit",
    "org_orglink",
]


def print_sizes() -> None:
    """Rows and size (with indexes and TOAST) of the large tables, and of the whole database (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    print("\nsizes (pg_total_relation_size):")
    with connection.cursor() as cursor:
        for table in SIZED:
            cursor.execute(f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}")
            rows, size = cursor.fetchone()
            print(f"  {table:34} {rows:>12,} rows {size / 2**30:8.2f} GB")
        cursor.execute("SELECT pg_database_size(current_database())")
        print(f"  {'whole database':34} {'':>17} {cursor.fetchone()[0] / 2**30:8.2f} GB")


def reuse(args: argparse.Namespace) -> None:
    """Time the live and kept tables again on a database kept by ``--keep`` (no load, no rebuild, no
    writes): to measure at a quiet moment what a long run measured under load."""
    url = common.attach(args.db, NAME, args.pg_url)
    from congdoan.indicators import leaf
    from congdoan.org.models import OrgLink, OrgUnit

    print(f"=== leaf figures benchmark, reusing {url} ===")
    print(common.describe_database())
    print(f"load average at the start: {common.load_average()}")
    nation = OrgUnit.objects.get(code="TLD")  # as tree_bench names them; the first province as in run()
    province = OrgLink.objects.filter(parent=nation).order_by("child_id").first().child
    print(f"{OrgUnit.objects.count():,} units")
    timings = []
    for label, root, depth in [
        ("nation, every unit", nation, None),
        ("nation's dashboard", nation, 1),
        ("province, every unit", province, None),
    ]:
        live: dict[str, Any] = {}
        kept: dict[str, Any] = {}
        timings.append(
            common.measure(
                f"live: {label}", lambda r=root, d=depth, h=live: timed_table(h, r, d, False), args.reps
            )
        )
        timing = common.measure(
            f"kept: {label}", lambda r=root, d=depth, h=kept: timed_table(h, r, d, True), args.reps
        )
        read, differ = compare(live, kept)
        timing.note = (
            f"{read} indicators from kept figures; {differ} figures differ; "
            f"live/kept {timings[-1].median / timing.median:.1f}×; {1000 / timing.median:.1f} req/s"
        )
        timings.append(timing)
        print(f"  {label} done (load {common.load_average()})")
    common.print_table(timings, f"Achievement table, period {PERIOD}, all standard indicators (ms per call)")
    subjects = [("nation, every unit", nation, None), ("nation's dashboard", nation, 1)]
    subjects.append(("province, every unit", province, None))
    common.print_table(before_after(subjects, args.reps), "Kept tables before/after, alternated (ms)")
    start = time.perf_counter()
    print(f"verify: {len(leaf.verify())} differences ({time.perf_counter() - start:.1f} s)")
    print(f"load average at the end: {common.load_average()}")


def run(args: argparse.Namespace) -> None:
    url = common.configure(args.db, NAME, args.pg_url)
    from django.db import connection

    from congdoan.core.periods import parse_period
    from congdoan.indicators import leaf
    from congdoan.indicators.models import LeafFigure
    from congdoan.org.models import OrgUnit

    print(f"=== leaf figures benchmark: {args.db} ({url}) ===")
    print(common.describe_database())
    print(f"load average at the start: {common.load_average()}")
    try:
        t = achievements_bench.load_all(args)
        nation = OrgUnit.objects.get(pk=t.tld)
        province = OrgUnit.objects.get(pk=t.provinces[0])
        subjects = [("nation, every unit", nation, None), ("nation's dashboard", nation, 1)]
        subjects.append(("province, every unit", province, None))
        rng = random.Random(7)

        # 1. live, and today's write cost (no kept period: one look-up of KeptPeriod per write)
        live: dict[str, dict[str, Any]] = {}
        timings = []
        for label, root, depth in subjects:
            holder: dict[str, Any] = {}
            timings.append(
                common.measure(
                    f"live: {label}",
                    lambda r=root, dp=depth, h=holder: timed_table(h, r, dp, False),
                    args.reps,
                )
            )
            live[label] = holder
        units = alive_cdcs(rng, 500)
        writes = [
            admit_timing(
                "admit one member, today (none kept)", units, dt.date(2026, 12, 1), args.write_reps, rng
            ),
            admit_timing(
                "admit one member, back-dated 2024 (none kept)",
                units,
                dt.date(2024, 3, 1),
                args.write_reps,
                rng,
            ),
        ]
        import_before = import_seconds(units, args.import_rows, rng, 1) if args.import_rows else 0.0

        # 2. rebuild
        periods = [parse_period(PERIOD), *leaf.default_periods()]
        start = time.perf_counter()
        rows = leaf.rebuild(periods)
        took = time.perf_counter() - start
        print(
            f"\nrebuild of {len(periods)} periods ({', '.join(p.code for p in periods)}): {rows:,} rows in "
            f"{took:.1f} s ({rows / took:,.0f} rows/s); LeafFigure rows: {LeafFigure.objects.count():,}"
        )
        # What the unit-attribute providers add to the rebuild: the same periods, their codes alone.
        start = time.perf_counter()
        extra = leaf.rebuild(periods, codes=UNIT_CODES)
        took = time.perf_counter() - start
        print(
            f"of which the unit-attribute providers ({len(UNIT_CODES)} codes), rebuilt alone: {extra:,} rows "
            f"({extra / rows:.0%} of the rows) in {took:.1f} s; load {common.load_average()}"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE indicators_leaffigure")
                cursor.execute("SELECT pg_total_relation_size('indicators_leaffigure')")
                print(f"indicators_leaffigure: {cursor.fetchone()[0] / 2**20:,.0f} MB with its indexes")
        print_sizes()
        # The live tables again: the records are the same plus the timed admissions and import.
        for label, root, depth in subjects:
            live[label] = tables(root, depth, False)

        # 3. kept
        for label, root, depth in subjects:
            holder = {}
            timing = common.measure(
                f"kept: {label}", lambda r=root, dp=depth, h=holder: timed_table(h, r, dp, True), args.reps
            )
            read, differ = compare(live[label], holder)
            before = next(x for x in timings if x.label == f"live: {label}")
            ratio = before.median / timing.median
            timing.note = (
                f"{read} indicators from kept figures; {differ} figures differ; live/kept {ratio:.1f}×; "
                f"{1000 / timing.median:.1f} req/s on one connection"
            )
            timings.append(timing)
        common.print_table(
            timings, f"Achievement table, period {PERIOD}, all standard indicators (ms per call)"
        )
        common.print_table(
            before_after(subjects, args.reps), "Kept tables before/after, alternated (ms per call)"
        )
        start = time.perf_counter()
        differences = leaf.verify()
        print(f"verify after the load: {len(differences)} differences ({time.perf_counter() - start:.1f} s)")

        # 4. writes with kept figures
        writes += [
            admit_timing("admit one member, today (kept)", units, dt.date(2026, 12, 1), args.write_reps, rng),
            admit_timing(
                "admit one member, back-dated 2024 (kept)", units, dt.date(2024, 3, 1), args.write_reps, rng
            ),
        ]
        for before, after in zip(writes[:2], writes[2:], strict=True):
            after.note = f"{after.median / before.median:.2f}× the cost without kept figures"
        common.print_table(writes, "Writes (ms per call)")
        if args.import_rows:
            import_after = import_seconds(units, args.import_rows, rng, 2)
            print(
                f"import of {args.import_rows:,} members: {import_before:.1f} s none kept "
                f"({args.import_rows / import_before:,.0f} rows/s), {import_after:.1f} s kept "
                f"({args.import_rows / import_after:,.0f} rows/s): {import_after / import_before:.2f}×"
            )

        # 5. random writes, then verify
        start = time.perf_counter()
        done = random_writes(args.random_writes, rng)
        took = time.perf_counter() - start
        print(
            f"\n{args.random_writes} random writes {done} in {took:.1f} s "
            f"({args.random_writes / took:,.1f} writes/s; load {common.load_average()})"
        )
        start = time.perf_counter()
        differences = leaf.verify()
        print(f"verify after them: {len(differences)} differences ({time.perf_counter() - start:.1f} s)")
        for label, root, depth in subjects:
            read, differ = compare(tables(root, depth, False), tables(root, depth, True))
            print(f"  {label}: {read} indicators from kept figures, {differ} figures differ from live")
        print_sizes()
        print(f"\nload average at the end: {common.load_average()}")
    finally:
        if args.keep:
            print(f"kept the bench database: {url}")
        else:
            common.teardown(args.db, NAME, args.pg_url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=30_000, help="org units (default 30000)")
    parser.add_argument("--members", type=int, default=1_000_000, help="members, nation (default 1M)")
    parser.add_argument("--agreements", type=int, default=30_000, help="agreements, nation (default 30k)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--sqlite-provinces", type=int, default=1, help="SQLite: records of N provinces")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--write-reps", type=int, default=30)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--random-writes", type=int, default=1000)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_LEAF_DATABASE_URL", PG_URL))
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="only time the tables again on a database kept by --keep"
    )
    args = parser.parse_args()
    if args.reuse and not common.database_exists(args.db, NAME, args.pg_url):
        raise SystemExit("no kept bench database: run once with --keep")
    (reuse if args.reuse else run)(args)


if __name__ == "__main__":
    main()
