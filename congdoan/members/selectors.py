"""Reads of members, already scoped to the user's subtrees."""

from __future__ import annotations

import datetime as dt
import re
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import CharField, Expression, F, FilteredRelation, Func, Lookup, Q, QuerySet, Value
from django.db.models.lookups import Contains, EndsWith, StartsWith
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q, scoped
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.sql import IdList, bigint_array, serial_reads
from congdoan.core.text import fold, vi_primary_key
from congdoan.org import tree
from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

from . import privacy, validation
from .models import Membership, Person, WorkforceCount, active_on_q
from .query_marks import mark_presorted, mark_while_unfiltered, unfiltered_mark


def membership_list(
    *,
    user: Any,
    unit: OrgUnit | None = None,
    status: str | None = Membership.Status.ACTIVE,
    search: str = "",
    on: dt.date | None = None,
    for_count: bool = False,
    reads: dict[Any, Any] | None = None,
) -> QuerySet[Membership]:
    """Memberships in CĐCS of the user's scope (under ``unit`` if given), Vietnamese name order.

    ``search``: digits match part of a CCCD, phone or card number; a code with letters and digits
    ("TD00088129") a card number; words match the folded name (accent- and case-insensitive) **at
    word starts**: the typed words must be consecutive words of the name, the last one possibly
    cut short — "huong" finds "Nguyễn Thị Hương" and "Lê Hương Giang", not "Trần Phương";
    "nguyen thi h" finds "Nguyễn Thị Hoa" and "Nguyễn Thị Hằng Nga", not "Nguyễn Thị Thu Hương".
    On PostgreSQL each of these uses an index (members/migrations/0002–0005); see
    ``_name_search`` for how a name search keeps to the order of the list.

    ``for_count``: the same rows, unordered, in the form PostgreSQL counts fastest — a search with
    many matches is walked in name order for a page, but counted from its indexes
    (``capped_count``).

    ``reads``: a dict the caller keeps for one request and passes to each call (the list and its
    ``for_count`` form): the unit ids of the scope and of ``unit`` are read into it once (a city's
    10,021 units by a recursive query: 8–18 ms), not once per call.
    """
    day = on or timezone.localdate()
    term = search.strip()
    kind, digits = search_kind(term)
    by_digits = kind == "digits"
    by_card = kind == "card"
    # Card searches start from their trigram index, where the recursive scope query, hashed once, is
    # cheaper (a 10,000-id list cost ~10 ms more per query); the others from a list of matches or a
    # walk of the name order, where the literal id list is cheaper (see ``_scope_q``).
    literal = not by_card
    scope_q, units = _scope_q(user, day, literal=literal, reads=reads)
    qs: QuerySet[Membership] = Membership.objects.filter(scope_q)
    if connection.vendor == "postgresql":  # joined only where a walk uses it
        qs = qs.annotate(**{WALK: FilteredRelation("person")})
    if unit is not None:
        ids = _subtree(unit.pk, day, literal=literal, reads=reads)
        qs = qs.filter(_in_units(ids))
        if isinstance(ids, list):
            units = len(ids) if units is None else min(units, len(ids))
    if status:
        qs = qs.filter(status=status)
    # A narrow scope (a district: its CĐCS found by their index) holds few of the country's matches:
    # its searches are sorted from the matches in scope rather than walked (see ``_name_search``).
    narrow = units is not None and units <= FILTER_ONLY_IDS
    few = False
    seen: int | None = None  # matches a name or digit search read (``matches_seen``)
    if by_digits:
        # A role that sees masked numbers may only find a whole CCCD or phone number: a part of one
        # would let it test the hidden digits one by one (security review, item 1).
        whole_only = not privacy.can_see_personal_data(user_scope(user))
        qs, few, seen = _digit_search(
            qs, digits, for_count=for_count, narrow=narrow, whole_only=whole_only, reads=reads
        )
    elif by_card:
        if connection.vendor == "postgresql":  # ILIKE is served by the trigram index, UPPER(...) LIKE not
            qs = qs.filter(ILikeContains(F("card_number"), digits))
        else:
            qs = qs.filter(card_number__icontains=digits)
    elif fold(term):
        qs, few, seen = _name_search(qs, fold(term), for_count=for_count, narrow=narrow)
    if for_count:
        return qs.order_by()
    if few:  # sorted from the matches: an order the sort_key index cannot give, so it is not walked
        # Sorted on the membership's copy of the sort key (members/0009), with the page's people and
        # CĐCS read after it (two queries of a page's rows). A name search sorted its matches already
        # (``_presorted``): a page then reads only its own rows ("thanh hoa", 4,854 matches in the
        # city: 57 ms sorting with the people, 24 ms without, ~1 ms by the page's ids).
        pg = connection.vendor == "postgresql"
        qs = qs.prefetch_related("person", "cdcs").order_by(
            MembershipSortKey() if pg else Unindexed(F("person__sort_key")), "person_id", "pk"
        )
        presorted = getattr(qs.query, "presorted_ids", None)
        if presorted is not None:
            mark_presorted(qs, presorted)
        # The matches are in the query as an id list: counting it reads those ids, where the
        # ``for_count`` form would run the search again (``counts_from_list``).
        qs.query.matches_in_hand = True  # type: ignore[attr-defined]
    elif connection.vendor == "postgresql" and not by_digits and not by_card:
        # The name order walked on its covering index (``WALK``): the people passed over are not read.
        qs = qs.select_related("person", "cdcs").order_by(f"{WALK}__sort_key", f"{WALK}__id")
    else:
        qs = qs.select_related("person", "cdcs").order_by("person__sort_key", "person_id")
    if seen is not None:
        # The search read the matches in ``qs`` (scope, unit, status) to choose its plan or to sort
        # them: all of them, or ``SORT_LIMIT`` when there are more. Their number is its count while
        # nothing narrows ``qs`` further (``matches_seen``): the size of its WHERE tells.
        mark_while_unfiltered(qs, "matches_seen", (seen, seen < SORT_LIMIT))
    return qs


