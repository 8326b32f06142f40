"""The public scope contract every app uses: scoped reads, write checks and the API's write permission.

Reads go through ``scoped`` / ``get_scoped`` (the rules themselves live on ``Scope`` in ``scope.py``);
writes through ``require_writable`` (services) and ``can_write`` (views deciding what to offer).
Out of scope is always ``OutOfScope``, a 404, so a record's existence never leaks.

The kernel imports no domain app: org units are reached through ``apps.get_model``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .scope import OutOfScope, Scope, scope_for, user_scope

M = TypeVar("M", bound=Model)

# How one root's subtree is written in SQL: ``(root unit id, day) -> Q`` on the unit field. The
# default is the recursive query of ``Scope.unit_q``; the member search passes a literal id list
# read first, which PostgreSQL plans better inside its list queries (docs/members-search.md).
SubtreeQ = Callable[[int, dt.date], Q]


def _scope_of(user: Any) -> Scope:
    return user if isinstance(user, Scope) else user_scope(user)


def is_global(user: Any) -> bool:
    """Whether ``user`` sees and may change everything (the administrator); ``None`` is not global."""
    return user is not None and _scope_of(user).is_global


# -- reads ---------------------------------------------------------------------------------------


def scope_q(
    user: Any,
    *,
    unit: str = "id",
    on: dt.date | None = None,
    date: str | None = None,
    period: str | None = None,
    ever: bool = False,
    writable: bool = False,
    subtree: SubtreeQ | None = None,
) -> Q:
    """The condition behind ``scoped``: rows whose ``unit`` field names a unit the user may see.

    - default: units under the user's roots on day ``on`` (today), an ended root on its last day;
    - ``date``: the rows' date field; under an ended root only rows dated up to its last day;
    - ``ever``: units that were under a root at some day the user may see (pages of history), with
      ``date`` applied the same way;
    - ``period``: the rows' period-code field: ``Scope.period_q`` (values, targets, report files);
    - ``writable``: units the user may change on ``on`` (``Scope.writable_q``);
    - ``subtree``: another SQL form of a root's subtree on a day (default form only).
    ``user`` may be a user or an already computed ``Scope``."""
    scope = _scope_of(user)
    if period is not None:
        return scope.period_q(unit_field=unit, period_field=period)
    if writable:
        return scope.writable_q(on, field_name=unit)
    if ever:
        return scope.unit_ever_q(field_name=unit) if date is None else _dated_ever_q(scope, unit, date)
    if subtree is None or scope.is_global:
        return scope.unit_q(on, field_name=unit, dated_by=date)
    # ``Scope.unit_q`` with the caller's form of each root's subtree; same days, same date rule.
    day = on or scope.today
    q = Q(pk__in=[])
    for root in scope.roots:
        root_q = subtree(root.unit_id, min(day, root.until) if root.until else day)
        if root.until and date:
            root_q &= Q(**{f"{date}__lte": root.until})
        q |= root_q
    return q


def _dated_ever_q(scope: Scope, unit: str, date: str) -> Q:
    """``unit_ever_q`` root by root; under an ended root only rows dated up to its last day (a former
    district officer sees the members its CĐCS had, not those admitted after it ended)."""
    if scope.is_global:
        return Q()
    q = Q(pk__in=[])
    for root in scope.roots:
        root_q = Scope(roots=[root], today=scope.today).unit_ever_q(field_name=unit)
        if root.until:
            root_q &= Q(**{f"{date}__lte": root.until})
        q |= root_q
    return q


def scoped(
    queryset: QuerySet[M],
    user: Any,
    *,
    unit: str = "id",
    on: dt.date | None = None,
    date: str | None = None,
    period: str | None = None,
    ever: bool = False,
    writable: bool = False,
) -> QuerySet[M]:
    """``queryset`` reduced to the rows ``user`` may see (see ``scope_q`` for the options), e.g.
    ``scoped(Membership.objects.all(), user, unit="cdcs_id", date="join_date")``."""
    return queryset.filter(
        scope_q(user, unit=unit, on=on, date=date, period=period, ever=ever, writable=writable)
    )


def get_scoped(
    queryset: QuerySet[M],
    user: Any,
    *,
    unit: str = "id",
    on: dt.date | None = None,
    date: str | None = None,
    period: str | None = None,
    ever: bool = False,
    writable: bool = False,
    **lookup: Any,
) -> M:
    """The one row matching ``lookup`` among those ``scoped`` lets the user see, else ``OutOfScope``
    (404): e.g. ``get_scoped(OrgUnit.objects.all(), user, ever=True, code="GL1")``."""
    row = (
        scoped(queryset, user, unit=unit, on=on, date=date, period=period, ever=ever, writable=writable)
        .filter(**lookup)
        .first()
    )
    if row is None:
        raise OutOfScope(str(lookup))
    return row


# -- writes --------------------------------------------------------------------------------------


def _units() -> QuerySet[Any]:
    return apps.get_model("org", "OrgUnit")._default_manager.all()


def require_writable(actor: Any, *units: Any, on: dt.date | None = None) -> None:
    """``OutOfScope`` (404) unless every unit is in the actor's writable scope on ``on`` (default
    today). ``actor=None`` is the system itself (CLI, demo loader): always allowed. Services call it
    before validating anything, so a read-only officer learns nothing from error messages."""
    if actor is None:
        return
    ids = {u.pk for u in units}
    scope = scope_for(actor)  # not the request's cached scope: a write checks the roles as they are now
    allowed = set(_units().filter(scope.writable_q(on), pk__in=ids).values_list("pk", flat=True))
    if allowed != ids:
        raise OutOfScope("out of scope")


def can_write(user: Any, unit: Any, on: dt.date | None = None) -> bool:
    """Whether ``user`` may change ``unit``'s records: the unit is alive on ``on`` (default today) and
    in the user's writable scope that day. For views deciding what to offer; services still call
    ``require_writable``."""
    day = on or timezone.localdate()
    if not unit.is_alive_on(day):
        return False
    return _units().filter(user_scope(user).writable_q(on), pk=unit.pk).exists()


class WritableScope(BasePermission):
    """DRF permission for viewsets that write: reads pass; a write by a user who may change nothing
    (a read-only officer of an ended unit, a viewer) is refused with 403 before its input is read.
    Which unit a write may touch, and on which day, is the service's ``require_writable`` (404)."""

    message = "Tài khoản chỉ được xem, không được thay đổi dữ liệu."

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return _scope_of(request.user).can_write_anything
