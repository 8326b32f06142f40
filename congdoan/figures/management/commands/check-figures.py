"""``congdoan check-figures FILE [--unit CODE --period P] [--format table|json]``

Reads a report (text, DOCX or PDF with a text layer), finds every figure and checks it: the
percentage of a fraction, a total against its parts and, with ``--unit`` and ``--period``, the figure
the roll-up engine gives. JSON: a list of claims with ``text, start, end, kind, values, verdict,
expected, indicator, database_value`` (``database_value`` lists the database's numbers in the order of
``values``). Problems of the whole text (NFD, TCVN3/VNI mojibake, English decimal points) go to
stderr. The exit status is 1 when a claim is wrong, else 0.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.periods import PeriodError, parse_period
from congdoan.figures.readers import ReadError, read_path
from congdoan.figures.selectors import VERDICT_LABELS, check_text, claim_json, summary
from congdoan.org.models import OrgUnit


class Command(BaseCommand):
    help = "Kiểm tra mọi con số trong một báo cáo (văn bản, DOCX, PDF): phép tính và đối chiếu số liệu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp báo cáo (.txt, .docx, .pdf)")
        parser.add_argument("--unit", help="mã đơn vị để đối chiếu với số liệu trên hệ thống")
        parser.add_argument("--period", help="kỳ báo cáo (2024, 2025S1, 2024Q2…), đi cùng --unit")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **opts: Any) -> None:
        if bool(opts["unit"]) != bool(opts["period"]):
            raise CommandError("Cần cả --unit và --period để đối chiếu số liệu (hoặc bỏ cả hai).")
        unit = period = None
        if opts["unit"]:
            unit = OrgUnit.objects.filter(code=opts["unit"]).first()
            if unit is None:
                raise CommandError(f"Không tìm thấy đơn vị «{opts['unit']}».")
            try:
                period = parse_period(opts["period"])
            except PeriodError as exc:
                raise CommandError(str(exc)) from exc
        try:
            text = read_path(opts["file"])
        except ReadError as exc:
            raise CommandError(str(exc)) from exc
        result = check_text(user=None, text=text, unit=unit, period=period)
        for problem in result.problems:
            self.stderr.write(f"Lưu ý: {problem.message}")
        if opts["format"] == "json":
            self.stdout.write(
                json.dumps([claim_json(c) for c in result.claims], ensure_ascii=False, indent=2)
            )
        else:
            for claim in result.claims:
                label = VERDICT_LABELS[claim.verdict]
                line = f"{claim.start:>6}-{claim.end:<6} {claim.kind:<8} {label:<18} {claim.text}"
                if claim.indicator:
                    line += f"  [{claim.indicator}]"
                self.stdout.write(line)
                if claim.explanation:
                    self.stdout.write(f"{'':>14}→ {claim.explanation}")
            counts = summary(result)
            self.stdout.write(
                f"{len(result.claims)} con số: {counts['ok']} đúng, {counts['rounding']} làm tròn, "
                f"{counts['wrong']} sai, {counts['unchecked']} chưa kiểm tra được."
            )
        if any(c.verdict == "wrong" for c in result.claims):
            sys.exit(1)