def matches_seen(qs: QuerySet[Membership]) -> tuple[int, bool] | None:
    """``(n, exact)`` for a name or digit search as ``membership_list`` returned it (ordered or sliced,
    not filtered further): the search read its matches to choose a plan or sort them, so their number
    is known — ``exact``: ``n`` rows; else at least ``n`` (``SORT_LIMIT``) — and counting it costs no
    query (city "hương": the capped count of the ``for_count`` form re-read a bitmap of 18,000 matches
    and the scope, ~50 ms). ``None``: not known (digits walked or counted, SQLite, no search,
    filtered since)."""
    seen: tuple[int, bool] | None = unfiltered_mark(qs, "matches_seen")
    return seen


def counts_from_list(qs: QuerySet[Membership]) -> bool:
    """``qs`` (from ``membership_list``, filtered further or not) holds its matches as an id list read by
    the search: it counts fastest as it is (~1 ms for 1,000 ids), not in the ``for_count`` form, which
    searches again (~30 ms for "hương" in a district). The mark is on the query, so it survives
    ``filter()`` (``Query.clone`` copies it)."""
    return bool(getattr(qs.query, "matches_in_hand", False))


def search_kind(search: str) -> tuple[str, str]:
    """What a search box term is: ``("digits", "001195012345")`` (3+ digits, spaces, dots and dashes
    dropped: a CCCD, phone or card number), ``("card", "TD00088129")`` (letters then digits: a card
    number), ``("name", term)`` or ``("", "")`` when empty."""
    term = search.strip()
    digits = re.sub(r"[\s.\-]", "", term)
    if digits.isdigit() and len(digits) >= 3:
        return "digits", digits
    if re.fullmatch(r"[A-Za-z]+\d+[A-Za-z\d]*", digits) and len(digits) >= 4:
        return "card", digits
    return ("name", term) if term else ("", "")


def searches_personal_numbers(search: str) -> bool:
    """The term is looked up in CCCD and phone numbers (personal data): such searches are logged."""
    return search_kind(search)[0] == "digits"


def _whole_number_q(digits: str) -> Q | None:
    """People whose whole CCCD (12 digits, or a 9-digit CMND) or whole phone number is ``digits``;
    ``None`` when ``digits`` can be neither."""
    q = Q(cccd=digits) if len(digits) in (9, 12) else None
    try:
        phone = validation.normalize_phone(digits)
    except ValueError:
        return q
    return Q(phone=phone) if q is None else q | Q(phone=phone)


# A second join of the person, for walks of the name order (PostgreSQL): its order and name are read
# from the covering index ``person_sort_key_id_idx`` (sort key, id; search key included: members/0008),
# an index-only scan that reads no person row until a membership in scope matches — "nguyen van" in the
# city passed over 29,000 people read one by one (~100–140 ms; index-only ~12 ms). The rows shown come
# from the ``person`` join (``select_related``), so only the matches are read.
WALK = "walked_person"


# A search matching at least this many people in a wide scope may walk the name order (at 2,000 in a
# million, spread, a first page of 50 is ~25,000 people away: ~50 ms); fewer are fetched and sorted
# (~7 µs each). Chosen over the bench's 200 searches when sorting cost ~20 µs a match (session 2).
FEW_MATCHES = 2000


