"""``congdoan report annual --unit CODE --period 2024 --format docx|pdf|xlsx --out FILE [--user USERNAME]``

Writes the báo cáo tổng kết (a year, a term) or sơ kết (a half, a quarter) of the unit. With
``--user`` the report is what that user may see, and a unit outside their scope is refused.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from congdoan.core.formatting import format_number
from congdoan.core.periods import PeriodError, parse_period
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit
from congdoan.reports import services


class Command(BaseCommand):
    help = "Tạo báo cáo tổng kết/sơ kết của một đơn vị (Word, PDF hoặc biểu Excel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["annual"], help="loại báo cáo (annual: tổng kết/sơ kết)")
        parser.add_argument("--unit", required=True, help="mã đơn vị")
        parser.add_argument("--period", required=True, help="kỳ: 2024, 2025S1, 2024Q2…")
        parser.add_argument("--format", choices=list(services.FORMATS), default="docx")
        parser.add_argument("--out", required=True, help="tệp kết quả")
        parser.add_argument("--user", help="tạo theo quyền của người dùng này")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            period = parse_period(opts["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng «{opts['user']}».")
            try:
                unit = org_selectors.unit_get(user=user, code=opts["unit"])
            except Http404:
                raise CommandError(
                    f"Người dùng «{opts['user']}» không có quyền xem đơn vị «{opts['unit']}»."
                ) from None
        else:
            found = OrgUnit.objects.filter(code=opts["unit"]).first()
            if found is None:
                raise CommandError(f"Không tìm thấy đơn vị «{opts['unit']}».")
            unit = found
        started = time.monotonic()
        try:
            data = services.report_render(
                user=user, unit=unit, period=period, fmt=opts["format"], generated_by=opts["user"] or ""
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        out = Path(opts["out"])
        out.write_bytes(data)
        elapsed = time.monotonic() - started
        size, seconds = format_number(len(data)), format_number(elapsed, 2)
        sys.stderr.write(f"Đã ghi {out} ({size} byte, {seconds} giây).\n")
