"""Reads of org units, links and employers, already scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q, scoped
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.text import fold

from . import tree
from .models import GRASSROOTS_TYPES, UNIT_LEVEL, Employer, EmulationCluster, OrgLink, OrgUnit, alive_on_q

# -- units -------------------------------------------------------------------------------------


def unit_list(*, user: object, on: dt.date | None = None, search: str = "") -> QuerySet[OrgUnit]:
    """Units in the user's subtrees on day ``on`` (default today), optionally matching ``search``."""
    qs = scoped(OrgUnit.objects.all(), user, on=on)
    if search:
        qs = qs.filter(search_key__contains=fold(search))
    return qs


def units_by_code(actor: Any, codes: set[str], *, writable: bool = False) -> dict[str, OrgUnit]:
    """The units of an import file by code, only those the importer may see (or write, with
    ``writable``); ``actor`` None is the command line without ``--user``: every unit."""
    units = OrgUnit.objects.filter(code__in=codes - {""})
    if actor is not None:
        units = scoped(units, actor, writable=writable)
    return {u.code: u for u in units}


def unit_get(*, user: object, code: str) -> OrgUnit:
    """The unit with ``code`` if the user may see it at some day, else 404."""
    return get_scoped(OrgUnit.objects.all(), user, ever=True, code=code)


def unit_get_writable(*, user: object, code: str, on: dt.date | None = None) -> OrgUnit:
    """The unit if the user may change it on ``on`` (default today), else 404."""
    return get_scoped(OrgUnit.objects.all(), user, writable=True, on=on, code=code)