def _digit_search(
    qs: QuerySet[Membership],
    digits: str,
    *,
    for_count: bool = False,
    narrow: bool = False,
    whole_only: bool = False,
    reads: dict[Any, Any] | None = None,
) -> tuple[QuerySet[Membership], bool, int | None]:
    """``qs`` narrowed to ``digits`` in the CCCD, phone or card number; whether it is to be sorted
    from its matches (see ``FEW_MATCHES``); and how many memberships match, when they were read
    (``None``: not read). ``whole_only``: the CCCD or phone must be ``digits`` whole
    (``_whole_number_q``); card numbers, not personal data, still match in part.

    The matches are read first from the trigram indexes, each OR inside one table (an OR across the
    join made PostgreSQL hash-join both whole tables: ~1 s at 1M members). Few: passed as ids
    (PostgreSQL misjudges ``LIKE '%020075%'``: 10,000 people expected, 196 found, and it hash-joined
    the whole membership table for them: ~300 ms). Many ("0101": 8,664 people): the name order is
    walked for a page, and the id lists, up to ``MANY_DIGIT_MATCHES``, serve a count — and, in a
    ``narrow`` scope, the page too: PostgreSQL intersects them with the district's CĐCS, where a walk
    of the country's name order found one match in 400 rows (~250 ms).

    ``reads`` (a request's, as in ``membership_list``): the matches are read once, whole, for the page
    and its count — a district's "0978" read its 7,000 people twice (~40 ms each). To be sorted, the
    memberships matching in ``qs`` are read too, with their sort keys (under ``SORT_LIMIT``): sorted
    here, their number is the count and a page reads its own rows (``_presorted``) — the district's
    "0978" counted (~41 ms) and sorted (~28 ms) the same memberships again.
    """
    if whole_only:
        person_q = _whole_number_q(digits)
        persons = Person.objects.filter(person_q) if person_q is not None else Person.objects.none()
    else:
        persons = Person.objects.filter(Q(cccd__contains=digits) | Q(phone__contains=digits))
    persons = persons.order_by()
    cards = Membership.objects.filter(card_number__contains=digits).order_by()
    if connection.vendor != "postgresql":
        with_person = Membership.objects.filter(person_id__in=persons.values("pk")).order_by().values("pk")
        return qs.filter(pk__in=with_person.union(cards.values("pk"))), False, None
    all_ids = for_count or narrow  # to count, or to intersect with a district's CĐCS
    key = ("digit matches", digits, whole_only)
    if reads is not None and key in reads:
        person_ids, card_rows = reads[key]
    else:
        # Enough to choose the page's plan, or all of them for a count (which a request's page has next).
        limit = MANY_DIGIT_MATCHES if all_ids or reads is not None else FEW_MATCHES
        # IdLists: the page and its count bind them several times; each array literal is written once.
        person_ids = IdList(persons.values_list("pk", flat=True)[:limit])
        card_rows = list(cards.values_list("pk", "person_id")[:MANY_DIGIT_MATCHES])
        if reads is not None:
            reads[key] = person_ids, card_rows
    found = len(person_ids) + len(card_rows)
    if found < FEW_MATCHES or (all_ids and found < MANY_DIGIT_MATCHES):
        if not found:
            return qs.none(), True, 0
        card_ids = IdList(pk for pk, _ in card_rows)
        matches = qs.filter(Q(AnyId(F("person_id"), person_ids)) | Q(AnyId(F("pk"), card_ids)))
        if for_count:
            if not narrow and found > COUNT_HEAD:
                head = qs.filter(
                    Q(AnyId(F("person_id"), person_ids[:COUNT_HEAD]))
                    | Q(AnyId(F("pk"), card_ids[:COUNT_HEAD]))
                )
                mark_while_unfiltered(matches, "count_head", head)
            return matches, True, None
        rows = _serially(
            matches.order_by()
            .annotate(sort_key=MembershipSortKey())
            .values_list("pk", "sort_key", "person_id")[:SORT_LIMIT]
        )
        if len(rows) < SORT_LIMIT:
            return _presorted(qs, rows), True, len(rows)
        return matches, True, None
    # Many: PostgreSQL walks the people in name order and tests each person row first ("cccd LIKE …
    # OR phone LIKE … OR id IN <card holders>", drawn from the OR below): ~1 µs per person, where
    # reading each one's membership to test the OR took ~12 µs.
    card = Q(Contains(Unindexed(F("card_number")), digits))
    if len(card_rows) < MANY_DIGIT_MATCHES:
        card &= Q(RowIdIn(F("person__cccd"), [person_id for _, person_id in card_rows]))
    if whole_only:  # the few people with that whole number (a unique CCCD, a phone), all in hand
        return qs.filter(Q(AnyId(F("person_id"), person_ids)) | card), False, None
    walked = (
        Q(Contains(Unindexed(F("person__cccd")), digits))
        | Q(Contains(Unindexed(F("person__phone")), digits))
        | card
    )
    return qs.filter(walked), False, None


