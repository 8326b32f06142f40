"""Benchmark the emulation app (issue 15): grading the 3,000 CĐCS of a city, the cluster ranking page.

    .venv/bin/python bench/emulation_bench.py [--db postgres|sqlite] [--pg-url URL] [--cdcs 3000] [--reps 5]

Builds a throw-away database (``bench/common.py``): the city, 10 district federations sharing ``--cdcs``
CĐCS (bulk inserted, with their links), a DV_KET_NAP target for every CĐCS (so the computed criterion
reads an achievement), one appraised 1294 score sheet per CĐCS with random points on its 11 entered
criteria; the 10 districts form one cluster with their own appraised sheets and a closed peer vote.
Then times:

1. **grading**: ``services.sheets_grade`` of the whole city: the computed criterion of every sheet read
   from one roll-up of the indicators engine over the tree, totals and grades of 3,000 sheets written
   — goal < 10 s;
2. **ranking page**: ``GET /thi-dua/cum/<id>/`` as the city's officer (scores, tally, ranking) —
   goal < 300 ms;
3. **sheet import**: ``congdoan import emulation-sheets`` of an xlsx of ``--import-rows`` rows (the
   appraisal of 10 criteria of each of 300 CĐCS sheets), as a dry run (the same checks and service
   writes as a real run, rolled back, so every repetition does the same work) — goal: seconds.

The raw floor is one pass over the score lines (``SELECT sheet_id, SUM(appraised_points) … GROUP BY``):
the least any grading must read.
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

NAME = "emulation_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_emulation"
YEAR = 2025


def build(cdcs_count: int) -> dict[str, object]:
    from django.db import transaction
    from django.utils import timezone

    from congdoan.accounts.models import Role, RoleAssignment, User
    from congdoan.emulation import services
    from congdoan.emulation.models import ScoreLine, ScoreSheet, SheetState, SheetTemplate
    from congdoan.indicators.models import Indicator, Target
    from congdoan.org import services as org_services
    from congdoan.org.models import OrgLink, OrgUnit, unit_search_key, unit_sort_key

    d = dt.date
    rng = random.Random(15)
    city = org_services.unit_create(
        actor=None,
        code="HN",
        name="LĐLĐ thành phố",
        type="LDLD_TINH",
        parent=None,
        valid_from=d(2000, 1, 1),
        founded_on=d(2000, 1, 1),
    )
    districts = [
        org_services.unit_create(
            actor=None,
            code=f"Q{i:02d}",
            name=f"LĐLĐ quận {i:02d}",
            type="LDLD_HUYEN",
            parent=city,
            valid_from=d(2000, 1, 1),
            founded_on=d(2000, 1, 1),
        )
        for i in range(10)
    ]
    with transaction.atomic():
        units = []
        for n in range(cdcs_count):
            name = f"CĐCS Công ty số {n:05d}"
            code = f"CS{n:05d}"
            units.append(
                OrgUnit(
                    code=code,
                    name=name,
                    type="CDCS",
                    sector="DN_NGOAI_NHA_NUOC",
                    founded_on=d(2010, 1, 1),
                    search_key=unit_search_key(code, name),
                    sort_key=unit_sort_key(name),
                )
            )
        OrgUnit.objects.bulk_create(units, batch_size=1000)
        units = list(OrgUnit.objects.filter(type="CDCS").order_by("code"))
        OrgLink.objects.bulk_create(
            [
                OrgLink(child=u, parent=districts[i % 10], valid_from=d(2010, 1, 1))
                for i, u in enumerate(units)
            ],
            batch_size=1000,
        )
        indicator = Indicator.objects.get(code="DV_KET_NAP")
        Target.objects.bulk_create(
            [Target(unit=u, indicator=indicator, period=str(YEAR), value=rng.randint(5, 40)) for u in units],
            batch_size=1000,
        )
        template = SheetTemplate.objects.get(code="HD1294_CDCS")
        leaves = services.leaves(template)
        sheets = ScoreSheet.objects.bulk_create(
            [
                ScoreSheet(
                    template=template,
                    unit=u,
                    year=YEAR,
                    deadline=d(YEAR, 12, 15),
                    state=SheetState.APPRAISED,
                    appraised_by=districts[i % 10],
                )
                for i, u in enumerate(units)
            ],
            batch_size=1000,
        )
        lines = []
        for sheet in sheets:
            share = Decimal(rng.randint(45, 100)) / 100
            for c in leaves:
                points = None if c.computed else (c.max_points * share).quantize(Decimal("0.01"))
                lines.append(ScoreLine(sheet=sheet, criterion=c, self_points=points, appraised_points=points))
        ScoreLine.objects.bulk_create(lines, batch_size=2000)
    cluster = org_services.cluster_create(
        actor=None,
        name="Cụm thi đua số 1",
        year=YEAR,
        organiser=city,
        members=districts,
        leader=districts[0],
        deputy=districts[1],
    )
    for i, unit in enumerate(districts):
        sheet = services.sheet_open(actor=None, unit=unit, year=YEAR, deadline=d(YEAR, 12, 15))
        points = {
            line.criterion_id: (line.criterion.max_points * Decimal(70 + 3 * i) / 100).quantize(
                Decimal("0.01")
            )
            for line in sheet.lines.select_related("criterion")
            if not line.criterion.computed
        }
        services.sheet_self_score(actor=None, sheet=sheet, points=points, today=d(YEAR, 12, 1))
        services.sheet_appraise(actor=None, sheet=sheet, by_unit=city, points=points, today=d(YEAR, 12, 20))
    now = timezone.now()
    vote = services.vote_open(
        actor=None,
        cluster=cluster,
        opens_at=now - dt.timedelta(hours=3),
        closes_at=now - dt.timedelta(hours=1),
    )
    for i, unit in enumerate(districts):
        choice = districts[(i + 1 + rng.randint(0, 2)) % 10]
        services.ballot_cast(
            actor=None, vote=vote, voter=unit, choice=choice, now=now - dt.timedelta(hours=2)
        )
    services.vote_close(actor=None, vote=vote, now=now)
    officer = User.objects.create_user(username="thanhpho", password="x")
    RoleAssignment.objects.create(user=officer, unit=city, role=Role.FEDERATION_OFFICER)
    return {"city": city, "cluster": cluster, "officer": officer}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--cdcs", type=int, default=3000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=3000)
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

    from congdoan.emulation import services

    setup_test_environment()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"migrate: {common.migrate():.1f} s · {common.describe_database()} · load {common.load_average()}")
    started = time.perf_counter()
    world = build(args.cdcs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"built {args.cdcs} CĐCS with appraised sheets in {time.perf_counter() - started:.0f} s")

    def floor() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sheet_id, SUM(appraised_points) FROM emulation_scoreline GROUP BY sheet_id"
            )
            return len(cursor.fetchall())

    def grade() -> int:
        counts = services.sheets_grade(actor=None, root=world["city"], year=YEAR)  # type: ignore[arg-type]
        return sum(counts.values())

    counts = services.sheets_grade(actor=None, root=world["city"], year=YEAR)  # type: ignore[arg-type]
    print("grades:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    client = Client()
    client.force_login(world["officer"])  # type: ignore[arg-type]
    url = f"/thi-dua/cum/{world['cluster'].pk}/"  # type: ignore[attr-defined]

    def page() -> int:
        response = client.get(url)
        assert response.status_code == 200 and "Cụm trưởng năm" in response.content.decode()
        return 1

    import tempfile

    import openpyxl

    from congdoan.emulation import sheet_import
    from congdoan.emulation.models import ScoreSheet

    rng = random.Random(7)
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Mã đơn vị", "Năm", "Tiêu chí", "Điểm thẩm định", "Nhận xét"])
    entered = [
        c
        for c in services.leaves(ScoreSheet.objects.filter(unit__type="CDCS").first().template)
        if not c.computed
    ]  # type: ignore[union-attr]
    written = 0
    for sheet in ScoreSheet.objects.filter(unit__type="CDCS").select_related("unit").order_by("unit__code"):
        for c in entered:
            if written == args.import_rows:
                break
            points = (c.max_points * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("0.01"))
            ws.append([sheet.unit.code, YEAR, c.number, float(points), "Đạt"])
            written += 1
        if written == args.import_rows:
            break
    xlsx_path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    book.save(xlsx_path)

    def import_rows() -> int:
        result = sheet_import.import_sheets(actor=None, path_or_file=xlsx_path, dry_run=True)
        assert result.ok, result.errors[:3]
        return result.updated

    timings = [
        common.measure("raw floor: score lines summed per sheet", floor, args.reps),
        common.measure(
            f"grading {args.cdcs} CĐCS sheets (computed criteria)",
            grade,
            args.reps,
            warmup=1,
            note="goal < 10 000 ms",
        ),
        common.measure(
            "cluster ranking page (10 members, closed vote)", page, args.reps * 4, note="goal < 300 ms"
        ),
        common.measure(
            f"sheet import, {written} rows (appraisal, dry run through the services)",
            import_rows,
            max(1, args.reps // 2),
            warmup=1,
            note="goal: seconds",
        ),
    ]
    xlsx_path.unlink()
    common.print_table(timings, "Emulation (issue 15)")


if __name__ == "__main__":
    main()
