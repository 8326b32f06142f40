"""Benchmark ``import_members`` (``congdoan import members``) against a raw floor.

    .venv/bin/python bench/members_import_bench.py [--rows 200000] [--db sqlite|postgres|both|auto]
    .venv/bin/python bench/members_import_bench.py --rows 1000000 --db postgres

Generates a deterministic CSV of members (Vietnamese headers, valid CCCDs, ~400 CĐCS) under
``var/bench/``, then for each database, each step in its own process (so ``ru_maxrss`` is the peak
of that step alone):

1. setup: a fresh bench database, migrated, with 1 province federation → 20 districts → ~400 CĐCS;
   then the **floor**: the same rows, already normalised, inserted raw in one transaction into the
   real ``members_person`` and ``members_membership`` tables (same indexes and constraints) —
   ``executemany`` on SQLite, ``COPY`` on PostgreSQL — timed, then emptied again;
2. import: ``import_members`` of the CSV by an officer of the province (scope checks included):
   rows/s, the time of each pass, peak RSS;
3. rerun: the same file again (must be 0 created / 0 updated), timed.

``--kept on`` marks the default kept periods (``indicators.leaf.rebuild()``: year, halves, quarters of
the last two years) before the import, so the import ends by writing the kept figures of every CĐCS
it touched (``records_changed``); ``--kept both`` runs the import without and with them, ``--repeat``
times alternately (issue 18: the import with kept figures must cost at most 1.3× the import without).

Prints rows/s, ratio import/floor and peak memory. Figures go in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from congdoan.members.demo import HEADER, MemberFaker

NAME = "members_import_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_members"
GENERATOR_VERSION = "1"
DISTRICTS = 20
CDCS_PER_DISTRICT = 20  # 400 CĐCS
FOUNDED = dt.date(1990, 1, 1)


def csv_path(rows: int) -> Path:
    return common.BENCH_VAR_DIR / f"members_{rows}.csv"


def cdcs_code(i: int) -> str:
    return f"CS{i:04d}"


def generate(rows: int) -> Path:
    """``rows`` members as CSV (UTF-8 with BOM, as Excel saves it); reused when already generated."""
    path = csv_path(rows)
    marker = path.with_suffix(".ok")
    if path.exists() and marker.exists() and marker.read_text() == GENERATOR_VERSION:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    faker = MemberFaker(rng)  # the generator of the demo members (congdoan.members.demo)
    n_cdcs = DISTRICTS * CDCS_PER_DISTRICT
    start = time.perf_counter()
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(rows):
            out.writerow(faker.row(i, lambda: cdcs_code(1 + rng.randrange(n_cdcs))))
    marker.write_text(GENERATOR_VERSION)
    size = path.stat().st_size / 1e6
    print(f"generated {rows:,} rows in {time.perf_counter() - start:.1f} s → {path} ({size:.0f} MB)")
    return path


# -- steps, each in its own process -------------------------------------------------------------------


def attach(db: str, pg_url: str) -> None:
    """Point Django at the bench database the setup step created (without recreating it)."""
    url = f"sqlite:///{common.sqlite_path(NAME)}" if db == "sqlite" else pg_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "congdoan.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "off"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "off")
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def load_units() -> None:
    from congdoan.accounts.models import Role, RoleAssignment, User
    from congdoan.org.models import OrgLink, OrgUnit, unit_search_key

    def unit(code: str, name: str, type_: str) -> OrgUnit:
        return OrgUnit(
            code=code, name=name, type=type_, founded_on=FOUNDED, search_key=unit_search_key(code, name)
        )

    province = unit("BT", "LĐLĐ tỉnh Bench", "LDLD_TINH")
    province.save()
    districts = OrgUnit.objects.bulk_create(
        [unit(f"BT-H{d:02d}", f"LĐLĐ huyện số {d}", "LDLD_HUYEN") for d in range(1, DISTRICTS + 1)]
    )
    cdcs = OrgUnit.objects.bulk_create(
        [
            unit(cdcs_code(i), f"CĐCS Công ty số {i}", "CDCS")
            for i in range(1, DISTRICTS * CDCS_PER_DISTRICT + 1)
        ]
    )
    links = [OrgLink(child=d, parent=province, valid_from=FOUNDED) for d in districts]
    links += [
        OrgLink(child=c, parent=districts[i // CDCS_PER_DISTRICT], valid_from=FOUNDED)
        for i, c in enumerate(cdcs)
    ]
    OrgLink.objects.bulk_create(links)
    officer = User.objects.create_user(username="bench_officer", password="x")
    RoleAssignment.objects.create(user=officer, unit=province, role=Role.FEDERATION_OFFICER)


def floor_rows(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows the import stores, computed outside the timing (same normalisation, same keys)."""
    from django.utils import timezone

    from congdoan.core.formatting import parse_date
    from congdoan.members import validation
    from congdoan.members.member_import import _Names
    from congdoan.org.models import OrgUnit

    units = dict(OrgUnit.objects.filter(type="CDCS").values_list("code", "pk"))
    names = _Names()
    now = timezone.now()
    people: list[tuple[Any, ...]] = []
    memberships: list[tuple[Any, ...]] = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for i, (code, raw, birth, gender, cccd, phone, join, card, ethnicity) in enumerate(reader, start=1):
            name, search_key, sort_key = names.clean(raw)
            people.append(
                (
                    i, name, parse_date(birth), "F" if gender == "Nữ" else "M", cccd, len(cccd) == 9,
                    validation.normalize_phone(phone), "", ethnicity, "", "", "", "VN", None, search_key,
                    sort_key, now, now,
                )
            )  # fmt: skip
            memberships.append(
                (i, i, units[code], parse_date(join), card or None, "active", None, "", None, now)
            )
    return people, memberships


