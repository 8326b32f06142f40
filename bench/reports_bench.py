"""Benchmark the annual report (``congdoan.reports``): a district of ~400 CĐCS and the demo city
(~3,000 CĐCS), DOCX, PDF and XLSX. Goals (issue 5): district < 3 s, city < 15 s.

    .venv/bin/python bench/reports_bench.py [--db postgres|sqlite] [--pg-url URL] [--reps 3]
    .venv/bin/python bench/reports_bench.py --only district --cdcs 400

Builds a throw-away database (see ``bench/common.py``), then:

1. **district**: LĐLĐ tỉnh → LĐLĐ huyện "Bench" with ``--cdcs`` CĐCS (70% enterprises with an
   employer, 30% public bodies), built through the org services; agreements (new, re-signed) and
   conferences/dialogues of 2023–2024 through the bargaining and conferences services; members
   (``--members`` per CĐCS, joining 2015–2024) and workforce counts by bulk insert (as the importer
   would leave them); targets for the district.
2. **city**: the demo federation (``load_demo``, scale 1.0: LĐLĐ TP Hà Nội, ~3,000 CĐCS) plus its
   agreements and conferences (``congdoan.conferences.demo.load_activity``) and the same bulk members.

Each report is generated as the CLI does (``services.report_render``, system user): the build (the
roll-ups of every indicator for the unit and its children) and each format. Wall-clock seconds,
median of ``--reps`` runs after one warm-up. Figures go in ``bench/README.md`` (## Reports).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAME = "reports_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_reports"
d = dt.date
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Huy", "Thị Lan"]


def _timed(label: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = fn()
    print(f"  {label}: {time.perf_counter() - start:.1f} s", flush=True)
    return result


def bulk_members(cdcs_ids: list[int], per_cdcs: int, rng: random.Random) -> int:
    """Members and workforce counts by bulk insert (one Person + Membership each)."""
    from congdoan.core.text import fold, vi_sort_key
    from congdoan.members.models import Membership, Person, WorkforceCount

    people: list[Person] = []
    joins: list[tuple[int, dt.date]] = []
    for cdcs_id in cdcs_ids:
        for _ in range(per_cdcs):
            name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
            people.append(
                Person(
                    full_name=name,
                    birth_date=d(1970 + rng.randrange(35), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                    gender=rng.choice("MF"),
                    search_key=fold(name),
                    sort_key=vi_sort_key(name)[:200],
                )
            )
            joins.append((cdcs_id, d(2015 + rng.randrange(10), 1 + rng.randrange(12), 1 + rng.randrange(28))))
    Person.objects.bulk_create(people, batch_size=5000)
    Membership.objects.bulk_create(
        [Membership(person=p, cdcs_id=c, join_date=j) for p, (c, j) in zip(people, joins, strict=True)],
        batch_size=5000,
    )
    WorkforceCount.objects.bulk_create(
        [
            WorkforceCount(cdcs_id=c, as_of=d(2024, 1, 1), workers=per_cdcs + rng.randrange(1, 60))
            for c in cdcs_ids
        ],
        batch_size=5000,
    )
    return len(people)


def build_district(n_cdcs: int, members: int) -> str:
    """LĐLĐ tỉnh Bench → LĐLĐ huyện Bench with ``n_cdcs`` CĐCS and their activity; returns its code."""
    from django.db import transaction

    from congdoan.bargaining import services as agreements
    from congdoan.bargaining.models import AgreementKind
    from congdoan.conferences import services as conferences
    from congdoan.conferences.models import ConferenceKind
    from congdoan.indicators import services as indicators
    from congdoan.indicators.models import Indicator
    from congdoan.org import services as org

    rng = random.Random(14)
    with transaction.atomic():
        province = org.unit_create(
            actor=None,
            code="BT",
            name="LĐLĐ tỉnh Bến Tre",
            type="LDLD_TINH",
            parent=None,
            valid_from=d(1990, 1, 1),
        )
        district = org.unit_create(
            actor=None,
            code="BT-MOCAY",
            name="LĐLĐ huyện Mỏ Cày Nam",
            type="LDLD_HUYEN",
            parent=province,
            valid_from=d(1990, 1, 1),
            founded_on=d(1990, 1, 1),
        )
        ids: list[int] = []
        for i in range(n_cdcs):
            enterprise = i % 10 < 7
            founded = d(2024, 3, 1) if i % 50 == 0 else d(2000 + i % 20, 1 + i % 12, 1)
            unit = org.unit_create(
                actor=None,
                code=f"BT-MC-{i:04d}",
                name=f"CĐCS {'Công ty TNHH Dừa' if enterprise else 'Trường Tiểu học'} Mỏ Cày số {i + 1}",
                type="CDCS",
                parent=district,
                sector="DN_NGOAI_NHA_NUOC" if enterprise else "HCSN",
                valid_from=founded,
                founded_on=founded,
            )
            ids.append(unit.pk)
            employer = None
            if enterprise:
                employer = org.employer_create(
                    actor=None,
                    name=f"Công ty TNHH Dừa Mỏ Cày số {i + 1}",
                    sector="DN_NGOAI_NHA_NUOC",
                    unit=district,
                    cdcs=unit,
                    workforce=50 + rng.randrange(400),
                )
                if rng.random() < 0.6:
                    signed = max(
                        founded, d(2022 + rng.randrange(3), 1 + rng.randrange(11), 1 + rng.randrange(27))
                    )
                    agreement = agreements.agreement_create(
                        actor=None,
                        cdcs=unit,
                        employers=[employer],
                        kind=AgreementKind.NEW,
                        signed_on=signed,
                        expires_on=signed.replace(year=signed.year + 2) - dt.timedelta(days=1),
                        approval_share=Decimal("0.8"),
                        grade=rng.choice("AABBBCCD"),
                    )
                    if signed.year == 2022 and rng.random() < 0.5:
                        again = agreement.expires_on - dt.timedelta(days=10)
                        agreements.agreement_renew(
                            actor=None,
                            agreement=agreement,
                            kind=AgreementKind.RESIGNED,
                            signed_on=again,
                            expires_on=again.replace(year=again.year + 2),
                            approval_share=Decimal("0.75"),
                        )
            for year in (2023, 2024):
                held = d(year, 1 + rng.randrange(11), 1 + rng.randrange(27))
                if held < founded or rng.random() < 0.2:
                    continue
                conferences.conference_create(
                    actor=None,
                    unit=unit,
                    kind=ConferenceKind.WORKERS if enterprise else ConferenceKind.CIVIL,
                    held_on=held,
                    employer=employer,
                    employer_side=3,
                    employee_side=40,
                )
                if enterprise and rng.random() < 0.4:
                    conferences.conference_create(
                        actor=None,
                        unit=unit,
                        kind=ConferenceKind.DIALOGUE_PERIODIC,
                        held_on=min(held + dt.timedelta(days=30), d(year, 12, 31)),
                        employer=employer,
                        employer_side=3,
                        employee_side=5,
                    )
        for code, value in (("DV_KET_NAP", n_cdcs * 2), ("TU_KY_MOI", n_cdcs // 5), ("CDCS_THANH_LAP", 5)):
            indicators.target_set(
                actor=None,
                unit=district,
                indicator=Indicator.objects.get(code=code),
                period="2024",
                value=value,
            )
        bulk_members(ids, members, rng)
    return district.code


def build_city(members: int) -> str:
    from django.db import transaction

    from congdoan.conferences.demo import load_activity
    from congdoan.org.demo import CITY_CODE, load_demo
    from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

    _timed("demo federation (load_demo, scale 1.0)", lambda: load_demo(scale=1.0))
    _timed("demo agreements and conferences (load_activity)", load_activity)
    ids = list(OrgUnit.objects.filter(type__in=GRASSROOTS_TYPES).values_list("pk", flat=True))
    with transaction.atomic():
        _timed(f"bulk members ({members} per CĐCS)", lambda: bulk_members(ids, members, random.Random(15)))
    return CITY_CODE


def time_reports(code: str, reps: int, formats: list[str]) -> dict[str, list[float]]:
    from congdoan.core.periods import parse_period
    from congdoan.org.models import OrgUnit
    from congdoan.reports import selectors, services

    unit = OrgUnit.objects.get(code=code)
    period = parse_period("2024")
    runs: dict[str, Callable[[], Any]] = {
        "build (figures only)": lambda: selectors.report_build(user=None, unit=unit, period=period)
    }
    for fmt in formats:
        runs[fmt] = lambda fmt=fmt: services.report_render(user=None, unit=unit, period=period, fmt=fmt)
    out: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for label, fn in runs.items():
        result = fn()  # warm-up
        if isinstance(result, bytes):
            sizes[label] = len(result)
            Path(f"/tmp/reports_bench_{code}.{label}").write_bytes(result)
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        out[label] = times
    report = selectors.report_build(user=None, unit=unit, period=period)
    children = len(report.tables["org"].rows)
    print(f"\n{unit.name} ({code}), 2024 — {children} child units in the tables")
    print(f"{'what':<22} {'median s':>9} {'max s':>7} {'size':>10}")
    for label, times in out.items():
        size = f"{sizes[label] / 1024:,.0f} KB" if label in sizes else ""
        print(f"{label:<22} {statistics.median(times):>9.2f} {max(times):>7.2f} {size:>10}")
    for s in report.sections:
        for part in s.parts:
            for p in part.paragraphs:
                print("  · " + p)
    return out


def fresh(db: str, pg_url: str) -> None:
    """Empty the bench database again (same name, so Django's settings still point at it)."""
    from django.db import connections

    connections.close_all()
    if db == "postgres":
        common.pg_recreate(pg_url)
    else:
        common.sqlite_remove(common.sqlite_path(NAME))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--cdcs", type=int, default=400)
    parser.add_argument("--members", type=int, default=25, help="members per CĐCS (bulk insert)")
    parser.add_argument("--only", choices=["district", "city"])
    parser.add_argument("--formats", default="docx,pdf,xlsx")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    if args.db == "postgres" and not common.pg_reachable(args.pg_url):
        raise SystemExit(f"PostgreSQL not reachable at {args.pg_url}")
    common.configure(args.db, NAME, args.pg_url)
    try:
        print(common.describe_database(), "· load", common.load_average())
        _timed("migrate", common.migrate)
        formats = [f for f in args.formats.split(",") if f]
        if args.only in (None, "district"):
            code = _timed(
                f"district dataset ({args.cdcs} CĐCS, services)",
                lambda: build_district(args.cdcs, args.members),
            )
            time_reports(code, args.reps, formats)
        if args.only in (None, "city"):
            if args.only is None:  # the demo loads into an empty database
                fresh(args.db, args.pg_url)
                _timed("migrate", common.migrate)
            code = build_city(args.members)
            time_reports(code, args.reps, formats)
    finally:
        if not args.keep:
            common.teardown(args.db, NAME, args.pg_url)


if __name__ == "__main__":
    main()
