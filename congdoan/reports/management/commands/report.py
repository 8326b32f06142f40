"""``congdoan report annual --unit CODE --period 2024 --format docx|pdf|xlsx --out FILE [--user USERNAME]``
``congdoan report cluster --cluster ID --period 2024 --format docx|pdf|xlsx --out FILE [--user USERNAME]``

``annual`` writes the báo cáo tổng kết (a year, a term) or sơ kết (a half, a quarter) of the unit;
``cluster`` the report of an emulation cluster (its members side by side, ranked). With ``--user`` the
report is what that user may see, and a unit or cluster outside their scope is refused.
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
from congdoan.core.periods import Period, PeriodError, parse_period
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit
from congdoan.reports import services
from congdoan.reports.cluster import cluster_get


class Command(BaseCommand):
    help = "Tạo báo cáo tổng kết/sơ kết của một đơn vị hoặc báo cáo cụm thi đua (Word, PDF hoặc Excel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=["annual", "cluster"],
            help="loại báo cáo (annual: tổng kết/sơ kết; cluster: cụm thi đua)",
        )
        parser.add_argument("--unit", help="mã đơn vị (annual)")
        parser.add_argument("--cluster", type=int, help="mã số cụm thi đua (cluster)")
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
        if opts["kind"] == "cluster":
            self._cluster(user, period, opts)
            return
        if not opts["unit"]:
            raise CommandError("Hãy cho biết đơn vị: --unit MÃ_ĐƠN_VỊ.")
        if user is not None:
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
        _write(Path(opts["out"]), data, started)

    def _cluster(self, user: Any, period: Period, opts: dict[str, Any]) -> None:
        if not opts["cluster"]:
            raise CommandError("Hãy cho biết cụm thi đua: --cluster MÃ_SỐ.")
        try:
            cluster = cluster_get(user=user, pk=opts["cluster"])
        except Http404:
            who = f"Người dùng «{opts['user']}» không xem được" if user is not None else "Không có"
            raise CommandError(f"{who} cụm thi đua số {opts['cluster']}.") from None
        started = time.monotonic()
        try:
            data = services.cluster_render(user=user, cluster=cluster, period=period, fmt=opts["format"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        _write(Path(opts["out"]), data, started)


def _write(out: Path, data: bytes, started: float) -> None:
    out.write_bytes(data)
    elapsed = time.monotonic() - started
    size, seconds = format_number(len(data)), format_number(elapsed, 2)
    sys.stderr.write(f"Đã ghi {out} ({size} byte, {seconds} giây).\n")
