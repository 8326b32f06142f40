"""Member search: names match at word starts, accent-insensitive, in Vietnamese name order; digits and
card numbers as before. The same assertions hold on SQLite (plain filters) and PostgreSQL (given-name
ranges, other-words index, literal scope ids: ``selectors._name_search`` and ``_scope_q``)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection

from congdoan.core.text import fold, person_sort_key
from congdoan.members import selectors
from congdoan.members.models import Membership, Person

pytestmark = pytest.mark.django_db
d = dt.date

NAMES = [
    "Nguyễn Thị Hương",
    "Nguyễn Thị Thu Hương",
    "Lê Hương Giang",
    "Trần Phương",
    "Phạm Văn Thương",
    "Nguyễn Thị Hoa",
    "Nguyễn Thị Hằng Nga",
    "Trần Vân",
    "Phạm Minh Đức",
    "Đỗ Văn Dũng",
    "TRẦN THỊ OANH",
    "Hoàng Hướng",
    "Hương",
]


@pytest.fixture
def people(fed):
    """The NAMES as active members of GL1 (joined 2025-09-01) and one member of GL1 who joined
    before GL ended (2025-06-01), plus a member of GL2 outside the ward officer's scope."""
    for i, name in enumerate(NAMES):
        person = Person.objects.create(
            full_name=name, gender="F", cccd=f"0011950{i:05d}", phone=f"09120000{i:02d}"
        )
        Membership.objects.create(
            person=person, cdcs=fed.gl1, join_date=d(2025, 9, 1), card_number=f"TD{i:08d}"
        )
    early = Person.objects.create(full_name="Vũ Thị Hương", gender="F")
    Membership.objects.create(person=early, cdcs=fed.gl1, join_date=d(2025, 6, 1))
    outside = Person.objects.create(full_name="Bùi Thị Hương", gender="F")
    Membership.objects.create(person=outside, cdcs=fed.gl2, join_date=d(2025, 9, 1))
    return fed


def found(user, search: str, **kwargs) -> list[str]:
    return [m.person.full_name for m in selectors.membership_list(user=user, search=search, **kwargs)]


def vi_order(names: list[str]) -> list[str]:
    return sorted(names, key=person_sort_key)


def test_a_word_matches_at_word_starts_only(people) -> None:
    expected = [
        "Lê Hương Giang",
        "Hương",
        "Nguyễn Thị Hương",
        "Nguyễn Thị Thu Hương",
        "Vũ Thị Hương",
        "Hoàng Hướng",
    ]
    assert found(people.kimlien, "huong") == vi_order(expected)
    assert "Trần Phương" not in found(people.kimlien, "huong")  # "huong" inside "phuong"
    assert "Phạm Văn Thương" not in found(people.kimlien, "huong")


def test_accents_and_case_do_not_matter(people) -> None:
    assert found(people.kimlien, "HƯƠNG") == found(people.kimlien, "huong")
    assert found(people.kimlien, "Hường") == found(people.kimlien, "huong")  # tones are ignored
    assert found(people.kimlien, "oanh") == ["TRẦN THỊ OANH"]
    assert found(people.kimlien, "duc") == ["Phạm Minh Đức"]  # đ = d
    assert found(people.kimlien, "đung") == ["Đỗ Văn Dũng"]


def test_results_are_in_vietnamese_name_order(people) -> None:
    for term in ("huong", "nguyen", "thi", "h", "van"):
        names = found(people.kimlien, term)
        assert names and names == vi_order(names), term


def test_a_phrase_matches_consecutive_words_and_the_last_may_be_cut_short(people) -> None:
    assert found(people.kimlien, "nguyen thi h") == vi_order(
        ["Nguyễn Thị Hương", "Nguyễn Thị Hoa", "Nguyễn Thị Hằng Nga"]
    )
    assert found(people.kimlien, "thi huong") == vi_order(["Nguyễn Thị Hương", "Vũ Thị Hương"])
    assert found(people.kimlien, "nguyen thi thu huong") == ["Nguyễn Thị Thu Hương"]
    assert found(people.kimlien, "huo") == found(people.kimlien, "huong")
    # A middle name, a given name of two-word names, a family name.
    assert found(people.kimlien, "van") == vi_order(["Phạm Văn Thương", "Trần Vân", "Đỗ Văn Dũng"])
    assert found(people.kimlien, "tran") == vi_order(["Trần Phương", "Trần Vân", "TRẦN THỊ OANH"])
    assert found(people.kimlien, "  nguyen   thi  hoa ") == ["Nguyễn Thị Hoa"]