MANY_DIGIT_MATCHES = 50_000
# A wide scope's count of a digit search with more matches tries their first people first (``count_head``).
COUNT_HEAD = 2000


def count_head(qs: QuerySet[Membership]) -> QuerySet[Membership] | None:
    """Part of ``qs``'s rows that counts faster, for a capped count: if the part alone holds more than
    the cap, so does ``qs``. A digit search counted in a wide scope ("0101" in a city: 8,664 people)
    marks its matches of the first ``COUNT_HEAD`` people and cards: their memberships, read by index,
    passed a cap of 1,000 in ~13 ms, where the count of every match scanned the membership table until
    it found 1,001 (~45 ms). ``None``: no such part, or ``qs`` filtered since (as ``matches_seen``)."""
    head: QuerySet[Membership] | None = unfiltered_mark(qs, "count_head")
    return head


class Unindexed(Func):
    """``(text || '')``: the same text, served by no index. Filtering or ordering on it steers the
    planner: a ``LIKE`` on it cannot be a trigram bitmap (so a first page walks the name order), an
    ``ORDER BY`` on it cannot walk the ``sort_key`` index (so the matches are fetched and sorted)."""

    template = "(%(expressions)s || '')"
    output_field = CharField()


def _subtree(unit_id: int, day: dt.date, *, literal: bool = True, reads: dict[Any, Any] | None = None) -> Any:
    """The ids of ``unit_id``'s subtree on ``day``: a list on PostgreSQL if ``literal`` (see
    ``_scope_q``), else the recursive query itself. ``reads``: the caller's dict of lists already read
    in this request (``membership_list``)."""
    if not literal or connection.vendor != "postgresql":
        return tree.in_subtree([unit_id], day)
    key = ("subtree", unit_id, day)
    if reads is not None and key in reads:
        return reads[key]
    ids = tree.subtree_id_list(unit_id, day)  # an IdList: bound in each query of the page, written once
    if reads is not None:
        reads[key] = ids
    return ids


FILTER_ONLY_IDS = 2000


class AnyOf(Lookup):  # type: ignore[type-arg]
    """``lhs = ANY(%s)`` with a list of ids as one parameter (PostgreSQL): an ``IN`` of 10,000 ids
    costs ~30 ms of Python to bind; one array ~1 ms, and PostgreSQL hashes it all the same.

    Above ``FILTER_ONLY_IDS`` ids it is written ``(lhs + 0) = ANY(...)``: a filter, never an index
    condition — 10,000 index searches on ``cdcs_id`` (a city: every membership) made short digit
    searches take 0.5 s. A district's 500 ids stay an index condition (its list and count use it).
    """

    lookup_name = "any_of"
    filter_only_above: int | None = FILTER_ONLY_IDS

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs.value if isinstance(self.rhs, Value) else self.rhs  # wrapped once resolved
        if self.filter_only_above is not None and len(ids) > self.filter_only_above:
            lhs = f"({lhs} + 0)"
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, bigint_array(ids)]


class AnyId(AnyOf):
    """``AnyOf`` that stays an index condition however many ids (people found by a search)."""

    lookup_name = "any_id"
    filter_only_above = None


class RowIdIn(Lookup):  # type: ignore[type-arg]
    """The id of the row whose column is ``lhs`` is one of the ids (PostgreSQL): ``person__id`` would
    be read from the membership (``person_id``), here it is the person's own ``id``, so a test on
    the person row alone can be drawn from an OR that holds it."""

    lookup_name = "row_id_in"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        ids = self.rhs.value if isinstance(self.rhs, Value) else self.rhs
        # A subquery, hashed once. Against ``= ANY(array)`` it won by ~8 µs a person while lists went
        # as ``int4[]`` (not hashed, see ``core.sql.bigint_array``); as ``bigint[]`` the two are even.
        alias = compiler.quote_name_unless_alias(self.lhs.alias)
        return f"{alias}.id IN (SELECT unnest(%s::bigint[]))", [bigint_array(ids)]


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