PERSON_COLUMNS = (
    "id, full_name, birth_date, gender, cccd, legacy_id, phone, email, ethnicity, education, job, address, "
    "nationality, contract_months, search_key, sort_key, created_at, updated_at"
)
MEMBERSHIP_COLUMNS = (
    "id, person_id, cdcs_id, join_date, card_number, status, end_date, end_reason, transferred_from_id, "
    "created_at"
)


def floor(people: list[tuple[Any, ...]], memberships: list[tuple[Any, ...]]) -> float:
    """Seconds to insert the rows raw in one transaction (then the tables are emptied again)."""
    from django.db import connection

    connection.ensure_connection()
    raw: Any = connection.connection
    if connection.vendor == "sqlite":
        # Django stores dates and datetimes as ISO text on SQLite: convert outside the timing.
        def sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(
                v.isoformat(" ")
                if isinstance(v, dt.datetime)
                else v.isoformat()
                if isinstance(v, dt.date)
                else v
                for v in row
            )

        people = [sqlite_row(r) for r in people]
        memberships = [sqlite_row(r) for r in memberships]
        marks_p = ", ".join("?" * len(people[0]))
        marks_m = ", ".join("?" * len(memberships[0]))
        start = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.executemany(f"INSERT INTO members_person ({PERSON_COLUMNS}) VALUES ({marks_p})", people)
        raw.executemany(
            f"INSERT INTO members_membership ({MEMBERSHIP_COLUMNS}) VALUES ({marks_m})", memberships
        )
        raw.execute("COMMIT")
        elapsed = time.perf_counter() - start
        raw.execute("DELETE FROM members_membership")
        raw.execute("DELETE FROM members_person")
        raw.execute("DELETE FROM sqlite_sequence WHERE name IN ('members_person', 'members_membership')")
        raw.execute("VACUUM")
        return elapsed
    start = time.perf_counter()
    with raw.transaction(), raw.cursor() as cur:
        with cur.copy(f"COPY members_person ({PERSON_COLUMNS}) FROM STDIN") as copy:
            for row in people:
                copy.write_row(row)
        with cur.copy(f"COPY members_membership ({MEMBERSHIP_COLUMNS}) FROM STDIN") as copy:
            for row in memberships:
                copy.write_row(row)
    elapsed = time.perf_counter() - start
    with raw.cursor() as cur:
        cur.execute("TRUNCATE members_membership, members_person RESTART IDENTITY CASCADE")
        cur.execute("VACUUM ANALYZE members_person")
        cur.execute("VACUUM ANALYZE members_membership")
    raw.commit()
    return elapsed


def step_setup(args: argparse.Namespace) -> dict[str, Any]:
    common.configure(args.db, NAME, pg_url=args.pg_url)
    migrate_s = common.migrate()
    load_units()
    people, memberships = floor_rows(Path(args.csv))
    floor_s = floor(people, memberships)
    kept = 0
    if args.kept == "on":
        from congdoan.indicators import leaf
        from congdoan.indicators.models import KeptPeriod

        leaf.rebuild()
        kept = KeptPeriod.objects.count()
    return {
        "database": common.describe_database(),
        "migrate_s": migrate_s,
        "floor_s": floor_s,
        "kept": kept,
    }


class Phases:
    """A progress callback that records when the write pass starts (``label`` is set to "Đang ghi")."""

    def __init__(self) -> None:
        self._label = "Đang đọc"
        self.write_started: float | None = None
        self.calls = 0

    @property
    def label(self) -> str:
        return self._label

    @label.setter
    def label(self, value: str) -> None:
        self._label = value
        self.write_started = time.perf_counter()

    def __call__(self, done: int, total: int | None) -> None:
        self.calls += 1


