"""Reads of key tasks, scoped to what the user may see.

The record sets (``tasks``, ``tasks_done``, ``tasks_open``) take a units subquery and the period's
dates; the indicator providers count them as they are (a task counts in the period holding its
deadline; cancelled tasks never count) and the pages intersect them with the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q
from congdoan.accounts.scope import user_scope
from congdoan.core.formatting import format_number, format_percent
from congdoan.core.models import AuditEntry
from congdoan.core.registry import tree
from congdoan.org.models import OrgUnit

from .models import PENDING, KeyTask, TaskStatus

UnitIds = Any

# -- record sets (providers and drill-down) ---------------------------------------------------------


def tasks(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[KeyTask]:
    """The key tasks of ``units`` due in ``[start, end]`` (cancelled ones left out)."""
    return KeyTask.objects.filter(unit_id__in=units, deadline__gte=start, deadline__lte=end).exclude(
        status=TaskStatus.CANCELLED
    )


def done_by(end: dt.date) -> Q:
    return Q(status=TaskStatus.DONE, done_on__lte=end)


def tasks_done(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[KeyTask]:
    """Of ``tasks``, those completed by ``end``."""
    return tasks(units, start, end).filter(done_by(end))


def tasks_open(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[KeyTask]:
    """Of ``tasks``, those not completed by ``end``."""
    return tasks(units, start, end).exclude(done_by(end))


# -- scoped reads -------------------------------------------------------------------------------------


def _visible(user: object) -> Q:
    # ``date``: an ended unit's officers see the tasks begun up to its last day, none after.
    return scope_q(user, unit="unit_id", date="start_on")


def task_list(*, user: object) -> QuerySet[KeyTask]:
    return (
        KeyTask.objects.filter(_visible(user))
        .select_related("unit", "assigned_by")
        .order_by("deadline", "id")
    )


STATUS_FILTERS = {
    "pending": Q(status__in=PENDING),
    "overdue": Q(status__in=PENDING),  # and the deadline passed: see ``task_narrow``
    "done": Q(status=TaskStatus.DONE),
    **{s.value: Q(status=s.value) for s in TaskStatus},
}


def task_narrow(
    qs: QuerySet[KeyTask],
    *,
    unit: OrgUnit | None = None,
    day: dt.date | None = None,
    status: str = "",
    year: int | None = None,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    search: str = "",
    open_by: dt.date | None = None,
) -> QuerySet[KeyTask]:
    """``qs`` under ``unit`` (its subtree on ``day``), of a status (``overdue``: still to do after the
    deadline, on ``day``), a deadline year or range, a text in the title, owner or unit name, and
    ``open_by`` (not completed by that day: the drill-down of the open tasks)."""
    day = day or timezone.localdate()
    if unit is not None:
        qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], day))
    if status in STATUS_FILTERS:
        qs = qs.filter(STATUS_FILTERS[status])
        if status == "overdue":
            qs = qs.filter(deadline__lt=day)
    if year:
        qs = qs.filter(deadline__year=year)
    if due_from:
        qs = qs.filter(deadline__gte=due_from)
    if due_to:
        qs = qs.filter(deadline__lte=due_to)
    if open_by:
        qs = qs.exclude(status=TaskStatus.CANCELLED).exclude(done_by(open_by))
    if search:
        qs = qs.filter(
            Q(title__icontains=search) | Q(owner__icontains=search) | Q(unit__name__icontains=search)
        )
    return qs


def task_get(*, user: object, pk: int) -> KeyTask:
    return get_scoped(
        KeyTask.objects.select_related("unit", "assigned_by", "parent"),
        user,
        unit="unit_id",
        date="start_on",
        pk=pk,
    )


def task_get_writable(*, user: object, pk: int) -> KeyTask:
    """The task if the user may change it (its unit is writable today), else 404."""
    return get_scoped(
        KeyTask.objects.select_related("unit", "assigned_by", "parent"),
        user,
        unit="unit_id",
        writable=True,
        pk=pk,
    )


def handed(*, user: object, task: KeyTask) -> QuerySet[KeyTask]:
    """The tasks handed down as parts of ``task``, those the user may see."""
    return task_list(user=user).filter(parent=task)


def task_audit(*, user: object, task: KeyTask, limit: int = 100) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(object_type="plans.keytask", object_id=str(task.pk))
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]


@dataclass(frozen=True)
class Completion:
    """ "hoàn thành 19/21 nhiệm vụ trọng tâm (90,48%)" with the overdue ones."""

    total: int
    done: int
    overdue: int

    @property
    def share(self) -> Decimal | None:
        return Decimal(self.done) / Decimal(self.total) if self.total else None

    @property
    def percent(self) -> str:
        return format_percent(self.done, self.total, 2) if self.total else "—"

    @property
    def sentence(self) -> str:
        if not self.total:
            return "Chưa có nhiệm vụ trọng tâm nào trong kỳ."
        return (
            f"Hoàn thành {format_number(self.done)}/{format_number(self.total)} nhiệm vụ trọng tâm "
            f"({self.percent})."
        )


def completion(qs: QuerySet[KeyTask], *, day: dt.date) -> Completion:
    """Completion of the (already narrowed) tasks ``qs``: done by ``day`` of those not cancelled."""
    row = qs.exclude(status=TaskStatus.CANCELLED).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=done_by(day)),
        overdue=Count("pk", filter=Q(status__in=PENDING, deadline__lt=day)),
    )
    return Completion(total=row["total"] or 0, done=row["done"] or 0, overdue=row["overdue"] or 0)


def overdue(*, user: object, day: dt.date | None = None) -> QuerySet[KeyTask]:
    """Tasks still to do after their deadline, in the user's scope."""
    day = day or timezone.localdate()
    return task_list(user=user).filter(status__in=PENDING, deadline__lt=day)
