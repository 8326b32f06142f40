"""Benchmark member search at a million members, and the member list of a 50,000-member district.

    .venv/bin/python bench/members_search_bench.py                      # SQLite, plus PostgreSQL if reachable
    .venv/bin/python bench/members_search_bench.py --db postgres --explain
    .venv/bin/python bench/members_search_bench.py --members 100000 --db sqlite   # a quick look

For each database, in its own process: a fresh bench database (SQLite ``var/bench/members_search_bench
.sqlite3``; PostgreSQL ``congdoan_bench_search``), migrated, with 1 city federation → 20 districts →
10,000 CĐCS (500 per district) and ``--members`` people (default 1,000,000: 50,000 per district),
one membership each. The people are those of ``members_import_bench`` (``congdoan.members.demo.
MemberFaker``, seed 7), normalised as the importer stores them (``member_import._Names`` for the
name and its keys, ``validation.normalize_phone``) and inserted **raw**: ``executemany`` on SQLite,
``COPY`` on PostgreSQL, into the real tables with all their indexes (PostgreSQL: the trigram GIN
indexes of ``members/0002``). PostgreSQL is VACUUMed and ANALYZEd (autovacuum would do it); SQLite
is not (Django never runs ANALYZE), unless ``--analyze yes``.

1. **Search**: 200 queries typed as officers type them (accent-free names "nguyen thi huong",
   fragments "tran van", names with accents "hương", ≥ 4 digits of a CCCD or phone, card numbers;
   words match names at word starts, so every query, made from a stored name, finds it),
   each ``list(membership_list(user=<officer>, search=q)[:50])`` — the first page of the list,
   Vietnamese order — after one untimed pass over all of them; plus the count the list page and the
   API show for a search after its first page (``pagination.capped_count``, exact up to
   ``SEARCH_COUNT_CAP``, "more than" above: of the list itself when it holds its matches or a name
   search knows how many it read — ``selectors.counts_from_list``, ``matches_seen`` — else of
   ``membership_list(..., for_count=True)``); ``median hits`` is the exact ``count()``, untimed.
   Median and p95 (nearest rank) per query type and overall. Twice: as the city officer (the whole
   million), and as a district officer (50,000; the queries made from the district's members).
   Goal: p95 < 100 ms on PostgreSQL.
2. **The same searches in the view** (``--parts view-search``): the 200 queries of each officer as
   ``GET /doan-vien/?q=…&so_dong=25`` through ``django.test.Client``, one request each after one
   untimed pass (the scope, the search, the count and the 25 rows rendered), median and p95 per query
   type and overall, and the plain list (no search). Goal: p95 < 100 ms for both officers.
3. **List page**: a district officer (50,000 members): ``membership_list(user=...)`` page 1 and
   page 100 at 25 and 100 rows, and its ``count()``; then the real view ``/doan-vien/`` through
   ``django.test.Client`` (``force_login``) with ``so_dong=25`` and ``so_dong=100``, its SQL queries
   counted with ``CaptureQueriesContext``: the count must not depend on the page size.

``--parts search,view-search,list`` chooses what to time (default: all).
``--explain`` prints EXPLAIN ANALYZE (PostgreSQL) / EXPLAIN QUERY PLAN (SQLite) of one query per type.
``--keep`` keeps the database and ``--reuse`` reuses a kept one (skips the load).
Figures go in ``bench/README.md`` ("Members search and list").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from congdoan.members.demo import MemberFaker

NAME = "members_search_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_search"
DISTRICTS = 20
CDCS_PER_DISTRICT = 500  # 10,000 CĐCS
FOUNDED = dt.date(1990, 1, 1)
BATCH = 20_000
QUERY_SEED = 11
PAGE = 50  # rows of the first page in the search timing
PARTS = ("search", "view-search", "list")  # --parts: selector searches, the same through the view, list page
# Query types and how many of each (200 in all).
MIX = [
    ("name, no accents (full)", 40),
    ("family + middle (tran van)", 25),
    ("middle + given (thi huong)", 20),
    ("given name, accents (hương)", 25),
    ("CCCD fragment (4-8 digits)", 30),
    ("phone fragment (4-7 digits)", 30),
    ("card number digits", 15),
    ("card number as printed (TD…)", 15),
]


# -- loading ---------------------------------------------------------------------------------------------


def load_units() -> None:
    from congdoan.accounts.models import Role, RoleAssignment, User
    from congdoan.org.models import OrgLink, OrgUnit, unit_search_key

    def unit(code: str, name: str, type_: str) -> OrgUnit:
        return OrgUnit(
            code=code, name=name, type=type_, founded_on=FOUNDED, search_key=unit_search_key(code, name)
        )

    city = unit("BS", "LĐLĐ thành phố Bench", "LDLD_TINH")
    city.save()
    districts = OrgUnit.objects.bulk_create(
        [unit(f"BS-H{d:02d}", f"LĐLĐ quận số {d}", "LDLD_HUYEN") for d in range(1, DISTRICTS + 1)]
    )
    cdcs = OrgUnit.objects.bulk_create(
        [unit(cdcs_code(i), f"CĐCS Công ty số {i}", "CDCS") for i in range(DISTRICTS * CDCS_PER_DISTRICT)],
        batch_size=2000,
    )
    links = [OrgLink(child=d, parent=city, valid_from=FOUNDED) for d in districts]
    links += [
        OrgLink(child=c, parent=districts[i // CDCS_PER_DISTRICT], valid_from=FOUNDED)
        for i, c in enumerate(cdcs)
    ]
    OrgLink.objects.bulk_create(links, batch_size=2000)
    city_officer = User.objects.create_user(username="bench_city", password="x")
    RoleAssignment.objects.create(user=city_officer, unit=city, role=Role.FEDERATION_OFFICER)
    district_officer = User.objects.create_user(username="bench_district", password="x")
    RoleAssignment.objects.create(user=district_officer, unit=districts[0], role=Role.OFFICER)


def cdcs_code(i: int) -> str:
    return f"BS{i:05d}"


def member_rows(n: int, cdcs_ids: list[int]) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(person, membership) rows as the importer stores them; member i is in CĐCS ``i mod 10,000``
    (so the first district's 500 CĐCS hold ``n / 20`` members)."""
    from django.utils import timezone

    from congdoan.core.formatting import parse_date
    from congdoan.members import validation
    from congdoan.members.member_import import _Names

    faker = MemberFaker(random.Random(7))
    names = _Names()
    now = timezone.now()
    for i in range(n):
        _code, raw, birth, gender, cccd, phone, join, card, ethnicity = faker.row(i, lambda: "")
        name, search_key, sort_key = names.clean(raw)
        person = (
            i + 1, name, parse_date(birth), "F" if gender == "Nữ" else "M", cccd, len(cccd) == 9,
            validation.normalize_phone(phone), "", ethnicity, "", "", "", "VN", None, search_key, sort_key,
            now, now,
        )  # fmt: skip
        membership = (
            i + 1, i + 1, cdcs_ids[i % len(cdcs_ids)], parse_date(join), card or None, "active", None, "",
            None, now,
        )  # fmt: skip
        yield person, membership


