"""Reads of members, already scoped to the user's subtrees."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.text import fold
from congdoan.org import tree
from congdoan.org.models import OrgUnit

from .models import Membership, Person, WorkforceCount


def membership_list(
    *,
    user: Any,
    unit: OrgUnit | None = None,
    status: str | None = Membership.Status.ACTIVE,
    search: str = "",
    on: dt.date | None = None,
) -> QuerySet[Membership]:
    """Memberships in CĐCS of the user's scope (under ``unit`` if given), Vietnamese name order.

    ``search``: digits match part of a CCCD, phone or card number; a code with letters and digits
    ("TD00088129") a card number; words match the folded name (accent- and case-insensitive). On
    PostgreSQL each of these uses a trigram index (members/migrations/0002).
    """
    day = on or timezone.localdate()
    qs = Membership.objects.filter(user_scope(user).unit_q(day, field_name="cdcs_id", dated_by="join_date"))
    if unit is not None:
        qs = qs.filter(cdcs_id__in=tree.in_subtree([unit.pk], day))
    if status:
        qs = qs.filter(status=status)
    order: list[Any] = ["person__sort_key", "person_id"]
    term = search.strip()
    digits = re.sub(r"[\s.\-]", "", term)
    if digits.isdigit() and len(digits) >= 3:
        # Each OR stays inside one table so each table's trigram index serves it (an OR across the
        # join made PostgreSQL hash-join both whole tables: ~1 s at 1M members, ~50 ms this way).
        persons = Person.objects.filter(Q(cccd__contains=digits) | Q(phone__contains=digits)).order_by()
        by_person = Membership.objects.filter(person_id__in=persons.values("pk")).order_by().values("pk")
        by_card = Membership.objects.filter(card_number__contains=digits).order_by().values("pk")
        qs = qs.filter(pk__in=by_person.union(by_card))
    elif re.fullmatch(r"[A-Za-z]+\d+[A-Za-z\d]*", digits) and len(digits) >= 4:
        qs = qs.filter(card_number__icontains=digits)
    elif term:
        key = fold(term)
        qs = qs.filter(person__search_key__contains=key)
        if _rare_name(key):
            # Few people carry the name: fetch them by the trigram index and sort them, instead of
            # walking the whole sort order (the sort key starts with the given name, so all the
            # "Việt"s sit together and an index walk read ~950,000 rows before finding 50).
            order = [Concat("person__sort_key", Value("")), "person_id"]
    return qs.select_related("person", "cdcs").order_by(*order)


RARE_NAME_LIMIT = 5000


def _rare_name(key: str) -> bool:
    """Whether fewer than RARE_NAME_LIMIT people match (PostgreSQL only: one trigram-index count)."""
    if connection.vendor != "postgresql":
        return False
    matches = Person.objects.filter(search_key__contains=key).values("pk")[:RARE_NAME_LIMIT]
    return Person.objects.filter(pk__in=matches).count() < RARE_NAME_LIMIT


def member_get(*, user: Any, person_id: int) -> Person:
    """A person with at least one membership the user may see, else 404."""
    visible = Membership.objects.filter(
        user_scope(user).unit_ever_q(field_name="cdcs_id"), person_id=person_id
    )
    if not visible.exists():
        raise OutOfScope(person_id)
    return Person.objects.get(pk=person_id)


def person_memberships(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("cdcs").order_by("join_date", "id")


def membership_get(*, user: Any, pk: int) -> Membership:
    membership = (
        Membership.objects.filter(user_scope(user).unit_q(field_name="cdcs_id", dated_by="join_date"), pk=pk)
        .select_related("person", "cdcs")
        .first()
    )
    if membership is None:
        raise OutOfScope(pk)
    return membership


def workforce_on(cdcs_ids: list[int], on: dt.date) -> dict[int, WorkforceCount]:
    """The latest workforce count on or before ``on`` for each CĐCS."""
    latest: dict[int, WorkforceCount] = {}
    for count in WorkforceCount.objects.filter(cdcs_id__in=cdcs_ids, as_of__lte=on).order_by(
        "cdcs_id", "as_of"
    ):
        latest[count.cdcs_id] = count
    return latest


def coverage(*, unit: OrgUnit, on: dt.date) -> dict[str, int]:
    """Members and workers of every CĐCS under ``unit`` on ``on`` (coverage = members / workers)."""
    cdcs_ids = list(
        OrgUnit.objects.filter(
            id__in=tree.in_subtree([unit.pk], on), type__in=["CDCS", "NGHIEP_DOAN"]
        ).values_list("pk", flat=True)
    )
    members = (
        Membership.objects.filter(cdcs_id__in=cdcs_ids, join_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .count()
    )
    counts = workforce_on(cdcs_ids, on).values()
    return {
        "members": members,
        "workers": sum(c.workers for c in counts),
        "women": sum(c.women for c in counts),
        "cdcs": len(cdcs_ids),
    }


# -- added for members UI --


def _dated_ever_q(user: Any, field_name: str = "cdcs_id") -> Q:
    """Memberships in units that were ever under one of the user's roots; under an ended root only
    those that began by its last day (a former district officer does not see later members)."""
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    q = Q(pk__in=[])
    for root in scope.roots:
        end = root.until + dt.timedelta(days=1) if root.until else None
        root_q = Q(**{f"{field_name}__in": tree.ever_in_subtree(root.unit_id, None, end)})
        if root.until:
            root_q &= Q(join_date__lte=root.until)
        q |= root_q
    return q


def member_page_get(*, user: Any, person_id: int) -> Person:
    """A person with a membership the user may see (dated as ``_dated_ever_q``), else 404."""
    if not Membership.objects.filter(_dated_ever_q(user), person_id=person_id).exists():
        raise OutOfScope(person_id)
    return Person.objects.get(pk=person_id)


def member_history(*, user: Any, person: Person) -> list[Membership]:
    """``person_memberships`` as the user may see them: a read-only user sees them as they stood on
    their last day (none begun after it, none ended after it)."""
    qs = person_memberships(person)
    until = user_scope(user).read_only_until
    if not until:
        return list(qs)
    history = list(qs.filter(join_date__lte=until))
    for membership in history:  # shown as it stood on their last day (never saved)
        if membership.end_date and membership.end_date > until:
            membership.status = Membership.Status.ACTIVE
            membership.end_date = None
            membership.end_reason = ""
    return history


def member_active_membership(*, user: Any, person: Person) -> Membership | None:
    """The person's active membership, if it is in the user's scope today."""
    return (
        Membership.objects.filter(
            user_scope(user).unit_q(field_name="cdcs_id", dated_by="join_date"),
            person=person,
            status=Membership.Status.ACTIVE,
        )
        .select_related("person", "cdcs")
        .first()
    )


def member_audit(*, user: Any, person: Person, limit: int = 100) -> QuerySet[Any]:
    """Audit entries about the person and their memberships, hidden after a read-only user's last day."""
    from congdoan.core.models import AuditEntry

    qs = AuditEntry.objects.filter(
        object_type__in=["members.membership", "members.person"], object_id=str(person.pk)
    )
    until = user_scope(user).read_only_until
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")[:limit]


def member_summary(*, unit: OrgUnit, on: dt.date) -> dict[str, Any]:
    """Members (and women members) of the CĐCS under ``unit`` on ``on``, with their workforce
    (``coverage``) and, for a grassroots unit, its latest workforce count. Unscoped: the caller has
    checked the unit."""
    summary: dict[str, Any] = dict(coverage(unit=unit, on=on))
    cdcs_ids = OrgUnit.objects.filter(
        id__in=tree.in_subtree([unit.pk], on), type__in=["CDCS", "NGHIEP_DOAN"]
    ).values("pk")
    summary["women_members"] = (
        Membership.objects.filter(cdcs_id__in=cdcs_ids, join_date__lte=on, person__gender="F")
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .count()
    )
    summary["latest"] = workforce_on([unit.pk], on).get(unit.pk) if unit.is_grassroots else None
    return summary
