"""Demo collective agreements and conferences, written through the services (deterministic).

About a third of the enterprise CĐCS had an agreement signed in 2022–2023; in 2024 and 2025 some
re-sign or amend theirs and others sign their first, graded A–D in realistic shares. Workers' and
civil servants' conferences and periodic dialogues are held in 2024 and 2025 by most units.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congdoan.conferences import services as conference_services
from congdoan.conferences.models import ConferenceKind
from congdoan.org.models import GRASSROOTS_TYPES, Employer, OrgUnit, Sector

from . import services
from .models import ENTERPRISE_SECTORS, AgreementKind, CollectiveAgreement, FavourableClause

GRADES = ["A"] * 10 + ["B"] * 45 + ["C"] * 33 + ["D"] * 12
CLAUSES = [c.value for c in FavourableClause if c != FavourableClause.OTHER]


def _day(rng: random.Random, year: int, last: dt.date | None = None) -> dt.date:
    start, end = dt.date(year, 1, 10), min(dt.date(year, 12, 20), last or dt.date(year, 12, 20))
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))


def _years_later(day: dt.date, years: int) -> dt.date:
    if (day.month, day.day) == (2, 29):
        day = day - dt.timedelta(days=1)
    return day.replace(year=day.year + years) - dt.timedelta(days=1)


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
                counts["agreements"] += _agreements(rng, unit, employer, today)
            counts["conferences"] += _conferences(rng, unit, employer, today)
    if stdout is not None:
        stdout.write(f"  {counts['agreements']} thỏa ước, {counts['conferences']} hội nghị/đối thoại\n")
    return counts


def _grade(rng: random.Random) -> str:
    return rng.choice(GRADES)


def _agreements(rng: random.Random, unit: OrgUnit, employer: Employer, today: dt.date) -> int:
    first_year = rng.choice([2021, 2022, 2022, 2023, 2023, 2024, 2024, 2025])
    signed = _day(rng, first_year, today)
    if unit.founded_on and signed < unit.founded_on:
        return 0
    years = rng.choice([1, 2, 2, 3, 3])
    current = services.agreement_create(
        actor=None,
        cdcs=unit,
        employers=[employer],
        kind=AgreementKind.NEW,
        signed_on=signed,
        expires_on=_years_later(signed, years),
        approval_share=Decimal(rng.randint(55, 98)) / 100,
        favourable_clauses=rng.sample(CLAUSES, rng.randint(1, 5)),
        grade=_grade(rng),
        number=f"{rng.randint(1, 99)}/TƯLĐTT",
    )
    made = 1
    # Re-sign when it expires (or amend it half-way), while that still falls before today.
    while made < 4:
        amend_by = current.effective_on + dt.timedelta(days=rng.randint(120, 300))
        if rng.random() < 0.25 and amend_by < current.expires_on - dt.timedelta(days=30):
            when, kind, expires = amend_by, AgreementKind.AMENDED, current.expires_on
        else:
            when = current.expires_on - dt.timedelta(days=rng.randint(0, 20))
            kind, expires = AgreementKind.RESIGNED, _years_later(when, rng.choice([2, 3]))
        if when > today or when <= current.effective_on or rng.random() < 0.2:
            break
        current = services.agreement_renew(
            actor=None,
            agreement=current,
            kind=kind,
            signed_on=when,
            expires_on=expires,
            approval_share=Decimal(rng.randint(55, 98)) / 100,
            favourable_clauses=rng.sample(CLAUSES, rng.randint(1, 6)),
        )
        if kind == AgreementKind.RESIGNED and rng.random() < 0.4:
            services.agreement_update(actor=None, agreement=current, grade=_grade(rng))
        made += 1
    return made


def _conferences(rng: random.Random, unit: OrgUnit, employer: Employer | None, today: dt.date) -> int:
    made = 0
    for year in (2024, 2025):
        if year == 2025 and rng.random() < 0.6:
            continue  # 2025 is still being reported in the demo: fewer records
        held = _day(rng, year, today)
        if not unit.is_alive_on(held) or held > today:
            continue
        if unit.sector == Sector.HCSN and rng.random() < 0.97:
            kind = ConferenceKind.CIVIL
        elif unit.sector in ENTERPRISE_SECTORS and rng.random() < 0.62:
            kind = ConferenceKind.WORKERS
        else:
            continue
        conference_services.conference_create(
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
                conference_services.conference_create(
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