def test_words_out_of_order_or_absent_find_nobody(people) -> None:
    assert found(people.kimlien, "huong thi") == []
    assert found(people.kimlien, "thi nguyen") == []
    assert found(people.kimlien, "xuan") == []
    assert found(people.kimlien, "uong") == []  # the middle of a word
    assert found(people.kimlien, "h%g") == [] and found(people.kimlien, "h_ong") == []  # no wildcards


def test_three_words_must_stand_together_and_hyphens_keep_their_words(people) -> None:
    """On PostgreSQL a phrase is found by its word pairs (``WordsStart``): both pairs of "nguyen van
    binh" are in "Nguyễn Văn Nam Văn Bình", but not as three words in a row."""
    for name in ("Nguyễn Văn Nam Văn Bình", "Nguyễn-Lê Thị Hà"):
        person = Person.objects.create(full_name=name, gender="M")
        Membership.objects.create(person=person, cdcs=people.gl1, join_date=d(2025, 9, 1))
    assert found(people.kimlien, "nguyen van binh") == []
    assert found(people.kimlien, "nguyen van nam van b") == ["Nguyễn Văn Nam Văn Bình"]
    assert found(people.kimlien, "van binh") == ["Nguyễn Văn Nam Văn Bình"]
    assert found(people.kimlien, "thi ha") == vi_order(["Nguyễn-Lê Thị Hà", "Nguyễn Thị Hằng Nga"])
    assert found(people.kimlien, "nguyen-le thi") == ["Nguyễn-Lê Thị Hà"]
    assert found(people.kimlien, "le thi") == []  # "Lê" is not a word start here: it follows a hyphen


def test_a_renamed_or_transferred_member_is_found_by_the_new_name(people) -> None:
    """On PostgreSQL the name is searched on a copy kept in the membership by triggers (members/0005):
    a rename rewrites it, a saved or new membership takes it from the person."""
    person = Person.objects.get(full_name="Trần Vân")
    person.full_name = "Trần Thị Vân Anh"
    person.save()
    assert found(people.kimlien, "van anh") == ["Trần Thị Vân Anh"]
    assert found(people.kimlien, "tran van") == []
    membership = person.memberships.get()
    membership.status = Membership.Status.TRANSFERRED
    membership.save()
    Membership.objects.create(person=person, cdcs=people.gl1, join_date=d(2025, 10, 1))
    assert found(people.kimlien, "van anh", status=None) == ["Trần Thị Vân Anh"] * 2


def test_a_renamed_member_takes_their_new_place_in_a_sorted_search(people) -> None:
    """On PostgreSQL a search with few matches is sorted on the membership's copy of the sort key
    (members/0009): a rename rewrites it, so the order follows the new name."""
    person = Person.objects.get(full_name="Nguyễn Thị Hoa")
    person.full_name = "Nguyễn Thị Yến"
    person.save()
    expected = vi_order(["Nguyễn Thị Hương", "Nguyễn Thị Thu Hương", "Nguyễn Thị Yến", "Nguyễn Thị Hằng Nga"])
    assert expected[-1] == "Nguyễn Thị Yến"  # "Hoa" sorted before the Hương; "Yến" after them all
    assert found(people.kimlien, "nguyen thi") == expected
    qs = selectors.membership_list(user=people.kimlien, search="nguyen thi")
    assert [m.person.full_name for m in qs[3:4]] == ["Nguyễn Thị Yến"]


