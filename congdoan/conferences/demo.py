"""Demo conferences and the loop that gives each CĐCS its year of activity (deterministic).

For each live CĐCS in code order: an agreement history for about half of the enterprise CĐCS with an
employer (``congdoan.bargaining.demo.agreements_for``), then workers' and civil servants' conferences
and periodic dialogues held in 2024 and 2025 by most units. One random sequence drives both, so the
demo's data are the same on every run. After them, ``congdoan demo`` hands the districts their 2024
targets (``congdoan.indicators.demo.load_targets``), set near what they achieved.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congdoan.bargaining.demo import agreements_for, random_day
from congdoan.bargaining.models import ENTERPRISE_SECTORS, CollectiveAgreement
from congdoan.core.formatting import format_number
from congdoan.core.registry import DemoRun
from congdoan.indicators.demo import load_targets
from congdoan.org.models import GRASSROOTS_TYPES, Employer, OrgUnit, Sector

from . import services
from .models import ConferenceKind


def load_activity(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Agreements and conferences for the demo federation; does nothing if agreements exist."""
    if CollectiveAgreement.objects.exists():
        return {}
    rng = random.Random(2026)
    today = timezone.localdate()
    counts = {"agreements": 0, "conferences": 0}
    alive = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=dt.date(2025, 12, 31))
    units = list(OrgUnit.objects.filter(alive, type__in=GRASSROOTS_TYPES).order_by("code"))
    employers = {e.cdcs_id: e for e in Employer.objects.filter(cdcs__isnull=False).order_by("pk")}
    with transaction.atomic():
        for unit in units:
            employer = employers.get(unit.pk)
            if unit.sector in ENTERPRISE_SECTORS and employer is not None and rng.random() < 0.45:
                counts["agreements"] += agreements_for(rng, unit, employer, today)
            counts["conferences"] += _conferences(rng, unit, employer, today)
    if stdout is not None:
        stdout.write(f"  {counts['agreements']} thỏa ước, {counts['conferences']} hội nghị/đối thoại\n")
    return counts


def _conferences(rng: random.Random, unit: OrgUnit, employer: Employer | None, today: dt.date) -> int:
    made = 0
    for year in (2024, 2025):
        if year == 2025 and rng.random() < 0.6:
            continue  # 2025 is still being reported in the demo: fewer records
        held = random_day(rng, year, today)
        if not unit.is_alive_on(held) or held > today:
            continue
        if unit.sector == Sector.HCSN and rng.random() < 0.97:
            kind = ConferenceKind.CIVIL
        elif unit.sector in ENTERPRISE_SECTORS and rng.random() < 0.62:
            kind = ConferenceKind.WORKERS
        else:
            continue
        services.conference_create(
            actor=None,
            unit=unit,
            kind=kind,
            held_on=held,
            employer=employer if kind == "workers" else None,
            employer_side=rng.randint(2, 6),
            employee_side=rng.randint(20, 300),
        )
        made += 1
        if kind == ConferenceKind.WORKERS and rng.random() < 0.5:
            dialogue_day = min(held + dt.timedelta(days=rng.randint(30, 150)), today)
            if dialogue_day.year == year and unit.is_alive_on(dialogue_day):
                services.conference_create(
                    actor=None,
                    unit=unit,
                    kind=ConferenceKind.DIALOGUE_PERIODIC,
                    held_on=dialogue_day,
                    employer=employer,
                    employer_side=rng.randint(3, 6),
                    employee_side=rng.randint(3, 9),
                )
                made += 1
    return made


# -- ``congdoan demo`` (registered in ``ConferencesConfig.ready``) ----------------------------------------


def demo_command_activity(run: DemoRun) -> dict[str, Any]:
    """Agreements, conferences and then the 2024 targets, once (nothing when agreements exist)."""
    started = time.monotonic()
    activity = load_activity()
    if activity:
        targets = load_targets()
        run.stdout.write(
            f"Đã nạp {format_number(activity['agreements'])} thỏa ước, "
            f"{format_number(activity['conferences'])} hội nghị, "
            f"đối thoại và {format_number(targets)} chỉ tiêu năm 2024 "
            f"trong {time.monotonic() - started:.1f} giây."
        )
        activity = {**activity, "targets": targets}
    return activity
