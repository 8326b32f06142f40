"""Benchmark the indicators roll-up (``congdoan.indicators.engine.rollup``) at national scale.

    .venv/bin/python bench/achievements_bench.py                      # PostgreSQL (nation + district),
                                                                      # then SQLite (district)
    .venv/bin/python bench/achievements_bench.py --db postgres --members 2000000   # a quicker look
    .venv/bin/python bench/achievements_bench.py --db postgres --profile           # + cProfile, EXPLAIN

Builds a throw-away database (see ``bench/common.py``), the national tree of ``tree_bench.py``
(150,000 units), then records under it: members (persons + memberships), collective agreements,
conferences, workforce counts, entered values and targets. Times, for period 2024, the achievement
table of every standard indicator for every unit of the nation (PostgreSQL) and of a district of
~400 CĐCS (both databases), against a hand-written SQL GROUP BY floor. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, tree_bench

NAME = "achievements_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_ach"
PERIOD = "2024"
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
DATA_END = dt.date(2025, 12, 31)
GRASSROOTS = ("CDCS", "NGHIEP_DOAN")
ENTERPRISE = ("DN_NHA_NUOC", "DN_NGOAI_NHA_NUOC", "FDI", "HTX")
ENTERED = ("TRO_CAP_NGUOI", "TRO_CAP_TIEN", "TUYEN_TRUYEN")

PERSON_COLS = (
    "id, full_name, gender, legacy_id, phone, email, ethnicity, education, job, address, nationality,"
    " search_key, sort_key, created_at, updated_at"
)
MEMBERSHIP_COLS = "id, person_id, cdcs_id, join_date, status, end_date, end_reason, created_at"
AGREEMENT_COLS = (
    "id, number, cdcs_id, scope, kind, signed_on, effective_on, expires_on, superseded_on, grade,"
    " approval_share, favourable_clauses, signed_file, renewal_of_id, notes, created_at, updated_at"
)
CONFERENCE_COLS = (
    "id, unit_id, kind, year, held_on, employer_side, employee_side, notes, created_at, updated_at"
)
WORKFORCE_COLS = "id, cdcs_id, as_of, workers, women"
VALUE_COLS = "id, unit_id, indicator_id, period, value, updated_at"
TARGET_COLS = "id, unit_id, indicator_id, period, value, updated_at"
# Tables loaded here: on PostgreSQL their secondary indexes and unique constraints are dropped for the
# load and built again afterwards (same schema at the end), and FK triggers are off during COPY.
LOADED_TABLES = (
    "members_person",
    "members_membership",
    "bargaining_collectiveagreement",
    "conferences_conference",
    "members_workforcecount",
    "indicators_datavalue",
    "indicators_target",
)


# -- generation ------------------------------------------------------------------------------------
@dataclass
class Cdcs:
    id: int
    sector: str
    founded: dt.date
    dissolved: dt.date | None
    province: str  # code of the group (T01, N03, ...) it was first placed under


def grassroots(t: tree_bench.Tree) -> list[Cdcs]:
    """The CĐCS / nghiệp đoàn of the generated tree with the group of their first parent."""
    code = {u[0]: u[1] for u in t.units}
    first_parent: dict[int, int] = {}
    for _, child, parent, *_ in t.links:
        first_parent.setdefault(child, parent)
    out = []
    for uid, _, _, type_, sector, founded, dissolved in t.units:
        if type_ in GRASSROOTS:
            out.append(Cdcs(uid, sector, founded, dissolved, code[first_parent[uid]].split(".")[0]))
    return out


class Days:
    """ISO strings of day ordinals, cached (formatting dates is a large part of generating 10M rows)."""

    def __init__(self) -> None:
        self.cache: dict[int, str] = {}

    def __call__(self, ordinal: int) -> str:
        s = self.cache.get(ordinal)
        if s is None:
            s = self.cache[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return s


def member_sizes(units: list[Cdcs], total: int, rng: random.Random) -> dict[int, int]:
    """Members per CĐCS: log-normal sizes (a few large enterprises, many small ones) summing to ~total."""
    weights = [rng.lognormvariate(0, 1.0) for _ in units]
    scale = total / sum(weights)
    return {u.id: max(1, round(w * scale)) for u, w in zip(units, weights, strict=True)}


def persons_and_memberships(
    units: list[Cdcs], sizes: dict[int, int], stamp: str, rng: random.Random
) -> Iterator[tuple[tuple, tuple]]:
    """One person and one membership per member: joined 1995–2024 (not before the CĐCS was founded),
    ~3% ended (all of them in a dissolved CĐCS, on its last day), ~52% women."""
    day = Days()
    low, high = dt.date(1995, 1, 1).toordinal(), END.toordinal()
    pid = 0
    rand = rng.random
    blank = ("",) * 6  # phone, email, ethnicity, education, job, address
    for u in units:
        first = max(low, u.founded.toordinal())
        last = high if first <= high else DATA_END.toordinal()
        span = last - first + 1
        dissolved = u.dissolved.toordinal() - 1 if u.dissolved else None
        for _ in range(sizes[u.id]):
            pid += 1
            join = first + int(rand() * span)
            if dissolved is not None:
                join = min(join, dissolved)
                end: str | None = day(dissolved)
            elif rand() < 0.03:
                end = day(join + int(rand() * (DATA_END.toordinal() - join + 1)))
            else:
                end = None
            gender = "F" if rand() < 0.52 else "M"
            person = (pid, f"Đoàn viên {pid}", gender, False, *blank, "VN", "", "", stamp, stamp)
            status = "active" if end is None else "left"
            yield person, (pid, pid, u.id, day(join), status, end, "", stamp)


def agreements(units: list[Cdcs], total: int, stamp: str, rng: random.Random) -> Iterator[tuple]:
    """Chains of agreements of enterprise CĐCS (new → re-signed / amended ...), about ``total`` rows:
    2–3-year terms; a re-signed one takes effect the day after its predecessor expires, an amended one
    supersedes it mid-term; ~20% lapse for a while before a new one. Grades A–D or ungraded."""
    pool = [u for u in units if u.sector in ENTERPRISE]
    rng.shuffle(pool)
    aid = 0
    day = dt.timedelta(days=1)
    for u in pool:
        if aid >= total:
            return
        signed = dt.date.fromordinal(
            max(u.founded.toordinal(), dt.date(2012, 1, 1).toordinal()) + rng.randrange(365 * 6)
        )
        effective = signed + day * rng.randrange(0, 30)
        kind, prev = "new", None
        while signed <= DATA_END and aid < total:
            aid += 1
            this_signed = signed
            expires = effective + day * (365 * rng.choice((2, 3)) - 1)
            grade = rng.choice(("A", "B", "B", "C", "D", "", ""))
            superseded = None
            roll = rng.random()
            if roll < 0.2:  # lapses for a while, then a new one
                nkind, signed = "new", expires + day * rng.randrange(60, 900)
                effective_next = signed + day * rng.randrange(0, 30)
            elif roll < 0.35:  # amended mid-term: the amendment supersedes this one
                nkind, signed = "amended", effective + day * rng.randrange(180, 600)
                effective_next = superseded = signed
            else:  # re-signed before expiry, in force the day after
                nkind, signed = "resigned", expires - day * rng.randrange(5, 60)
                effective_next = expires + day
            yield (
                aid,
                f"{aid}/TƯ",
                u.id,
                "enterprise",
                kind,
                this_signed.isoformat(),
                effective.isoformat(),
                expires.isoformat(),
                superseded.isoformat() if superseded else None,
                grade,
                "0.7500",
                "[]",
                "",
                prev,
                "",
                stamp,
                stamp,
            )
            if u.dissolved and expires >= u.dissolved:
                break
            kind, prev, effective = nkind, (aid if nkind != "new" else None), effective_next


def conferences(units: list[Cdcs], stamp: str, rng: random.Random) -> Iterator[tuple]:
    """2023–2025: ~60% of enterprises hold the Hội nghị NLĐ each year, ~85% of public bodies the Hội nghị
    CB,CC,VC; ~40% of enterprises a periodic dialogue."""
    cid = 0
    for year in (2023, 2024, 2025):
        for u in units:
            if u.founded.year > year or (u.dissolved and u.dissolved.year <= year):
                continue
            kinds = []
            if u.sector in ENTERPRISE:
                if rng.random() < 0.6:
                    kinds.append("workers")
                if rng.random() < 0.4:
                    kinds.append("dialogue_periodic")
            elif u.sector == "HCSN" and rng.random() < 0.85:
                kinds.append("civil")
            for kind in kinds:
                cid += 1
                held = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(120))
                yield (cid, u.id, kind, year, held.isoformat(), 3, 12, "", stamp, stamp)


def workforce(units: list[Cdcs], sizes: dict[int, int], rng: random.Random) -> Iterator[tuple]:
    """Workers of each CĐCS on 31/12/2023 and 31/12/2024 (members / coverage 60–95%)."""
    wid = 0
    for u in units:
        for as_of in ("2023-12-31", "2024-12-31"):
            wid += 1
            workers = round(sizes[u.id] / rng.uniform(0.6, 0.95)) + 1
            yield (wid, u.id, as_of, workers, workers // 2)


def values_and_targets(
    t: tree_bench.Tree, units: list[Cdcs], indicators: dict[str, int], stamp: str, rng: random.Random
) -> tuple[list[tuple], list[tuple]]:
    """Entered values for 2024 from ~30% of CĐCS; 2024 targets of the provinces and level-3 unions
    for the summed indicators (a parent without its own target sums its children's)."""
    values = []
    for u in units:
        if rng.random() < 0.3:
            for code in ENTERED:
                values.append((len(values) + 1, u.id, indicators[code], PERIOD, rng.randrange(1, 20), stamp))
    targets = []
    level3 = [u[0] for u in t.units if u[3] in ("LDLD_HUYEN", "CD_VIEN_CHUC", "CD_KCN", "CD_TCT")]
    for uid in [*t.provinces, *level3]:
        for code in ("DV_KET_NAP", "CDCS_THANH_LAP", "TU_KY_MOI", "HN_NLD", "TL_HN_NLD"):
            targets.append((len(targets) + 1, uid, indicators[code], PERIOD, rng.randrange(5, 500), stamp))
    return values, targets


# -- loading ---------------------------------------------------------------------------------------
class Loader:
    """Bulk writes: COPY on PostgreSQL, executemany in chunks on SQLite (one transaction)."""

    def __init__(self) -> None:
        from django.db import connection

        self.vendor = connection.vendor
        self.raw = connection.connection
        self.counts: dict[str, int] = {}

    def many(self, table: str, cols: str, rows: Iterator[tuple]) -> int:
        n = 0
        if self.vendor == "postgresql":
            with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            marks = ", ".join("?" * len(cols.split(",")))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            chunk: list[tuple] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == 50_000:
                    self.raw.executemany(sql, chunk)
                    n += len(chunk)
                    chunk = []
            self.raw.executemany(sql, chunk)
            n += len(chunk)
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def pair(self, t1: str, c1: str, t2: str, c2: str, rows: Iterator[tuple[tuple, tuple]]) -> None:
        """Two tables filled from one generator (persons and their memberships)."""
        if self.vendor == "postgresql":
            # Persons first into the COPY, memberships spooled to a temporary file in COPY text format.
            import tempfile

            spool = tempfile.TemporaryFile("w+", encoding="utf-8")

            def persons() -> Iterator[tuple]:
                for person, m in rows:
                    spool.write(
                        f"{m[0]}\t{m[1]}\t{m[2]}\t{m[3]}\t{m[4]}\t{m[5] or chr(92) + 'N'}\t\t{m[7]}\n"
                    )
                    yield person

            self.many(t1, c1, persons())
            spool.seek(0)
            n = 0
            with self.raw.cursor() as cur, cur.copy(f"COPY {t2} ({c2}) FROM STDIN") as copy:
                while block := spool.read(1 << 20):
                    copy.write(block)
                    n += block.count("\n")
            spool.close()
            self.counts[t2] = n
        else:
            second: list[tuple] = []

            def persons() -> Iterator[tuple]:
                for person, m in rows:
                    second.append(m)
                    if len(second) >= 50_000:
                        flush()
                    yield person

            def flush() -> None:
                marks = ", ".join("?" * len(c2.split(",")))
                self.raw.executemany(f"INSERT INTO {t2} ({c2}) VALUES ({marks})", second)
                self.counts[t2] = self.counts.get(t2, 0) + len(second)
                second.clear()

            self.many(t1, c1, persons())
            flush()


def pg_drop_indexes(cursor: Any) -> list[str]:
    """Drop the secondary indexes and unique constraints of the loaded tables; return the DDL that
    builds them again."""
    ddl: list[str] = []
    tables = list(LOADED_TABLES)
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        ddl.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
        ddl.append(definition)
    return ddl


def load_records(t: tree_bench.Tree, args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from congdoan.indicators.models import Indicator

    vendor = connection.vendor
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    units = grassroots(t)
    provinces = sorted({u.province for u in units if u.province.startswith("T")})
    share = 1.0
    if vendor == "sqlite":
        keep = set(provinces[: args.sqlite_provinces])
        share = sum(u.province in keep for u in units) / len(units)
        units = [u for u in units if u.province in keep]
    members = round(args.members * share)
    n_agreements = round(args.agreements * share)
    rng = random.Random(2)
    sizes = member_sizes(units, members, rng)
    indicators = dict(Indicator.objects.values_list("code", "pk"))
    info: dict[str, Any] = {"share": share}
    loader = Loader()
    start = time.perf_counter()
    ddl: list[str] = []
    if vendor == "postgresql":
        with loader.raw.cursor() as cur:
            ddl = pg_drop_indexes(cur)
            # No FK triggers during the bulk load — nor members/0005's name copy, left empty here: this
            # bench never searches names.
            cur.execute("SET session_replication_role = replica")
        loader.raw.commit()
    else:
        loader.raw.execute("BEGIN")
    loader.pair(
        "members_person",
        PERSON_COLS,
        "members_membership",
        MEMBERSHIP_COLS,
        persons_and_memberships(units, sizes, stamp, rng),
    )
    loader.many("bargaining_collectiveagreement", AGREEMENT_COLS, agreements(units, n_agreements, stamp, rng))
    loader.many("conferences_conference", CONFERENCE_COLS, conferences(units, stamp, rng))
    loader.many("members_workforcecount", WORKFORCE_COLS, workforce(units, sizes, rng))
    values, targets = values_and_targets(t, units, indicators, stamp, rng)
    loader.many("indicators_datavalue", VALUE_COLS, iter(values))
    loader.many("indicators_target", TARGET_COLS, iter(targets))
    if vendor == "postgresql":
        with loader.raw.cursor() as cur:
            for table in LOADED_TABLES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
            cur.execute("SET session_replication_role = DEFAULT")
        loader.raw.commit()
        info["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        with loader.raw.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '512MB'")
            for statement in ddl:
                cur.execute(statement)
        loader.raw.commit()
        info["index_s"] = time.perf_counter() - start
        info["indexes"] = len(ddl)
    else:
        loader.raw.execute("COMMIT")
        info["load_s"] = time.perf_counter() - start
    info["counts"] = loader.counts
    return info


# -- the floor -------------------------------------------------------------------------------------
# -- the benchmark ---------------------------------------------------------------------------------
def pick_district(t: tree_bench.Tree) -> tuple[int, int]:
    """The district (LĐLĐ huyện) of T01 with the number of CĐCS on 31/12/2024 closest to 400."""
    from congdoan.org import tree
    from congdoan.org.models import OrgUnit

    best: tuple[int, int] | None = None
    for d in t.districts[t.provinces[0]]:
        n = OrgUnit.objects.filter(id__in=tree.in_subtree([d], END), type__in=GRASSROOTS).count()
        if best is None or abs(n - 400) < abs(best[1] - 400):
            best = (d, n)
    assert best is not None
    return best


def standard_indicators() -> list[Any]:
    from congdoan.indicators.models import Indicator

    return list(
        Indicator.objects.filter(standard=True)
        .select_related("numerator", "denominator")
        .order_by("sort_order", "code")
    )


def time_table(root: Any, reps: int, warmup: bool) -> tuple[common.Timing, dict[str, list]]:
    """``engine.rollup_table`` of every standard indicator over the whole subtree of ``root``, in one call
    (what the dashboard, the CLI and the reports ask); returns its timing and the last table."""
    from congdoan.core.periods import parse_period
    from congdoan.indicators import engine

    period = parse_period(PERIOD)
    indicators = standard_indicators()
    table: dict[str, list] = {}

    def run() -> list:
        table.update(engine.rollup_table(indicators=indicators, period=period, root=root, depth=None))
        return table[indicators[0].code]

    timing = common.measure(
        f"rollup_table, all {len(indicators)} indicators", run, reps, warmup=1 if warmup else 0
    )
    return timing, table


def same_figures(a: list[Any], b: list[Any]) -> bool:
    def key(f: Any) -> tuple:
        return (f.unit.pk, f.depth, f.value, f.target, f.numerator, f.denominator, f.start, f.end, f.ended)

    return [key(f) for f in a] == [key(f) for f in b]


def time_per_indicator(root: Any, reps: int, warmup: bool, table: dict[str, list]) -> list[common.Timing]:
    """``engine.rollup`` of each indicator alone (a page of one indicator), checked to give exactly the
    table's figures."""
    from congdoan.core.periods import parse_period
    from congdoan.indicators import engine

    period = parse_period(PERIOD)
    out = []
    for ind in standard_indicators():
        figures: list[Any] = []

        def run(ind: Any = ind, figures: list[Any] = figures) -> list:
            figures[:] = engine.rollup(indicator=ind, period=period, root=root, depth=None)
            return figures

        timing = common.measure(f"{ind.code} ({ind.aggregation})", run, reps, warmup=1 if warmup else 0)
        timing.note = "same as table" if same_figures(figures, table[ind.code]) else "DIFFERENT from table!"
        out.append(timing)
    return out


# The floor of a whole source: one hand-written statement giving each unit of the subtree (code, name,
# Vietnamese sort key) with several indicators counted with FILTER (what the engine's provider batches do
# through the ORM); then ordered and summed up the tree in Python. No ended children, no targets.
# source: (indicator codes, FROM, WHERE of every row counted, one FILTER per code); rows at r.cdcs_id.
FLOOR_TABLES: dict[str, tuple[tuple[str, ...], str, str, tuple[str, ...]]] = {
    "DV_TONG": (
        ("DV_TONG",),
        "members_membership r",
        "r.join_date <= %(end)s AND (r.end_date IS NULL OR r.end_date > %(end)s)",
        ("TRUE",),
    ),
    "members": (
        ("DV_TONG", "DV_NU", "DV_KET_NAP"),
        "members_membership r JOIN members_person p ON p.id = r.person_id",
        "r.join_date <= %(end)s",
        (
            "r.end_date IS NULL OR r.end_date > %(end)s",
            "(r.end_date IS NULL OR r.end_date > %(end)s) AND p.gender = 'F'",
            "r.join_date >= %(start)s AND r.transferred_from_id IS NULL",
        ),
    ),
    "agreements signed": (
        ("TU_KY_MOI", "TU_KY_LAI", "TU_SUA_DOI"),
        "bargaining_collectiveagreement r",
        "r.signed_on >= %(start)s AND r.signed_on <= %(end)s",
        ("r.kind = 'new'", "r.kind = 'resigned'", "r.kind = 'amended'"),
    ),
}


def floor_table(source: str, root: int, small: bool = False) -> dict[str, dict[int, int]]:
    """Three statements: the subtree as of the period end with each unit's code, name and sort key (the
    recursive CTE), one GROUP BY over the rows of those units, and their targets (PostgreSQL: ``= ANY``
    of the ids, which the planner can estimate, unlike the CTE; SQLite: the CTE again, its recursive
    step written as in ``org.tree`` so that statistics do not turn it into a scan)."""
    from django.db import connection, transaction

    from congdoan.core import sql as core_sql
    from congdoan.indicators import engine
    from congdoan.indicators.models import Indicator

    codes, tables, where, filters = FLOOR_TABLES[source]
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {f})" for f in filters)
    if connection.vendor == "sqlite":
        links = (
            "sub JOIN org_orglink l ON l.id IN (SELECT x.id FROM org_orglink x WHERE x.parent_id = sub.id)"
        )
    else:
        links = "org_orglink l JOIN sub ON l.parent_id = sub.id"
    subtree = (
        "WITH RECURSIVE sub(id, parent_id, depth) AS ("
        " SELECT id, CAST(NULL AS bigint), 0 FROM org_orgunit WHERE id = %(root)s"
        f" UNION ALL SELECT l.child_id, l.parent_id, sub.depth + 1 FROM {links}"
        " WHERE l.valid_from <= %(end)s AND (l.valid_to IS NULL OR l.valid_to > %(end)s) AND sub.depth < 32)"
    )
    tree_sql = subtree + (
        " SELECT sub.id, sub.parent_id, sub.depth, u.sort_key, u.code, u.name FROM sub"
        " JOIN org_orgunit u ON u.id = sub.id"
    )
    indicator_ids = ", ".join(
        str(i) for i in Indicator.objects.filter(code__in=codes).values_list("pk", flat=True)
    )
    targets = "SELECT t.unit_id, t.indicator_id, t.value FROM indicators_target t WHERE t.period = %(period)s"
    targets += f" AND t.indicator_id IN ({indicator_ids})"
    adapt = connection.ops.adapt_datefield_value
    params: dict[str, Any] = {"root": root, "start": adapt(START), "end": adapt(END), "period": PERIOD}
    if connection.vendor == "postgresql":
        count_sql = (
            f"SELECT r.cdcs_id, {counts} FROM {tables} WHERE r.cdcs_id = ANY(%(ids)s::bigint[]) AND {where}"
        )
        targets += " AND t.unit_id = ANY(%(ids)s::bigint[])"
    else:
        count_sql = subtree + f" SELECT r.cdcs_id, {counts} FROM {tables}"
        count_sql += f" WHERE r.cdcs_id IN (SELECT id FROM sub) AND {where}"
        targets = subtree + targets + " AND t.unit_id IN (SELECT id FROM sub)"
        # the sqlite3 module takes :name, not %(name)s
        tree_sql, count_sql, targets = (
            q.replace("%(", ":").replace(")s", "") for q in (tree_sql, count_sql, targets)
        )
    with transaction.atomic(), connection.cursor() as cursor:
        if small and connection.vendor == "postgresql":
            # A district's few hundred units: index lookups. With this load's statistics PostgreSQL
            # misjudged both statements (2,961 units for 326; 84,734 memberships for 20,707) and chose
            # a merge join over every unit (45 ms) and a hash join over the 10M persons (420 ms): that
            # would be no floor.
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
        cursor.execute(tree_sql, params)
        rows = cursor.fetchall()
        if connection.vendor == "postgresql" and len(rows) > engine._BIG_TREE:
            cursor.execute(f"SET LOCAL work_mem = '{engine._BIG_WORK_MEM}'")  # the engine's, for big trees
        params["ids"] = (
            core_sql.bigint_array(r[0] for r in rows) if connection.vendor == "postgresql" else None
        )
        cursor.execute(count_sql + " GROUP BY r.cdcs_id", params)
        found = {r[0]: r[1:] for r in cursor.fetchall()}
        cursor.execute(targets, params)
        cursor.fetchall()  # fetched as a page would; not checked
    rows.sort(key=lambda r: (r[2], r[3]))  # the table's order: depth, then Vietnamese name order
    out: dict[str, dict[int, int]] = {}
    for i, code in enumerate(codes):
        total = {r[0]: found[r[0]][i] if r[0] in found else 0 for r in rows}
        for unit_id, parent_id, *_ in reversed(rows):
            if parent_id is not None:
                total[parent_id] += total[unit_id]
        out[code] = total
    return out


def time_floors(root: Any, reps: int, warmup: bool) -> list[tuple[common.Timing, common.Timing, str]]:
    """For each floor: the engine's table of the same indicators against the hand-written statement;
    checks both give the same value for every unit."""
    from congdoan.core.periods import parse_period
    from congdoan.indicators import engine
    from congdoan.org import tree

    period = parse_period(PERIOD)
    by_code = {ind.code: ind for ind in standard_indicators()}
    small = len(tree.subtree_ids(root.pk, END)) <= engine._BIG_TREE
    out = []
    for source, (codes, _, _, _) in FLOOR_TABLES.items():
        indicators = [by_code[c] for c in codes]
        table: dict[str, list] = {}

        def run(indicators: list[Any] = indicators, table: dict[str, list] = table) -> list:
            table.update(engine.rollup_table(indicators=indicators, period=period, root=root, depth=None))
            return table[indicators[0].code]

        a = common.measure(f"engine {source} ({', '.join(codes)})", run, reps, warmup=1 if warmup else 0)
        b = common.measure(
            f"floor  {source}",
            lambda s=source: floor_table(s, root.pk, small),
            reps,
            warmup=1 if warmup else 0,
        )
        expected = floor_table(source, root.pk, small)
        # Children that ended during the period come as extra figures, outside the tree of the period end.
        same = all(
            {f.unit.pk: int(f.value or 0) for f in table[code] if not f.ended} == expected[code]
            for code in codes
        )
        out.append((a, b, "same values" if same else "DIFFERENT values!"))
    return out


def report_floors(pairs: list[tuple[common.Timing, common.Timing, str]], title: str) -> None:
    rows = []
    for a, b, note in pairs:
        b.note = note
        rows += [a, b]
    common.print_table(rows, title)
    print(
        "engine / floor (median): "
        + ", ".join(f"{a.label[7:].split(' (')[0]} {a.median / b.median:.2f}x" for a, b, _ in pairs)
    )


def profile(root: Any) -> None:
    from congdoan.core.periods import parse_period
    from congdoan.indicators import engine

    indicators = standard_indicators()
    prof = cProfile.Profile()
    prof.enable()
    engine.rollup_table(indicators=indicators, period=parse_period(PERIOD), root=root, depth=None)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
    print("\n-- cProfile of rollup_table(all indicators, nation), cumulative")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:8000])