@pytest.mark.parametrize(
    ("term", "matches"),
    [("thi", 6), ("0912", 13)],  # the five "Thị" and Vũ Thị Hương; the phones 0912000000… of NAMES
)
def test_a_page_of_a_sorted_search_reads_only_its_own_rows(
    people, officers_see_personal_data, term: str, matches: int
) -> None:
    """On PostgreSQL a name or digit search with few matches sorts them as it reads them: a page is
    read by its ids alone, not by sorting every match again; the same rows in the same order as the
    whole list. Filtered or ordered otherwise since, the list is read as usual."""
    pg = connection.vendor == "postgresql"
    qs = selectors.membership_list(user=people.kimlien, search=term)
    everyone = [m.pk for m in qs.all()]  # a copy: ``qs`` itself stays unread
    assert len(everyone) == matches
    assert selectors.matches_seen(qs) == ((matches, True) if pg else None)
    for lo, hi in ((0, 3), (2, 5), (4, 6), (5, 9), (7, 9)):
        page = qs[lo:hi]
        # PostgreSQL: the page's WHERE is its ids only (its rows passed the scope and the name already)
        assert (len(page.query.where.children) == 1) == pg
        assert [m.pk for m in page] == everyone[lo:hi]
    narrowed = qs.filter(person__full_name__startswith="N")
    assert len(narrowed[0:2].query.where.children) > 1
    assert [m.pk for m in narrowed[0:2]] == [m.pk for m in qs.all() if m.person.full_name.startswith("N")][:2]
    by_birth = qs.order_by("person__birth_date", "pk")
    assert len(by_birth[0:2].query.where.children) > 1
    assert [m.pk for m in by_birth[0:2]] == sorted(everyone)[:2]  # same birth date (none): by id


def test_unusual_characters_fall_back_to_the_plain_filter(people) -> None:
    person = Person.objects.create(full_name="Nguyễn Ngọc O'Neil", gender="M")
    Membership.objects.create(person=person, cdcs=people.gl1, join_date=d(2025, 9, 1))
    assert found(people.kimlien, "o'neil") == ["Nguyễn Ngọc O'Neil"]
    assert found(people.kimlien, "ngoc o'") == ["Nguyễn Ngọc O'Neil"]


def test_search_keeps_scope_unit_status_and_later_filters(people) -> None:
    assert "Bùi Thị Hương" not in found(people.kimlien, "huong")  # GL2 is not Kim Liên's
    assert "Bùi Thị Hương" in found(people.thanhpho, "huong")
    assert found(people.cdcs, "huong") == []  # DD1's officer
    # Gia Lâm ended on 2025-06-30: its officer sees GL1's members who joined by then.
    assert found(people.gialam, "huong") == ["Vũ Thị Hương"]
    assert found(people.thanhpho, "huong", unit=people.gl2) == ["Bùi Thị Hương"]
    membership = Membership.objects.get(person__full_name="Hương")
    membership.status = Membership.Status.LEFT
    membership.end_date = d(2026, 1, 1)
    membership.save()
    assert "Hương" not in found(people.kimlien, "huong")
    assert "Hương" in found(people.kimlien, "huong", status=None)
    qs = selectors.membership_list(user=people.kimlien, search="huong").filter(
        person__full_name__startswith="N"
    )
    assert [m.person.full_name for m in qs] == vi_order(["Nguyễn Thị Hương", "Nguyễn Thị Thu Hương"])


def test_count_and_pages_agree_with_the_list(people) -> None:
    for term in ("huong", "nguyen thi h", "oanh", "thi", "0912", "xyz"):
        qs = selectors.membership_list(user=people.kimlien, search=term)
        rows = list(qs)
        assert qs.count() == len(rows), term
        assert [m.pk for m in qs[1:3]] == [m.pk for m in rows[1:3]], term


@pytest.fixture
def officers_see_personal_data(settings) -> None:
    """Ward officers made keepers of personal data, so that they may search by parts of numbers."""
    settings.MEMBERS_PERSONAL_DATA_ROLES = ["administrator", "cdcs_officer", "officer"]


def test_digits_and_card_numbers_as_before(people, officers_see_personal_data) -> None:
    assert found(people.kimlien, "00119500001") == vi_order(NAMES[10:])
    assert found(people.kimlien, "0912 000 003") == ["Trần Phương"]
    assert found(people.kimlien, "td00000010") == ["TRẦN THỊ OANH"]  # any case
    assert found(people.kimlien, "TD0000001") == vi_order(NAMES[10:])
    assert found(people.kimlien, "00000012") == ["Hương"]  # card digits


