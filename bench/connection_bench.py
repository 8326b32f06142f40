"""A request's cost of opening its database connection: pages served through Django's WSGI handler
(as gunicorn calls it) with ``CONN_MAX_AGE`` 0 (a new connection per request, Django's default) and
with the project's setting (``DATABASE_CONN_MAX_AGE``, connections kept), alternating.

    .venv/bin/python bench/connection_bench.py                       # PostgreSQL on 127.0.0.1
    .venv/bin/python bench/connection_bench.py --db sqlite --rounds 20

Django's test ``Client`` keeps the connection between requests whatever the setting, so the other page
benches cannot see this cost: here every request ends as in production (``request_finished`` closes
the connection unless it is kept). Builds its own small database: a city, 2 districts of 5 CĐCS, an
officer of the city; times the sign-in page (no session) and the unit list of the signed-in officer.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAME = "connection_bench"
# label: (path, signed in)
PAGES = {
    "sign-in page (anonymous)": ("/tai-khoan/dang-nhap/", False),
    "units (signed in)": ("/don-vi/", True),
}


def serve(handler: Any, path: str, cookie: str) -> float:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    status: list[Any] = []
    start = time.perf_counter()
    response = handler(environ, lambda s, headers, exc_info=None: status.append((s, headers)))
    b"".join(response)
    response.close()  # request_finished: the connection closed unless it is kept
    took = (time.perf_counter() - start) * 1000
    if not status[0][0].startswith("200"):
        raise SystemExit(f"{path}: {status[0]}")
    return took


def run(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import Client

    print(f"=== a request's database connection: {connection.vendor} ===")
    print(common.describe_database())
    settings.STORAGES = {  # no collectstatic in a bench: static files without the manifest
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    common.migrate()
    city = common.build_city(2, 5)
    officer = common.officer_of(city.city)
    client = Client()
    client.force_login(officer)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    kept = settings.DATABASES["default"]["CONN_MAX_AGE"]
    handler = WSGIHandler()
    opened = [0]
    connection_created.connect(lambda **kw: opened.__setitem__(0, opened[0] + 1), weak=False)
    times: dict[tuple[str, int], list[float]] = {(page, age): [] for page in PAGES for age in (0, kept)}
    for r in range(args.rounds + 1):
        for age in (0, kept) if r % 2 == 0 else (kept, 0):
            connection.settings_dict["CONN_MAX_AGE"] = age
            connection.close()  # the next connection opened under this setting
            for k in range(args.per_round + 1):
                for page, (path, signed_in) in PAGES.items():
                    took = serve(handler, path, cookie if signed_in else "")
                    if r and k:  # a round of warm-up; the first request of a block opens anyway
                        times[(page, age)].append(took)
    n = args.rounds * args.per_round
    print(f"\nms per request, median / p95 of {n} each (CONN_MAX_AGE 0 and {kept}, alternating)")
    print(f"{'page':<28}{'new connection':>18}{'kept':>16}{'saved':>9}")
    for page in PAGES:
        new, reused = common.Timing(page, 1, times[(page, 0)]), common.Timing(page, 1, times[(page, kept)])
        print(
            f"{page:<28}{new.median:>9.2f} / {new.p95:>6.2f}{reused.median:>8.2f} / {reused.p95:>5.2f}"
            f"{new.median - reused.median:>9.2f}"
        )
    print(f"connections opened: {opened[0]}; load average: {common.load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/congdoan_bench_connection")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--per-round", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    common.run_on_database(parser.parse_args(), NAME, run)


if __name__ == "__main__":
    main()
