"""Report deadlines: which apply to a unit, and the reminders of the home page (due soon, overdue).

A deadline (``ReportDeadline``) names a report form, a period, the level (unit type) that submits it
and the due day; a unit has *submitted* when a report file of that kind and period was made for it
(``GeneratedReport`` done). Reads only, scoped through the user's units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from congdoan.accounts.permissions import scoped
from congdoan.core.registry import tree
from congdoan.org.models import OrgUnit, alive_on_q

from .models import GeneratedReport, ReportDeadline
from .selectors import generated_list

SOON_DAYS = 30  # remind this many days before the due day
LATE_DAYS = 90  # and keep reminding this long after it


@dataclass(frozen=True)
class Reminder:
    deadline: ReportDeadline
    unit: OrgUnit  # the unit that submits (the user's own) or, for ``missing``, the unit watching
    overdue: bool
    missing: int = 0  # for an upper unit: how many units of the level under it have not submitted


def applicable(unit: OrgUnit, day: dt.date) -> QuerySet[ReportDeadline]:
    """Deadlines for ``unit``'s level, set for everybody or by the unit or one of its ancestors."""
    issuers = [*tree.ancestor_ids(unit.pk, day), unit.pk]
    return ReportDeadline.objects.filter(Q(issued_by__isnull=True) | Q(issued_by_id__in=issuers))


def _submitted(kind: str, period: str) -> Exists:
    return Exists(
        GeneratedReport.objects.filter(
            unit_id=OuterRef("pk"), kind=kind, period=period, status=GeneratedReport.Status.DONE
        )
    )


def has_submitted(unit: OrgUnit, deadline: ReportDeadline) -> bool:
    return GeneratedReport.objects.filter(
        unit=unit, kind=deadline.kind, period=deadline.period, status=GeneratedReport.Status.DONE
    ).exists()


def reminders(*, user: Any, units: list[OrgUnit], day: dt.date) -> list[Reminder]:
    """For each of the user's live units: its own deadlines due within ``SOON_DAYS`` or overdue (up to
    ``LATE_DAYS``) and not yet submitted; and, for an upper unit, the deadlines of the levels under it
    with how many of its units have not submitted (only units the user may see, alive on ``day``)."""
    window = Q(due_on__gte=day - dt.timedelta(days=LATE_DAYS), due_on__lte=day + dt.timedelta(days=SOON_DAYS))
    out: list[Reminder] = []
    for unit in units:
        if not unit.is_alive_on(day):
            continue
        deadlines = list(applicable(unit, day).filter(window).order_by("due_on", "id"))
        for d in deadlines:
            if d.unit_type != unit.type:
                continue
            if not has_submitted(unit, d):
                out.append(Reminder(d, unit, overdue=d.due_on < day))
        if unit.is_grassroots:
            continue
        below = (
            scoped(OrgUnit.objects.all(), user, on=day)
            .filter(id__in=tree.in_subtree([unit.pk], day))
            .exclude(pk=unit.pk)
            .filter(alive_on_q(day))
        )
        for d in deadlines:
            if d.unit_type == unit.type:
                continue
            missing = below.filter(type=d.unit_type).exclude(_submitted(d.kind, d.period)).count()
            if missing:
                out.append(Reminder(d, unit, overdue=d.due_on < day, missing=missing))
    out.sort(key=lambda r: (r.deadline.due_on, r.missing, r.deadline.pk))
    return out


def recent_files(*, user: Any, day: dt.date, days: int = 14, limit: int = 5) -> list[GeneratedReport]:
    """The user's own report files of the last ``days`` days, newest first."""
    since = day - dt.timedelta(days=days)
    return list(generated_list(user=user).filter(created_by=user, created_at__date__gte=since)[:limit])