@pytest.mark.parametrize(
    "name",
    [
        *NAMES,
        "Nguyễn Văn Ánh",
        "Lê Thị Ân",
        "Trịnh Đình Đông",
        "Phan Hữu Ước",
        "Cao Thị Ơn",
        "hoàng thị thuỷ",
        "HOÀNG THỊ THỦY",
        "Lý Nguyễn-Lê Hoa",
        "Mai Anh Tú9",
    ],
)
def test_given_name_ranges_hold_exactly_the_given_names_starting_with_a_word(name: str) -> None:
    key = person_sort_key(name)
    given = fold(name).split(" ")[-1]
    words = {"a", "d", "h", "o", "u", "t", "n", "huong", "huo", "hoa", "oanh", "thuy", "duc", "dong", "uoc"}
    for word in words | {"on", "an", "anh", "tu9", "nguyen", given, given[:2]}:
        ranges = selectors.given_name_ranges(word)
        assert ranges, word
        inside = any(lo <= key < hi for lo, hi in ranges)
        assert inside == given.startswith(word), (name, word)


def test_given_name_ranges_decline_unusual_words() -> None:
    assert selectors.given_name_ranges("") == []
    assert selectors.given_name_ranges("o'neil") == []
    assert selectors.given_name_ranges("nguyễn") == []  # callers pass folded words
    assert selectors.given_name_ranges("aaaaaaa") == []  # 3**7 spellings
    assert len(selectors.given_name_ranges("huong")) == 6
    ranges = selectors.given_name_ranges("doan")
    assert len(ranges) == 18 and ranges == sorted(ranges)
    assert all(lo < hi for lo, hi in ranges)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ranges))  # disjoint


@pytest.mark.parametrize(
    ("name", "needle", "expected"),
    [
        ("nguyen thi huong", " nguyen", True),
        ("nguyen thi huong", " thi", True),
        ("nguyen thi huong", " nguyen thi", True),
        ("nguyen thi huong", " thi huong", False),  # ends on the given name
        ("nguyen thi huong", " huong", False),
        ("huong", " huong", False),  # one word: no other words
        ("le huong giang", " huong", True),
        ("huong le huong", " huong", True),  # the first occurrence decides: it ends earliest
        ("tran van", " th", False),
    ],
)
def test_in_other_words_is_a_match_before_the_given_name(name: str, needle: str, expected: bool) -> None:
    other_words = (" " + name).rsplit(" ", 1)[0]  # what ``OtherWords`` gives in SQL
    assert (needle in other_words) is expected
    assert selectors._in_other_words(name, needle) is expected


def test_next_prefix_carries() -> None:
    assert selectors._next_prefix("2i2x") == "2i2y"
    assert selectors._next_prefix("2i2z") == "2i3"
    assert selectors._next_prefix("1zz") == "2"


# -- the plans chosen by the number of matches (PostgreSQL; SQLite has one plan) ---------------------------


@pytest.mark.parametrize("personal_data", [True, False])
@pytest.mark.parametrize("wide", [False, True])
@pytest.mark.parametrize("few", [1, 2, 1000])
def test_every_plan_finds_the_same_members_in_the_same_order(
    people, monkeypatch, settings, few: int, wide: bool, personal_data: bool
) -> None:
    """With the thresholds at 1 or 2 every search takes the walk of the name order (given-name
    ranges, other words, card holders), at 1000 the fetch-and-sort; the ward officer's scope as a
    narrow one (a district's) and as a wide one (a city's): same rows, same order — with parts of
    numbers (a role that sees personal data) and with whole numbers only (one that does not)."""
    if personal_data:
        settings.MEMBERS_PERSONAL_DATA_ROLES = ["administrator", "cdcs_officer", "officer"]
    terms = [
        "huong",
        "nguyen thi h",
        "thi huong",
        "thi",
        "tran",
        "van",
        "h",
        "oanh",
        "xuan",
        "0912",
        "td0000",
    ]
    terms += ["00119500001", "00000012", "0912 000 003", "001195000003", "0000001"]
    expected = {
        term: [m.pk for m in selectors.membership_list(user=people.kimlien, search=term)] for term in terms
    }
    monkeypatch.setattr(selectors, "FEW_MATCHES", few)
    if few < 1000:  # a narrow scope sorts up to SORT_LIMIT names and MANY_DIGIT_MATCHES digits
        monkeypatch.setattr(selectors, "SORT_LIMIT", few + 1)
        monkeypatch.setattr(selectors, "MANY_DIGIT_MATCHES", few)
    if wide:
        monkeypatch.setattr(selectors, "FILTER_ONLY_IDS", 0)
    for term in terms:
        qs = selectors.membership_list(user=people.kimlien, search=term)
        assert [m.pk for m in qs] == expected[term], term
        assert [m.pk for m in qs[1:3]] == expected[term][1:3], term
        counted = selectors.membership_list(user=people.kimlien, search=term, for_count=True)
        assert counted.count() == len(expected[term]), term