def _scope_q(
    user: Any, day: dt.date, *, literal: bool = True, reads: dict[Any, Any] | None = None
) -> tuple[Q, int | None]:
    """``scope_q(user, unit="cdcs_id", on=day, date="join_date")``, with each root's
    subtree read first on PostgreSQL; and the number of units so read (``None``: not read).

    With the recursive query inside the list query, PostgreSQL estimates it at 200 units (10,021 for
    a city) and, for a first page, rescans the materialised units for every row (``Join Filter``,
    ~500,000 rows removed: 60–75 ms of each search at 1M members). A literal id list becomes one
    hashed ``= ANY(...)`` test per membership, with a true estimate.
    """
    scope = user_scope(user)
    if scope.is_global or not literal or connection.vendor != "postgresql":
        return scope_q(scope, unit="cdcs_id", on=day, date="join_date"), None
    units = 0

    def literal_subtree(root_id: int, root_day: dt.date) -> Q:
        nonlocal units
        ids = _subtree(root_id, root_day, reads=reads)
        units += len(ids)
        return _in_units(ids)

    # The kernel's rule (each root's day, the join-date limit under an ended root), this SQL form.
    q = scope_q(scope, unit="cdcs_id", on=day, date="join_date", subtree=literal_subtree)
    return q, units


class OtherWords(Func):
    """The folded name without its last word (the given name), after a space: " nguyen thi" for
    "nguyen thi huong", "" for a one-word name. Indexed by a trigram index (members/0003)."""

    template = "substring(' ' || %(expressions)s from '^(.*) ')"
    output_field = CharField()


# Letters that fold to the same search letter; the collation tells them apart (primary level).
_LETTER_VARIANTS = {"a": "aăâ", "d": "dđ", "e": "eê", "o": "oôơ", "u": "uư"}
MAX_GIVEN_RANGES = 64
# Above this many people matching outside the given name, they are common enough for PostgreSQL to
# find a first page by walking the name order (spread over it: 2,000 in a million put a page of 50
# within ~25,000 rows; 630 "hoai thuy" took 84,000 rows, 190 ms).
OTHER_WORDS_LIMIT = 2000
# Up to this many matches in all, a search whose matches mostly sit on the given name, with a few
# spread elsewhere, is fetched and sorted (~20 µs a match): walking to the cluster took ~200 ms.
SORT_LIMIT = 5000


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


class WordsStart(Lookup):  # type: ignore[type-arg]
    """The folded name has the given words as consecutive words, the last one possibly cut short
    (PostgreSQL). The value is a list of words of ``[a-z0-9]``.

    One word: ``to_tsvector('simple', lhs) @@ 'h:*'``; several: every pair of neighbours as one
    token, ``congdoan_name_pairs(lhs) @@ 'nguyen0thi & thi0h:*'`` — a word index read the whole
    posting list of each common word ("nguyen": 380,000 people) and checked the phrase on every row
    holding both words (~20 ms for "thanh hoa"); a pair's list holds the matches only (~2 ms). Both
    are indexed on ``MembershipNameKey`` (members/0005).

    Both are supersets of the word-start ``LIKE`` match (a hyphenated name adds words, and three words
    match as two pairs anywhere in the name), so callers keep the ``LIKE`` as well.
    """

    lookup_name = "words_start"
    prepare_rhs = False  # a list of words, not a text to cast

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        words = list(self.rhs.value if isinstance(self.rhs, Value) else self.rhs)
        if len(words) == 1:
            sql = f"to_tsvector('simple'::regconfig, {lhs}) @@ to_tsquery('simple'::regconfig, %s)"
            return sql, [*lhs_params, words[0] + ":*"]
        pairs = [a + PAIR_JOINER + b for a, b in zip(words, words[1:], strict=False)]
        query = " & ".join([*pairs[:-1], pairs[-1] + ":*"])
        return f"congdoan_name_pairs({lhs}) @@ to_tsquery('simple'::regconfig, %s)", [*lhs_params, query]


# Joins two words into one token of the pair index (members/0005); a digit, so the text-search parser
# keeps the pair one token ("nguyen0thi").
PAIR_JOINER = "0"


class MembershipNameKey(Expression):
    """``members_membership.person_search_key`` (PostgreSQL): a copy of the person's folded name kept
    by triggers (members/0005), not a model field — Django never writes it. Its word and pair indexes
    sit beside the CĐCS index, so PostgreSQL intersects a name with a district's units."""

    output_field = CharField()
    column = "person_search_key"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{self.column}", []


class MembershipSortKey(MembershipNameKey):
    """``members_membership.person_sort_key`` (PostgreSQL): the person's sort key, copied by the same
    triggers (members/0009), so that matches are sorted without reading their people."""

    column = "person_sort_key"