def explain_providers(root: Any) -> None:
    """EXPLAIN ANALYZE of the members queries over the subtree CTE (what the floor and the drill-down
    pages run; the engine passes an array of ids on PostgreSQL)."""
    from django.db import connection
    from django.db.models import Count

    from congdoan.indicators.providers import _admitted, _members_on
    from congdoan.org import tree

    units = tree.in_subtree([root.pk], END)
    for label, qs in (
        ("members_total", _members_on(units, START, END).values("cdcs_id")),
        ("members_admitted", _admitted(units, START, END).values("cdcs_id")),
    ):
        sql, params = qs.annotate(n=Count("pk")).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join("  " + r[0] for r in cursor.fetchall())
        print(f"\n-- EXPLAIN ANALYZE {label} (nation)\n{plan}")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def attach(db: str, pg_url: str) -> str:
    """Point Django at the bench database left by an earlier ``--keep`` run (``--reuse``)."""
    url = pg_url if db == "postgres" else f"sqlite:///{common.sqlite_path(NAME)}"
    os.environ.update(DJANGO_SETTINGS_MODULE="congdoan.settings", DATABASE_URL=url, DEBUG="off")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "off")
    import django

    django.setup()
    return url


def run_one(args: argparse.Namespace) -> None:
    url = attach(args.db, args.pg_url) if args.reuse else common.configure(args.db, NAME, args.pg_url)
    print(f"=== achievements benchmark: {args.db} ({url}) ===")
    print(common.describe_database())
    print(f"load average at the start: {common.load_average()}")
    try:
        if args.reuse:
            t = tree_bench.generate(args.units)  # the same deterministic tree, for the subjects
            print(f"reusing the bench database of an earlier --keep run; migrate: {common.migrate():.1f} s")
        else:
            t = load_all(args)
            if args.load_only:
                return
        run_timings(t, args)
    finally:
        if args.keep or args.reuse:
            print(f"kept the bench database: {url}")
        else:
            common.teardown(args.db, NAME, args.pg_url)


