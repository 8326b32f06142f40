"""The scope sweep: every page, export and API endpoint, walked as officers of different subtrees.

Nothing here names an endpoint. The URL conf is walked as a whole, so a new page or API route is
covered the day it is added:
- every URL without parameters (lists, exports, dashboards, API lists) is fetched with a set of
  usual query strings, and its answer (HTML, JSON, CSV, or the text of an XLSX/DOCX/PDF file) must
  not contain a marker of a record outside the officer's scope;
- every URL with an object parameter is fetched for each out-of-scope record that the URL shows to
  an administrator (found by asking as the administrator: the record's marker on a 200 page), and
  must answer 404 to the officer;

Scopes (see ``congdoan/conftest.py`` for the tree):
- kimlien (Kim Liên, live since 01/07/2025) sees GL1 and DD1, never GL2…GL9 or their records;
- gialam (Gia Lâm, ended 30/06/2025) sees its CĐCS as they were and records dated up to its last day,
  never what GL1 did after moving to Kim Liên, nor Kim Liên's or Đống Đa's own units;
- cdcs (the chair of DD1) sees DD1 only.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from congdoan.bargaining import services as agreement_services
from congdoan.bargaining.models import AgreementKind
from congdoan.conferences import services as conference_services
from congdoan.conferences.models import ConferenceKind
from congdoan.conftest import Federation
from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import Indicator
from congdoan.members import services as member_services
from congdoan.org import services as org_services
from congdoan.reports import services as report_services
from congdoan.reports.tests.conftest import SHARE, build_report_data

d = dt.date

# Query strings tried on every URL without parameters: the filters and periods pages use.
QUERIES = [
    "",
    "?period=2026",
    "?period=2025Q4",
    "?nam=2026",
    "?year=2026",
    "?on=2026-06-01",
    "?unit=GL1&period=2026",
    "?unit=GL2&period=2024",
    "?don_vi=GL2",
    "?cdcs=GL2",
    "?indicator=TUYEN_TRUYEN&period=2026",
    "?indicator=TUYEN_TRUYEN&period=2026&unit=GL1",
    "?xuat=xlsx",
    "?xuat=xlsx&period=2026",
    "?format=json",
    "?page_size=500",
]
# Query strings tried with each out-of-scope marker as the search text.
SEARCH_KEYS = ["q", "search"]
# URLs outside the sweep: authentication, the admin site (superusers only) and the API's own docs.
SKIP_PREFIXES = ("/admin/", "/tai-khoan/", "/api/v1/schema/", "/api/v1/docs/")

# Out-of-scope records, each with a text that appears wherever the record is shown.
SAU_MOC_MEMBER = "Lý Thị Sau Mốc"  # admitted to GL1 in 2026, after Gia Lâm ended
SAU_MOC_AGREEMENT = "SAUMOC-2026/TƯ"  # signed by GL1 in 2026
SAU_MOC_VALUE = "987654"  # TUYEN_TRUYEN reported by GL1 for 2026
SAU_MOC_TARGET = "876543"  # a 2026 target for GL1
NGOAI_MEMBER = "Trương Văn Ngoại"  # admitted to GL2 in 2024 (never under Kim Liên)
DD1_MEMBER = "Đinh Thị Đống"  # admitted to DD1 in 2024 (never under Gia Lâm)


@dataclass
class Record:
    marker: str
    ids: dict[str, Any] = field(default_factory=dict)  # parameter name → value, tried by type


@dataclass
class World:
    fed: Federation
    # username → records that user must never see
    hidden: dict[str, list[Record]]


def _numbers(value: str) -> list[str]:
    """How a number may be written in a page, a JSON answer or a file."""
    n = int(value)
    return [value, f"{n:,}".replace(",", ".")]


def build_world(fed: Federation) -> World:
    data = build_report_data(fed)
    u = data.units
    # GL2's member: outside Kim Liên and DD1.
    ngoai = member_services.member_admit(
        actor=None,
        cdcs=fed.gl2,
        join_date=d(2024, 4, 1),
        full_name=NGOAI_MEMBER,
        birth_date=d(1988, 1, 2),
        gender="M",
    )
    dong = member_services.member_admit(
        actor=None,
        cdcs=fed.dd1,
        join_date=d(2024, 4, 1),
        full_name=DD1_MEMBER,
        birth_date=d(1987, 1, 2),
        gender="F",
    )
    # GL1 after it moved to Kim Liên: a member, an agreement, a conference, a value and a target of 2026.
    sau_moc = member_services.member_admit(
        actor=None,
        cdcs=fed.gl1,
        join_date=d(2026, 2, 1),
        full_name=SAU_MOC_MEMBER,
        birth_date=d(1995, 3, 4),
        gender="F",
    )
    new_employer = org_services.employer_create(
        actor=None,
        name="Công ty TNHH Sau Mốc",
        sector="DN_NGOAI_NHA_NUOC",
        unit=fed.kl,
        cdcs=fed.gl1,
        workforce=50,
    )
    agreement = agreement_services.agreement_create(
        actor=None,
        cdcs=fed.gl1,
        employers=[new_employer],
        kind=AgreementKind.NEW,
        signed_on=d(2026, 3, 1),
        expires_on=d(2028, 2, 28),
        approval_share=SHARE,
        grade="A",
        number=SAU_MOC_AGREEMENT,
    )
    conference_services.conference_create(
        actor=None,
        unit=fed.gl1,
        kind=ConferenceKind.WORKERS,
        held_on=d(2026, 3, 5),
        employer=new_employer,
        employer_side=3,
        employee_side=40,
    )
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    indicator_services.value_set(actor=None, unit=fed.gl1, indicator=talks, period="2026", value=987654)
    indicator_services.target_set(actor=None, unit=fed.gl1, indicator=talks, period="2026", value=876543)
    report_2026 = report_services.report_request(actor=None, unit=fed.gl1, period="2026", fmt="xlsx")
    report_gl2 = report_services.report_request(actor=None, unit=fed.gl2, period="2024", fmt="xlsx")

    gl2_records = [
        Record(NGOAI_MEMBER, {"person_id": ngoai.person_id, "pk": ngoai.person_id, "id": ngoai.pk}),
        Record(fed.gl2.name, {"code": fed.gl2.code}),
        Record(report_gl2.file_name, {"pk": report_gl2.pk, "id": report_gl2.pk}),
        *[Record(u[c].name, {"code": c}) for c in ("GL3", "GL4", "GL5", "GL6", "GL7", "GL8", "GL9")],
        *[Record(e.name, {"pk": e.pk, "id": e.pk}) for c, e in data.employers.items() if c not in ("GL1",)],
        *[
            Record(a.number, {"pk": a.pk, "id": a.pk})
            for c, a in data.agreements.items()
            if c != "GL1" and a.number
        ],
    ]
    after_last_day = [
        Record(SAU_MOC_MEMBER, {"person_id": sau_moc.person_id, "pk": sau_moc.person_id, "id": sau_moc.pk}),
        Record(SAU_MOC_AGREEMENT, {"pk": agreement.pk, "id": agreement.pk}),
        *[Record(text) for text in _numbers(SAU_MOC_VALUE) + _numbers(SAU_MOC_TARGET)],
        Record(report_2026.file_name, {"pk": report_2026.pk, "id": report_2026.pk}),
        Record(DD1_MEMBER, {"person_id": dong.person_id, "pk": dong.person_id, "id": dong.pk}),
        Record(fed.kl.name, {"code": fed.kl.code}),
        Record(fed.dd1.name, {"code": fed.dd1.code}),
    ]
    outside_dd1 = [
        *gl2_records,
        Record(fed.gl1.name, {"code": fed.gl1.code}),
        Record(SAU_MOC_MEMBER, {"person_id": sau_moc.person_id, "pk": sau_moc.person_id, "id": sau_moc.pk}),
        Record(SAU_MOC_AGREEMENT, {"pk": agreement.pk, "id": agreement.pk}),
        Record(report_2026.file_name, {"pk": report_2026.pk, "id": report_2026.pk}),
    ]
    # Agreement numbers in the report data repeat (mm/yyyy); keep only those unique in the world.
    return World(
        fed=fed,
        hidden={
            "kimlien": _unique(gl2_records),
            "gialam": _unique(after_last_day),
            "cdcs": _unique(outside_dd1),
        },
    )


def _unique(records: list[Record]) -> list[Record]:
    from congdoan.bargaining.models import CollectiveAgreement

    numbers = list(CollectiveAgreement.objects.values_list("number", flat=True))
    return [r for r in records if numbers.count(r.marker) <= 1]


# -- walking the URL conf -------------------------------------------------------------------------


@dataclass
class Route:
    path: str  # e.g. "/doan-vien/{person_id}/" (parameters in braces)
    params: list[str]
    name: str


def _routes() -> Iterator[Route]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + _route_text(p.pattern), ns)
            elif isinstance(p, URLPattern):
                text = prefix + _route_text(p.pattern)
                if "<format>" in text or r"\.(?P<format>" in text or "format" in p.pattern.converters:
                    continue
                params = re.findall(r"\{(\w+)\}", text)
                yield Route("/" + text, params, f"{namespace}{p.name or ''}")

    yield from walk(get_resolver().url_patterns, "", "")


def _route_text(pattern: Any) -> str:
    """A route or a DRF regex as a path with ``{name}`` placeholders."""
    text = str(pattern)
    if text.startswith("^"):
        text = text[1:].rstrip("$")
        if r"\.(?P<format>" in text:
            return text + "<format>"
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text)
    else:
        text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
    return text


def _body_text(response: Any) -> str:
    """The text an officer receives: HTML/JSON/CSV as is, files opened (XLSX, DOCX cells and XML)."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":  # XLSX and DOCX are zip files: their XML holds every string
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    if content[:4] == b"%PDF":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", "replace")