def _name_search(
    qs: QuerySet[Membership], phrase: str, *, for_count: bool = False, narrow: bool = False
) -> tuple[QuerySet[Membership], bool, int | None]:
    """``qs`` narrowed to names with ``phrase`` (folded) at a word start, in a form PostgreSQL can
    serve in name order; whether it is to be sorted from its matches; and how many matches were read
    to choose (all of them below ``SORT_LIMIT``; ``None``: none read — SQLite, ``for_count``).

    The list is ordered by the sort key, which starts with the given name, so the matches of a
    phrase ending on the given name ("thi huong") sit together: the "Hương"s are far down the order.
    Two ways to a first page: fetch every match and sort (~7 µs a match), or walk the name order and
    test each person (~2 µs a person), which is quick only when matches are many and spread. The
    memberships matching **in ``qs``** (its scope, unit and status) are read first, from the name
    indexes of the membership table (``MembershipNameKey``, up to ``SORT_LIMIT``) — for a district
    PostgreSQL intersects them with the CĐCS index, so it is the district's matches that choose:

    - fewer than ``FEW_MATCHES`` (in a ``narrow`` scope ``SORT_LIMIT``: a district's matches are too
      sparse in the country's name order for a walk): sorted here, with the membership's copy of
      the sort key read with them (``_presorted``: a page then reads its own rows only), and
      ``membership_list`` orders by an expression the ``sort_key`` index cannot give: PostgreSQL
      walked it otherwise — "nguyen hoai thuy", 56 matches, read 214,000 rows of it, 470 ms;
    - more: they split into those where the phrase ends on the given name, in a few ``sort_key``
      ranges (``given_name_ranges``), and the others, spread over the order. The matches in hand
      (all of them below ``SORT_LIMIT``), or else a capped query on the other words (trigram index
      of members/0003), tell how many others there are:

      - ``OTHER_WORDS_LIMIT`` or more ("nguyen", "tran van"): the plain filter, walked;
      - none: the given-name ranges that hold anyone (one index probe each), between the lowest and
        highest of them, so the walk starts at the first "Hương";
      - a few, and fewer than ``SORT_LIMIT`` matches in all ("hoai thuy"): sorted here;
      - a few among more: the plain filter, walked from the first of all the matches.

      The walked filters are on ``Unindexed`` names: PostgreSQL underestimates a word-start
      ``LIKE`` (182 rows for the 3,996 "tran my"), and would rather fetch and sort every match.

    ``for_count``: the memberships matching, from the name indexes, whatever their number.
    """
    words = phrase.split(" ")
    at_word_start = Q(person__search_key__startswith=phrase) | Q(person__search_key__contains=" " + phrase)
    if connection.vendor != "postgresql" or not re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)*", phrase):
        return qs.filter(at_word_start), False, None
    # Tested on ``Unindexed`` names: PostgreSQL would otherwise intersect the trigram lists again.
    # Walked on the ``WALK`` alias of the person: its name and order are read from one index (no row).
    key = Unindexed(F(f"{WALK}__search_key"))
    walked = Q(StartsWith(key, phrase)) | Q(Contains(key, " " + phrase))
    own = Unindexed(MembershipNameKey())
    matches = qs.filter(
        WordsStart(MembershipNameKey(), words), Q(StartsWith(own, phrase)) | Q(Contains(own, " " + phrase))
    )
    if for_count:  # the matches, from the name indexes, not by reading every name
        return matches, False, None
    # With each match's sort key (a copy on the membership, members/0009): matches to be sorted are
    # sorted here, and a page reads only its own rows (``mark_presorted``).
    found = _serially(
        matches.order_by()
        .annotate(sort_key=MembershipSortKey(), name_key=MembershipNameKey())
        .values_list("pk", "sort_key", "person_id", "name_key")[:SORT_LIMIT]
    )
    seen = len(found)
    if len(found) < (SORT_LIMIT if narrow else FEW_MATCHES):
        return (_presorted(qs, found) if found else qs.none()), True, seen
    ranges = given_name_ranges(words[-1])
    if not ranges:
        return qs.filter(walked), False, seen
    # The matches in hand tell how many match before the given name: all of them if fewer than
    # ``SORT_LIMIT`` were found, else at least as many (a subset); the other-words query says the rest.
    spread = sum(_in_other_words(row[3], " " + phrase) for row in found)
    if spread >= OTHER_WORDS_LIMIT:
        return qs.filter(walked), False, seen
    elsewhere: list[str] = []
    if len(found) < SORT_LIMIT:
        if spread:  # a cluster on the given name and a few spread: sorted
            return _presorted(qs, found), True, seen
    else:
        elsewhere = list(
            Person.objects.filter(Contains(OtherWords("search_key"), " " + phrase))
            .order_by()
            .values_list("sort_key", flat=True)[:OTHER_WORDS_LIMIT]
        )
        if len(elsewhere) >= OTHER_WORDS_LIMIT:
            return qs.filter(walked), False, seen
    held = _held_ranges(ranges)
    if elsewhere:
        return (
            qs.filter(walked, **{f"{WALK}__sort_key__gte": min([lo for lo, _ in held[:1]] + elsewhere)}),
            False,
            seen,
        )
    # Every match ends on the given name: it is in one of the ranges and, for a phrase of several
    # words, the words before the given name end with the others ("thi huong": "... thi" + Hương…).
    in_ranges = Q()
    for lo, hi in held:
        in_ranges |= Q(**{f"{WALK}__sort_key__gte": lo, f"{WALK}__sort_key__lt": hi})
    qs = qs.filter(in_ranges, **{f"{WALK}__sort_key__gte": held[0][0], f"{WALK}__sort_key__lt": held[-1][1]})
    if len(words) > 1:
        qs = qs.filter(EndsWith(OtherWords(f"{WALK}__search_key"), " " + " ".join(words[:-1])))
    return qs, False, seen


