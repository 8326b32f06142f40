"""``congdoan loans check-journal``: every balance recomputed from the journal agrees with the records
(exit status 1 on any difference). ``congdoan loans arrears --on YYYY-MM-DD``: the city's ageing and PAR.
``congdoan loans recompute-arrears [--on YYYY-MM-DD] [--background]``: store every loan's days past due
as of the day (what the loan lists show), here with progress, or queued for ``congdoan db_worker``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from congdoan.core.formatting import format_fraction_percent, format_money

from ... import selectors


class Command(BaseCommand):
    help = (
        "Quỹ trợ vốn: kiểm tra sổ nhật ký (check-journal), nợ quá hạn theo ngày (arrears), "
        "tính lại và lưu số ngày quá hạn của mọi khoản vay (recompute-arrears)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check-journal", help="Đối chiếu số dư tính từ nhật ký với sổ chi tiết")
        arrears = sub.add_parser("arrears", help="Phân loại nợ quá hạn và PAR toàn bộ các khoản vay")
        arrears.add_argument("--on", default="", help="Ngày (YYYY-MM-DD), mặc định hôm nay")
        again = sub.add_parser("recompute-arrears", help="Tính lại và lưu số ngày quá hạn của mọi khoản vay")
        again.add_argument("--on", default="", help="Ngày (YYYY-MM-DD), mặc định hôm nay")
        again.add_argument(
            "--background",
            action="store_true",
            help="Đưa vào hàng đợi của tiến trình nền (congdoan db_worker)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check-journal":
            entries, funds, loans, diffs = selectors.journal_check()
            for diff in diffs:
                self.stdout.write(str(diff))
            self.stdout.write(
                f"Đã kiểm tra {entries} bút toán, {funds} quỹ, {loans} khoản vay: {len(diffs)} chênh lệch."
            )
            if diffs:
                raise CommandError(f"{len(diffs)} chênh lệch giữa nhật ký và sổ chi tiết.")
            return
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ngày «{options['on']}» không hợp lệ (YYYY-MM-DD).") from exc
        if options["action"] == "recompute-arrears":
            self._recompute(on, background=options["background"])
            return
        from ...models import Loan

        total = selectors.ageing(selectors.arrears(Loan.objects.all(), on))
        self.stdout.write(
            f"Ngày {on:%d/%m/%Y}: {total.loans} khoản vay, dư nợ {format_money(total.outstanding)}"
        )
        for row in total.bucket_rows():
            self.stdout.write(f"  {row['label']}: {row['loans']} khoản, {format_money(row['outstanding'])}")
        par30 = format_fraction_percent(total.par30 or 0, 2)
        par90 = format_fraction_percent(total.par90 or 0, 2)
        self.stdout.write(f"PAR30 {par30}, PAR90 {par90}")

    def _recompute(self, on: dt.date, *, background: bool) -> None:
        from django.core.exceptions import ValidationError

        from ... import services

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total} khoản vay")

        try:
            run = services.arrears_recompute_request(
                actor=None, on=on, background=background, progress=progress
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if background:
            self.stdout.write(f"Đã đưa lượt tính lại #{run.pk} (đến ngày {on:%d/%m/%Y}) vào hàng đợi.")
        elif run.status == run.Status.DONE:
            self.stdout.write(
                f"Đã tính lại {run.done} khoản vay đến ngày {on:%d/%m/%Y}: {run.late} khoản quá hạn."
            )
        else:
            raise CommandError(f"Không tính lại được nợ quá hạn: {run.error}")
