"""``congdoan care_export CAMPAIGN --bank|--cash [--format csv|xlsx] --output FILE``: the bank payment
file or the signed cash list of a campaign's approved cases (all units: the system's own run; the
columns are documented in ``docs/care.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congdoan.care import exports
from congdoan.care.models import Campaign
from congdoan.core.audit import audit_export


class Command(BaseCommand):
    help = "Xuất tệp chi hộ ngân hàng hoặc danh sách ký nhận tiền mặt của một chương trình chăm lo."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("campaign", help="Mã chương trình, ví dụ TET2025")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--bank", action="store_true", help="Tệp chi hộ ngân hàng")
        what.add_argument("--cash", action="store_true", help="Danh sách ký nhận tiền mặt (XLSX)")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="Mặc định theo đuôi tệp --output")
        parser.add_argument("--output", required=True, help="Tệp ghi ra")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.select_related("owner").filter(code=options["campaign"].upper()).first()
        if campaign is None:
            raise CommandError(f"Không có chương trình «{options['campaign']}».")
        path = Path(options["output"])
        fmt = options["format"] or ("csv" if path.suffix.lower() == ".csv" else "xlsx")
        user = _System()
        if options["cash"]:
            book, count = exports.cash_xlsx(user, campaign)
            book.save(path)
        elif fmt == "csv":
            content, count = exports.bank_csv(user, campaign)
            path.write_bytes(content)
        else:
            book, count = exports.bank_xlsx(user, campaign)
            book.save(path)
        audit_export(actor=None, kind="export.care.cli", label=f"{campaign.code} → {path.name}", rows=count)
        self.stdout.write(f"Đã ghi {path} ({count} dòng).")


class _System:
    """The command runs as the system: every unit (a superuser's scope)."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None
