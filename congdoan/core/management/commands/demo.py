"""``congdoan demo``: migrate, load the demo federation once, print the demo logins, run the dev server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from congdoan.bargaining.demo import load_activity
from congdoan.indicators.demo import load_targets
from congdoan.indicators.services import load_standard_catalogue
from congdoan.members.demo import DEFAULT_MEMBERS, load_members, members_loaded
from congdoan.org.demo import DEMO_PASSWORD, demo_loaded, demo_logins, load_demo


def _n(value: int) -> str:
    """1234 → 1.234 (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Tạo cơ sở dữ liệu, nạp dữ liệu mẫu LĐLĐ thành phố Hà Nội (một lần) và chạy máy chủ thử."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Chỉ nạp dữ liệu, không chạy máy chủ.")
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="Cổng của máy chủ thử (mặc định: biến môi trường PORT hoặc 8000).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Hệ số quy mô dữ liệu mẫu (1.0 ≈ 3.000 CĐCS); chỉ có tác dụng ở lần nạp đầu tiên.",
        )
        parser.add_argument(
            "--members",
            type=int,
            default=None,
            help=(
                f"Số đoàn viên mẫu (mặc định {_n(DEFAULT_MEMBERS)} × hệ số quy mô; 0: không nạp); "
                "chỉ nạp khi chưa có đoàn viên nào."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout
        call_command("migrate", verbosity=0, interactive=False)
        if demo_loaded():
            out.write("Dữ liệu mẫu đã có sẵn, không nạp lại.")
        else:
            out.write("Đang nạp dữ liệu mẫu LĐLĐ thành phố Hà Nội…")
            started = time.monotonic()
            counts = load_demo(scale=options["scale"], stdout=out)
            units, employers = _n(sum(counts["units"].values())), _n(counts["employers"])
            out.write(
                f"Đã nạp {units} đơn vị, {employers} đơn vị sử dụng lao động, "
                f"{counts['clusters']} cụm thi đua trong {time.monotonic() - started:.1f} giây."
            )
        members = options["members"]
        if members is None:
            members = round(DEFAULT_MEMBERS * options["scale"])
        if members > 0 and members_loaded():
            out.write("Đoàn viên mẫu đã có sẵn, không nạp lại.")
        elif members > 0:
            out.write(f"Đang nạp {_n(members)} đoàn viên mẫu qua chức năng nhập tệp…")
            started = time.monotonic()
            loaded = load_members(members, stdout=out)
            out.write(
                f"Đã nạp {_n(loaded['members'])} đoàn viên vào {_n(loaded['cdcs'])} CĐCS "
                f"({loaded['transfers']} chuyển sinh hoạt, {loaded['leavers']} thôi sinh hoạt, "
                f"{_n(loaded['workforce_counts'])} số liệu lao động) "
                f"trong {time.monotonic() - started:.1f} giây."
            )
        # The shipped catalogue (a data migration) is back even after a test flush; then the work of
        # the year: agreements, conferences and the districts' 2024 targets.
        load_standard_catalogue()
        started = time.monotonic()
        activity = load_activity()
        if activity:
            targets = load_targets()
            out.write(
                f"Đã nạp {_n(activity['agreements'])} thỏa ước, {_n(activity['conferences'])} hội nghị, "
                f"đối thoại và {_n(targets)} chỉ tiêu năm 2024 trong {time.monotonic() - started:.1f} giây."
            )
        port = options["port"]
        out.write("")
        out.write(self.style.SUCCESS("Tài khoản dùng thử") + f" (mật khẩu chung: {DEMO_PASSWORD})")
        for row in demo_logins():
            out.write(f"  {row['username']:<10} {row['full_name']} — {row['role']}")
            if row["unit"]:
                out.write(f"  {'':<10} Đơn vị: {row['unit']}")
        out.write("")
        if options["no_serve"]:
            return
        worker = _start_worker()
        out.write(
            f"Tiến trình nền (db_worker, mã tiến trình {worker.pid}) đang chạy: các tệp nhập ở trang "
            "«Nhập dữ liệu» được ghi vào cơ sở dữ liệu ở nền."
        )
        out.write(f"Mở trình duyệt tại http://127.0.0.1:{port}/ và đăng nhập bằng một tài khoản ở trên.")
        # A SIGTERM (kill, a process manager) stops the server like Ctrl+C, so the worker is stopped too.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            _stop_worker(worker)
            out.write("Đã dừng tiến trình nền.")


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _start_worker() -> subprocess.Popen[bytes]:
    """The background worker of the import tasks (django-tasks database backend), beside the server."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "congdoan.cli",
            "db_worker",
            "--interval",
            "0.5",
            "--no-reload",
            "--no-startup-delay",
        ],
        # Its own session: Ctrl+C on the server does not reach it, so it gets exactly one SIGTERM from
        # _stop_worker and finishes the import it is running (an import is all-or-nothing anyway).
        start_new_session=True,
    )


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # SIGTERM: the worker finishes its current task, then exits
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