def step_import(args: argparse.Namespace) -> dict[str, Any]:
    attach(args.db, args.pg_url)
    from congdoan.accounts.models import User
    from congdoan.members.member_import import import_members
    from congdoan.members.models import Membership, Person

    officer = User.objects.get(username="bench_officer")
    gc.collect()
    before_mb = peak_mb()
    phases = Phases()
    start = time.perf_counter()
    result = import_members(actor=officer, source=args.csv, progress=phases)
    end = time.perf_counter()
    if result.errors:
        for error in result.errors[:20]:
            print(error)
        raise SystemExit(f"import failed with {len(result.errors)} errors")
    check_s = (phases.write_started or end) - start
    kept_s = None
    if args.kept == "on":  # what the import's last step costs alone: the kept figures of every CĐCS
        from django.db import transaction

        from congdoan.indicators import leaf
        from congdoan.members.services import SOURCE

        touched = list(Membership.objects.order_by().values_list("cdcs_id", flat=True).distinct())
        earliest = min(Membership.objects.values_list("join_date", flat=True))
        t0 = time.perf_counter()
        with transaction.atomic():
            leaf.mark_dirty(SOURCE, touched, [earliest])
        kept_s = time.perf_counter() - t0
    out = {
        "kept_s": kept_s,
        "seconds": end - start,
        "check_s": check_s,
        "write_s": end - start - check_s,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "rss_before_mb": before_mb,
        "peak_mb": peak_mb(),
    }
    return out


def run_step(args: argparse.Namespace, step: str) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--step", step, "--db", args.db, "--rows", str(args.rows)]
    argv += ["--csv", str(args.csv), "--pg-url", args.pg_url, "--kept", args.kept]
    proc = subprocess.run(argv, capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or not lines or not lines[-1].startswith("RESULT "):
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"step {step} failed on {args.db}")
    return json.loads(lines[-1][len("RESULT ") :])


def run_db(args: argparse.Namespace) -> float:
    n = args.rows
    print(f"\n== {args.db}: {n:,} members, kept figures {args.kept}, load average {common.load_average()}")
    setup = run_step(args, "setup")
    print(setup["database"])
    if setup["kept"]:
        print(f"kept (provider, period) pairs: {setup['kept']}")
    floor_s = setup["floor_s"]
    how = "executemany" if args.db == "sqlite" else "COPY"
    print(f"raw floor ({how}){' ' * (11 - len(how))}: {floor_s:7.2f} s  {n / floor_s:>9,.0f} rows/s")
    first = run_step(args, "import")
    assert first["created"] == n and first["people"] == n and first["memberships"] == n, first
    ratio = first["seconds"] / floor_s
    print(
        f"import_members      : {first['seconds']:7.2f} s  {n / first['seconds']:>9,.0f} rows/s"
        f"  (check {first['check_s']:.2f} s + write {first['write_s']:.2f} s)"
        f"  ratio {ratio:.2f}  peak RSS {first['peak_mb']:.0f} MB"
        f" (before import {first['rss_before_mb']:.0f} MB)"
    )
    if first["kept_s"] is not None:
        print(f"  of which the kept figures of every CĐCS (timed again alone): {first['kept_s']:.2f} s")
    if args.rerun:
        again = run_step(args, "import")
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, n), again
        print(
            f"rerun (all unchanged): {again['seconds']:6.2f} s  {n / again['seconds']:>9,.0f} rows/s"
            f"  peak RSS {again['peak_mb']:.0f} MB"
        )
    print(f"load average after: {common.load_average()}")
    if not args.keep:
        if args.db == "postgres":
            common.pg_recreate(args.pg_url, drop_only=True)
        else:
            common.sqlite_remove(common.sqlite_path(NAME))
    return float(first["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000, help="members in the file (default 200000)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "auto"], default="auto")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_MEMBERS_DATABASE_URL", PG_URL))
    parser.add_argument("--no-rerun", dest="rerun", action="store_false", help="skip the idempotent rerun")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument(
        "--kept", choices=["off", "on", "both"], default="off", help="kept figures during the import"
    )
    parser.add_argument("--repeat", type=int, default=1, help="with --kept both: runs of each, alternately")
    parser.add_argument("--step", choices=["setup", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        out = step_setup(args) if args.step == "setup" else step_import(args)
        print("RESULT " + json.dumps(out))
        return
    args.csv = str(generate(args.rows))
    targets = [args.db]
    if args.db in ("both", "auto"):
        targets = ["sqlite"]
        if args.db == "both" or common.pg_reachable(args.pg_url):
            targets.append("postgres")
        else:
            print("PostgreSQL not reachable: SQLite only.")
    for db in targets:
        args.db = db
        if args.kept != "both":
            run_db(args)
            continue
        took: dict[str, list[float]] = {"off": [], "on": []}
        for _ in range(args.repeat):
            for kept in ("off", "on"):
                args.kept = kept
                took[kept].append(run_db(args))
        args.kept = "both"
        off, on = (sorted(took[k])[len(took[k]) // 2] for k in ("off", "on"))
        print(
            f"\n{db}: import of {args.rows:,} members, median of {args.repeat}: {off:.1f} s without kept "
            f"figures, {on:.1f} s with them: {on / off:.2f}× (runs: off {took['off']}, on {took['on']})"
        )


if __name__ == "__main__":
    main()
