"""``congdoan figures verify|rebuild|drop [--period P] [--under UNIT]`` — the kept per-CĐCS figures.

- ``verify``: recompute every kept figure live (of ``--period``, of the units under ``--under``) and list
  every difference (``code period unit_code kept live``); exit code 1 if any.
- ``rebuild``: recreate them from the records (``--period`` P, or the periods of ``LEAF_FIGURES_KINDS``
  in the last ``LEAF_FIGURES_YEARS`` years) and mark them kept.
- ``drop``: stop keeping them (the engine counts those periods live again).

``congdoan figures …`` is this command (``cli.py``); ``manage.py leaf_figures …`` too.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.periods import PeriodError, parse_period
from congdoan.indicators import leaf
from congdoan.org.models import OrgUnit


class Command(BaseCommand):
    help = "Số liệu lưu sẵn theo CĐCS và kỳ: kiểm tra (verify), dựng lại (rebuild), bỏ (drop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "rebuild", "drop"])
        parser.add_argument(
            "--period", action="append", help="kỳ (2025, 2025S1, 2025Q2, 202505); nhắc lại được"
        )
        parser.add_argument("--under", help="mã đơn vị: chỉ kiểm tra các đơn vị trực thuộc (verify)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            periods = [parse_period(p) for p in options["period"]] if options["period"] else None
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        action = options["action"]
        began = time.perf_counter()
        if action == "rebuild":
            rows = leaf.rebuild(periods)
            kept = ", ".join(p.code for p in (periods or leaf.default_periods()))
            self.stdout.write(
                f"Đã dựng lại {rows} số liệu cho các kỳ {kept} ({time.perf_counter() - began:.1f} s)."
            )
            return
        if action == "drop":
            n = leaf.drop(periods)
            self.stdout.write(f"Đã bỏ {n} (bộ tính, kỳ) lưu sẵn: các kỳ này được tính trực tiếp từ dữ liệu.")
            return
        under = None
        if options["under"]:
            under = OrgUnit.objects.filter(code=options["under"]).first()
            if under is None:
                raise CommandError(f"Không có đơn vị mã «{options['under']}».")
        differences = leaf.verify(periods, under=under)
        codes = dict(
            OrgUnit.objects.filter(pk__in={d.unit_id for d in differences}).values_list("pk", "code")
        )
        for d in differences:
            self.stdout.write(f"{d.code}\t{d.period}\t{codes.get(d.unit_id, d.unit_id)}\t{d.kept}\t{d.live}")
        seconds = time.perf_counter() - began
        if differences:
            self.stderr.write(
                f"{len(differences)} chênh lệch giữa số liệu lưu sẵn và số đếm trực tiếp ({seconds:.1f} s)."
            )
            raise SystemExit(1)
        self.stdout.write(f"Không có chênh lệch: số liệu lưu sẵn khớp số đếm trực tiếp ({seconds:.1f} s).")
