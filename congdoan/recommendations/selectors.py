"""Reads of recommendations, scoped: a user sees those raised by a unit in their scope and those
addressed to one. Record sets for the providers count at the raising unit: raised in the period,
answered by its end, still waiting at its end, and waiting past their due day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from congdoan.accounts.permissions import scope_q
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.models import AuditEntry
from congdoan.core.registry import tree
from congdoan.org.models import OrgUnit

from .models import WAITING, Recommendation, RecStatus

UnitIds = Any

# -- record sets ----------------------------------------------------------------------------------------


def raised(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(unit_id__in=units, raised_on__gte=start, raised_on__lte=end)


def answered_by(end: dt.date) -> Q:
    return Q(answered_on__isnull=False, answered_on__lte=end)


def answered(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Recommendation]:
    return raised(units, start, end).filter(answered_by(end))


def waiting(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Recommendation]:
    return (
        raised(units, start, end)
        .exclude(answered_by(end))
        .exclude(status=RecStatus.CLOSED, closed_on__lte=end)
    )


def overdue_at(end: dt.date) -> Q:
    return Q(due_on__lt=end)


def overdue(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Recommendation]:
    return waiting(units, start, end).filter(overdue_at(end))


# -- scoped reads ---------------------------------------------------------------------------------------


def _visible(user: object) -> Q:
    return scope_q(user, unit="unit_id", date="raised_on") | scope_q(
        user, unit="to_unit_id", date="raised_on"
    )


def rec_list(*, user: object) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(_visible(user))
        .select_related("unit", "to_unit")
        .order_by("-raised_on", "-id")
    )


def rec_narrow(
    qs: QuerySet[Recommendation],
    *,
    unit: OrgUnit | None = None,
    addressed: OrgUnit | None = None,
    day: dt.date | None = None,
    status: str = "",
    year: int | None = None,
    raised_from: dt.date | None = None,
    raised_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[Recommendation]:
    """``unit``: raised in its subtree; ``addressed``: addressed to it; ``status`` one of the states,
    ``waiting`` or ``overdue`` (waiting past the due day on ``day``)."""
    day = day or timezone.localdate()
    if unit is not None:
        qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], day))
    if addressed is not None:
        qs = qs.filter(to_unit=addressed)
    if status in RecStatus.values:
        qs = qs.filter(status=status)
    elif status == "waiting":
        qs = qs.filter(status__in=WAITING)
    elif status == "overdue":
        qs = qs.filter(status__in=WAITING, due_on__lt=day)
    if year:
        qs = qs.filter(raised_on__year=year)
    if raised_from:
        qs = qs.filter(raised_on__gte=raised_from)
    if raised_to:
        qs = qs.filter(raised_on__lte=raised_to)
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(content__icontains=search)
            | Q(to_body__icontains=search)
            | Q(unit__name__icontains=search)
        )
    return qs


def rec_get(*, user: object, pk: int) -> Recommendation:
    found = (
        Recommendation.objects.filter(_visible(user), pk=pk)
        .select_related("unit", "to_unit", "conference", "conference__unit")
        .first()
    )
    if found is None:
        raise OutOfScope(str(pk))
    return found


def rec_audit(*, user: object, rec: Recommendation, limit: int = 100) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(object_type="recommendations.recommendation", object_id=str(rec.pk))
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]


def ageing_days(rec: Recommendation, day: dt.date | None = None) -> int:
    """Days since it was raised: to the answer, or to ``day`` (today) while waiting."""
    until = rec.answered_on or rec.closed_on or day or timezone.localdate()
    return max(0, (until - rec.raised_on).days)


AGE_BUCKETS = (
    ("d15", "Đến 15 ngày", 0, 15),
    ("d30", "16–30 ngày", 16, 30),
    ("d60", "31–60 ngày", 31, 60),
    ("more", "Trên 60 ngày", 61, None),
)


@dataclass(frozen=True)
class Summary:
    """ "Tổng hợp kiến nghị" of a list: by state, and the waiting ones by age."""

    total: int
    by_status: list[tuple[str, str, int]]
    overdue: int
    ages: list[tuple[str, str, int]]


def summary(qs: QuerySet[Recommendation], *, day: dt.date) -> Summary:
    counts = {row["status"]: row["n"] for row in qs.order_by().values("status").annotate(n=Count("pk"))}
    waiting_qs = qs.filter(status__in=WAITING)
    ages = []
    for key, label, low, high in AGE_BUCKETS:
        cond = Q(raised_on__lte=day - dt.timedelta(days=low))
        if high is not None:
            cond &= Q(raised_on__gt=day - dt.timedelta(days=high + 1))
        ages.append((key, label, waiting_qs.filter(cond).count()))
    return Summary(
        total=sum(counts.values()),
        by_status=[(s.value, str(s.label), counts.get(s.value, 0)) for s in RecStatus],
        overdue=waiting_qs.filter(due_on__lt=day).count(),
        ages=ages,
    )
