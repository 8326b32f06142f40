"""``congdoan import KIND FILE [--sheet S] [--dry-run] [--user USERNAME]`` (architecture §5).

One subcommand per kind of file, looked up in :data:`IMPORTERS`; each names a function
``run(*, actor, path_or_file, sheet, dry_run, progress) -> ImportResult``. Later kinds (members,
indicators, values) are one entry each. Without ``--user`` the operator acts as the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from congdoan.imports.reader import ImportResult, ProgressBar


@dataclass(frozen=True)
class Importer:
    run: str  # dotted path of the import function
    help: str
    columns: str


IMPORTERS: dict[str, Importer] = {
    "units": Importer(
        run="congdoan.org.unit_import.import_units",
        help="Nhập đơn vị công đoàn và quan hệ trực thuộc.",
        columns="code,name,type,parent_code[,sector,valid_from]",
    ),
    "members": Importer(
        run="congdoan.members.member_import.import_members",
        help="Nhập đoàn viên và nơi sinh hoạt (CĐCS).",
        columns="cdcs_code,full_name,birth_date,gender,cccd,phone,join_date,card_number",
    ),
    "indicators": Importer(
        run="congdoan.indicators.imports.import_indicators",
        help="Nhập danh mục chỉ tiêu.",
        columns="code,name,unit,aggregation,numerator,denominator",
    ),
    "values": Importer(
        run="congdoan.indicators.imports.import_values",
        help="Nhập chỉ tiêu giao (target) và kết quả thực hiện (actual).",
        columns="unit_code,indicator_code,period,kind,value",
    ),
}


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
        for kind, importer in IMPORTERS.items():
            p = sub.add_parser(kind, help=f"{importer.help} Cột: {importer.columns}")
            p.add_argument("file", metavar="TỆP", help="Đường dẫn tệp .csv, .xlsx, .xls hoặc .ods.")
            p.add_argument(
                "--sheet", help="Tên trang tính hoặc số thứ tự (1 = trang đầu); mặc định trang đầu."
            )
            p.add_argument("--dry-run", action="store_true", help="Kiểm tra và đếm, không lưu thay đổi nào.")
            p.add_argument("--user", help="Thực hiện với quyền của người dùng này (mặc định: hệ thống).")

    def handle(self, *args: Any, **options: Any) -> None:
        importer = IMPORTERS[options["kind"]]
        actor = resolve_actor(options.get("user"))
        run = import_string(importer.run)
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