def load_all(args: argparse.Namespace) -> tree_bench.Tree:
    from django.db import connection

    print(f"migrate: {common.migrate():.1f} s")
    start = time.perf_counter()
    t = tree_bench.generate(args.units)
    tree_bench.load(t)
    print(f"tree: {len(t.units):,} units, {len(t.links):,} links in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    info = load_records(t, args)
    took = time.perf_counter() - start
    counts = info["counts"]
    scope = (
        "the whole nation"
        if connection.vendor == "postgresql"
        else f"CĐCS of {args.sqlite_provinces} province(s) only ({info['share']:.1%} of the CĐCS)"
    )
    print(f"records for {scope}, generated and loaded in {took:.1f} s:")
    for table, n in counts.items():
        print(f"  {table:<32} {n:>12,}")
    if "index_s" in info:
        print(
            f"  (COPY {info['load_s']:.1f} s, then {info['indexes']} indexes / unique constraints"
            f" built in {info['index_s']:.1f} s)"
        )
    if connection.vendor == "postgresql":
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE: {time.perf_counter() - start:.1f} s")
    else:
        print("no ANALYZE (as Django leaves SQLite); a second district run follows after ANALYZE")
    print(f"load average after loading: {common.load_average()}; peak RSS {peak_mb():,.0f} MB")
    return t


def run_timings(t: tree_bench.Tree, args: argparse.Namespace) -> None:
    from django.db import connection

    from congdoan.org.models import OrgUnit

    district_id, n_cdcs = pick_district(t)
    district = OrgUnit.objects.get(pk=district_id)
    tld = OrgUnit.objects.get(pk=t.tld)
    print(f"\nperiod {PERIOD}; district = {district.code} ({n_cdcs} CĐCS on {END}); nation = {tld.code}")
    runs = [("district", district, args.reps_district, True)]
    if connection.vendor == "postgresql" and not args.skip_nation:
        runs.append(("nation", tld, args.reps_nation, args.reps_nation > 1))
    sqlite_passes = ["without ANALYZE", "after ANALYZE"] if connection.vendor == "sqlite" else [""]
    for note in sqlite_passes:
        if note == "after ANALYZE":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for label, root, reps, warmup in runs:
            title = f"{label}{', ' + note if note else ''}"
            timing, table = time_table(root, reps, warmup)
            rows = [timing]
            if label == "district" or args.per_indicator:
                rows += time_per_indicator(root, reps, warmup, table)
                rows[0].note = f"sum of the {len(rows) - 1} one-indicator medians: " + (
                    f"{sum(r.median for r in rows[1:]):,.1f} ms"
                )
            common.print_table(rows, f"Achievement table, {title}, depth=None (ms per call)")
            report_floors(time_floors(root, reps, warmup), f"Engine vs hand-written GROUP BY floor, {title}")
            print(f"load average: {common.load_average()}; peak RSS {peak_mb():,.0f} MB")
    if args.profile and connection.vendor == "postgresql":
        profile(tld)
        explain_providers(tld)
    print(f"\nload average at the end: {common.load_average()}; peak RSS {peak_mb():,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=150_000, help="org units (default 150000)")
    parser.add_argument("--members", type=int, default=10_000_000, help="members, nation (default 10M)")
    parser.add_argument("--agreements", type=int, default=300_000, help="agreements, nation (default 300k)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "auto"], default="auto")
    parser.add_argument("--sqlite-provinces", type=int, default=1, help="SQLite: records of N provinces")
    parser.add_argument("--reps-nation", type=int, default=3)
    parser.add_argument("--reps-district", type=int, default=10)
    parser.add_argument("--skip-nation", action="store_true")
    parser.add_argument(
        "--per-indicator", action="store_true", help="nation too: time rollup() of each indicator alone"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile + EXPLAIN ANALYZE (PostgreSQL)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_ACH_DATABASE_URL", PG_URL))
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--load-only", action="store_true", help="generate and load, time nothing")
    parser.add_argument("--reuse", action="store_true", help="time the database of an earlier --keep run")
    args = parser.parse_args()

    if args.db in ("both", "auto"):
        targets = []
        if args.db == "both" or common.pg_reachable(args.pg_url):
            targets.append("postgres")
        else:
            print("PostgreSQL not reachable: SQLite only.")
        targets.append("sqlite")
        status = 0
        for db in targets:
            argv = list(sys.argv[1:])
            if "--db" in argv:
                i = argv.index("--db")
                argv = argv[:i] + argv[i + 2 :]
            status |= subprocess.call([sys.executable, __file__, *argv, "--db", db])
            print()
        raise SystemExit(status)
    run_one(args)


if __name__ == "__main__":
    main()
