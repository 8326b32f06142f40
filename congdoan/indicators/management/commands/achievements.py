"""``congdoan achievements --indicator CODE --period P [--under UNIT] [--depth N] [--format ...]``

One row per unit (architecture §5): unit_code, unit_name, value, target, achievement, value_display,
achievement_display — ``value`` is the actual (a fraction for ratios), ``achievement`` = value/target.
Where a unit's target is the sum of its children's, ``achievement`` compares like with like: the
actual of the children that have a target over that target (``engine.Figure.achievement``), while
``value`` stays the unit's whole actual.
"""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.formatting import format_number
from congdoan.core.periods import PeriodError, parse_period
from congdoan.indicators.models import Indicator
from congdoan.indicators.rows import FIELDS, figure_row
from congdoan.indicators.selectors import achievement_table, indicator_get
from congdoan.org.models import OrgUnit


class Command(BaseCommand):
    help = "Kết quả thực hiện chỉ tiêu theo đơn vị (bảng, csv, json hoặc xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicator", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--under", help="mã đơn vị (mặc định: cấp cao nhất)")
        parser.add_argument(
            "--depth", type=int, default=1, help="số cấp bên dưới (0: chỉ đơn vị; -1: tất cả)"
        )
        parser.add_argument("--format", choices=["table", "csv", "json", "xlsx"], default="table")
        parser.add_argument("--out", help="tệp kết quả (bắt buộc với xlsx)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            indicator = indicator_get(opts["indicator"])
            period = parse_period(opts["period"])
        except (ValidationError, PeriodError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        under = None
        if opts["under"]:
            under = OrgUnit.objects.filter(code=opts["under"]).first()
            if under is None:
                raise CommandError(f"Không tìm thấy đơn vị «{opts['under']}».")
        depth = None if opts["depth"] < 0 else opts["depth"]
        figures = achievement_table(user=None, indicator=indicator, period=period, under=under, depth=depth)
        rows = [figure_row(f, indicator) for f in figures]
        fmt = opts["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif fmt == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        elif fmt == "xlsx":
            self._xlsx(rows, indicator, period.label, opts["out"])
        else:
            self.stdout.write(f"{indicator.name} — {period.label}")
            for row in rows:
                target = "" if row["target"] is None else format_number(Decimal(str(row["target"])), 2)
                self.stdout.write(
                    f"{row['unit_code']:<16} {row['unit_name'][:40]:<40} {row['value_display']:>12} "
                    f"{target:>12} {row['achievement_display']:>10}"
                )

    def _xlsx(self, rows: list[dict[str, Any]], indicator: Indicator, label: str, out: str | None) -> None:
        from congdoan.core.xlsx import WorkbookWriter, table_sheet

        if not out:
            raise CommandError("Định dạng xlsx cần --out TỆP.")
        book = WorkbookWriter()
        table_sheet(
            book,
            "Kết quả",
            FIELDS,
            ([row[f] for f in FIELDS] for row in rows),
            heading=f"{indicator.name} — {label}",
            int_format=None,
        )
        book.save(Path(out))
        sys.stderr.write(f"Đã ghi {out}\n")