def _presorted(qs: QuerySet[Membership], found: list[Any]) -> QuerySet[Membership]:
    """``qs`` narrowed to the memberships ``found`` (rows of id, sort key, person, …), sorted here as
    ``membership_list`` orders them (sort key, person, id; the keys' byte order is the Vietnamese
    order), noting that order on the query for ``membership_list`` to keep (``mark_presorted``).
    Sorted only on this path: a walk would spend ~3–5 ms on 5,000 matches for nothing."""
    ids = [row[0] for row in sorted(found, key=itemgetter(1, 2, 0))]
    narrowed = qs.filter(AnyId(F("pk"), ids))
    narrowed.query.presorted_ids = ids  # type: ignore[attr-defined]
    return narrowed


def _serially(rows: QuerySet[Any, Any]) -> list[Any]:
    """``list(rows)`` with no parallel workers (``serial_reads``): the matches read to choose a plan (up
    to ``SORT_LIMIT``) are few rows for a bitmap, but PostgreSQL expects ~100 of them and gathered them
    from two workers."""
    with serial_reads():
        return list(rows)


def _in_other_words(search_key: str, needle: str) -> bool:
    """``needle`` is in ``OtherWords`` of the name (" nguyen thi" for "nguyen thi huong", "" for "huong"),
    tested without building it (5,000 names a search): its first occurrence ends before the last word."""
    key = " " + search_key
    start = key.find(needle)
    return start != -1 and start + len(needle) <= key.rfind(" ")


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
    visible = scoped(Membership.objects.all(), user, unit="cdcs_id", ever=True).filter(person_id=person_id)
    if not visible.exists():
        raise OutOfScope(person_id)
    return Person.objects.get(pk=person_id)