def test_digits_matching_a_card_of_another_membership_find_only_that_membership(people, monkeypatch) -> None:
    """The walk tests the people holding a matching card first, then the membership itself."""
    huong = Membership.objects.get(person__full_name="Hương")
    huong.status = Membership.Status.LEFT
    huong.end_date = d(2026, 1, 1)
    huong.save()
    Membership.objects.create(
        person=huong.person, cdcs=people.gl1, join_date=d(2026, 1, 2), card_number="XX1"
    )
    for few in (1, 1000):
        monkeypatch.setattr(selectors, "FEW_MATCHES", few)
        rows = selectors.membership_list(user=people.kimlien, search="00000012", status=None)
        assert [m.pk for m in rows] == [huong.pk], few


def test_count_form_keeps_scope_status_and_filters(people) -> None:
    for user in (people.kimlien, people.thanhpho, people.gialam, people.cdcs):
        for term in ("huong", "thi", "0912", "td0000", ""):
            listed = selectors.membership_list(user=user, search=term).filter(person__gender="F")
            counted = selectors.membership_list(user=user, search=term, for_count=True).filter(
                person__gender="F"
            )
            assert counted.count() == len(list(listed)), (user, term)


# -- masked numbers are not an oracle (security review, item 1) ----------------------------------------


def test_a_role_seeing_masked_numbers_finds_only_whole_ones(people) -> None:
    """The ward officer sees ``001******003``: the hidden digits cannot be tried one by one (a
    prefix, a middle part or a suffix finds nobody), the whole CCCD or phone finds the person, and
    card numbers, not personal data, still match in part."""
    kimlien = people.kimlien
    assert found(kimlien, "0011950") == [] and found(kimlien, "00119500000") == []
    assert found(kimlien, "195000") == [] and found(kimlien, "95000003") == []
    assert found(kimlien, "0912000") == [] and found(kimlien, "09120000") == []
    assert found(kimlien, "001 195 000 003") == ["Trần Phương"]
    assert found(kimlien, "0912.000.003") == ["Trần Phương"]
    assert found(kimlien, "912000003") == ["Trần Phương"]  # the phone without its leading zero
    assert found(kimlien, "00000003") == ["Trần Phương"]  # card TD00000003
    assert selectors.membership_list(user=kimlien, search="0011950", for_count=True).count() == 0
    # The same searches by a keeper of personal data (the administrator) find by parts.
    assert len(found(people.admin, "0011950")) == len(NAMES)
    assert found(people.admin, "95000003") == ["Trần Phương"]


def test_a_list_holding_its_matches_counts_as_it_is(people) -> None:
    """``counts_from_list``: when the search read its matches as an id list (PostgreSQL, few matches),
    the list form itself is counted (no second search); it counts what it lists, filtered further too."""
    for user in (people.kimlien, people.thanhpho, people.gialam, people.cdcs):
        for term in ("huong", "nguyen thi h", "0912", "xyz", ""):
            listed = selectors.membership_list(user=user, search=term).filter(person__gender="F")
            if selectors.counts_from_list(listed):
                assert listed.order_by().count() == len(list(listed)), (user, term)
    # A name search among a few members is sorted from its matches on PostgreSQL: the mark is there;
    # SQLite filters plainly and never marks.
    qs = selectors.membership_list(user=people.kimlien, search="huong")
    assert selectors.counts_from_list(qs) == (connection.vendor == "postgresql")


# -- the count of a name search is the number of matches it read (``matches_seen``) --------------------


