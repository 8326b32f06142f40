"""Benchmark the dated org tree (``congdoan.org.tree``) at national scale.

    .venv/bin/python bench/tree_bench.py [--units 150000] [--db sqlite|postgres|both|auto]

Builds a throw-away database (see ``bench/common.py``), generates a deterministic national tree
with dated history, then times the tree selectors against a raw floor. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAME = "tree_bench"
BEFORE = dt.date(2024, 12, 31)  # the tree before the 2025 reform
AFTER = dt.date(2025, 12, 31)  # after it
REFORM = dt.date(2025, 7, 1)  # first day of the new tree: districts' last day is 30/06/2025
PROVINCES = 63
BRANCHES = 20  # CDN_TW
EXTRA_INDEXES = {
    # name: (table, columns) — tried with --index, created with raw SQL in the bench database only.
    "parent_cover": ("org_orglink", "parent_id, valid_from, valid_to, child_id"),
    "parent_dates": ("org_orglink", "parent_id, valid_from, valid_to"),
    "child_cover": ("org_orglink", "child_id, valid_from, valid_to, parent_id"),
}


# -- generation ------------------------------------------------------------------------------------
@dataclass
class Tree:
    """The generated rows, plus the units the benchmark picks as its subjects."""

    units: list[tuple] = field(default_factory=list)  # (id, code, name, type, sector, founded, dissolved)
    links: list[tuple] = field(default_factory=list)  # (id, child, parent, valid_from, valid_to, reason)
    tld: int = 0
    provinces: list[int] = field(default_factory=list)
    districts: dict[int, list[int]] = field(default_factory=dict)  # province -> its LDLD_HUYEN
    dissolved: set[int] = field(default_factory=set)
    moved_cdcs: list[int] = field(default_factory=list)
    level5: list[int] = field(default_factory=list)

    def add_unit(
        self, code: str, name: str, type_: str, sector: str, founded: dt.date, dissolved=None
    ) -> int:
        uid = len(self.units) + 1
        self.units.append((uid, code, name, type_, sector, founded, dissolved))
        return uid

    def link(
        self, child: int, parent: int, start: dt.date, end: dt.date | None = None, reason: str = ""
    ) -> None:
        self.links.append((len(self.links) + 1, child, parent, start, end, reason))


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def generate(total: int) -> Tree:
    """About ``total`` units: TLD → 63 provinces + 20 CDN_TW → ~700 level 3 → CĐCS → some level 5.

    History: 2 of each province's 7 district federations end on 30/06/2025 (``dissolved_on`` =
    2025-07-01) and their CĐCS move on 01/07/2025, mostly to a commune union (CD_XA) founded that
    day; other CĐCS are moved the same day until 30% of all CĐCS have moved once. ~2% of CĐCS were
    dissolved in 2023–2024 and ~2% were founded in the second half of 2025.
    """
    rng = random.Random(1)
    t = Tree()
    scale = min(1.0, total / 150_000)
    sectors = ["DN_NGOAI_NHA_NUOC"] * 5 + ["FDI"] * 2 + ["HCSN"] * 3 + ["DN_NHA_NUOC", "HTX", "KHAC"]
    origin = dt.date(2000, 1, 1)

    t.tld = t.add_unit("TLD", "Tổng Liên đoàn Lao động Việt Nam", "TLD", "", dt.date(1929, 7, 28))
    # Level-3 units by group (a province or a CDN_TW): live before the reform / live after it.
    before: dict[int, list[int]] = {}
    after: dict[int, list[int]] = {}
    new_communes: dict[int, list[int]] = {}
    n_districts = max(2, round(7 * scale))
    for p in range(1, PROVINCES + 1):
        prov = t.add_unit(f"T{p:02d}", f"Liên đoàn Lao động tỉnh số {p:02d}", "LDLD_TINH", "", origin)
        t.link(prov, t.tld, origin)
        t.provinces.append(prov)
        before[prov], after[prov], new_communes[prov], t.districts[prov] = [], [], [], []
        kinds = ["LDLD_HUYEN"] * n_districts + (["CD_VIEN_CHUC", "CD_KCN"] if scale > 0.3 else [])
        for k, kind in enumerate(kinds, start=1):
            ends = kind == "LDLD_HUYEN" and k <= max(1, round(2 * scale))
            dissolved = REFORM if ends else None
            name = f"Liên đoàn Lao động huyện số {k:02d} tỉnh {p:02d}" if kind == "LDLD_HUYEN" else kind
            uid = t.add_unit(f"T{p:02d}.{k:02d}", name, kind, "", origin, dissolved)
            t.link(uid, prov, origin, dissolved, "Giải thể theo Đề án sắp xếp 2025" if ends else "")
            before[prov].append(uid)
            if ends:
                t.dissolved.add(uid)
            else:
                after[prov].append(uid)
            if kind == "LDLD_HUYEN":
                t.districts[prov].append(uid)
        uid = t.add_unit(f"T{p:02d}.X01", f"Công đoàn xã số 01 tỉnh {p:02d}", "CD_XA", "", REFORM)
        t.link(uid, prov, REFORM)
        after[prov].append(uid)
        new_communes[prov].append(uid)
    for b in range(1, BRANCHES + 1):
        branch = t.add_unit(f"N{b:02d}", f"Công đoàn ngành Trung ương số {b:02d}", "CDN_TW", "", origin)
        t.link(branch, t.tld, origin)
        before[branch], after[branch] = [], []
        for k in range(1, max(1, round((3 + b % 2) * scale)) + 1):
            uid = t.add_unit(
                f"N{b:02d}.{k:02d}",
                f"Công đoàn tổng công ty số {k:02d} ngành {b:02d}",
                "CD_TCT",
                "DN_NHA_NUOC",
                origin,
            )
            t.link(uid, branch, origin)
            before[branch].append(uid)
            after[branch].append(uid)

    n_level5 = int(total * 0.02)
    n_cdcs = max(1, total - len(t.units) - n_level5)
    groups = t.provinces + [u for u in before if u not in t.provinces]
    weights = [94 / PROVINCES] * PROVINCES + [6 / BRANCHES] * BRANCHES
    # Uneven level-3 sizes (roughly 0.5x–1.5x the mean), fixed per unit.
    size = {u: rng.uniform(0.5, 1.5) for units in before.values() for u in units}
    cdcs: list[tuple[int, int, int, dt.date | None]] = []  # (id, group, parent, dissolved)
    for n in range(1, n_cdcs + 1):
        group = rng.choices(groups, weights)[0]
        kind = "NGHIEP_DOAN" if rng.random() < 0.01 else "CDCS"
        roll = rng.random()
        dissolved = None
        if roll < 0.02:  # founded after the reform
            founded = _day(rng, REFORM, dt.date(2025, 12, 1))
        elif roll < 0.04:  # dissolved before it
            founded = _day(rng, dt.date(1995, 1, 1), dt.date(2022, 6, 30))
            dissolved = _day(rng, dt.date(2023, 1, 1), dt.date(2024, 12, 1))
        else:
            founded = _day(rng, dt.date(1995, 1, 1), dt.date(2024, 6, 30))
        if founded >= REFORM:
            parent = rng.choices(after[group], [size.get(u, 1.0) for u in after[group]])[0]
        else:
            parent = rng.choices(before[group], [size[u] for u in before[group]])[0]
        uid = t.add_unit(
            f"CS{n:06d}", f"Công đoàn cơ sở Công ty số {n}", kind, rng.choice(sectors), founded, dissolved
        )
        cdcs.append((uid, group, parent, dissolved))

    # The 2025 reform: every CĐCS of an ending district moves; then others until 30% have moved.
    target = int(0.30 * n_cdcs)
    moves: dict[int, int] = {}
    for uid, group, parent, dissolved in cdcs:
        if parent in t.dissolved and dissolved is None:
            if rng.random() < 0.7:
                moves[uid] = rng.choice(new_communes[group])
            else:
                moves[uid] = rng.choice(
                    [u for u in after[group] if u not in new_communes[group]] or after[group]
                )
    founded_on = {uid: t.units[uid - 1][5] for uid, *_ in cdcs}
    candidates = [
        c
        for c in cdcs
        if c[0] not in moves and c[3] is None and c[2] not in t.dissolved and founded_on[c[0]] < REFORM
    ]
    for uid, group, parent, _ in rng.sample(candidates, min(len(candidates), max(0, target - len(moves)))):
        if rng.random() < 0.05:  # a transfer to another federation's unit
            group = rng.choice(groups)
        moves[uid] = rng.choice([u for u in after[group] if u != parent] or after[group])
    for uid, _, parent, dissolved in cdcs:
        founded = founded_on[uid]
        if uid in moves:
            t.link(uid, parent, founded, REFORM, "")
            t.link(uid, moves[uid], REFORM, None, "Sắp xếp tổ chức công đoàn 2025")
        else:
            t.link(uid, parent, founded, dissolved)
    t.moved_cdcs = sorted(moves)

    # Level 5: CĐCS thành viên / công đoàn bộ phận / tổ công đoàn under live CĐCS; they follow it.
    live = [c[0] for c in cdcs if c[3] is None]
    n = 0
    while n < n_level5:
        parent = rng.choice(live)
        start = max(founded_on[parent], dt.date(2015, 1, 1))
        for _ in range(rng.randint(1, 3)):
            if n >= n_level5:
                break
            n += 1
            kind = rng.choice(["CD_BO_PHAN", "CD_BO_PHAN", "TO_CD", "CDCS_TV"])
            uid = t.add_unit(f"BP{n:06d}", f"Công đoàn bộ phận số {n}", kind, "", start)
            t.link(uid, parent, start)
            t.level5.append(uid)
    return t


def load(t: Tree) -> None:
    """Bulk-insert the tree: ``executemany`` on SQLite, ``COPY`` on PostgreSQL (bench data only)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from congdoan.org.models import unit_search_key, unit_sort_key

    stamp = connection.ops.adapt_datetimefield_value(timezone.now())

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    unit_cols = (
        "id, code, name, short_name, type, sector, address, phone, email, founded_on, dissolved_on,"
        " merged_into_id, search_key, sort_key, created_at, updated_at"
    )
    unit_rows = (
        (
            uid,
            code,
            name,
            "",
            type_,
            sector,
            "",
            "",
            "",
            iso(founded),
            iso(dissolved),
            None,
            unit_search_key(code, name),
            unit_sort_key(name),
            stamp,
            stamp,
        )
        for uid, code, name, type_, sector, founded, dissolved in t.units
    )
    link_cols = "id, child_id, parent_id, valid_from, valid_to, reason"
    link_rows = ((lid, c, p, iso(f), iso(to), r) for lid, c, p, f, to, r in t.links)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            for table, cols, rows in (
                ("org_orgunit", unit_cols, unit_rows),
                ("org_orglink", link_cols, link_rows),
            ):
                with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
        else:
            marks = ", ".join(["%s"] * (unit_cols.count(",") + 1))
            cursor.executemany(f"INSERT INTO org_orgunit ({unit_cols}) VALUES ({marks})", list(unit_rows))
            cursor.executemany(
                f"INSERT INTO org_orglink ({link_cols}) VALUES (%s, %s, %s, %s, %s, %s)", list(link_rows)
            )


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# -- the benchmark ---------------------------------------------------------------------------------
def bfs_floor(root: int, day: dt.date) -> set[int]:
    """The same subtree as ``tree.subtree_ids`` by plain indexed look-ups, one level per query."""
    from django.db import connection

    day_value = connection.ops.adapt_datefield_value(day)
    seen = {root}
    frontier = [root]
    with connection.cursor() as cursor:
        while frontier:
            found: list[int] = []
            for start in range(0, len(frontier), 500):
                chunk = frontier[start : start + 500]
                cursor.execute(
                    f"SELECT child_id FROM org_orglink WHERE parent_id IN ({', '.join(['%s'] * len(chunk))})"
                    " AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)",
                    [*chunk, day_value, day_value],
                )
                found.extend(row[0] for row in cursor.fetchall())
            frontier = [u for u in found if u not in seen]
            seen.update(frontier)
    return seen


