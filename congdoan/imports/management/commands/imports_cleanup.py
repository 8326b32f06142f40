"""``congdoan imports_cleanup [--dry-run]``: delete uploaded import files past their retention.

The worker runs the same cleanup every hour; run this from cron when no worker runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congdoan.imports.services import files_cleanup, retention_days


class Command(BaseCommand):
    help = (
        "Xóa tệp nhập dữ liệu bị từ chối, đã hủy, không còn lượt nhập nào dùng, và tệp quá thời hạn lưu giữ "
        "(IMPORT_FILE_RETENTION_DAYS ngày)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không xóa.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = files_cleanup(dry_run=options["dry_run"])
        verb = "Sẽ xóa" if options["dry_run"] else "Đã xóa"
        days = retention_days()
        self.stdout.write(
            f"{verb} {counts['refused']} tệp bị từ chối/đã hủy, {counts['expired']} tệp quá {days} ngày "
            f"và {counts['orphans']} tệp không thuộc lượt nhập nào."
        )
