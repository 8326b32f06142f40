"""What a user may see and change: the subtrees of their role assignments, following time.

- A live unit's officers see its subtree as of the day they look at (today for registers).
- Once the unit has ended, its officers keep read-only access to the subtree as it was on the
  unit's last day, and to nothing after: records dated after that day, and period-keyed rows
  (values, targets, report files) whose period starts after it, are not theirs (``period_q``).
Everything out of scope answers 404 (``OutOfScope`` is an ``Http404``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import CharField, Q, Value
from django.http import Http404
from django.utils import timezone

from congdoan.core.periods import Period, parse_period, periods_in
from congdoan.core.registry import tree  # the dated org tree, registered by the org app

from .models import WRITING_ROLES, RoleAssignment


class OutOfScope(Http404):
    """The object is not in the user's subtrees; shown as 404 so its existence does not leak."""


@dataclass(frozen=True)
class ScopeRoot:
    unit_id: int
    role: str
    writable: bool
    # Last day the root's data may be seen (the unit's last day once it has ended), else None.
    until: dt.date | None


@dataclass
class Scope:
    roots: list[ScopeRoot] = field(default_factory=list)
    is_global: bool = False
    today: dt.date = field(default_factory=lambda: timezone.localdate())

    # -- units ---------------------------------------------------------------------------------
    def unit_q(self, on: dt.date | None = None, field_name: str = "id", dated_by: str | None = None) -> Q:
        """Units under the user's roots on day ``on`` (an ended root: on its last day at most).

        For records, ``dated_by`` names their date field: under an ended root only records dated up
        to its last day are visible (a district's former CĐCS keeps its later members to itself).
        """
        if self.is_global:
            return Q()
        day = on or self.today
        q = Q(pk__in=[])
        for root in self.roots:
            root_day = min(day, root.until) if root.until else day
            root_q = Q(**{f"{field_name}__in": tree.in_subtree([root.unit_id], root_day)})
            if root.until and dated_by:
                root_q &= Q(**{f"{dated_by}__lte": root.until})
            q |= root_q
        return q

    def unit_ever_q(self, field_name: str = "id") -> Q:
        """Units that were under a root at some day the user may see (pages of history)."""
        if self.is_global:
            return Q()
        q = Q(pk__in=[])
        for root in self.roots:
            end = root.until + dt.timedelta(days=1) if root.until else None
            q |= Q(**{f"{field_name}__in": tree.ever_in_subtree(root.unit_id, None, end)})
        return q

    def period_q(self, unit_field: str = "unit_id", period_field: str = "period") -> Q:
        """Period-keyed rows (entered values, targets, report files: a unit and a period code) the user
        may see: of units that were under a root at some day they may see and, under an ended root,
        only for periods that start on or before its last day (its 2025 figures, not 2025Q3 or 2026).

        The one rule for every period-keyed read; ``require_period`` asks it of a single pair."""
        if self.is_global:
            return Q()
        q = Q(pk__in=[])
        for root in self.roots:
            end = root.until + dt.timedelta(days=1) if root.until else None
            root_q = Q(**{f"{unit_field}__in": tree.ever_in_subtree(root.unit_id, None, end)})
            if root.until:
                root_q &= periods_starting_by_q(root.until, period_field)
            q |= root_q
        return q

    def require_period(self, unit_id: int, period: Period | str) -> None:
        """``OutOfScope`` (404) unless ``period_q`` lets the user see the unit's rows of ``period``:
        the check for reads and requests that name one unit and one period (figures, report files)."""
        OrgUnit = apps.get_model("org", "OrgUnit")  # the kernel names no domain app's module

        code = period.code if isinstance(period, Period) else parse_period(period).code
        allowed = (
            OrgUnit.objects.filter(pk=unit_id)
            .alias(period_code=Value(code, output_field=CharField()))
            .filter(self.period_q(unit_field="id", period_field="period_code"))
        )
        if not allowed.exists():
            raise OutOfScope(f"{unit_id}/{code}")

    def writable_q(self, on: dt.date | None = None, field_name: str = "id") -> Q:
        if self.is_global:
            return Q()
        q = Q(pk__in=[])
        for root in self.roots:
            if root.writable:
                q |= Q(**{f"{field_name}__in": tree.in_subtree([root.unit_id], on or self.today)})
        return q

    @property
    def can_write_anything(self) -> bool:
        return self.is_global or any(root.writable for root in self.roots)

    @property
    def read_only_until(self) -> dt.date | None:
        """For a user whose every root has ended: the last day they may see."""
        if self.is_global or not self.roots or any(r.until is None for r in self.roots):
            return None
        return max(r.until for r in self.roots if r.until)

    @property
    def root_ids(self) -> list[int]:
        return [r.unit_id for r in self.roots]


def periods_starting_by_q(day: dt.date, field_name: str = "period") -> Q:
    """Rows whose period code (``field_name``) names a period that starts on or before ``day``.

    Codes begin with their first year (``2025``, ``2025S2``, ``2025Q3``, ``202507``, ``2025-2030``), so
    every code of an earlier year sorts before ``str(day.year + 1)``; of ``day``'s own year, the halves,
    quarters and months that start after ``day`` are left out by name (a year or a term starting that
    year starts on 1 January). Plain comparisons: the ``period`` indexes serve them on both databases."""
    year = parse_period(str(day.year))
    later = [p.code for kind in ("half", "quarter", "month") for p in periods_in(year, kind) if p.start > day]
    return Q(**{f"{field_name}__lt": str(day.year + 1)}) & ~Q(**{f"{field_name}__in": later})


def scope_for(user: Any, today: dt.date | None = None) -> Scope:
    """The scope of ``user`` on ``today``; anonymous or unassigned users see nothing."""
    day = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return Scope(today=day)
    if getattr(user, "is_superuser", False):
        return Scope(is_global=True, today=day)
    roots = []
    assignments = (
        RoleAssignment.objects.filter(user=user, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("unit")
    )
    for assignment in assignments:
        unit = assignment.unit
        ended = unit.dissolved_on is not None and unit.dissolved_on <= day
        roots.append(
            ScopeRoot(
                unit_id=unit.pk,
                role=assignment.role,
                writable=not ended and assignment.role in WRITING_ROLES,
                until=unit.last_day if ended else None,
            )
        )
    return Scope(roots=roots, today=day)


def user_scope(user: Any) -> Scope:
    """The scope cached on the user object for the length of one request."""
    cached = getattr(user, "_congdoan_scope", None)
    if cached is None:
        cached = scope_for(user)
        try:
            user._congdoan_scope = cached  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return cached