def _search_text(marker: str) -> str:
    """A part of the marker to search with: the page echoes the search box, never the whole marker."""
    words = marker.split()
    return " ".join(words[1:]) if len(words) > 1 else marker[len(marker) // 3 :]


def _leaks(text: str, records: list[Record]) -> list[str]:
    return [r.marker for r in records if r.marker in text]


@pytest.fixture
def world(fed: Federation) -> World:
    return build_world(fed)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sweep(world: World, username: str, under: str = "/") -> tuple[list[str], int]:
    """Walk every route under ``under`` as ``username``; the leaks found and the detail pages checked."""
    user = getattr(world.fed, username)
    hidden = world.hidden[username]
    officer, admin = _client(user), _client(world.fed.admin)
    routes = [r for r in _routes() if r.path.startswith(under) and not r.path.startswith(SKIP_PREFIXES)]
    leaks: list[str] = []
    checked_details = 0
    for route in routes:
        if not route.params:
            urls = [(route.path + q, "") for q in QUERIES]
            urls += [
                (f"{route.path}?{key}={_search_text(r.marker)}", _search_text(r.marker))
                for key in SEARCH_KEYS
                for r in hidden
                if r.ids
            ]
            for url, echo in urls:
                response = officer.get(url)
                if response.status_code >= 500:
                    leaks.append(f"{url}: {response.status_code}")
                elif response.status_code == 200:
                    # The search box echoes what was typed: that text is not a leak.
                    found = _leaks(_body_text(response).replace(echo or "\0", ""), hidden)
                    if found:
                        leaks.append(f"{url} shows {found}")
            continue
        # A URL with parameters: each hidden record whose parameters fit and that the administrator
        # sees there must be 404 to the officer.
        for record in hidden:
            if not all(p in record.ids for p in route.params):
                continue
            url = route.path.format(**{p: record.ids[p] for p in route.params})
            seen = admin.get(url)
            if seen.status_code != 200 or record.marker not in _body_text(seen):
                continue
            checked_details += 1
            answer = officer.get(url)
            if answer.status_code != 404:
                leaks.append(f"{url} ({record.marker}): {answer.status_code}, not 404")
    return leaks, checked_details


@pytest.mark.parametrize("username", ["kimlien", "gialam", "cdcs"])
def test_no_page_or_endpoint_shows_a_record_outside_the_scope(world: World, username: str) -> None:
    assert sum(1 for _ in _routes()) > 40, "the URL walk found too few routes"
    leaks, checked_details = sweep(world, username)
    assert checked_details >= 5, "the sweep matched too few detail pages to its records"
    assert not leaks, "\n".join(leaks)


def test_the_sweep_catches_a_removed_scope_call(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not vacuous: with the member list's scope call removed, the sweep reports GL2's member."""
    from congdoan.members import selectors

    real = selectors.membership_list

    def unscoped(*, user: Any, **kw: Any) -> Any:
        return real(user=world.fed.admin, **kw)

    monkeypatch.setattr(selectors, "membership_list", unscoped)
    leaks, _ = sweep(world, "kimlien", under="/doan-vien/")
    assert any(NGOAI_MEMBER in leak for leak in leaks), leaks


# -- writes ------------------------------------------------------------------------------------------

# Routes a read-only officer may POST to: generating a report is a read (an ended unit's officer
# answers for its history with it); ``report_request`` refuses periods after the unit's last day,
# checked below in ``test_report_generation_stays_open_but_not_after_the_last_day``. Checking the
# figures of a pasted report is a read too (a POST only because a report is too long for a URL).
READ_POSTS = ("/bao-cao/{code}/tao/", "/api/v1/reports/", "/kiem-tra-so-lieu/")


def _write_ids(world: World, cdcs: Any) -> dict[str, list[Any]]:
    """Parameter values naming records of ``cdcs`` (readable to gialam for GL2: it was Gia Lâm's
    until 30/06/2025), so a refusal comes from the write check, not from a lookup that found nothing."""
    from congdoan.bargaining.models import CollectiveAgreement
    from congdoan.conferences.models import Conference
    from congdoan.indicators.models import DataValue, Target
    from congdoan.members.models import Membership
    from congdoan.org.models import Employer
    from congdoan.reports.models import GeneratedReport

    def first(qs: Any) -> list[Any]:
        return list(qs.order_by("pk").values_list("pk", flat=True)[:1])

    before_end = d(2025, 6, 30)
    membership = Membership.objects.filter(cdcs=cdcs, join_date__lte=before_end).order_by("pk").first()
    assert membership is not None
    pks = [
        *first(Employer.objects.filter(Q(unit=cdcs) | Q(cdcs=cdcs))),
        *first(CollectiveAgreement.objects.filter(cdcs=cdcs, signed_on__lte=before_end)),
        *first(Conference.objects.filter(unit=cdcs, held_on__lte=before_end)),
        *first(DataValue.objects.filter(unit=cdcs, period__lt="2025")),
        *first(Target.objects.filter(unit=cdcs, period__lt="2025")),
        *first(GeneratedReport.objects.filter(unit=cdcs, period__lt="2025")),
        membership.pk,
    ]
    return {"code": [cdcs.code], "pk": pks, "id": pks, "person_id": [membership.person_id]}


def _posts(world: World, username: str, cdcs: Any) -> Iterator[tuple[str, int]]:
    """POST an empty form to every route, its parameters filled with records of ``cdcs``."""
    officer = _client(getattr(world.fed, username))
    ids = _write_ids(world, cdcs)
    for route in _routes():
        if route.path.startswith(SKIP_PREFIXES) or route.path in READ_POSTS:
            continue
        for values in itertools.product(*(ids.get(p, [1]) for p in route.params)):
            url = route.path.format(**dict(zip(route.params, values, strict=True)))
            yield url, officer.post(url, {}).status_code


def test_every_url_refuses_writes_from_a_read_only_officer(world: World) -> None:
    """Gia Lâm has ended: every POST of its officer is refused (403/404/405) before any input is read
    (an empty form would otherwise be answered 400 or re-rendered with errors: 200)."""
    answers = list(_posts(world, "gialam", world.fed.gl2))
    assert len(answers) > 40, "the walk posted to too few URLs"
    accepted = [f"POST {url}: {code}" for url, code in answers if code not in (403, 404, 405)]
    assert not accepted, "\n".join(accepted)


def test_writes_to_an_out_of_scope_unit_answer_404(world: World) -> None:
    """The mirror: Kim Liên's officer may write, but not to GL2 (never under Kim Liên) — every POST
    naming GL2 or one of its records is 404 (405 where the URL is read-only), never validated."""
    answers = [(url, code) for url, code in _posts(world, "kimlien", world.fed.gl2) if "{" not in url]
    named = [(url, code) for url, code in answers if _names_a_record(url)]
    refused = [url for url, code in named if code == 404]
    assert len(refused) >= 10, "too few write URLs named a GL2 record"
    accepted = [f"POST {url}: {code}" for url, code in named if code not in (404, 405)]
    assert not accepted, "\n".join(accepted)


def _names_a_record(url: str) -> bool:
    return any(part.isdigit() or part.startswith("GL") for part in url.split("/"))


def test_report_generation_stays_open_but_not_after_the_last_day(world: World) -> None:
    """The explicit exception above: Gia Lâm's officer generates GL2's 2024 report, not its 2026 one."""
    officer = _client(world.fed.gialam)
    ok = officer.post("/api/v1/reports/", {"unit": "GL2", "period": "2024", "format": "xlsx"})
    assert ok.status_code in (200, 201, 202), ok.content
    late = officer.post("/api/v1/reports/", {"unit": "GL2", "period": "2026", "format": "xlsx"})
    assert late.status_code in (400, 404), late.content
