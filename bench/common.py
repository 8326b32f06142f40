"""Shared plumbing for the benchmarks in ``bench/``: a throw-away database, timing, a table.

Benchmarks print figures; they never assert on time. Each one points Django at its own database
(an SQLite file under ``var/bench/`` or a ``congdoan_bench`` PostgreSQL database) that it creates
and removes itself, so it can never touch a developer's or a test run's data.

``configure()`` must run before anything imports Django models.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_VAR_DIR = PROJECT_DIR / "var" / "bench"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench"

if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))


# -- databases -------------------------------------------------------------------------------------
def _pg_admin_url(url: str) -> tuple[str, str]:
    """``(url of the maintenance database "postgres", name of the bench database)``."""
    base, _, name = url.rpartition("/")
    name = name.split("?", 1)[0]
    if not name:
        raise SystemExit(f"no database name in {url!r}")
    return f"{base}/postgres", name


def pg_reachable(url: str = DEFAULT_PG_URL) -> bool:
    try:
        import psycopg

        admin, _ = _pg_admin_url(url)
        with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except Exception:
        return False


def pg_recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _pg_admin_url(url)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def sqlite_path(name: str) -> Path:
    return BENCH_VAR_DIR / f"{name}.sqlite3"


def sqlite_remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def configure(db: str, name: str, pg_url: str = DEFAULT_PG_URL) -> str:
    """Point Django at a fresh bench database and set it up; returns the database URL used."""
    if db == "sqlite":
        path = sqlite_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        sqlite_remove(path)
        url = f"sqlite:///{path}"
    elif db == "postgres":
        pg_recreate(pg_url)
        url = pg_url
    else:
        raise SystemExit(f"unknown database {db!r}")
    return _setup_django(url)


def database_exists(db: str, name: str, pg_url: str = DEFAULT_PG_URL) -> bool:
    """Whether a bench database kept by an earlier ``--keep`` run is there to reuse."""
    if db == "sqlite":
        return sqlite_path(name).exists()
    try:
        import psycopg

        with psycopg.connect(pg_url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except Exception:
        return False


def attach(db: str, name: str, pg_url: str = DEFAULT_PG_URL) -> str:
    """Point Django at a kept bench database as it is (no recreation); returns its URL."""
    return _setup_django(f"sqlite:///{sqlite_path(name)}" if db == "sqlite" else pg_url)


def _setup_django(url: str) -> str:
    """Set ``DJANGO_SETTINGS_MODULE`` and ``DATABASE_URL`` before ``django.setup()``; DEBUG is off so
    Django does not keep every query in memory (and timings match production)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "congdoan.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "off"
    # Production settings want a real key; the bench database holds nothing worth signing.
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "off")
    import django

    django.setup()
    return url


def teardown(db: str, name: str, pg_url: str = DEFAULT_PG_URL) -> None:
    from django.db import connection

    connection.close()
    if db == "postgres":
        pg_recreate(pg_url, drop_only=True)
    else:
        sqlite_remove(sqlite_path(name))


def migrate() -> float:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - start


def describe_database() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    import django

    return (
        f"{version} · Django {django.get_version()} · Python {platform.python_version()}"
        f" · {os.cpu_count()} CPU"
    )


def load_average() -> str:
    """The 1/5/15-minute load average: the figures are only as quiet as the machine was."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# -- timing ----------------------------------------------------------------------------------------
@dataclass
class Timing:
    label: str
    rows: int
    times_ms: list[float]
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        # Nearest-rank p95: with 20 runs this is the 19th fastest.
        return ordered[max(0, min(len(ordered) - 1, -(-95 * len(ordered) // 100) - 1))]


def measure(label: str, fn: Callable[[], Any], reps: int, warmup: int = 2, note: str = "") -> Timing:
    """Run ``fn`` ``warmup`` times untimed, then ``reps`` times; ``rows`` is ``len()`` of its result."""
    result: Any = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    rows = result if isinstance(result, int) else len(result)
    return Timing(label, rows, times, note)


def print_table(timings: list[Timing], title: str = "") -> None:
    width = max(len(t.label) for t in timings)
    if title:
        print(f"\n{title}")
    header = f"{'query':<{width}}  {'rows':>7}  {'median ms':>9}  {'p95 ms':>8}  {'n':>3}  note"
    print(header)
    print("-" * len(header))
    for t in timings:
        figures = f"{t.rows:>7}  {t.median:>9.2f}  {t.p95:>8.2f}  {len(t.times_ms):>3}"
        print(f"{t.label:<{width}}  {figures}  {t.note}".rstrip())


# -- a city to measure in --------------------------------------------------------------------------
@dataclass
class City:
    """The units ``build_city`` made: ``unit_ids`` in the order made (the city, then each district
    followed by its CĐCS)."""

    city: Any
    districts: list[Any]
    cdcs: list[Any]
    unit_ids: list[int]


def build_city(districts: int, cdcs: int, *, digits: int = 2) -> City:
    """The city federation ``HN``, ``districts`` districts ``D00``… and ``cdcs`` CĐCS under each
    (``D00-00``…, the CĐCS number on ``digits`` digits), made through the services since 01/01/2000."""
    from congdoan.org import services as org_services

    founded = dt.date(2000, 1, 1)
    city = org_services.unit_create(
        actor=None,
        code="HN",
        name="LĐLĐ thành phố",
        type="LDLD_TINH",
        parent=None,
        valid_from=founded,
        founded_on=founded,
    )
    made = City(city, [], [], [city.pk])
    for k in range(districts):
        district = org_services.unit_create(
            actor=None,
            code=f"D{k:02d}",
            name=f"LĐLĐ quận {k}",
            type="LDLD_HUYEN",
            parent=city,
            valid_from=founded,
            founded_on=founded,
        )
        made.districts.append(district)
        made.unit_ids.append(district.pk)
        for j in range(cdcs):
            unit = org_services.unit_create(
                actor=None,
                code=f"D{k:02d}-{j:0{digits}d}",
                name=f"CĐCS {k}-{j}",
                type="CDCS",
                parent=district,
                sector="DN_NGOAI_NHA_NUOC",
                valid_from=founded,
                founded_on=founded,
            )
            made.cdcs.append(unit)
            made.unit_ids.append(unit.pk)
    return made


def officer_of(unit: Any, username: str = "quan0") -> Any:
    """A user who is an officer of ``unit`` (the pages are measured as that user)."""
    from congdoan.accounts.models import Role, RoleAssignment, User

    officer = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(user=officer, unit=unit, role=Role.OFFICER)
    return officer


def run_on_database(args: Any, name: str, run: Callable[[Any], None]) -> None:
    """``configure`` the bench database of ``args.db`` / ``args.pg_url``, ``run(args)``, and remove
    the database afterwards unless ``args.keep``."""
    configure(args.db, name, args.pg_url)
    try:
        run(args)
    finally:
        if not args.keep:
            teardown(args.db, name, args.pg_url)


def prepare_pages() -> None:
    """Get ready to time pages with Django's test ``Client``: the test environment, static files
    without the manifest (no ``collectstatic`` in a bench), the database migrated (printed with the
    database and the load)."""
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"migrate: {migrate():.1f} s · {describe_database()} · load {load_average()}")
