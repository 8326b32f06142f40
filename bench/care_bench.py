"""Benchmark the care bulk work: a 100,000-case campaign import, batch approval and the bank file.

    .venv/bin/python bench/care_bench.py [--rows 100000] [--db sqlite|postgres|both|auto]

For each database, in its own process (so the peak RSS is that database's run alone):

1. setup: a fresh bench database, migrated, 1 province → 20 districts → 400 CĐCS, a Tết campaign of
   the province (non-members allowed, cap 1,000,000 đ) with a quota for each district;
2. the **floor**: the very rows the import stores (normalised outside the timing) inserted raw into
   the real ``care_case`` table in one transaction — ``executemany`` on SQLite, ``COPY`` on
   PostgreSQL — then emptied again;
3. ``import_cases`` (``congdoan import care-cases``) of a deterministic CSV by the province's officer:
   rows/s, ratio to the floor, Python peak memory (tracemalloc) and peak RSS;
   (``--traced``: Python's peak by tracemalloc, in a dry rerun — it slows Python, so not while timing);
4. ``cases_approve_batch`` of all 100,000 cases by the province, timed;
5. the bank payment file of the ~60,000 cases with an account, XLSX and CSV, timed.

Prints figures only (no assertion on time). Figures go in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAME = "care_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_care_bench"
DISTRICTS = 20
CDCS_PER_DISTRICT = 20
FOUNDED = dt.date(1990, 1, 1)
HEADER = ["Mã chương trình", "Mã đơn vị", "Họ và tên", "Số CCCD", "Số tiền", "Số tài khoản", "Ngân hàng"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Mai", "Nam", "Tuấn", "Yến"]
BANKS = ["Vietcombank", "BIDV", "VietinBank", "Agribank"]


def cdcs_code(i: int) -> str:
    return f"CC{i:04d}"


def cccd(i: int) -> str:
    return f"001{i % 2}{80 + i % 20:02d}{i:06d}"


def generate(rows: int) -> Path:
    path = common.BENCH_VAR_DIR / f"care_{rows}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(13)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(rows):
            bank = rng.random() < 0.6
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            out.writerow(
                [
                    "TETBENCH",
                    cdcs_code(1 + rng.randrange(DISTRICTS * CDCS_PER_DISTRICT)),
                    name,
                    cccd(i),
                    rng.choice(["500.000", "500000", "700000", "1.000.000"]),
                    f"{rng.randrange(10**9, 10**12)}" if bank else "",
                    rng.choice(BANKS) if bank else "",
                ]
            )
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(rows: int) -> None:
    from congdoan.accounts.models import Role, RoleAssignment, User
    from congdoan.care import services
    from congdoan.org.models import OrgLink, OrgUnit, unit_search_key

    def unit(code: str, name: str, type_: str) -> OrgUnit:
        return OrgUnit(
            code=code, name=name, type=type_, founded_on=FOUNDED, search_key=unit_search_key(code, name)
        )

    province = unit("CT", "LĐLĐ tỉnh Bench", "LDLD_TINH")
    province.save()
    districts = OrgUnit.objects.bulk_create(
        [unit(f"CT-H{d:02d}", f"LĐLĐ huyện số {d}", "LDLD_HUYEN") for d in range(1, DISTRICTS + 1)]
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
    campaign = services.campaign_create(
        actor=None,
        code="TETBENCH",
        name="Tết bench",
        kind="tet_gift",
        owner=province,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 2, 28),
        cap_per_person=1_000_000,
        allows_non_members=True,
    )
    quota = rows // DISTRICTS * 2
    for district in districts:
        services.allocation_set(
            actor=None, campaign=campaign, unit=district, people=quota, amount=quota * 1_000_000
        )


COLUMNS = (
    "campaign_id, unit_id, person_id, full_name, cccd, employer_name, amount, reason, state, "
    "approved_levels, proposed_on, paid_on, bank_account, bank_name, search_key, created_at"
)


def floor_rows(path: Path) -> list[tuple[Any, ...]]:
    from django.utils import timezone

    from congdoan.care.models import Campaign
    from congdoan.core.formatting import parse_amount
    from congdoan.core.text import fold, nfc
    from congdoan.org.models import OrgUnit

    campaign = Campaign.objects.get(code="TETBENCH")
    units = dict(OrgUnit.objects.filter(type="CDCS").values_list("code", "pk"))
    now = timezone.now()
    today = timezone.localdate()
    out = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for _code, unit, name, number, amount, account, bank in reader:
            name = nfc(name)
            out.append(
                (
                    campaign.pk, units[unit], None, name, number, "", parse_amount(amount), "", "proposed", 0,
                    today, None, account, bank, f"{fold(name)} {number}", now,
                )
            )  # fmt: skip
    return out


def floor(rows: list[tuple[Any, ...]]) -> float:
    from django.db import connection

    connection.ensure_connection()
    raw: Any = connection.connection
    if connection.vendor == "sqlite":
        rows = [
            tuple(
                v.isoformat(" ")
                if isinstance(v, dt.datetime)
                else v.isoformat()
                if isinstance(v, dt.date)
                else v
                for v in r
            )
            for r in rows
        ]
        marks = ", ".join("?" * len(rows[0]))
        start = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.executemany(f"INSERT INTO care_case ({COLUMNS}) VALUES ({marks})", rows)
        raw.execute("COMMIT")
        elapsed = time.perf_counter() - start
        raw.execute("DELETE FROM care_case")
        raw.execute("VACUUM")
        return elapsed
    start = time.perf_counter()
    with raw.transaction(), raw.cursor() as cur:
        with cur.copy(f"COPY care_case ({COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    elapsed = time.perf_counter() - start
    with raw.cursor() as cur:
        cur.execute("TRUNCATE care_case RESTART IDENTITY CASCADE")
        cur.execute("VACUUM ANALYZE care_case")
    raw.commit()
    return elapsed


def step(args: argparse.Namespace) -> dict[str, Any]:
    common.configure(args.db, NAME, pg_url=args.pg_url)
    common.migrate()
    setup(args.rows)
    path = Path(args.csv)
    floor_s = floor(floor_rows(path))

    from congdoan.accounts.models import User
    from congdoan.care import exports, services
    from congdoan.care.care_import import import_cases
    from congdoan.care.models import Campaign, Case
    from congdoan.org.models import OrgUnit

    officer = User.objects.get(username="bench_officer")
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    result = import_cases(actor=officer, path_or_file=str(path))
    import_s = time.perf_counter() - start
    traced_peak = 0
    if args.traced:
        # Python's own peak, in a second (dry) run: tracemalloc slows Python 2–3×, so not while timing.
        tracemalloc.start()
        import_cases(actor=officer, path_or_file=str(path), dry_run=True)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    if result.errors:
        raise SystemExit("\n".join(str(e) for e in result.errors[:20]))
    campaign = Campaign.objects.get(code="TETBENCH")
    province = OrgUnit.objects.get(code="CT")
    start = time.perf_counter()
    approved = services.cases_approve_batch(actor=officer, campaign=campaign, unit=province)
    approve_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        book, bank_rows = exports.bank_xlsx(officer, campaign)
        book.save(Path(tmp) / "chi-ho.xlsx")
        bank_xlsx_s = time.perf_counter() - start
        start = time.perf_counter()
        content, _ = exports.bank_csv(officer, campaign)
        (Path(tmp) / "chi-ho.csv").write_bytes(content)
        bank_csv_s = time.perf_counter() - start
    out = {
        "database": common.describe_database(),
        "floor_s": floor_s,
        "import_s": import_s,
        "created": result.created,
        "cases": Case.objects.count(),
        "traced_peak_mb": traced_peak / 1e6,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "approved": approved,
        "approve_s": approve_s,
        "bank_rows": bank_rows,
        "bank_xlsx_s": bank_xlsx_s,
        "bank_csv_s": bank_csv_s,
    }
    if not args.keep:
        common.teardown(args.db, NAME, pg_url=args.pg_url)
    return out


def run_db(args: argparse.Namespace) -> None:
    n = args.rows
    print(f"\n== {args.db}: {n:,} cases, load average {common.load_average()}")
    argv = [sys.executable, __file__, "--step", "--db", args.db, "--rows", str(n), "--csv", args.csv]
    argv += (
        ["--pg-url", args.pg_url] + (["--keep"] if args.keep else []) + (["--traced"] if args.traced else [])
    )
    proc = subprocess.run(argv, capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or not lines or not lines[-1].startswith("RESULT "):
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"failed on {args.db}")
    r = json.loads(lines[-1][len("RESULT ") :])
    assert r["created"] == n == r["cases"] == r["approved"], r
    how = "executemany" if args.db == "sqlite" else "COPY"
    print(r["database"])
    print(
        f"raw floor ({how}){' ' * (11 - len(how))}: {r['floor_s']:7.2f} s  {n / r['floor_s']:>9,.0f} rows/s"
    )
    print(
        f"import care-cases    : {r['import_s']:7.2f} s  {n / r['import_s']:>9,.0f} rows/s"
        f"  ratio {r['import_s'] / r['floor_s']:.2f}  tracemalloc peak {r['traced_peak_mb']:.0f} MB"
        f"  peak RSS {r['peak_rss_mb']:.0f} MB (before import {r['rss_before_mb']:.0f} MB)"
    )
    print(f"batch approval       : {r['approve_s']:7.2f} s  {n / r['approve_s']:>9,.0f} cases/s")
    print(f"bank file XLSX       : {r['bank_xlsx_s']:7.2f} s  ({r['bank_rows']:,} rows)")
    print(f"bank file CSV        : {r['bank_csv_s']:7.2f} s")
    print(f"load average after: {common.load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "auto"], default="auto")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_CARE_DATABASE_URL", PG_URL))
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--traced", action="store_true", help="also measure tracemalloc's peak (a dry rerun)")
    parser.add_argument("--step", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print("RESULT " + json.dumps(step(args)))
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
        run_db(args)


if __name__ == "__main__":
    main()
