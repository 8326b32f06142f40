"""Capped counts of searches: the member list page and /api/v1/members/ (``members.pagination``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from congdoan.members import pagination, services
from congdoan.members.models import Membership

pytestmark = pytest.mark.django_db

NAMES = [
    "Nguyễn Thị An",
    "Nguyễn Thị Bình",
    "Nguyễn Văn Chi",
    "Nguyễn Thị Dung",
    "Nguyễn Hữu Em",
    "Trần Thị Hoa",
]


@pytest.fixture
def members(fed, monkeypatch):
    """Six members of GL1 (five Nguyễn), and a cap of 3."""
    for i, name in enumerate(NAMES):
        services.member_admit(
            actor=None,
            cdcs=fed.gl1,
            join_date=dt.date(2025, 9, 1),
            full_name=name,
            gender="F",
            cccd=f"00119501234{i}",
            phone=f"091234567{i}",
        )
    monkeypatch.setattr(pagination, "SEARCH_COUNT_CAP", 3)
    return fed


def test_capped_count() -> None:
    assert pagination.capped_count(Membership.objects.all(), 3) == (0, False)


def test_capped_count_counts_to_the_cap(members) -> None:
    qs = Membership.objects.all()
    assert pagination.capped_count(qs, 10) == (6, False)
    assert pagination.capped_count(qs, 6) == (6, False)
    assert pagination.capped_count(qs, 5) == (5, True)
    assert pagination.capped_count(qs) == (3, True)  # the module's cap
    paginator = pagination.CappedPaginator(list(qs.order_by("pk")), 2, count_source=qs)
    assert (paginator.count, paginator.count_is_lower_bound, paginator.num_pages) == (3, True, 2)


def _page(user, **params) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("members:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_list_page_shows_more_than_the_cap_for_a_search(members) -> None:
    text = _page(members.kimlien, q="nguyen")
    assert "Hơn 3 đoàn viên khớp" in text
    assert "Hơn 3 đoàn viên khớp — hãy gõ thêm để thu hẹp" in text
    assert text.count('href="/doan-vien/') >= 3
    text = _page(members.kimlien, q="nguyen thi")  # exactly the cap: no "more"
    assert "3 đoàn viên khớp" in text and "Hơn 3" not in text and "hãy gõ thêm" not in text
    text = _page(members.kimlien, q="tran")
    assert "1 đoàn viên khớp" in text and "Hơn" not in text


def test_list_without_search_keeps_the_exact_count(members) -> None:
    text = _page(members.kimlien)
    assert "6 đoàn viên" in text and "Hơn" not in text and "khớp" not in text
    text = _page(members.kimlien, gender="F")  # filters other than the search box: exact too
    assert "6 đoàn viên" in text and "Hơn" not in text


def test_list_without_search_above_its_cap_says_more_than(members, monkeypatch) -> None:
    """A plain list counts to ``LIST_COUNT_CAP`` (a city's million): above it the page says "Hơn", never
    a figure that is not exact, and how to narrow; pages stop at the cap. At the cap: exact."""
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 4)
    text = _page(members.kimlien)
    assert "Hơn 4 đoàn viên" in text and "khớp" not in text
    assert "chỉ đếm đến 4" in text and "hãy tìm kiếm hoặc lọc theo đơn vị" in text
    text = _page(members.kimlien, page=9)  # beyond the cap: the last page
    assert "Hơn 4 đoàn viên" in text
    text = _page(members.kimlien, gender="M")  # no men: under the cap, exact
    assert "0 đoàn viên" in text and "Hơn" not in text
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 6)
    text = _page(members.kimlien)
    assert "6 đoàn viên" in text and "Hơn" not in text
    text = _page(members.kimlien, q="nguyen")  # a search keeps its own cap (3) and wording
    assert "Hơn 3 đoàn viên khớp — hãy gõ thêm để thu hẹp" in text


def test_capped_pages_stop_at_the_cap(members, settings) -> None:
    """Pages go up to the cap (3 rows at 25 per page: one); a page beyond shows the last one."""
    text = _page(members.kimlien, q="nguyen", page=5)
    assert "Hơn 3 đoàn viên khớp" in text
    assert text.count("Nguyễn") >= 3


def test_unhappy_search_paths(members) -> None:
    text = _page(members.kimlien, q="nguyen", unit="KHONG-CO")  # a unit out of scope: nothing, no cap
    assert "Không tìm thấy đơn vị" in text and "0 đoàn viên" in text and "Hơn" not in text
    text = _page(members.kimlien, q="xyz")
    assert "0 đoàn viên khớp" in text and "Không có đoàn viên nào." in text
    text = _page(members.kimlien, q="nguyen", join_year="abc")  # an invalid year: shown, count kept
    assert "Năm phải là số" in text
    text = _page(members.cdcs, q="nguyen")  # DD1's officer: none of GL1's members
    assert "0 đoàn viên khớp" in text


def _api(user, **params) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/members/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_api_count_is_capped_for_a_search(members) -> None:
    body = _api(members.kimlien, search="nguyen")
    assert body["count"] == 3 and body["count_is_lower_bound"] is True
    assert len(body["results"]) == 3 and body["next"] is None
    body = _api(members.kimlien, search="nguyen", page_size=2)
    assert body["count"] == 3 and body["count_is_lower_bound"] is True and body["next"]
    body = _api(members.kimlien, search="nguyen thi")
    assert body["count"] == 3 and body["count_is_lower_bound"] is False
    body = _api(members.kimlien, search="0912345670")
    assert body["count"] == 1 and body["count_is_lower_bound"] is False


def test_api_count_is_exact_without_a_search(members) -> None:
    body = _api(members.kimlien)
    assert body["count"] == 6 and body["count_is_lower_bound"] is False
    body = _api(members.kimlien, search="   ")
    assert body["count"] == 6 and body["count_is_lower_bound"] is False


def test_api_capped_count_keeps_filters_and_bad_pages(members) -> None:
    body = _api(members.kimlien, search="nguyen", gender="M")
    assert body["count"] == 0 and body["count_is_lower_bound"] is False
    client = APIClient()
    client.force_authenticate(members.kimlien)
    assert client.get("/api/v1/members/", {"search": "nguyen", "page": 3}).status_code == 404  # no such page
    assert client.get("/api/v1/members/", {"search": "nguyen", "page": "x"}).status_code == 404


def test_api_schema_documents_the_lower_bound(members) -> None:
    client = APIClient()
    client.force_authenticate(members.kimlien)
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"count_is_lower_bound" in response.content


def _counts(user, url: str, **params) -> tuple[str, int]:
    """The page (or API answer) and how many COUNT queries it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = APIClient() if url.startswith("/api/") else Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), sum("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


def test_a_name_search_is_counted_without_a_count_query_on_postgresql(members) -> None:
    """The list page and the API count a name search from the matches it read to choose its plan
    (``selectors.matches_seen``): the same totals and "Hơn" as before, no COUNT query on PostgreSQL.
    Filtered further (gender), or by digits, they count as before."""
    from django.db import connection

    pg = connection.vendor == "postgresql"
    url = reverse("members:list")
    text, counts = _counts(members.kimlien, url, q="nguyen")
    assert "Hơn 3 đoàn viên khớp" in text and counts == (0 if pg else 1)
    text, counts = _counts(members.kimlien, url, q="nguyen thi")
    assert "3 đoàn viên khớp" in text and "Hơn" not in text and counts == (0 if pg else 1)
    text, counts = _counts(members.kimlien, url, q="nguyen", gender="M")
    assert "0 đoàn viên khớp" in text and counts == 1
    text, counts = _counts(members.kimlien, url, q="tran", gender="F")
    assert "1 đoàn viên khớp" in text and counts == 1
    text, counts = _counts(members.kimlien, "/api/v1/members/", search="nguyen")
    assert '"count":3' in text and '"count_is_lower_bound":true' in text and counts == (0 if pg else 1)
    text, counts = _counts(members.kimlien, "/api/v1/members/", search="nguyen van", gender="F")
    assert '"count":1' in text and '"count_is_lower_bound":false' in text and counts == 1
    text, counts = _counts(members.cdcs, url, q="nguyen")  # DD1's officer: none of GL1's members
    assert "0 đoàn viên khớp" in text and "Nguyễn" not in text


def test_a_digit_search_with_few_matches_is_counted_from_the_matches_it_sorted(members, settings) -> None:
    """A digit search with few matches reads them (with their sort keys) to sort them on PostgreSQL,
    so the list page and the API count it from them: no COUNT query; SQLite counts as before. Filtered
    further, it is counted again."""
    from django.db import connection

    pg = connection.vendor == "postgresql"
    settings.MEMBERS_PERSONAL_DATA_ROLES = ["administrator", "cdcs_officer", "federation_officer", "officer"]
    url = reverse("members:list")
    text, counts = _counts(members.kimlien, url, q="01234")
    assert "Hơn 3 đoàn viên khớp" in text and counts == (0 if pg else 1)
    text, counts = _counts(members.kimlien, url, q="0912345671")  # one phone
    assert "1 đoàn viên khớp" in text and "Nguyễn Thị Bình" in text and counts == (0 if pg else 1)
    text, counts = _counts(members.kimlien, "/api/v1/members/", search="01234")
    assert '"count":3' in text and '"count_is_lower_bound":true' in text and counts == (0 if pg else 1)
    text, counts = _counts(members.kimlien, url, q="01234", gender="M")
    assert "0 đoàn viên khớp" in text and counts == 1


def test_a_digit_search_with_many_matches_is_counted_from_its_first_people(
    members, monkeypatch, settings
) -> None:
    """In a wide scope the count of a digit search with many matches tries the memberships of its first
    ``COUNT_HEAD`` people first (``selectors.count_head``): past the cap they answer alone (one COUNT);
    else every match is counted; filtered further, the part no longer stands for the whole. SQLite
    searches digits in one query (no part): one COUNT each, the same totals."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from congdoan.members import selectors

    pg = connection.vendor == "postgresql"
    settings.MEMBERS_PERSONAL_DATA_ROLES = ["administrator", "cdcs_officer", "federation_officer", "officer"]
    monkeypatch.setattr(selectors, "FEW_MATCHES", 3)
    monkeypatch.setattr(selectors, "FILTER_ONLY_IDS", 0)  # the ward's units count as a wide scope
    monkeypatch.setattr(selectors, "COUNT_HEAD", 2)
    qs = selectors.membership_list(user=members.kimlien, search="01234", for_count=True)

    def counted(source, cap: int) -> tuple[tuple[int, bool], int]:
        with CaptureQueriesContext(connection) as ctx:
            result = pagination.capped_count(source, cap)
        return result, sum("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)

    assert counted(qs, 1) == ((1, True), 1)  # the first two people's memberships pass a cap of 1
    assert counted(qs, 5) == ((5, True), 2 if pg else 1)  # two do not pass 5: every match counted
    assert counted(qs, 10) == ((6, False), 2 if pg else 1)
    assert counted(qs.filter(person__full_name__startswith="Trần"), 1) == ((1, False), 1)


def test_a_digit_search_reads_its_people_once_a_request(members, settings) -> None:
    """The list page and the API read a digit search's people once, for the page and its count
    (``selectors._digit_search`` keeps them in the request's ``reads``); SQLite reads them inside the
    list's own queries (none apart), with the same totals."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pg = connection.vendor == "postgresql"
    settings.MEMBERS_PERSONAL_DATA_ROLES = ["administrator", "cdcs_officer", "federation_officer", "officer"]
    for url, key, total in (
        (reverse("members:list"), "q", "Hơn 3 đoàn viên khớp"),
        ("/api/v1/members/", "search", '"count":3'),
    ):
        client = APIClient() if url.startswith("/api/") else Client()
        client.force_login(members.kimlien)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {key: "01234"})
        assert response.status_code == 200 and total in response.content.decode()
        people_read = [
            q
            for q in ctx.captured_queries
            if 'FROM "members_person" WHERE ("members_person"."cccd"' in q["sql"]
        ]
        assert len(people_read) == (1 if pg else 0), [q["sql"][:120] for q in people_read]
