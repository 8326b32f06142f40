"""Reads of members, already scoped to the user's subtrees."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Func, Lookup, Q, QuerySet, Value
from django.db.models.lookups import Contains, EndsWith
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.text import fold, vi_primary_key
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
    ("TD00088129") a card number; words match the folded name (accent- and case-insensitive) **at
    word starts**: the typed words must be consecutive words of the name, the last one possibly
    cut short — "huong" finds "Nguyễn Thị Hương" and "Lê Hương Giang", not "Trần Phương";
    "nguyen thi h" finds "Nguyễn Thị Hoa" and "Nguyễn Thị Hằng Nga", not "Nguyễn Thị Thu Hương".
    On PostgreSQL each of these uses an index (members/migrations/0002, 0003); see
    ``_name_search`` for how a name search keeps to the order of the list.
    """
    day = on or timezone.localdate()
    term = search.strip()
    digits = re.sub(r"[\s.\-]", "", term)
    by_digits = digits.isdigit() and len(digits) >= 3
    by_card = not by_digits and bool(re.fullmatch(r"[A-Za-z]+\d+[A-Za-z\d]*", digits)) and len(digits) >= 4
    # Digit and card searches start from their trigram indexes: the recursive scope query, hashed
    # once, is cheaper there (a 10,000-id list cost ~10 ms more per query, 150 ms more for a
    # 4-digit fragment matching 10,000 people). Lists and name searches walk the name order.
    literal = not (by_digits or by_card)
    qs = Membership.objects.filter(_scope_q(user, day, literal=literal))
    if unit is not None:
        qs = qs.filter(_in_units(_subtree(unit.pk, day, literal=literal)))
    if status:
        qs = qs.filter(status=status)
    if by_digits:
        # Each OR stays inside one table so each table's trigram index serves it (an OR across the
        # join made PostgreSQL hash-join both whole tables: ~1 s at 1M members, ~50 ms this way).
        persons = Person.objects.filter(Q(cccd__contains=digits) | Q(phone__contains=digits)).order_by()
        with_person = Membership.objects.filter(person_id__in=persons.values("pk")).order_by().values("pk")
        with_card = Membership.objects.filter(card_number__contains=digits).order_by().values("pk")
        qs = qs.filter(pk__in=with_person.union(with_card))
    elif by_card:
        if connection.vendor == "postgresql":  # ILIKE is served by the trigram index, UPPER(...) LIKE not
            qs = qs.filter(ILikeContains(F("card_number"), digits))
        else:
            qs = qs.filter(card_number__icontains=digits)
    elif fold(term):
        qs = _name_search(qs, fold(term))
    return qs.select_related("person", "cdcs").order_by("person__sort_key", "person_id")


def _subtree(unit_id: int, day: dt.date, *, literal: bool = True) -> Any:
    """The ids of ``unit_id``'s subtree on ``day``: a list on PostgreSQL if ``literal`` (see
    ``_scope_q``), else the recursive query itself."""
    if not literal or connection.vendor != "postgresql":
        return tree.in_subtree([unit_id], day)
    sql, params = tree.subtree_sql([unit_id], day)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


FILTER_ONLY_IDS = 2000


class AnyOf(Lookup):  # type: ignore[type-arg]
    """``lhs = ANY(%s)`` with a list of ids as one parameter (PostgreSQL): an ``IN`` of 10,000 ids
    costs ~30 ms of Python to bind; one array ~1 ms, and PostgreSQL hashes it all the same.

    Above ``FILTER_ONLY_IDS`` ids it is written ``(lhs + 0) = ANY(...)``: a filter, never an index
    condition — 10,000 index searches on ``cdcs_id`` (a city: every membership) made short digit
    searches take 0.5 s. A district's 500 ids stay an index condition (its list and count use it).
    """

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs.value if isinstance(self.rhs, Value) else self.rhs  # wrapped once resolved
        if len(ids) > FILTER_ONLY_IDS:
            lhs = f"({lhs} + 0)"
        return f"{lhs} = ANY(%s)", [*lhs_params, list(ids)]


class ILikeContains(Lookup):  # type: ignore[type-arg]
    """``lhs ILIKE '%value%'`` (PostgreSQL): case-insensitive and served by a trigram index."""

    lookup_name = "ilike_contains"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = self.rhs.value if isinstance(self.rhs, Value) else self.rhs
        return f"{lhs} ILIKE %s", [*lhs_params, f"%{connection.ops.prep_for_like_query(value)}%"]


def _in_units(ids: Any, field_name: str = "cdcs_id") -> Q:
    if isinstance(ids, list):
        return Q(AnyOf(F(field_name), ids)) if ids else Q(pk__in=[])
    return Q(**{f"{field_name}__in": ids})


def _scope_q(user: Any, day: dt.date, *, literal: bool = True) -> Q:
    """``user_scope(user).unit_q(day, field_name="cdcs_id", dated_by="join_date")``, with each root's
    subtree read first on PostgreSQL.

    With the recursive query inside the list query, PostgreSQL estimates it at 200 units (10,021 for
    a city) and, for a first page, rescans the materialised units for every row (``Join Filter``,
    ~500,000 rows removed: 60–75 ms of each search at 1M members). A literal id list becomes one
    hashed ``= ANY(...)`` test per membership, with a true estimate.
    """
    scope = user_scope(user)
    if scope.is_global or not literal or connection.vendor != "postgresql":
        return scope.unit_q(day, field_name="cdcs_id", dated_by="join_date")
    q = Q(pk__in=[])
    for root in scope.roots:
        root_q = _in_units(_subtree(root.unit_id, min(day, root.until) if root.until else day))
        if root.until:
            root_q &= Q(join_date__lte=root.until)
        q |= root_q
    return q


