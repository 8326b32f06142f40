"""Reads of conferences and dialogues, scoped to what the user may see.

Record sets (``held``, ``held_units``, ``expected_units``) take a units subquery and dates; the indicator
providers use them as they are and the pages intersect them with the user's scope.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q, scoped
from congdoan.accounts.scope import user_scope
from congdoan.bargaining.models import ENTERPRISE_SECTORS
from congdoan.core.models import AuditEntry
from congdoan.org import tree
from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit, Sector
from congdoan.org.selectors import cdcs_alive_on, view_day

from .models import DIALOGUE_KINDS, Conference, ConferenceKind

UnitIds = Any
DIALOGUE = "dialogue"  # every kind of dialogue, in filters

# Which units are expected to hold each annual kind (by the sector of their grassroots union).
EXPECTED_SECTORS: dict[str, tuple[str, ...]] = {
    ConferenceKind.WORKERS: ENTERPRISE_SECTORS,
    ConferenceKind.CIVIL: (Sector.HCSN,),
    ConferenceKind.DIALOGUE_PERIODIC: ENTERPRISE_SECTORS,
}


def _kinds(kind: str | None) -> tuple[str, ...]:
    if kind == DIALOGUE:
        return DIALOGUE_KINDS
    return (kind,) if kind else ()


# -- record sets --------------------------------------------------------------------------------------


def held(units: UnitIds, start: dt.date, end: dt.date, kind: str | None = None) -> QuerySet[Conference]:
    """Conferences (of ``kind``; ``"dialogue"``: any dialogue) held in ``[start, end]`` by ``units``."""
    qs = Conference.objects.filter(unit_id__in=units, held_on__gte=start, held_on__lte=end)
    kinds = _kinds(kind)
    return qs.filter(kind__in=kinds) if kinds else qs


def expected_units(units: UnitIds, day: dt.date, kind: str) -> QuerySet[OrgUnit]:
    """Grassroots unions alive on ``day`` in the sectors that hold ``kind``."""
    return cdcs_alive_on(units, day).filter(sector__in=EXPECTED_SECTORS[kind])


def held_units(units: UnitIds, start: dt.date, end: dt.date, kind: str) -> QuerySet[OrgUnit]:
    """Grassroots unions in the sectors that hold ``kind`` that held one in ``[start, end]``."""
    did = Exists(held(units, start, end, kind).filter(unit_id=OuterRef("pk")))
    return OrgUnit.objects.filter(
        id__in=units, type__in=GRASSROOTS_TYPES, sector__in=EXPECTED_SECTORS[kind]
    ).filter(did)


def not_held_units(units: UnitIds, start: dt.date, end: dt.date, kind: str) -> QuerySet[OrgUnit]:
    did = Exists(held(units, start, end, kind).filter(unit_id=OuterRef("pk")))
    return expected_units(units, end, kind).exclude(did)


# -- scoped reads -------------------------------------------------------------------------------------


def _visible(user: object) -> Q:
    return scope_q(user, unit="unit_id", date="held_on")


def conference_list(*, user: object) -> QuerySet[Conference]:
    return (
        Conference.objects.filter(_visible(user))
        .select_related("unit", "employer")
        .order_by("-held_on", "-id")
    )


def conference_narrow(
    qs: QuerySet[Conference],
    *,
    unit: OrgUnit | None = None,
    day: dt.date | None = None,
    kind: str | None = None,
    year: int | None = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
) -> QuerySet[Conference]:
    if unit is not None:
        qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], day or timezone.localdate()))
    kinds = _kinds(kind)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if year:
        qs = qs.filter(year=year)
    if held_from:
        qs = qs.filter(held_on__gte=held_from)
    if held_to:
        qs = qs.filter(held_on__lte=held_to)
    return qs


def conference_get(*, user: object, pk: int) -> Conference:
    conferences = Conference.objects.select_related("unit", "employer")
    return get_scoped(conferences, user, unit="unit_id", date="held_on", pk=pk)


def conference_get_writable(*, user: object, pk: int) -> Conference:
    """The conference if the user may change it (its CĐCS is writable today), else 404."""
    conferences = Conference.objects.select_related("unit", "employer")
    return get_scoped(conferences, user, unit="unit_id", writable=True, pk=pk)


def conference_audit(*, user: object, conference: Conference, limit: int = 100) -> QuerySet[AuditEntry]:
    """Audit entries about one conference, hidden after a read-only user's last day."""
    qs = AuditEntry.objects.filter(object_type="conferences.conference", object_id=str(conference.pk))
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]


def _scoped_units(user: object, unit: OrgUnit | None, day: dt.date) -> Any:
    units = scoped(OrgUnit.objects.all(), user, on=day)
    if unit is not None:
        units = units.filter(id__in=tree.in_subtree([unit.pk], day))
    return units.values("id")


def unit_status(
    *,
    user: object,
    kind: str,
    start: dt.date,
    end: dt.date,
    unit: OrgUnit | None = None,
    status: str = "",
) -> QuerySet[OrgUnit]:
    """Units expected to hold ``kind`` (in the user's scope, under ``unit`` on ``end``): ``held`` those
    that held one in ``[start, end]``, ``not_held`` those alive on ``end`` that did not, else all alive
    on ``end``; annotated ``last_held`` and ordered by sector and name."""
    units = _scoped_units(user, unit, end)
    if status == "held":
        qs = held_units(units, start, end, kind)
    elif status == "not_held":
        qs = not_held_units(units, start, end, kind)
    else:
        qs = expected_units(units, end, kind)
    kinds = _kinds(kind)
    in_period = Q(conferences__kind__in=kinds, conferences__held_on__gte=start, conferences__held_on__lte=end)
    return qs.annotate(last_held=Max("conferences__held_on", filter=in_period)).order_by(
        "sector", "name", "id"
    )


def not_held(*, user: object, year: int, kind: str, unit: OrgUnit | None = None) -> QuerySet[OrgUnit]:
    """Units (by sector) that have not held their ``kind`` in ``year`` yet (up to today)."""
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), view_day(user=user))
    return unit_status(user=user, kind=kind, start=start, end=end, unit=unit, status="not_held")


@dataclass
class SectorRow:
    sector: str
    label: str
    expected: int
    held: int

    @property
    def not_held(self) -> int:
        return self.expected - self.held

    @property
    def share(self) -> float | None:
        return self.held / self.expected if self.expected else None


def by_sector(
    *, user: object, kind: str, start: dt.date, end: dt.date, unit: OrgUnit | None = None
) -> list[SectorRow]:
    """Per sector: units expected to hold ``kind`` (alive on ``end``) and how many of them held it."""
    units = _scoped_units(user, unit, end)
    expected = Counter(expected_units(units, end, kind).values_list("sector", flat=True))
    did = Exists(held(units, start, end, kind).filter(unit_id=OuterRef("pk")))
    done = Counter(expected_units(units, end, kind).filter(did).values_list("sector", flat=True))
    labels = dict(Sector.choices)
    return [
        SectorRow(sector=s, label=str(labels.get(s, s)), expected=expected[s], held=done[s])
        for s in EXPECTED_SECTORS[kind]
        if expected[s]
    ]