def test_a_name_search_is_counted_from_the_matches_it_read(
    people, monkeypatch, django_assert_num_queries
) -> None:
    """PostgreSQL reads a name search's matches in scope to choose its plan: their number is the count
    (no query) while nothing narrows the list further; SQLite, digits and a further filter count as
    before. Capped like every search count."""
    from congdoan.members.pagination import capped_count

    kimlien = people.kimlien
    qs = selectors.membership_list(user=kimlien, search="huong")
    listed = len(list(qs))
    assert listed > 3
    if connection.vendor != "postgresql":
        assert selectors.matches_seen(qs) is None
        assert capped_count(qs, 100) == (listed, False)
        return
    assert selectors.matches_seen(qs) == (listed, True)
    assert selectors.matches_seen(qs.order_by()[:2]) == (listed, True)  # ordered or sliced: the same rows
    with django_assert_num_queries(0):
        assert capped_count(qs, 100) == (listed, False)
        assert capped_count(qs, listed) == (listed, False)
        assert capped_count(qs, 2) == (2, True)
    narrowed = qs.filter(person__full_name__startswith="Nguyễn")  # filtered further: counted
    assert selectors.matches_seen(narrowed) is None
    assert capped_count(narrowed, 100) == (len(list(narrowed)), False)
    assert selectors.matches_seen(qs.none()) is None
    assert selectors.matches_seen(selectors.membership_list(user=kimlien, search="0011950")) is None
    assert selectors.matches_seen(selectors.membership_list(user=kimlien)) is None
    # More matches than the search reads (``SORT_LIMIT``): at least that many — enough to say "more than"
    # a smaller cap, not to count under a larger one.
    monkeypatch.setattr(selectors, "SORT_LIMIT", 2)
    qs = selectors.membership_list(user=kimlien, search="huong")
    assert selectors.matches_seen(qs) == (2, False)
    with django_assert_num_queries(0):
        assert capped_count(qs, 1) == (1, True)
    assert capped_count(qs, 100) == (listed, False)


@pytest.mark.parametrize("few", [1, 1000])
@pytest.mark.parametrize("wide", [False, True])
def test_a_district_officer_never_finds_another_districts_members(
    people, monkeypatch, settings, few: int, wide: bool
) -> None:
    """The same names, numbers and cards in GL2 (under the city, outside the ward of Kim Liên): the ward
    officer finds and counts only GL1's, whatever the plan (walked or sorted, narrow or wide scope);
    the city officer finds both."""
    from congdoan.members.pagination import capped_count

    settings.MEMBERS_PERSONAL_DATA_ROLES = ["administrator", "federation_officer", "officer"]
    for i, name in enumerate(NAMES):
        person = Person.objects.create(
            full_name=name, gender="M", cccd=f"0021950{i:05d}", phone=f"09130000{i:02d}"
        )
        Membership.objects.create(
            person=person, cdcs=people.gl2, join_date=d(2025, 9, 1), card_number=f"TD9{i:07d}"
        )
    outside = set(Membership.objects.filter(cdcs=people.gl2).values_list("pk", flat=True))
    inside = set(Membership.objects.filter(cdcs=people.gl1).values_list("pk", flat=True))
    monkeypatch.setattr(selectors, "FEW_MATCHES", few)
    if few == 1:
        monkeypatch.setattr(selectors, "SORT_LIMIT", 2)
        monkeypatch.setattr(selectors, "MANY_DIGIT_MATCHES", 1)
    if wide:
        monkeypatch.setattr(selectors, "FILTER_ONLY_IDS", 0)
    for term in ("huong", "nguyen thi", "thi huong", "h", "tran", "0000", "195000", "091"):  # both sides
        rows = {m.pk for m in selectors.membership_list(user=people.kimlien, search=term)}
        assert rows and rows <= inside, term
        counted = capped_count(selectors.membership_list(user=people.kimlien, search=term), 1000)
        assert counted == (len(rows), False), term
        everyone = {m.pk for m in selectors.membership_list(user=people.thanhpho, search=term)}
        assert rows < everyone and everyone - rows <= outside, term
    for term in ("0021950", "td9000", "td9000000"):  # GL2's numbers and cards only
        qs = selectors.membership_list(user=people.kimlien, search=term)
        assert list(qs) == [] and capped_count(qs, 1000) == (0, False), term
        assert {m.pk for m in selectors.membership_list(user=people.thanhpho, search=term)} <= outside
