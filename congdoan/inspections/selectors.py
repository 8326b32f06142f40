"""Reads of inspections, scoped. ``held`` is the record set the indicator providers count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q
from congdoan.accounts.scope import user_scope
from congdoan.core.models import AuditEntry
from congdoan.org import tree

from .models import Inspection

UnitIds = Any


def held(units: UnitIds, start: dt.date, end: dt.date, kind: str | None = None) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(unit_id__in=units, held_on__gte=start, held_on__lte=end)
    return qs.filter(kind=kind) if kind else qs


def inspection_list(*, user: object) -> QuerySet[Inspection]:
    visible = scope_q(user, unit="unit_id", date="held_on")
    return Inspection.objects.filter(visible).select_related("unit", "employer").order_by("-held_on", "-id")


def inspection_narrow(
    qs: QuerySet[Inspection],
    *,
    unit: Any = None,
    day: dt.date | None = None,
    kind: str | None = None,
    state: str | None = None,
    violations: bool | None = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[Inspection]:
    if unit is not None:
        qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], day or timezone.localdate()))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if violations is not None:
        qs = qs.filter(violations=violations)
    if held_from:
        qs = qs.filter(held_on__gte=held_from)
    if held_to:
        qs = qs.filter(held_on__lte=held_to)
    words = (search or "").strip()
    if words:
        qs = qs.filter(Q(employer__name__icontains=words) | Q(findings__icontains=words))
    return qs


def inspection_get(*, user: object, pk: int) -> Inspection:
    qs = Inspection.objects.select_related("unit", "employer")
    return get_scoped(qs, user, unit="unit_id", date="held_on", pk=pk)


def inspection_get_writable(*, user: object, pk: int) -> Inspection:
    qs = Inspection.objects.select_related("unit", "employer")
    return get_scoped(qs, user, unit="unit_id", writable=True, pk=pk)


def inspection_audit(*, user: object, inspection: Inspection, limit: int = 100) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(object_type="inspections.inspection", object_id=str(inspection.pk))
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]
