"""``congdoan demo``: migrate, load the demo federation once, print the demo logins, run the dev server."""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

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
        out.write(f"Mở trình duyệt tại http://127.0.0.1:{port}/ và đăng nhập bằng một tài khoản ở trên.")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