def all_ids() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM org_orgunit")
        return [row[0] for row in cursor.fetchall()]


def fetch_ids(sql: str, params: list[object]) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def explain(sql: str, params: list[object]) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"  {row[-1]}" for row in rows)
    return "\n".join(f"  {row[0]}" for row in rows)


def pick_subjects(t: Tree) -> dict[str, int]:
    """A live district of ~300 units, an ending one, a province of ~2,400, a moved CĐCS, a level-5 unit."""
    from congdoan.org import tree

    province = t.provinces[0]
    live = [d for d in t.districts[province] if d not in t.dissolved]
    sizes = {d: len(tree.subtree_ids(d, AFTER)) for d in live}
    district = min(live, key=lambda d: abs(sizes[d] - 300))
    ended = next(d for d in t.districts[province] if d in t.dissolved)
    level5 = t.level5[len(t.level5) // 2] if t.level5 else t.moved_cdcs[0]
    return {
        "tld": t.tld,
        "province": province,
        "district": district,
        "ended": ended,
        "cdcs": t.moved_cdcs[len(t.moved_cdcs) // 2],
        "level5": level5,
    }


def run_benchmarks(t: Tree, reps: int, show_plans: bool) -> dict[str, int]:
    from django.db import connection

    from congdoan.accounts.scope import Scope, ScopeRoot
    from congdoan.org import tree
    from congdoan.org.models import OrgUnit

    s = pick_subjects(t)
    code = dict(OrgUnit.objects.filter(pk__in=s.values()).values_list("pk", "code"))
    print("\nsubjects: " + ", ".join(f"{k}={code[v]}" for k, v in s.items()))
    heavy = max(5, reps // 4)
    out: list[common.Timing] = []

    def scope(root: int, until: dt.date | None = None) -> Scope:
        return Scope(roots=[ScopeRoot(root, "officer", until is None, until)], today=AFTER)

    # 1–2. subtree of U as of D
    for label, key in (("district", "district"), ("ended district", "ended"), ("province", "province")):
        for day in (BEFORE, AFTER):
            out.append(
                common.measure(
                    f"subtree_ids({label}, {day})", lambda k=key, d=day: tree.subtree_ids(s[k], d), reps
                )
            )
    for day in (BEFORE, AFTER):
        out.append(
            common.measure(f"tree_rows(nation, {day})", lambda d=day: tree.tree_rows([s["tld"]], d), heavy)
        )
    # 3. ancestors
    for label, key in (("moved CĐCS", "cdcs"), ("level-5 unit", "level5")):
        for day in (BEFORE, AFTER):
            out.append(
                common.measure(
                    f"ancestor_ids({label}, {day})", lambda k=key, d=day: tree.ancestor_ids(s[k], d), reps
                )
            )
    # 4. the scoped list query, as the register pages run it
    for label, key in (("district", "district"), ("province", "province")):
        q = scope(s[key]).unit_q(AFTER)
        out.append(
            common.measure(
                f"scoped count({label}, {AFTER})", lambda q=q: OrgUnit.objects.filter(q).count(), reps
            )
        )
        out.append(
            common.measure(
                f"scoped page 50 by code({label})",
                lambda q=q: list(OrgUnit.objects.filter(q).order_by("code")[:50]),
                reps,
            )
        )
    q = scope(s["ended"], until=REFORM - dt.timedelta(days=1)).unit_q(AFTER)
    out.append(
        common.measure(
            "scoped count(ended district, read-only)", lambda: OrgUnit.objects.filter(q).count(), reps
        )
    )
    # 5. ever in subtree
    out.append(
        common.measure(
            "subtree_ever(province, all time)",
            lambda: fetch_ids(*tree.subtree_ever_sql(s["province"], None, None)),
            reps,
        )
    )
    out.append(
        common.measure(
            "subtree_ever(ended district, ..2025-07-01)",
            lambda: fetch_ids(*tree.subtree_ever_sql(s["ended"], None, REFORM)),
            reps,
        )
    )
    common.print_table(out, "Tree selectors (ms per call, including fetching the rows into Python)")

    # 6. raw floors
    floors: list[common.Timing] = []
    ratios: list[str] = []
    pairs = (
        (
            "district",
            lambda: tree.subtree_ids(s["district"], AFTER),
            lambda: bfs_floor(s["district"], AFTER),
            reps,
        ),
        (
            "province",
            lambda: tree.subtree_ids(s["province"], AFTER),
            lambda: bfs_floor(s["province"], AFTER),
            reps,
        ),
        ("nation", lambda: tree.tree_rows([s["tld"]], AFTER), all_ids, heavy),
    )
    for label, cte, floor, n in pairs:
        a = common.measure(f"CTE   {label} ({AFTER})", cte, n)
        floor_label = "SELECT id FROM org_orgunit" if label == "nation" else "BFS per level, indexed IN (...)"
        b = common.measure(f"floor {label}: {floor_label}", floor, n)
        if label != "nation":
            same = set(cte()) == floor()
            b.note = "same ids" if same else "DIFFERENT ids!"
        floors += [a, b]
        ratios.append(f"{label} {a.median / b.median:.2f}x")
    common.print_table(floors, "Raw floor")
    print("CTE / floor (median): " + ", ".join(ratios))

    if show_plans:
        print("\nQuery plans")
        for title, (sql, params) in (
            (f"subtree_sql(district, {AFTER})", tree.subtree_sql([s["district"]], AFTER)),
            (
                f"ancestors(moved CĐCS, {AFTER})",
                (_ancestor_sql(), [s["cdcs"], *[connection.ops.adapt_datefield_value(AFTER)] * 2]),
            ),
            ("subtree_ever_sql(province)", tree.subtree_ever_sql(s["province"], None, None)),
        ):
            print(f"-- {title}\n{explain(sql, params)}")
        page = OrgUnit.objects.filter(id__in=tree.in_subtree([s["district"]], AFTER)).order_by("code")[:50]
        page_sql, page_params = page.query.sql_with_params()
        print(f"-- scoped page 50 by code(district)\n{explain(page_sql, list(page_params))}")
    return s


def sqlite_stats_section(s: dict[str, int], reps: int) -> None:
    """SQLite only: the same selectors once ``sqlite_stat1`` exists (after ANALYZE / PRAGMA optimize).

    With statistics, SQLite (3.38+) puts a Bloom filter on ``org_orglink`` in the CTE's recursive
    step — built by scanning the whole link table on every call. ``rowid IN (...)`` in the join is
    a candidate rewrite that keeps the plan an index search.
    """
    from congdoan.org import tree

    analyze()
    day = connection_day(AFTER)
    rowid_in = (
        "WITH RECURSIVE sub(id) AS ("
        " SELECT id FROM org_orgunit WHERE id IN (%s)"
        " UNION"
        " SELECT l.child_id FROM sub JOIN org_orglink l"
        " ON l.id IN (SELECT x.id FROM org_orglink x WHERE x.parent_id = sub.id)"
        " WHERE l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to > %s)"
        ") SELECT id FROM sub"
    )
    out = [
        common.measure(
            f"subtree_ids(district, {AFTER})", lambda: tree.subtree_ids(s["district"], AFTER), reps
        ),
        common.measure(
            f"subtree_ids(province, {AFTER})", lambda: tree.subtree_ids(s["province"], AFTER), reps
        ),
        common.measure(
            f"ancestor_ids(moved CĐCS, {AFTER})", lambda: tree.ancestor_ids(s["cdcs"], AFTER), reps
        ),
        common.measure(
            "candidate: district, rowid IN (...) join",
            lambda: fetch_ids(rowid_in, [s["district"], day, day]),
            reps,
        ),
        common.measure(
            "candidate: province, rowid IN (...) join",
            lambda: fetch_ids(rowid_in, [s["province"], day, day]),
            reps,
        ),
    ]
    same = set(fetch_ids(rowid_in, [s["province"], day, day])) == tree.subtree_ids(s["province"], AFTER)
    out[-1].note = "same ids" if same else "DIFFERENT ids!"
    common.print_table(out, "SQLite after ANALYZE (sqlite_stat1 present, as after PRAGMA optimize)")
    sql, params = tree.subtree_sql([s["district"]], AFTER)
    print(f"-- plan of subtree_sql with statistics\n{explain(sql, params)}")


def connection_day(day: dt.date) -> object:
    from django.db import connection

    return connection.ops.adapt_datefield_value(day)


def _ancestor_sql() -> str:
    # Same text as tree.ancestor_ids, for EXPLAIN only.
    return (
        "WITH RECURSIVE anc(id, depth) AS ("
        " SELECT CAST(%s AS bigint), 0"
        " UNION ALL"
        " SELECT l.parent_id, anc.depth + 1 FROM org_orglink l JOIN anc ON l.child_id = anc.id"
        " WHERE l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to > %s) AND anc.depth < 32"
        ") SELECT id FROM anc WHERE depth > 0 ORDER BY depth"
    )


def run_one(args: argparse.Namespace) -> None:
    url = common.configure(args.db, NAME, args.pg_url)
    print(f"=== org tree benchmark: {args.db} ({url}) ===")
    print(common.describe_database())
    print(f"load average at the start: {common.load_average()}")
    try:
        seconds = common.migrate()
        print(f"migrate: {seconds:.1f} s")
        start = time.perf_counter()
        t = generate(args.units)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        load(t)
        loaded = time.perf_counter() - start
        rows = len(t.units) + len(t.links)
        print(
            f"generated {len(t.units):,} units and {len(t.links):,} links in {generated:.1f} s (Python),"
            f" loaded in {loaded:.1f} s = {rows / loaded:,.0f} rows/s"
        )
        from congdoan.org.models import OrgLink, OrgUnit

        open_links = OrgLink.objects.filter(valid_to__isnull=True).count()
        print(
            f"database: {OrgUnit.objects.count():,} units, {OrgLink.objects.count():,} links"
            f" ({open_links:,} open); {len(t.moved_cdcs):,} CĐCS moved on {REFORM},"
            f" {len(t.dissolved)} level-3 units ended 30/06/2025"
        )
        from django.db import connection

        # PostgreSQL's autovacuum analyzes a freshly loaded table; Django never runs ANALYZE on SQLite.
        stats = args.analyze == "yes" or (args.analyze == "auto" and connection.vendor == "postgresql")
        if stats:
            start = time.perf_counter()
            analyze()
            print(f"ANALYZE: {time.perf_counter() - start:.1f} s")
        else:
            print("no ANALYZE (no planner statistics)")
        for name in args.index:
            table, cols = EXTRA_INDEXES[name]
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE INDEX bench_{name} ON {table} ({cols})")
                if stats:
                    cursor.execute(f"ANALYZE {table}")
            print(f"extra index bench_{name} ON {table} ({cols})")
        subjects = run_benchmarks(t, args.reps, args.explain)
        if connection.vendor == "sqlite" and not stats:
            sqlite_stats_section(subjects, args.reps)
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
    parser.add_argument(
        "--units", type=int, default=150_000, help="about how many org units (default 150000)"
    )
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres", "both", "auto"],
        default="auto",
        help="auto = SQLite, and PostgreSQL too when it is reachable (default)",
    )
    parser.add_argument(
        "--reps", type=int, default=20, help="timed runs per query (full-tree walks: a quarter)"
    )
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", common.DEFAULT_PG_URL))
    parser.add_argument("--explain", action="store_true", help="print the query plans of the main selectors")
    parser.add_argument(
        "--index",
        action="append",
        default=[],
        choices=sorted(EXTRA_INDEXES),
        help="create this extra index (raw SQL, bench database only) before timing",
    )
    parser.add_argument(
        "--analyze",
        choices=["auto", "yes", "no"],
        default="auto",
        help="ANALYZE after loading: auto = on PostgreSQL only (as autovacuum would), not on SQLite",
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()

    if args.db in ("both", "auto"):
        targets = ["sqlite"]
        if args.db == "both" or common.pg_reachable(args.pg_url):
            targets.append("postgres")
        else:
            print("PostgreSQL not reachable: SQLite only.")
        status = 0
        for db in targets:
            argv = [a for a in sys.argv[1:] if not a.startswith("--db")]
            if "--db" in sys.argv[1:]:
                i = sys.argv.index("--db")
                argv = sys.argv[1:i] + sys.argv[i + 2 :]
            status |= subprocess.call([sys.executable, __file__, *argv, "--db", db])
            print()
        raise SystemExit(status)
    run_one(args)


if __name__ == "__main__":
    main()
