"""``congdoan import KIND FILE [--sheet S] [--dry-run] [--user USERNAME]`` (architecture §5).

One subcommand per kind of file: the importers the apps register (``core.registry.register_importer``),
each a function ``run(*, actor, path_or_file, sheet, dry_run, progress) -> ImportResult``. Without
``--user`` the operator acts as the system.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.registry import importers
from congdoan.imports.reader import ImportResult, ProgressBar


def resolve_actor(username: str | None) -> Any:
    """The user named by ``--user``, or None (the system) without it."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không tìm thấy người dùng «{username}».")
    if not user.is_active:
        raise CommandError(f"Tài khoản «{username}» đã bị khóa.")
    return user


class Command(BaseCommand):
    help = (
        "Nhập dữ liệu từ tệp CSV (UTF-8) hoặc XLSX; dòng đầu là dòng tiêu đề. Nhập tất cả hoặc không nhập gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="LOẠI", title="loại dữ liệu")
        for kind, importer in importers().items():
            p = sub.add_parser(kind, help=f"{importer.help} Cột: {importer.columns}")
            p.add_argument("file", metavar="TỆP", help="Đường dẫn tệp .csv, .xlsx, .xls hoặc .ods.")
            p.add_argument(
                "--sheet", help="Tên trang tính hoặc số thứ tự (1 = trang đầu); mặc định trang đầu."
            )
            p.add_argument("--dry-run", action="store_true", help="Kiểm tra và đếm, không lưu thay đổi nào.")
            p.add_argument("--user", help="Thực hiện với quyền của người dùng này (mặc định: hệ thống).")

    def handle(self, *args: Any, **options: Any) -> None:
        run = importers()[options["kind"]].run
        actor = resolve_actor(options.get("user"))
        with ProgressBar("Đang đọc", stream=getattr(self.stderr, "_out", None)) as bar:
            result: ImportResult = run(
                actor=actor,
                path_or_file=options["file"],
                sheet=options.get("sheet"),
                dry_run=options["dry_run"],
                progress=bar,
            )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            n = len(result.errors)
            raise CommandError(f"Tệp có {n} lỗi; không có thay đổi nào được lưu.")
        self.stdout.write(result.summary())
        if result.dry_run:
            self.stdout.write("Chạy thử (--dry-run): không có thay đổi nào được lưu.")
