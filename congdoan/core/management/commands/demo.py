"""``congdoan demo``: migrate, load the demo federation once, print the demo logins, run the dev server.

The data come from the demo loaders the apps register (``core.registry.register_demo_loader``), run
in their order: org's tree and accounts, members, the indicator catalogue, the year's agreements,
conferences and targets, and last org's list of demo logins. This command imports no domain app.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from congdoan.core.registry import DemoRun, demo_loaders


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
        for loader in demo_loaders():
            if loader.arguments is not None:
                loader.arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout
        call_command("migrate", verbosity=0, interactive=False)
        run = DemoRun(options=options, stdout=out, style=self.style)
        for loader in demo_loaders():
            run.results[loader.name] = loader.load(run)
        if options["no_serve"]:
            return
        port = options["port"]
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
