"""Benchmark the server time of the main pages for the city officer on the demo (issue 12: < 500 ms).

    .venv/bin/python bench/pages_bench.py [--db postgres|sqlite] [--pg-url URL] [--scale 1.0] [--reps 5]

Builds a throw-away database (``bench/common.py``), loads the demo as ``congdoan demo --no-serve``
does (every registered demo loader, ``--scale`` of the ~3,000 CĐCS of LĐLĐ TP Hà Nội), signs in as
``thanhpho`` (the city officer) with Django's test client, and times each page's full request —
middleware, view, queries and template — after one warm-up: median and slowest of ``--reps`` runs,
with the queries and the size of the page. The raw floor is the cheapest page the app serves
(``/tai-khoan/dang-nhap/`` signed out): the ratio column says how many of those each page costs.
Figures go in ``bench/README.md`` (## Pages).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAME = "pages_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench_pages"
GOAL_MS = 500
PAGES = [
    ("Tổng quan", "/"),
    ("Cây tổ chức", "/cay-to-chuc/"),
    ("Đơn vị (TP)", "/don-vi/HN/"),
    ("Doanh nghiệp", "/doanh-nghiep/"),
    ("Cụm thi đua", "/cum-thi-dua/"),
    ("Phát triển tổ chức", "/phat-trien-to-chuc/"),
    ("Đoàn viên", "/doan-vien/"),
    ("Đoàn viên — tìm «nguyen»", "/doan-vien/?q=nguyen"),
    ("Kết nạp (biểu mẫu)", "/doan-vien/them/"),
    ("Thỏa ước", "/thoa-uoc/"),
    ("Thỏa ước sắp hết hạn", "/thoa-uoc/sap-het-han/"),
    ("CĐCS và thỏa ước", "/thoa-uoc/cdcs/"),
    ("Hội nghị, đối thoại", "/hoi-nghi/"),
    ("Đơn vị chưa tổ chức HN", "/hoi-nghi/don-vi/?status=not_held"),
    ("Chỉ tiêu (bảng)", "/chi-tieu/"),
    ("Chỉ tiêu giao", "/chi-tieu/giao/"),
    ("Nhập số liệu", "/chi-tieu/nhap/"),
    ("Chỉ tiêu theo đơn vị", "/chi-tieu/DV_KET_NAP/?unit=HN"),
    ("Báo cáo (xem trước TP)", "/bao-cao/HN/"),
    ("Nhập dữ liệu", "/nhap-du-lieu/"),
]


def _time(client: object, url: str, reps: int) -> tuple[float, float, int, int, int]:
    """(median ms, slowest ms, status, queries, bytes) of ``reps`` GETs after one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, secure=True)  # type: ignore[attr-defined]
    times = []
    queries = 0
    for _ in range(reps):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, secure=True)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(times), max(times), response.status_code, queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    if args.db == "postgres" and not common.pg_reachable(args.pg_url):
        raise SystemExit(f"PostgreSQL not reachable at {args.pg_url}")
    common.configure(args.db, NAME, args.pg_url)
    try:
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        # DEBUG is off (production timings) but nothing is collected: plain static URLs, no manifest.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        print(common.describe_database(), "· load", common.load_average(), flush=True)
        common.migrate()
        start = time.perf_counter()
        call_command("demo", "--no-serve", "--scale", str(args.scale), stdout=open("/dev/null", "w"))
        print(f"demo loaded (scale {args.scale}) in {time.perf_counter() - start:.0f} s", flush=True)

        floor, *_ = _time(Client(), "/tai-khoan/dang-nhap/", args.reps)
        from congdoan.accounts.models import User

        client = Client()
        client.force_login(User.objects.get(username="thanhpho"))
        print(f"raw floor (login page, signed out): {floor:.1f} ms")
        print(f"{'page':<28} {'median ms':>10} {'max ms':>8} {'× floor':>8} {'queries':>8} {'KB':>7}  status")
        slow = []
        for label, url in PAGES:
            median, worst, status, queries, size = _time(client, url, args.reps)
            flag = "  > 500 ms" if median > GOAL_MS else ""
            print(
                f"{label:<28} {median:>10.1f} {worst:>8.1f} {median / floor:>8.1f} {queries:>8} "
                f"{size / 1024:>7.0f}  {status}{flag}",
                flush=True,
            )
            if median > GOAL_MS:
                slow.append(label)
        print(f"pages over {GOAL_MS} ms: {', '.join(slow) or 'none'}")
    finally:
        if not args.keep:
            common.teardown(args.db, NAME, args.pg_url)


if __name__ == "__main__":
    main()
