"""Reads of activities, scoped to what the user may see. ``held`` is the record set the indicator
providers count (units subquery and dates); the pages intersect it with the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.models import AuditEntry
from congdoan.org import tree
from congdoan.org.models import OrgUnit

from .models import Activity, ActivityKind, ActivityPhoto, Attendee

UnitIds = Any


def held(units: UnitIds, start: dt.date, end: dt.date, kind: str | None = None) -> QuerySet[Activity]:
    """Activities (of the kind with code ``kind``) held in ``[start, end]`` by ``units``."""
    qs = Activity.objects.filter(unit_id__in=units, held_on__gte=start, held_on__lte=end)
    return qs.filter(kind__code=kind) if kind else qs


def kinds(*, active_only: bool = True) -> QuerySet[ActivityKind]:
    qs = ActivityKind.objects.all()
    return qs.filter(active=True) if active_only else qs


def _visible(user: object) -> Q:
    return scope_q(user, unit="unit_id", date="held_on")


def activity_list(*, user: object) -> QuerySet[Activity]:
    return Activity.objects.filter(_visible(user)).select_related("unit", "kind").order_by("-held_on", "-id")


def activity_narrow(
    qs: QuerySet[Activity],
    *,
    unit: OrgUnit | None = None,
    day: dt.date | None = None,
    kind: str | None = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[Activity]:
    if unit is not None:
        qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], day or timezone.localdate()))
    if kind:
        qs = qs.filter(kind__code=kind)
    if held_from:
        qs = qs.filter(held_on__gte=held_from)
    if held_to:
        qs = qs.filter(held_on__lte=held_to)
    words = (search or "").strip()
    if words:
        qs = qs.filter(Q(title__icontains=words) | Q(place__icontains=words))
    return qs


def activity_get(*, user: object, pk: int) -> Activity:
    return get_scoped(
        Activity.objects.select_related("unit", "kind"), user, unit="unit_id", date="held_on", pk=pk
    )


def activity_get_writable(*, user: object, pk: int) -> Activity:
    """The activity if the user may change it (its unit is writable today), else 404."""
    return get_scoped(
        Activity.objects.select_related("unit", "kind"), user, unit="unit_id", writable=True, pk=pk
    )


def photo_get(*, user: object, pk: int) -> ActivityPhoto:
    visible = Activity.objects.filter(_visible(user)).values("pk")
    photo = ActivityPhoto.objects.filter(pk=pk, activity_id__in=visible).first()
    if photo is None:
        raise OutOfScope(str(pk))
    return photo


def attendees(activity: Activity) -> QuerySet[Attendee]:
    return activity.attendees.all()


def activity_audit(*, user: object, activity: Activity, limit: int = 100) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(object_type="activities.activity", object_id=str(activity.pk))
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]