def only_writable_cdcs(*, user: object) -> OrgUnit | None:
    """The user's one writable grassroots union today when there is exactly one (a CĐCS officer's),
    else ``None``: the forms that ask for a CĐCS preselect it."""
    found = list(
        scoped(OrgUnit.objects.filter(type__in=GRASSROOTS_TYPES), user, writable=True)
        .filter(dissolved_on__isnull=True)
        .order_by("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


def parent_of(unit: OrgUnit, on: dt.date) -> OrgUnit | None:
    link = (
        OrgLink.objects.filter(child=unit, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("parent")
        .first()
    )
    return link.parent if link else None


def children(*, user: object, unit: OrgUnit, on: dt.date | None = None) -> QuerySet[OrgUnit]:
    """Direct children of ``unit`` on day ``on``, within the user's scope."""
    day = on or timezone.localdate()
    links = OrgLink.objects.filter(parent=unit, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    return (
        scoped(OrgUnit.objects.all(), user, ever=True)
        .filter(pk__in=links.values("child_id"))
        .annotate(level_order=level_order())
        .order_by("level_order", "name")
    )


def level_order() -> Case:
    """The charter level of a unit's type as SQL (2 city … 4 CĐCS): the ward and district unions are
    listed before the hundreds of CĐCS directly under a city."""
    return Case(*(When(type=t, then=Value(n)) for t, n in UNIT_LEVEL.items()), default=Value(9))


def ancestors(unit: OrgUnit, on: dt.date | None = None) -> list[OrgUnit]:
    """From the top of the tree down to the unit's parent, on day ``on``."""
    ids = tree.ancestor_ids(unit.pk, on or timezone.localdate())
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[i] for i in reversed(ids) if i in by_id]


def subtree(unit: OrgUnit, on: dt.date) -> QuerySet[OrgUnit]:
    """The unit and everything under it on day ``on`` (unscoped: callers have checked the unit)."""
    return OrgUnit.objects.filter(id__in=tree.in_subtree([unit.pk], on))


def cdcs_alive_on(units: Any, day: dt.date) -> QuerySet[OrgUnit]:
    """The grassroots unions (CĐCS, nghiệp đoàn) among ``units`` (ids or an id subquery) alive on
    ``day`` (unscoped: ``units`` is already the caller's)."""
    return OrgUnit.objects.filter(alive_on_q(day), id__in=units, type__in=GRASSROOTS_TYPES)


def unit_links(unit: OrgUnit) -> QuerySet[OrgLink]:
    """The unit's history as a child: each parent it had, with dates."""
    return OrgLink.objects.filter(child=unit).select_related("parent").order_by("valid_from")


def unit_audit(*, user: object, unit: OrgUnit, limit: int = 100) -> QuerySet[AuditEntry]:
    """Audit entries about the unit (and its employers), hidden after a read-only user's last day."""
    # Member records carry personal data: their trail is shown (masked) on the member's own page.
    qs = AuditEntry.objects.filter(Q(object_type="org.orgunit", object_id=unit.code) | Q(unit=unit)).exclude(
        object_type__startswith="members."
    )
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]


def unit_counts(
    *, user: object, root: OrgUnit | None = None, on: dt.date | None = None
) -> dict[str, Counter]:
    """Counts of live units by type and by sector, in the user's scope (under ``root`` if given)."""
    day = on or timezone.localdate()
    qs = unit_list(user=user, on=day)
    if root is not None:
        qs = qs.filter(id__in=tree.in_subtree([root.pk], day)).exclude(pk=root.pk)
    by_type: Counter = Counter()
    by_sector: Counter = Counter()
    for type_, sector in qs.values_list("type", "sector"):
        by_type[type_] += 1
        if sector:
            by_sector[sector] += 1
    return {"type": by_type, "sector": by_sector}


def home_units(*, user: object) -> list[OrgUnit]:
    """The units the user acts for (their scope roots), for the home page."""
    scope = user_scope(user)
    if scope.is_global:
        return list(OrgUnit.objects.filter(parent_links__isnull=True).order_by("code"))
    by_id = OrgUnit.objects.in_bulk(scope.root_ids)
    return [by_id[i] for i in scope.root_ids if i in by_id]


# -- employers ---------------------------------------------------------------------------------


def employer_list(*, user: object, search: str = "") -> QuerySet[Employer]:
    scope = user_scope(user)
    managed = scope_q(scope, unit="unit_id")
    # An ended unit's officers see the employers their unit managed, not those a union that came
    # after it registered for one of its former CĐCS (that would name the later union).
    represented = scope_q(scope, unit="cdcs_id")
    qs = Employer.objects.filter(managed if scope.read_only_until else managed | represented)
    if search:
        qs = qs.filter(search_key__contains=fold(search))
    return qs.select_related("unit", "cdcs")


def employer_get(*, user: object, pk: int) -> Employer:
    scope = user_scope(user)
    managed = scope_q(scope, unit="unit_id", ever=True)
    employer = (
        Employer.objects.filter(
            managed if scope.read_only_until else managed | scope_q(scope, unit="cdcs_id", ever=True)
        )
        .select_related("unit", "cdcs")
        .filter(pk=pk)
        .first()
    )
    if employer is None:
        raise OutOfScope(pk)
    return employer


# -- emulation clusters ------------------------------------------------------------------------


def cluster_list(*, user: object, year: int | None = None) -> QuerySet[EmulationCluster]:
    """Clusters the user's units organise or belong to (a ward sees the city's cluster it is in)."""
    scope = user_scope(user)
    organised = scope_q(scope, unit="organiser_id", ever=True)
    belongs = scope_q(scope, unit="memberships__unit_id", ever=True)
    qs = EmulationCluster.objects.filter(organised | belongs).distinct()
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("organiser").prefetch_related("memberships__unit")


# -- added for the UI --


def view_day(*, user: object, on: dt.date | None = None, unit: OrgUnit | None = None) -> dt.date:
    """The day a page shows the tree on: ``on`` (default today, or the unit's last day if it has ended),
    never after a read-only user's last day."""
    day = on or (unit.last_day if unit is not None and unit.last_day else None) or timezone.localdate()
    until = user_scope(user).read_only_until
    return min(day, until) if until else day


def child_counts(*, user: object, parent_ids: list[int], on: dt.date) -> dict[int, int]:
    """How many in-scope children each of ``parent_ids`` has on day ``on``."""
    if not parent_ids:
        return {}
    links = (
        OrgLink.objects.filter(parent_id__in=parent_ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .filter(child_id__in=scoped(OrgUnit.objects.all(), user, ever=True).values("id"))
    )
    return dict(Counter(links.values_list("parent_id", flat=True)))


def unit_history(*, user: object, unit: OrgUnit) -> QuerySet[OrgLink]:
    """``unit_links`` as the user may see them: a read-only user sees no link begun after their last day."""
    qs = unit_links(unit)
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(valid_from__lte=until)
    return qs


def unit_employers(*, user: object, unit: OrgUnit) -> QuerySet[Employer]:
    """Employers the unit manages or represents, within the user's scope."""
    return employer_list(user=user).filter(Q(unit=unit) | Q(cdcs=unit))


def employer_get_writable(*, user: object, pk: int) -> Employer:
    """The employer if the user may change it (its managing union is writable today), else 404."""
    return get_scoped(Employer.objects.all(), user, unit="unit_id", writable=True, pk=pk)


def employer_audit(*, user: object, employer: Employer, limit: int = 100) -> QuerySet[AuditEntry]:
    """Audit entries about one employer, hidden after a read-only user's last day."""
    qs = AuditEntry.objects.filter(object_type="org.employer", object_id=str(employer.pk))
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]


def cluster_years(*, user: object) -> list[int]:
    """The years that have clusters the user may see (organised by or including one of the user's
    units: the clusters of ``cluster_list``), newest first."""
    years = cluster_list(user=user).order_by().values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def unit_search(*, user: object, search: str, limit: int = 50) -> list[OrgUnit]:
    """Units the user may open whose name or code matches ``search`` (accent-insensitive), including
    units that have ended or moved out since (the tree's search box): live ones first."""
    key = fold(search)
    if not key:
        return []
    qs = scoped(OrgUnit.objects.all(), user, ever=True).filter(search_key__contains=key)
    return sorted(qs[: limit * 2], key=lambda u: (u.dissolved_on is not None, u.level, u.name))[:limit]


# -- added for members UI --


def organising_targets(*, user: object, search: str = "", funding_only: bool = False) -> QuerySet[Employer]:
    """Employers in the user's scope without a CĐCS that have workers or pay union funding — the list
    officers use to found new CĐCS — by managing union, largest first."""
    qs = employer_list(user=user, search=search).filter(cdcs__isnull=True)
    if funding_only:
        qs = qs.filter(pays_union_funding=True)
    else:
        qs = qs.filter(Q(workforce__gt=0) | Q(pays_union_funding=True))
    return qs.order_by("unit__name", "unit_id", "-workforce", "name", "id")


class OrganisingGroup:
    """Employers without a CĐCS under one managing union, with totals over all of them."""

    def __init__(self, unit: OrgUnit) -> None:
        self.unit = unit
        self.employers: list[Employer] = []
        self.count = 0
        self.workforce = 0
        self.funding = 0

    @property
    def more(self) -> int:
        return self.count - len(self.employers)


def organising_groups(employers: QuerySet[Employer], per_unit: int = 100) -> list[OrganisingGroup]:
    """``organising_targets`` grouped by managing union, the largest groups first; each group lists at
    most ``per_unit`` employers (the largest) while its totals count them all."""
    groups: dict[int, OrganisingGroup] = {}
    for employer in employers.select_related("unit"):
        group = groups.get(employer.unit_id)
        if group is None:
            group = groups[employer.unit_id] = OrganisingGroup(unit=employer.unit)
        group.count += 1
        group.workforce += employer.workforce
        group.funding += int(employer.pays_union_funding)
        if len(group.employers) < per_unit:
            group.employers.append(employer)
    return sorted(groups.values(), key=lambda g: (-g.workforce, g.unit.name))


# -- founding: the one rule for periods before a unit existed ---------------------------------------

NOT_FOUNDED = "Đơn vị chưa thành lập trong kỳ này (thành lập ngày {day})."


def began_on(unit: OrgUnit) -> dt.date | None:
    """The day the unit began: its founding date or, without one, the day it was first placed in the
    tree (``None`` for a unit with neither)."""
    if unit.founded_on is not None:
        return unit.founded_on
    return (
        OrgLink.objects.filter(child=unit).order_by("valid_from").values_list("valid_from", flat=True).first()
    )


def not_founded_message(unit: OrgUnit, period_end: dt.date) -> str:
    """The one rule for a period that ends before the unit began: "Đơn vị chưa thành lập trong kỳ này
    (thành lập ngày 01/07/2025)." — shown by the data-entry form and the dashboard instead of a form and
    zeros (the services refuse such a save: ``indicators.services.require_existed``); "" when the unit
    existed by ``period_end``."""
    began = began_on(unit)
    if began is None or began <= period_end:
        return ""
    return NOT_FOUNDED.format(day=format_date(began))


def employer_in_unit(employer: Employer, unit: OrgUnit, day: dt.date) -> bool:
    """Whether ``employer`` belongs to ``unit``'s subtree on ``day`` (its managing union or its CĐCS)."""
    ids = tree.subtree_ids(unit.pk, day)
    return employer.unit_id in ids or (employer.cdcs_id is not None and employer.cdcs_id in ids)


def employer_find(*, user: Any, ref: str) -> Employer | None:
    """An employer the user sees, by tax code or by its number (as on its page)."""
    ref = (ref or "").strip()
    visible = employer_list(user=user)
    found = visible.filter(tax_code=ref).first() if ref else None
    if found is None and ref.isdigit() and len(ref) <= 18:
        found = visible.filter(pk=int(ref)).first()
    return found


def employer_name(pk: int) -> str:
    """An employer's name for a history line that holds its number ("—" once it is gone)."""
    found = Employer.objects.filter(pk=pk).values_list("name", flat=True).first()
    return found if found is not None else "—"
