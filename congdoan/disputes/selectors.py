"""Reads of disputes and sentiment notes, scoped. ``began`` / ``noted`` are the providers' record sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q
from congdoan.accounts.scope import user_scope
from congdoan.core.models import AuditEntry
from congdoan.org import tree

from .models import Dispute, SentimentNote

UnitIds = Any


def began(units: UnitIds, start: dt.date, end: dt.date, kind: str | None = None) -> QuerySet[Dispute]:
    qs = Dispute.objects.filter(unit_id__in=units, began_on__gte=start, began_on__lte=end)
    return qs.filter(kind=kind) if kind else qs


def noted(
    units: UnitIds, start: dt.date, end: dt.date, at_risk: bool | None = None
) -> QuerySet[SentimentNote]:
    qs = SentimentNote.objects.filter(unit_id__in=units, noted_on__gte=start, noted_on__lte=end)
    return qs.filter(at_risk=at_risk) if at_risk is not None else qs


def _narrow_unit(qs: QuerySet[Any], unit: Any, day: dt.date | None) -> QuerySet[Any]:
    if unit is None:
        return qs
    return qs.filter(unit_id__in=tree.in_subtree([unit.pk], day or timezone.localdate()))


def dispute_list(*, user: object) -> QuerySet[Dispute]:
    visible = scope_q(user, unit="unit_id", date="began_on")
    return Dispute.objects.filter(visible).select_related("unit", "employer").order_by("-began_on", "-id")


def dispute_narrow(
    qs: QuerySet[Dispute],
    *,
    unit: Any = None,
    day: dt.date | None = None,
    kind: str | None = None,
    outcome: str | None = None,
    began_from: dt.date | None = None,
    began_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[Dispute]:
    qs = _narrow_unit(qs, unit, day)
    if kind:
        qs = qs.filter(kind=kind)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if began_from:
        qs = qs.filter(began_on__gte=began_from)
    if began_to:
        qs = qs.filter(began_on__lte=began_to)
    words = (search or "").strip()
    if words:
        qs = qs.filter(Q(employer__name__icontains=words) | Q(demands__icontains=words))
    return qs


def dispute_get(*, user: object, pk: int) -> Dispute:
    qs = Dispute.objects.select_related("unit", "employer")
    return get_scoped(qs, user, unit="unit_id", date="began_on", pk=pk)


def dispute_get_writable(*, user: object, pk: int) -> Dispute:
    qs = Dispute.objects.select_related("unit", "employer")
    return get_scoped(qs, user, unit="unit_id", writable=True, pk=pk)


def dispute_audit(*, user: object, dispute: Dispute, limit: int = 100) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(object_type="disputes.dispute", object_id=str(dispute.pk))
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]


def sentiment_list(*, user: object) -> QuerySet[SentimentNote]:
    visible = scope_q(user, unit="unit_id", date="noted_on")
    return (
        SentimentNote.objects.filter(visible).select_related("unit", "employer").order_by("-noted_on", "-id")
    )


def sentiment_narrow(
    qs: QuerySet[SentimentNote],
    *,
    unit: Any = None,
    day: dt.date | None = None,
    at_risk: bool | None = None,
    employer: int | None = None,
    noted_from: dt.date | None = None,
    noted_to: dt.date | None = None,
    search: str = "",
    latest: bool = False,
) -> QuerySet[SentimentNote]:
    qs = _narrow_unit(qs, unit, day)
    if employer:
        qs = qs.filter(employer_id=employer)
    if noted_from:
        qs = qs.filter(noted_on__gte=noted_from)
    if noted_to:
        qs = qs.filter(noted_on__lte=noted_to)
    words = (search or "").strip()
    if words:
        qs = qs.filter(Q(employer__name__icontains=words) | Q(note__icontains=words))
    if latest:
        # The latest note of each enterprise: its current risk.
        newest = SentimentNote.objects.filter(employer_id=OuterRef("employer_id")).order_by(
            "-noted_on", "-id"
        )
        qs = qs.filter(pk=Subquery(newest.values("pk")[:1]))
    if at_risk is not None:
        qs = qs.filter(at_risk=at_risk)
    return qs
