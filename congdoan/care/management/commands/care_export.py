"""``congdoan care_export CAMPAIGN --bank|--cash [--format csv|xlsx|pdf] [--unit CODE] --output FILE``:
the bank payment file or the signed cash list (XLSX or PDF, optionally of one unit) of a campaign's
approved cases (all units: the system's own run; the columns are documented in ``docs/care.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congdoan.care import exports
from congdoan.care.models import Campaign
from congdoan.core.audit import audit_export
from congdoan.org.models import OrgUnit


class Command(BaseCommand):
    help = "Xuất tệp chi hộ ngân hàng hoặc danh sách ký nhận tiền mặt của một chương trình chăm lo."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("campaign", help="Mã chương trình, ví dụ TET2025")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--bank", action="store_true", help="Tệp chi hộ ngân hàng")
        what.add_argument("--cash", action="store_true", help="Danh sách ký nhận tiền mặt (XLSX hoặc PDF)")
        parser.add_argument(
            "--format", choices=["csv", "xlsx", "pdf"], help="Mặc định theo đuôi tệp --output"
        )
        parser.add_argument("--unit", help="Mã đơn vị: chỉ các hồ sơ thuộc đơn vị này (danh sách ký nhận)")
        parser.add_argument("--output", required=True, help="Tệp ghi ra")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.select_related("owner").filter(code=options["campaign"].upper()).first()
        if campaign is None:
            raise CommandError(f"Không có chương trình «{options['campaign']}».")
        path = Path(options["output"])
        suffix = path.suffix.lower().lstrip(".")
        fmt = options["format"] or (suffix if suffix in ("csv", "pdf") else "xlsx")
        user = _System()
        unit = None
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị «{options['unit']}».")
        if options["cash"] and fmt == "pdf":
            content, count = exports.cash_pdf(user, campaign, unit)
            path.write_bytes(content)
        elif options["cash"]:
            book, count = exports.cash_xlsx(user, campaign, unit)
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