PERSON_COLUMNS = (
    "id, full_name, birth_date, gender, cccd, legacy_id, phone, email, ethnicity, education, job, address, "
    "nationality, contract_months, search_key, sort_key, created_at, updated_at"
)
MEMBERSHIP_COLUMNS = (
    "id, person_id, cdcs_id, join_date, card_number, status, end_date, end_reason, transferred_from_id, "
    "created_at"
)


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.isoformat(" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def load_members(n: int) -> float:
    """Insert ``n`` members raw (executemany / COPY) in batches; returns seconds."""
    from django.db import connection

    from congdoan.org.models import OrgUnit

    cdcs_ids = list(OrgUnit.objects.filter(type="CDCS").order_by("code").values_list("pk", flat=True))
    connection.ensure_connection()
    raw: Any = connection.connection
    rows = member_rows(n, cdcs_ids)
    start = time.perf_counter()
    done = 0
    while done < n:
        batch = [next(rows) for _ in range(min(BATCH, n - done))]
        people = [p for p, _ in batch]
        memberships = [m for _, m in batch]
        if connection.vendor == "sqlite":
            raw.execute("BEGIN IMMEDIATE")
            marks_p = ", ".join("?" * len(people[0]))
            marks_m = ", ".join("?" * len(memberships[0]))
            raw.executemany(
                f"INSERT INTO members_person ({PERSON_COLUMNS}) VALUES ({marks_p})",
                [tuple(_sqlite_value(v) for v in r) for r in people],
            )
            raw.executemany(
                f"INSERT INTO members_membership ({MEMBERSHIP_COLUMNS}) VALUES ({marks_m})",
                [tuple(_sqlite_value(v) for v in r) for r in memberships],
            )
            raw.execute("COMMIT")
        else:
            with raw.transaction(), raw.cursor() as cur:
                with cur.copy(f"COPY members_person ({PERSON_COLUMNS}) FROM STDIN") as copy:
                    for row in people:
                        copy.write_row(row)
                with cur.copy(f"COPY members_membership ({MEMBERSHIP_COLUMNS}) FROM STDIN") as copy:
                    for row in memberships:
                        copy.write_row(row)
        done += len(batch)
        if done % 200_000 == 0 or done == n:
            print(f"  loaded {done:,} members in {time.perf_counter() - start:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with raw.cursor() as cur:
            for table in ("members_person", "members_membership"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})")
        raw.commit()
    return time.perf_counter() - start


def analyze() -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As autovacuum does after a load (insert-only tables too): statistics, and the visibility
            # map that lets walks of the name order read the covering index alone (members/0008).
            cursor.execute("VACUUM (ANALYZE) members_person, members_membership")
        cursor.execute("ANALYZE")
    return time.perf_counter() - start


# -- queries ---------------------------------------------------------------------------------------------


def build_queries(officer: Any) -> list[tuple[str, str]]:
    """200 (type, text) queries made from members in the officer's scope, as officers would type them."""
    from congdoan.core.text import fold
    from congdoan.members.selectors import membership_list

    rng = random.Random(QUERY_SEED)
    ids = sorted(membership_list(user=officer, for_count=True).values_list("pk", flat=True))
    ids = sorted(rng.sample(ids, min(len(ids), 2000)))
    sample = list(
        membership_list(user=officer)
        .filter(pk__in=ids)
        .select_related("person")
        .order_by("pk")
        .values_list("person__full_name", "person__cccd", "person__phone", "card_number")
    )
    queries: list[tuple[str, str]] = []

    def pick(pred: Callable[[tuple[Any, ...]], bool]) -> tuple[Any, ...]:
        while True:
            row = rng.choice(sample)
            if pred(row):
                return row

    for kind, count in MIX:
        for _ in range(count):
            if kind.startswith("name, no accents"):
                text = fold(pick(lambda r: len(r[0].split()) >= 3)[0])
            elif kind.startswith("family + middle"):
                text = " ".join(fold(pick(lambda r: True)[0]).split()[:2])
            elif kind.startswith("middle + given"):
                text = " ".join(fold(pick(lambda r: True)[0]).split()[-2:])
            elif kind.startswith("given name"):
                text = pick(lambda r: True)[0].split()[-1].lower()
            elif kind.startswith("CCCD"):
                cccd = pick(lambda r: r[1] and len(r[1]) == 12)[1]
                size = rng.randint(4, 8)
                start = rng.randrange(len(cccd) - size + 1)
                text = cccd[start : start + size]
            elif kind.startswith("phone"):
                phone = pick(lambda r: bool(r[2]))[2]
                size = rng.randint(4, 7)
                start = rng.randrange(len(phone) - size + 1)
                text = phone[start : start + size]
                if size >= 6 and rng.random() < 0.3:  # typed with a space or a dot, as on a paper list
                    text = text[:3] + rng.choice([" ", "."]) + text[3:]
            elif kind.startswith("card number digits"):
                card = pick(lambda r: bool(r[3]))[3]
                text = card[2:].lstrip("0") if rng.random() < 0.5 else card[-rng.randint(5, 8) :]
            else:
                text = pick(lambda r: bool(r[3]))[3]
            queries.append((kind, text))
    return queries


def _sql(qs: Any) -> tuple[str, tuple[Any, ...]]:
    from django.db import connection

    compiler = qs.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    return sql, tuple(params)


def explain(qs: Any) -> str:
    from django.db import connection

    sql, params = _sql(qs)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return "\n".join("    " + row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join("    " + str(row[-1]) for row in cursor.fetchall())


def pct(times: list[float], p: int) -> float:
    ordered = sorted(times)
    return ordered[max(0, min(len(ordered) - 1, -(-p * len(ordered) // 100) - 1))]


def median(times: list[float]) -> float:
    ordered = sorted(times)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def run_search(args: argparse.Namespace, username: str, who: str) -> None:
    from congdoan.accounts.models import User
    from congdoan.members.pagination import SEARCH_COUNT_CAP, capped_count
    from congdoan.members.selectors import counts_from_list, matches_seen, membership_list

    officer = User.objects.get(username=username)
    queries = build_queries(officer)
    who += f" ({membership_list(user=officer).count():,} members)"

    listed: dict[str, Any] = {}

    def first_page(text: str) -> list[Any]:
        officer._congdoan_scope = None  # as a new request: the scope (and what it keeps) read afresh
        listed[text] = membership_list(user=officer, search=text)
        return list(listed[text][:PAGE])

    def count(text: str) -> int:
        """As the list page and the API count a search, after its first page: capped, from the list if
        it holds its matches or knows how many it read, else from the ``for_count`` form."""
        qs = listed[text]
        if not (counts_from_list(qs) or matches_seen(qs) is not None):
            qs = membership_list(user=officer, search=text, for_count=True)
        return capped_count(qs)[0]

    def hits(text: str) -> int:  # untimed: the exact number of matches
        return membership_list(user=officer, search=text).count()

    for _kind, text in queries:  # warm-up pass (caches), untimed
        first_page(text)
    page_ms: dict[str, list[float]] = defaultdict(list)
    count_ms: dict[str, list[float]] = defaultdict(list)
    found: dict[str, list[int]] = defaultdict(list)
    empty: dict[str, int] = defaultdict(int)
    slowest: list[tuple[float, str, str]] = []
    for kind, text in queries:
        start = time.perf_counter()
        rows = first_page(text)
        elapsed = (time.perf_counter() - start) * 1000
        page_ms[kind].append(elapsed)
        slowest.append((elapsed, kind, text))
        start = time.perf_counter()
        count(text)
        count_ms[kind].append((time.perf_counter() - start) * 1000)
        empty[kind] += not rows
    for kind, text in queries:  # after the timing: exact counts read much and would evict the caches
        found[kind].append(hits(text))
    print(
        f"\nSearch: {len(queries)} queries as {who}, membership_list(search=q)[:{PAGE}] (list);"
        f" count = capped_count as the list page counts (from the list, or the for_count form),"
        f" cap {SEARCH_COUNT_CAP:,}"
    )
    header = (
        f"{'query type':<30} {'n':>3} {'median hits':>11} {'empty':>5} {'page median':>11} {'page p95':>9}"
        f" {'count median':>12} {'count p95':>9}"
    )
    print(header)
    print("-" * len(header))
    all_page: list[float] = []
    all_count: list[float] = []
    for kind, _n in MIX:
        all_page += page_ms[kind]
        all_count += count_ms[kind]
        print(
            f"{kind:<30} {len(page_ms[kind]):>3} {median([float(x) for x in found[kind]]):>11,.0f}"
            f" {empty[kind]:>5} {median(page_ms[kind]):>11.1f} {pct(page_ms[kind], 95):>9.1f}"
            f" {median(count_ms[kind]):>12.1f} {pct(count_ms[kind], 95):>9.1f}"
        )
    print(
        f"{'overall':<30} {len(all_page):>3} {'':>11} {sum(empty.values()):>5} {median(all_page):>11.1f}"
        f" {pct(all_page, 95):>9.1f} {median(all_count):>12.1f} {pct(all_count, 95):>9.1f}"
    )
    print("slowest first pages: " + "; ".join(f"{t:.0f} ms {q!r}" for t, _k, q in sorted(slowest)[-5:]))
    examples: dict[str, str] = {}
    for kind, text in queries:
        examples.setdefault(kind, text)
    print("examples: " + "; ".join(f"{k.split(' (')[0]}: {t!r}" for k, t in examples.items()))
    if args.explain:
        for kind, text in examples.items():
            print(f"\n-- plan: {kind}: {text!r} (first page)")
            print(explain(membership_list(user=officer, search=text)[:PAGE]))


def _view_storages() -> dict[str, Any]:
    """DEBUG is off: the manifest storage would need collectstatic; the plain one renders the same page."""
    from django.conf import settings

    return {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def run_view_search(args: argparse.Namespace, username: str) -> None:
    """The 200 queries of ``run_search`` through the real view, first page of 25 (``?q=…&so_dong=25``):
    median and p95 per query type and overall, after one untimed pass; and the plain list."""
    from urllib.parse import urlencode

    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from congdoan.accounts.models import User
    from congdoan.core.process import settle

    officer = User.objects.get(username=username)
    queries = build_queries(officer)
    if os.environ.get("BENCH_NO_SETTLE") != "1":
        settle()  # as the server's process is set up (congdoan/wsgi.py); BENCH_NO_SETTLE=1: as before
    client = Client()
    client.force_login(officer)
    url = reverse("members:list")

    def get(query: str) -> float:
        start = time.perf_counter()
        response = client.get(f"{url}?{query}")
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url}?{query}: HTTP {response.status_code}")
        return elapsed

    with override_settings(STORAGES=_view_storages()):
        searches = [(kind, urlencode({"q": text, "so_dong": 25})) for kind, text in queries]
        for _kind, query in searches:  # warm-up pass, untimed
            get(query)
        by_kind: dict[str, list[float]] = defaultdict(list)
        for kind, query in searches:
            by_kind[kind].append(get(query))
        plain = [get("so_dong=25") for _ in range(max(5, args.reps // 2))]
    print(f"\nThe view {url}?q=…&so_dong=25 as {username}: the {len(queries)} queries, one request each")
    header = f"{'query type':<30} {'n':>3} {'median ms':>9} {'p95 ms':>8}"
    print(header)
    print("-" * len(header))
    every: list[float] = []
    for kind, _n in MIX:
        every += by_kind[kind]
        print(
            f"{kind:<30} {len(by_kind[kind]):>3} {median(by_kind[kind]):>9.1f} {pct(by_kind[kind], 95):>8.1f}"
        )
    print(f"{'overall (searches)':<30} {len(every):>3} {median(every):>9.1f} {pct(every, 95):>8.1f}")
    print(f"{'plain list (no search)':<30} {len(plain):>3} {median(plain):>9.1f} {pct(plain, 95):>8.1f}")
    print(f"load average: {common.load_average()}")


def run_list(args: argparse.Namespace) -> None:
    from django.test.utils import override_settings

    from congdoan.accounts.models import User
    from congdoan.members.selectors import membership_list

    officer = User.objects.get(username="bench_district")
    total = membership_list(user=officer).count()
    print(f"\nList page: the district officer's members ({total:,} active), membership_list(user=...) slices")
    timings: list[common.Timing] = []
    for size in (25, 100):
        for page in (1, 100):
            lo = (page - 1) * size

            def rows(lo: int = lo, size: int = size) -> list[Any]:
                return list(membership_list(user=officer)[lo : lo + size])

            timings.append(common.measure(f"page {page} of {size}", rows, args.reps))
    timings.append(common.measure("count()", lambda: membership_list(user=officer).count(), args.reps))
    common.print_table(timings)
    if args.explain:
        print("\n-- plan: page 100 of 100")
        print(explain(membership_list(user=officer)[9900:10000]))

    with override_settings(STORAGES=_view_storages()):
        _view_queries(args, officer)
        # The goal holds "in the view as well as the selector" for both officers (issue 18).
        _view_queries(args, User.objects.get(username="bench_city"))


def _view_queries(args: argparse.Namespace, officer: Any) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(officer)
    url = reverse("members:list")
    print(f"\nThe view {url} as {officer.username} (django.test.Client, force_login), queries per request")
    counts: dict[str, int] = {}
    view_timings: list[common.Timing] = []
    plain = ("so_dong=25", "so_dong=100", "so_dong=25&page=100", "so_dong=100&page=100")
    # Searches (the total is capped: "Hơn 1.000 đoàn viên khớp"): a common given name, a family +
    # middle name, a 4-digit fragment with ~9,000 hits in the city (~450 in the district).
    searches = ("q=h%C6%B0%C6%A1ng&so_dong=25", "q=h%C6%B0%C6%A1ng&so_dong=100", "q=nguyen+van&so_dong=25")
    searches += ("q=nguyen+van&so_dong=100", "q=0101&so_dong=25", "q=0101&so_dong=100")
    for query in plain + searches:
        client.get(f"{url}?{query}")  # warm-up (session, caches)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{url}?{query}")
        if response.status_code != 200:
            raise SystemExit(f"GET {url}?{query}: HTTP {response.status_code}")
        counts[query] = len(ctx.captured_queries)
        reps = max(5, args.reps // 4)

        def get(q: str = query) -> bytes:
            return client.get(f"{url}?{q}").content

        label = f"GET ?{query}"
        view_timings.append(common.measure(label, get, reps, warmup=1, note=f"{counts[query]} queries"))
    common.print_table(view_timings)
    print("(rows = bytes of HTML)")
    by_search: dict[str, set[int]] = defaultdict(set)
    for q, n in counts.items():
        by_search[q.split("&so_dong")[0] if q.startswith("q=") else ""].add(n)
    same = all(len(ns) == 1 for ns in by_search.values())
    print(
        "queries per request: "
        + ", ".join(f"?{q}: {n}" for q, n in counts.items())
        + (
            " — for each search, the same whatever the page size"
            if same
            else " — DIFFERENT: grows with the page size"
        )
    )
    if not same or args.explain:
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"{url}?so_dong=100")
        for captured in ctx.captured_queries:
            print("    " + re.sub(r"\s+", " ", captured["sql"])[:160])


# -- driver ----------------------------------------------------------------------------------------------


def run_one(args: argparse.Namespace) -> None:
    reuse = args.reuse and _exists(args)
    if reuse:
        url = _attach(args)
    else:
        url = common.configure(args.db, NAME, args.pg_url)
    print(f"=== members search benchmark: {args.db} ({url}) ===")
    print(common.describe_database())
    print(f"load average at the start: {common.load_average()}")
    from congdoan.members.models import Membership

    try:
        if reuse and Membership.objects.count() == args.members:
            print(f"reusing the kept database ({args.members:,} members)")
        else:
            if reuse:
                raise SystemExit("the kept database has another number of members: run without --reuse")
            print(f"migrate: {common.migrate():.1f} s")
            load_units()
            how = "executemany" if args.db == "sqlite" else "COPY"
            seconds = load_members(args.members)
            print(
                f"loaded {args.members:,} people + memberships raw ({how}, batches of {BATCH:,}) in"
                f" {seconds:.1f} s = {args.members / seconds:,.0f} members/s (generation included)"
            )
        from django.db import connection

        stats = args.analyze == "yes" or (args.analyze == "auto" and connection.vendor == "postgresql")
        if stats:
            print(f"(VACUUM) ANALYZE: {analyze():.1f} s")
        else:
            print("no ANALYZE (no planner statistics, as Django leaves SQLite)")
        from django.test.utils import override_settings

        # Fragments of CCCD/phone are searched by keepers of personal data only (a masked role finds
        # whole numbers: docs/members-search.md); the bench officers are made keepers so that the
        # fragment queries time the same plans as before.
        with override_settings(
            MEMBERS_PERSONAL_DATA_ROLES=["administrator", "cdcs_officer", "federation_officer", "officer"]
        ):
            if "search" in args.parts:
                run_search(args, "bench_city", "the city officer")
                run_search(args, "bench_district", "a district officer")
            if "view-search" in args.parts:  # the goal holds in the view too (issue 18)
                run_view_search(args, "bench_city")
                run_view_search(args, "bench_district")
        if "list" in args.parts:
            run_list(args)
        print(f"\nload average at the end: {common.load_average()}")
    finally:
        if args.keep or args.reuse:
            print(f"kept the bench database: {url}")
        else:
            common.teardown(args.db, NAME, args.pg_url)


def _exists(args: argparse.Namespace) -> bool:
    if args.db == "sqlite":
        return common.sqlite_path(NAME).exists()
    try:
        import psycopg

        with psycopg.connect(args.pg_url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except Exception:
        return False


def _attach(args: argparse.Namespace) -> str:
    url = f"sqlite:///{common.sqlite_path(NAME)}" if args.db == "sqlite" else args.pg_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "congdoan.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "off"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "off")
    import django

    django.setup()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000, help="members (default 1000000)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "auto"], default="auto")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_SEARCH_DATABASE_URL", PG_URL))
    parser.add_argument("--reps", type=int, default=20, help="timed runs per list-page slice (default 20)")
    parser.add_argument("--explain", action="store_true", help="print query plans")
    parser.add_argument("--analyze", choices=["auto", "yes", "no"], default="auto")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database (and keep it)")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        type=lambda s: [p for p in s.split(",") if p],
        help=f"what to time, comma-separated (default all: {','.join(PARTS)})",
    )
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
