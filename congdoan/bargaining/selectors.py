"""Reads of collective agreements, scoped to what the user may see.

Two layers: *record sets* (``signed_in``, ``valid_agreements``, ``cdcs_with_valid``, ``enterprise_cdcs``)
take a units subquery and dates and are shared, unscoped, by the indicator providers and by the list
pages (which intersect them with the user's scope) — so a figure and its drill-down list are the same
query. The ``agreement_*`` functions take the acting user and return only their subtree; under an
ended root only agreements signed up to its last day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q, scoped
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.models import AuditEntry
from congdoan.org import tree
from congdoan.org.models import OrgUnit
from congdoan.org.selectors import cdcs_alive_on, view_day

from .models import ENTERPRISE_SECTORS, CollectiveAgreement, Grade, valid_on_q

UnitIds = Any  # an ``id IN (...)`` subquery

GRADE_FILTERS: dict[str, tuple[str, ...]] = {
    "A": (Grade.A,),
    "B": (Grade.B,),
    "C": (Grade.C,),
    "D": (Grade.D,),
    "AB": (Grade.A, Grade.B),
}


# -- record sets (unscoped; used by providers and, intersected with scope, by pages) -------------------


def signed_in(
    units: UnitIds, start: dt.date, end: dt.date, kind: str | None = None
) -> QuerySet[CollectiveAgreement]:
    """Agreements signed in ``[start, end]`` by the CĐCS in ``units`` (of ``kind`` if given)."""
    qs = CollectiveAgreement.objects.filter(cdcs_id__in=units, signed_on__gte=start, signed_on__lte=end)
    return qs.filter(kind=kind) if kind else qs


def valid_agreements(units: UnitIds, day: dt.date) -> QuerySet[CollectiveAgreement]:
    """Agreements of the CĐCS in ``units`` that hold on ``day``."""
    return CollectiveAgreement.objects.filter(valid_on_q(day), cdcs_id__in=units)


def enterprise_cdcs(units: UnitIds, day: dt.date) -> QuerySet[OrgUnit]:
    """Grassroots unions of enterprises (state, non-state, FDI, cooperatives) alive on ``day``."""
    return cdcs_alive_on(units, day).filter(sector__in=ENTERPRISE_SECTORS)


def _has_valid(day: dt.date) -> Exists:
    return Exists(CollectiveAgreement.objects.filter(valid_on_q(day), cdcs_id=OuterRef("pk")))


def cdcs_with_valid(units: UnitIds, day: dt.date) -> QuerySet[OrgUnit]:
    """Enterprise CĐCS alive on ``day`` with an agreement holding that day (the numerator of the
    share of enterprise CĐCS with an agreement, so it never counts public bodies)."""
    return enterprise_cdcs(units, day).filter(_has_valid(day))


def lapsed(units: UnitIds, day: dt.date) -> QuerySet[OrgUnit]:
    """Enterprise CĐCS alive on ``day`` that had an agreement and have none holding that day."""
    had = Exists(CollectiveAgreement.objects.filter(cdcs_id=OuterRef("pk"), effective_on__lte=day))
    return enterprise_cdcs(units, day).filter(had).exclude(_has_valid(day))


def without_agreement(units: UnitIds, day: dt.date) -> QuerySet[OrgUnit]:
    """Enterprise CĐCS alive on ``day`` that never had an agreement in force by then."""
    had = Exists(CollectiveAgreement.objects.filter(cdcs_id=OuterRef("pk"), effective_on__lte=day))
    return enterprise_cdcs(units, day).exclude(had)


# -- scoped reads ------------------------------------------------------------------------------------


def _visible(user: object) -> Q:
    return scope_q(user, unit="cdcs_id", date="signed_on")


def agreement_list(*, user: object) -> QuerySet[CollectiveAgreement]:
    """Every agreement the user may see, newest first, ready for tables (employers prefetched)."""
    return (
        CollectiveAgreement.objects.filter(_visible(user))
        .select_related("cdcs")
        .prefetch_related("employers")
        .order_by("-signed_on", "-id")
    )


def agreement_narrow(
    qs: QuerySet[CollectiveAgreement],
    *,
    unit: OrgUnit | None = None,
    day: dt.date | None = None,
    kind: str | None = None,
    grade: str | None = None,
    year: int | None = None,
    signed_from: dt.date | None = None,
    signed_to: dt.date | None = None,
    valid_on: dt.date | None = None,
    expiring_days: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[CollectiveAgreement]:
    """The filters of the list page and the API: ``unit`` takes its subtree on ``day``; the others
    are what they say. ``grade`` is A–D, ``AB``, ``graded`` or ``ungraded``."""
    if unit is not None:
        qs = qs.filter(cdcs_id__in=tree.in_subtree([unit.pk], day or timezone.localdate()))
    if kind:
        qs = qs.filter(kind=kind)
    if grade == "graded":
        qs = qs.exclude(grade="")
    elif grade == "ungraded":
        qs = qs.filter(grade="")
    elif grade in GRADE_FILTERS:
        qs = qs.filter(grade__in=GRADE_FILTERS[grade])
    if year:
        qs = qs.filter(signed_on__gte=dt.date(year, 1, 1), signed_on__lte=dt.date(year, 12, 31))
    if signed_from:
        qs = qs.filter(signed_on__gte=signed_from)
    if signed_to:
        qs = qs.filter(signed_on__lte=signed_to)
    if valid_on:
        qs = qs.filter(valid_on_q(valid_on))
    if expiring_days is not None:
        qs = _expiring(qs, today or timezone.localdate(), expiring_days)
    return qs


def _expiring(qs: QuerySet[CollectiveAgreement], today: dt.date, days: int) -> QuerySet[CollectiveAgreement]:
    """Holding ``today``, expiring within ``days``, and not yet followed by a later agreement with one of
    its employers (a renewal, or a new one signed in advance)."""
    through = CollectiveAgreement.employers.through
    own_employers = through.objects.filter(collectiveagreement_id=OuterRef(OuterRef("pk"))).values(
        "employer_id"
    )
    later = through.objects.filter(
        employer_id__in=own_employers, collectiveagreement__effective_on__gt=OuterRef("effective_on")
    )
    return (
        qs.filter(valid_on_q(today), expires_on__lte=today + dt.timedelta(days=days))
        .exclude(Exists(later))
        .exclude(Exists(CollectiveAgreement.objects.filter(renewal_of_id=OuterRef("pk"))))
        .order_by("expires_on", "id")
    )


def expiring_soon(*, user: object, days: int = 90) -> QuerySet[CollectiveAgreement]:
    """Agreements the user may see that expire within ``days`` with no successor yet, soonest first."""
    return _expiring(agreement_list(user=user), view_day(user=user), days)


def lapsed_cdcs(*, user: object) -> QuerySet[OrgUnit]:
    """Enterprise CĐCS in the user's scope whose last agreement has expired and none holds today,
    with ``last_expired`` (the last day of their latest agreement)."""
    day = view_day(user=user)
    units = scoped(OrgUnit.objects.all(), user, on=day).values("id")
    return (
        lapsed(units, day)
        .annotate(last_expired=Max("agreements__expires_on", filter=Q(agreements__effective_on__lte=day)))
        .order_by("last_expired", "name")
    )


def cdcs_status(
    *, user: object, unit: OrgUnit | None, day: dt.date, status: str = "", enterprise_only: bool = False
) -> QuerySet[OrgUnit]:
    """Grassroots unions in the user's scope (under ``unit`` on ``day``) alive on ``day`` with their
    agreement status: ``valid``, ``lapsed``, ``none`` or all; annotated ``valid_until`` (the latest
    expiry of an agreement holding that day) and ``last_expired``."""
    units: Any = scoped(OrgUnit.objects.all(), user, on=day).values("id")
    if unit is not None:
        units = (
            OrgUnit.objects.filter(id__in=units).filter(id__in=tree.in_subtree([unit.pk], day)).values("id")
        )
    sets = {
        "valid": cdcs_with_valid,
        "lapsed": lapsed,
        "none": without_agreement,
    }
    qs = sets[status](units, day) if status in sets else cdcs_alive_on(units, day)
    if enterprise_only:
        qs = qs.filter(sector__in=ENTERPRISE_SECTORS)
    holding = Q(agreements__effective_on__lte=day, agreements__expires_on__gte=day) & (
        Q(agreements__superseded_on__isnull=True) | Q(agreements__superseded_on__gt=day)
    )
    return qs.annotate(
        valid_until=Max("agreements__expires_on", filter=holding),
        last_expired=Max("agreements__expires_on", filter=Q(agreements__effective_on__lte=day)),
    ).order_by("name", "id")


def agreement_get(*, user: object, pk: int) -> CollectiveAgreement:
    agreement = (
        CollectiveAgreement.objects.filter(_visible(user), pk=pk)
        .select_related("cdcs", "renewal_of")
        .prefetch_related("employers")
        .first()
    )
    if agreement is None:
        raise OutOfScope(pk)
    return agreement


def agreement_get_writable(*, user: object, pk: int) -> CollectiveAgreement:
    agreements = CollectiveAgreement.objects.select_related("cdcs")
    return get_scoped(agreements, user, unit="cdcs_id", writable=True, pk=pk)


def agreement_chain(agreement: CollectiveAgreement) -> list[CollectiveAgreement]:
    """The renewal chain the agreement belongs to, oldest first (one CĐCS: same scope)."""
    first = agreement
    seen = {first.pk}
    while first.renewal_of_id is not None and first.renewal_of_id not in seen:
        first = CollectiveAgreement.objects.select_related("renewal_of").get(pk=first.renewal_of_id)
        seen.add(first.pk)
    chain = [first]
    while True:
        nxt = CollectiveAgreement.objects.filter(renewal_of=chain[-1]).first()
        if nxt is None or nxt.pk in {a.pk for a in chain}:
            return chain
        chain.append(nxt)


def agreement_audit(
    *, user: object, agreement: CollectiveAgreement, limit: int = 100
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(object_type="bargaining.collectiveagreement", object_id=str(agreement.pk))
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]