class OtherWords(Func):
    """The folded name without its last word (the given name), after a space: " nguyen thi" for
    "nguyen thi huong", "" for a one-word name. Indexed by a trigram index (members/0003)."""

    template = "substring(' ' || %(expressions)s from '^(.*) ')"
    output_field = CharField()


# Letters that fold to the same search letter; the collation tells them apart (primary level).
_LETTER_VARIANTS = {"a": "aăâ", "d": "dđ", "e": "eê", "o": "oôơ", "u": "uư"}
MAX_GIVEN_RANGES = 64
# Above this many people matching outside the given name, they are common enough for PostgreSQL to
# find a first page by walking the name order.
OTHER_WORDS_LIMIT = 500


def given_name_ranges(word: str) -> list[tuple[str, str]]:
    """``sort_key`` ranges ``[lo, hi)`` holding exactly the people whose given name (folded) starts
    with ``word`` — one per spelling of its letters in the collation ("huong": hu/hư × o/ô/ơ: 6).

    The sort key starts with the collation primary of the given name (``person_sort_key``), two
    characters per letter and tones elsewhere, so each spelling is a key prefix. Empty when ``word``
    has characters other than a-z and 0-9 or too many spellings (callers then skip the ranges).
    """
    if not word or not re.fullmatch(r"[a-z0-9]+", word):
        return []
    spellings = [""]
    for ch in word:
        spellings = [s + v for s in spellings for v in _LETTER_VARIANTS.get(ch, ch)]
        if len(spellings) > MAX_GIVEN_RANGES:
            return []
    ranges = []
    for spelling in spellings:
        lo = vi_primary_key(spelling)
        ranges.append((lo, _next_prefix(lo)))
    return sorted(ranges)


def _next_prefix(key: str) -> str:
    """The least string above every string starting with ``key`` (keys use 0-9a-z; the first
    character of a primary code is never "z", so there is always one)."""
    stem = key.rstrip("z")
    return stem[:-1] + _BASE36[_BASE36.index(stem[-1]) + 1]


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _name_search(qs: QuerySet[Membership], phrase: str) -> QuerySet[Membership]:
    """``qs`` narrowed to names with ``phrase`` (folded) at a word start, in a form PostgreSQL can
    serve in name order.

    The list is ordered by the sort key, which starts with the given name: all the "Hương"s sit
    together far down the order. Walking the order and filtering read ~950,000 rows before finding
    them; fetching every match and sorting costs as many rows as match (18,000 for a common given
    name). So the matches are split: those where the phrase ends on the given name lie in a few
    ``sort_key`` ranges (``given_name_ranges``), the others (the phrase ends before the given name)
    are spread over the order. A capped query on the other words (trigram index of members/0003)
    tells which case holds:

    - many matches outside the given name ("nguyen", "tran van"): the plain filter; PostgreSQL walks
      the name order and soon finds a page;
    - none: the filter is the given-name ranges that hold anyone (one index probe each), between the
      lowest and highest of them, so the walk starts at the first "Hương";
    - a few: the plain filter, bounded below by the first of all the matches.
    """
    words = phrase.split(" ")
    at_word_start = Q(person__search_key__startswith=phrase) | Q(person__search_key__contains=" " + phrase)
    ranges = given_name_ranges(words[-1]) if connection.vendor == "postgresql" else []
    if not ranges:
        return qs.filter(at_word_start)
    elsewhere = list(
        Person.objects.filter(Contains(OtherWords("search_key"), " " + phrase))
        .order_by()
        .values_list("sort_key", flat=True)[:OTHER_WORDS_LIMIT]
    )
    if len(elsewhere) >= OTHER_WORDS_LIMIT:
        return qs.filter(at_word_start)
    held = _held_ranges(ranges)
    if not held and not elsewhere:
        return qs.none()
    if elsewhere:
        return qs.filter(at_word_start, person__sort_key__gte=min([lo for lo, _ in held[:1]] + elsewhere))
    # Every match ends on the given name: it is in one of the ranges and, for a phrase of several
    # words, the words before the given name end with the others ("thi huong": "... thi" + Hương…).
    in_ranges = Q()
    for lo, hi in held:
        in_ranges |= Q(person__sort_key__gte=lo, person__sort_key__lt=hi)
    qs = qs.filter(in_ranges, person__sort_key__gte=held[0][0], person__sort_key__lt=held[-1][1])
    if len(words) > 1:
        qs = qs.filter(EndsWith(OtherWords("person__search_key"), " " + " ".join(words[:-1])))
    return qs


def _held_ranges(ranges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ranges with at least one person (one index probe each, in one query)."""
    probes = ", ".join(
        "EXISTS (SELECT 1 FROM members_person WHERE sort_key >= %s AND sort_key < %s)" for _ in ranges
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {probes}", [k for r in ranges for k in r])
        found = cursor.fetchone()
    return [r for r, ok in zip(ranges, found, strict=True) if ok]


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