def person_memberships(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("cdcs").order_by("join_date", "id")


def membership_get(*, user: Any, pk: int) -> Membership:
    memberships = Membership.objects.select_related("person", "cdcs")
    return get_scoped(memberships, user, unit="cdcs_id", date="join_date", pk=pk)


def workforce_on(cdcs_ids: list[int], on: dt.date) -> dict[int, WorkforceCount]:
    """The latest workforce count on or before ``on`` for each CĐCS."""
    latest: dict[int, WorkforceCount] = {}
    for count in WorkforceCount.objects.filter(cdcs_id__in=cdcs_ids, as_of__lte=on).order_by(
        "cdcs_id", "as_of"
    ):
        latest[count.cdcs_id] = count
    return latest


def active_on(cdcs_ids: Any, day: dt.date) -> QuerySet[Membership]:
    """Memberships held on ``day`` in the CĐCS ``cdcs_ids`` (ids or an id subquery; unscoped: the
    caller's units)."""
    return Membership.objects.filter(active_on_q(day), cdcs_id__in=cdcs_ids)


def coverage(*, unit: OrgUnit, on: dt.date) -> dict[str, int]:
    """Members and workers of every CĐCS under ``unit`` on ``on`` (coverage = members / workers)."""
    cdcs_ids = list(
        OrgUnit.objects.filter(id__in=tree.in_subtree([unit.pk], on), type__in=GRASSROOTS_TYPES).values_list(
            "pk", flat=True
        )
    )
    members = active_on(cdcs_ids, on).count()
    counts = workforce_on(cdcs_ids, on).values()
    return {
        "members": members,
        "workers": sum(c.workers for c in counts),
        "women": sum(c.women for c in counts),
        "cdcs": len(cdcs_ids),
    }


# -- added for members UI --


def _dated_ever_q(user: Any) -> Q:
    """Memberships in units that were ever under one of the user's roots; under an ended root only
    those that began by its last day (a former district officer does not see later members)."""
    return scope_q(user, unit="cdcs_id", date="join_date", ever=True)


def member_page_get(*, user: Any, person_id: int) -> Person:
    """A person with a membership the user may see (dated as ``_dated_ever_q``), else 404."""
    if not Membership.objects.filter(_dated_ever_q(user), person_id=person_id).exists():
        raise OutOfScope(person_id)
    return Person.objects.get(pk=person_id)


def member_history(*, user: Any, person: Person) -> list[Membership]:
    """``person_memberships`` as the user may see them: only those in CĐCS of the user's scope (as
    ``member_page_get``), and for a read-only user as they stood on their last day (none begun after
    it, none ended after it).

    A membership transferred to a CĐCS the user may not see gets ``moved_out = True``: the page says
    "chuyển đi" and never names where to (security review, item 4)."""
    every = list(person_memberships(person))
    visible = set(person.memberships.filter(_dated_ever_q(user)).values_list("pk", flat=True))
    until = user_scope(user).read_only_until
    successor = {m.transferred_from_id: m.pk for m in every if m.transferred_from_id}
    history = [m for m in every if m.pk in visible and (until is None or m.join_date <= until)]
    shown = {m.pk for m in history}
    for membership in history:  # never saved
        if until and membership.end_date and membership.end_date > until:  # as on their last day
            membership.status = Membership.Status.ACTIVE
            membership.end_date = None
            membership.end_reason = ""
        transferred = membership.status == Membership.Status.TRANSFERRED
        membership.moved_out = transferred and successor.get(membership.pk) not in shown  # type: ignore[attr-defined]
    return history


MOVED_OUT = "chuyển đi"


def member_audit(*, user: Any, person: Person, limit: int = 100) -> list[Any]:
    """Audit entries about the person and their memberships, hidden after a read-only user's last day
    and, outside the user's units, hidden altogether — except a transfer out of one of them, shown
    with its destination as ``MOVED_OUT`` (copies, never saved)."""
    from congdoan.core.models import AuditEntry

    qs = AuditEntry.objects.filter(
        object_type__in=["members.membership", "members.person"], object_id=str(person.pk)
    )
    scope = user_scope(user)
    if scope.read_only_until:
        qs = qs.filter(at__date__lte=scope.read_only_until)
    entries = list(qs.select_related("actor", "unit"))
    if scope.is_global:
        return entries[:limit]
    units = {e.unit_id for e in entries if e.unit_id}
    codes = {str((e.before or {}).get("cdcs")) for e in entries if e.action == AuditEntry.Action.MOVE}
    seen_ids, seen_codes = set(), set()
    for pk, code in (
        scoped(OrgUnit.objects.all(), scope, ever=True)
        .filter(Q(pk__in=units) | Q(code__in=codes))
        .values_list("pk", "code")
    ):
        seen_ids.add(pk)
        seen_codes.add(code)
    shown = []
    for entry in entries:
        if entry.unit_id is None or entry.unit_id in seen_ids:
            shown.append(entry)
        elif entry.action == AuditEntry.Action.MOVE and (entry.before or {}).get("cdcs") in seen_codes:
            entry.after = {**(entry.after or {}), "cdcs": MOVED_OUT}
            entry.unit = None
            shown.append(entry)
    return shown[:limit]


def member_active_membership(*, user: Any, person: Person) -> Membership | None:
    """The person's active membership, if it is in the user's scope today."""
    return (
        Membership.objects.filter(
            scope_q(user, unit="cdcs_id", date="join_date"),
            person=person,
            status=Membership.Status.ACTIVE,
        )
        .select_related("person", "cdcs")
        .first()
    )


def member_summary(*, unit: OrgUnit, on: dt.date) -> dict[str, Any]:
    """Members (and women members) of the CĐCS under ``unit`` on ``on``, with their workforce
    (``coverage``) and, for a grassroots unit, its latest workforce count. Unscoped: the caller has
    checked the unit."""
    summary: dict[str, Any] = dict(coverage(unit=unit, on=on))
    cdcs_ids = OrgUnit.objects.filter(
        id__in=tree.in_subtree([unit.pk], on), type__in=GRASSROOTS_TYPES
    ).values("pk")
    summary["women_members"] = active_on(cdcs_ids, on).filter(person__gender="F").count()
    summary["latest"] = workforce_on([unit.pk], on).get(unit.pk) if unit.is_grassroots else None
    return summary
