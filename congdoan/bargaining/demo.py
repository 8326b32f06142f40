"""Demo collective agreements, written through the services (deterministic).

About a third of the enterprise CĐCS had an agreement signed in 2022–2023; in 2024 and 2025 some
re-sign or amend theirs and others sign their first, graded A–D in realistic shares. The demo's loop
over the CĐCS, which also holds their conferences, is ``congdoan.conferences.demo.load_activity``
(conferences builds on bargaining, not the other way round).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from congdoan.org.models import Employer, OrgUnit

from . import services
from .models import AgreementKind, FavourableClause

GRADES = ["A"] * 10 + ["B"] * 45 + ["C"] * 33 + ["D"] * 12
CLAUSES = [c.value for c in FavourableClause if c != FavourableClause.OTHER]


def random_day(rng: random.Random, year: int, last: dt.date | None = None) -> dt.date:
    """A day of ``year`` (10/01–20/12), not after ``last``; also the conferences demo's days."""
    start, end = dt.date(year, 1, 10), min(dt.date(year, 12, 20), last or dt.date(year, 12, 20))
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))


def _years_later(day: dt.date, years: int) -> dt.date:
    if (day.month, day.day) == (2, 29):
        day = day - dt.timedelta(days=1)
    return day.replace(year=day.year + years) - dt.timedelta(days=1)


def _grade(rng: random.Random) -> str:
    return rng.choice(GRADES)


def agreements_for(rng: random.Random, unit: OrgUnit, employer: Employer, today: dt.date) -> int:
    first_year = rng.choice([2021, 2022, 2022, 2023, 2023, 2024, 2024, 2025])
    signed = random_day(rng, first_year, today)
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
