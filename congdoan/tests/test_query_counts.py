"""The main list pages and API lists run a number of queries that does not grow with the rows shown:
the same page with N rows and with 3N rows (both within one page) may not run more queries. An N+1
(a query per row: a unit, an employer, a person looked up row by row) makes the second count larger.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from congdoan.bargaining import services as agreement_services
from congdoan.bargaining.models import AgreementKind
from congdoan.conferences import services as conference_services
from congdoan.conferences.models import Conference, ConferenceKind
from congdoan.conftest import Federation
from congdoan.imports.models import ImportJob
from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import DataValue, Indicator
from congdoan.members import services as member_services
from congdoan.org import services as org_services
from congdoan.org.models import Employer
from congdoan.plans import services as plan_services
from congdoan.recommendations import services as recommendation_services
from congdoan.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db
N = 4  # rows at first; then 3N, still within one page of every list (page sizes 20 to 50)
d = dt.date
_seq = itertools.count(1)

Adder = Callable[[Federation, int], None]


def _members(fed: Federation, n: int) -> None:
    for _ in range(n):
        i = next(_seq)
        member_services.member_admit(
            actor=None,
            cdcs=fed.dd1,
            join_date=d(2020, 1, 1),
            full_name=f"Nguyễn Văn {chr(65 + i % 26)}{'a' * (i // 26 + 1)}",
            birth_date=d(1980, 1, 1 + i % 28),
            gender="M",
        )


def _units(fed: Federation, n: int) -> None:
    for _ in range(n):
        i = next(_seq)
        org_services.unit_create(
            actor=None,
            code=f"KL{i:03d}",
            name=f"CĐCS Công ty số {i}",
            type="CDCS",
            parent=fed.kl,
            sector="DN_NGOAI_NHA_NUOC",
            valid_from=d(2025, 8, 1),
            founded_on=d(2025, 8, 1),
        )


def _employer(fed: Federation) -> Employer:
    i = next(_seq)
    return org_services.employer_create(
        actor=None, name=f"Công ty TNHH Số {i}", sector="DN_NGOAI_NHA_NUOC", unit=fed.kl, cdcs=fed.gl1
    )


def _employers(fed: Federation, n: int) -> None:
    for _ in range(n):
        _employer(fed)


def _agreements(fed: Federation, n: int) -> None:
    for _ in range(n):
        agreement_services.agreement_create(
            actor=None,
            cdcs=fed.gl1,
            employers=[_employer(fed)],
            kind=AgreementKind.NEW,
            signed_on=d(2024, 1, 1 + next(_seq) % 28),
            expires_on=d(2027, 1, 1),
            approval_share="0.9",
        )


def _conferences(fed: Federation, n: int) -> None:
    first = 2011 + Conference.objects.filter(unit=fed.gl1).count()
    for year in range(first, first + n):  # one workers' conference a year in GL1 (since 2010)
        conference_services.conference_create(
            actor=None,
            unit=fed.gl1,
            kind=ConferenceKind.WORKERS,
            held_on=d(year, 3, 1),
            employer=_employer(fed),
            employer_side=2,
            employee_side=40,
        )


def _key_tasks(fed: Federation, n: int) -> None:
    titles = [f"Nhiệm vụ mẫu số {next(_seq)}" for _ in range(n)]
    plan_services.task_hand_down(
        actor=None, by=fed.hn, units=[fed.kl], titles=titles, start_on=d(2025, 8, 1), deadline=d(2025, 12, 31)
    )


def _recommendations(fed: Federation, n: int) -> None:
    for _ in range(n):
        recommendation_services.rec_create(
            actor=None,
            unit=fed.kl,
            to_unit=fed.hn,
            title=f"Kiến nghị mẫu số {next(_seq)}",
            raised_on=d(2025, 9, 1),
        )


def _reports(fed: Federation, n: int) -> None:
    for _ in range(n):
        GeneratedReport.objects.create(
            unit=fed.hn,
            period=str(2000 + next(_seq)),
            format="docx",
            status=GeneratedReport.Status.DONE,
            created_by=fed.thanhpho,
        )


def _imports(fed: Federation, n: int) -> None:
    for _ in range(n):
        ImportJob.objects.create(
            kind="members",
            file=f"imports/f{next(_seq)}.csv",
            original_name="f.csv",
            user=fed.thanhpho,
            unit=fed.hn,
        )


def _values(fed: Federation, n: int) -> None:
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    first = 2006 + DataValue.objects.filter(unit=fed.dd1, indicator=talks).count()
    for year in range(first, first + n):  # DD1 exists since 2005: one value a year
        indicator_services.value_set(actor=None, unit=fed.dd1, indicator=talks, period=str(year), value=3)


def _count(get: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200, response.status_code
    return len(queries), response


def _check(
    fed: Federation, add: Adder, get: Callable[[], Any], rows: Callable[[Any], int], assert_max: Any
) -> None:
    add(fed, N)
    get()  # warm up: sessions, content types and other per-process caches
    first, response = _count(get)
    shown = rows(response)
    assert shown >= N
    add(fed, 2 * N)
    with assert_max(first):
        response = get()
    assert rows(response) == shown + 2 * N  # the new rows are on the page


PAGES: list[tuple[str, str, Adder, str]] = [
    # (id, url, rows added, a text found once in each row)
    ("members", "/doan-vien/", _members, "Nguyễn Văn "),
    ("units", "/don-vi/", _units, "CĐCS Công ty số "),
    ("employers", "/doanh-nghiep/", _employers, "Công ty TNHH Số "),
    ("agreements", "/thoa-uoc/", _agreements, "Công ty TNHH Số "),
    ("conferences", "/hoi-nghi/", _conferences, "Công ty TNHH Số "),
    ("reports", "/bao-cao/HN/?period=2024", _reports, "/tai-ve/"),
    ("imports", "/nhap-du-lieu/", _imports, "f.csv"),
    ("key-tasks", "/nhiem-vu/", _key_tasks, "Nhiệm vụ mẫu số "),
    ("recommendations", "/kien-nghi/", _recommendations, "Kiến nghị mẫu số "),
]


@pytest.mark.parametrize(("url", "add", "marker"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_list_page_queries_do_not_grow_with_rows(
    fed, client, django_assert_max_num_queries, url, add, marker
) -> None:
    client.force_login(fed.thanhpho)
    _check(
        fed,
        add,
        lambda: client.get(url),
        lambda response: response.content.decode().count(marker),
        django_assert_max_num_queries,
    )


APIS: list[tuple[str, str, Adder]] = [
    ("members", "/api/v1/members/", _members),
    ("units", "/api/v1/units/", _units),
    ("agreements", "/api/v1/agreements/", _agreements),
    ("values", "/api/v1/values/?unit=DD1", _values),
    ("key-tasks", "/api/v1/key-tasks/", _key_tasks),
    ("recommendations", "/api/v1/recommendations/", _recommendations),
]


@pytest.mark.parametrize(("url", "add"), [a[1:] for a in APIS], ids=[a[0] for a in APIS])
def test_api_list_queries_do_not_grow_with_rows(fed, django_assert_max_num_queries, url, add) -> None:
    api = APIClient()
    api.force_authenticate(fed.thanhpho)
    _check(
        fed,
        add,
        lambda: api.get(url),
        lambda response: response.json()["count"] if "count" in response.json() else len(response.json()),
        django_assert_max_num_queries,
    )
