"""Conferences and dialogues: bad input, scope, not-held lists, providers and drill-down, XLSX, API."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from congdoan.accounts.scope import OutOfScope
from congdoan.conferences import selectors, services
from congdoan.conferences.models import Conference
from congdoan.core.models import AuditEntry
from congdoan.indicators.providers import REGISTRY
from congdoan.org import services as org_services
from congdoan.org import tree

pytestmark = pytest.mark.django_db
d = dt.date
Y2025 = (d(2025, 1, 1), d(2025, 12, 31))


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(response) -> set[int]:
    return {row.record.pk for row in response.context["table"].rows}


def hold(unit, kind: str, day: dt.date, **kw: Any) -> Conference:
    fields: dict[str, Any] = {"actor": None, "unit": unit, "kind": kind, "held_on": day}
    if kind.startswith("dialogue"):
        fields.update(employer_side=3, employee_side=5)
    fields.update(kw)
    return services.conference_create(**fields)


@pytest.fixture
def data(fed):
    """GL1 (enterprise) held its workers' conference and two dialogues in 2025; GL2 (school) held its civil
    servants' conference before GL ended; DD1 (hospital) held nothing in 2025."""
    return {
        "fed": fed,
        "w1": hold(fed.gl1, "workers", d(2025, 3, 10), employee_side=120),
        "g1": hold(fed.gl1, "dialogue_periodic", d(2025, 6, 20)),
        "g2": hold(fed.gl1, "dialogue_event", d(2025, 9, 2)),
        "c1": hold(fed.gl2, "civil", d(2025, 2, 14)),
        "c0": hold(fed.dd1, "civil", d(2024, 2, 1)),
    }


def test_create_audited(fed) -> None:
    c = hold(fed.gl1, "workers", d(2025, 9, 10), actor=fed.kimlien)
    assert c.year == 2025
    entry = AuditEntry.objects.get(object_type="conferences.conference", object_id=str(c.pk))
    assert entry.actor == fed.kimlien and entry.unit == fed.gl1


@pytest.mark.parametrize(
    ("unit", "kind", "day", "kw", "text"),
    [
        ("gl1", "dialogue_periodic", d(2025, 6, 1), {"employer_side": 2}, "ít nhất 3 người mỗi bên"),
        ("gl1", "dialogue_request", d(2025, 6, 1), {"employee_side": 0}, "ít nhất 3 người mỗi bên"),
        ("gl1", "workers", d(2030, 1, 1), {}, "ở tương lai"),
        ("gl1", "workers", d(2009, 1, 1), {}, "không hoạt động vào ngày 01/01/2009"),
        ("kl", "workers", d(2025, 9, 1), {}, "không phải công đoàn cơ sở"),
        ("gl2", "workers", d(2025, 3, 1), {}, "Hội nghị cán bộ, công chức, viên chức"),
        ("gl1", "civil", d(2025, 3, 1), {}, "tổ chức Hội nghị người lao động"),
        ("gl1", "workers", d(2025, 3, 1), {"year": 2024}, "phải được tổ chức trong năm 2024"),
        ("gl1", "bogus", d(2025, 3, 1), {}, "không hợp lệ"),
    ],
)
def test_bad_input_changes_nothing(fed, unit, kind, day, kw, text) -> None:
    with pytest.raises(ValidationError) as exc:
        hold(getattr(fed, unit), kind, day, **kw)
    assert text in " ".join(m for ms in exc.value.message_dict.values() for m in ms)
    assert Conference.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="conferences.conference").exists()


def test_dialogue_minimum_is_a_setting(fed, settings) -> None:
    settings.CONFERENCES_DIALOGUE_MIN_PER_SIDE = 2
    hold(fed.gl1, "dialogue_periodic", d(2025, 6, 1), employer_side=2, employee_side=2)


def test_one_annual_conference_per_year(data) -> None:
    fed = data["fed"]
    with pytest.raises(
        ValidationError, match="đã tổ chức Hội nghị người lao động năm 2025 \\(ngày 10/03/2025\\)"
    ):
        hold(fed.gl1, "workers", d(2025, 11, 1))
    hold(fed.gl1, "workers", d(2024, 3, 1))  # another year
    hold(fed.gl1, "dialogue_periodic", d(2025, 12, 1))  # dialogues may repeat


def test_employer_must_be_represented(fed) -> None:
    mine = org_services.employer_create(
        actor=None, name="Công ty May", sector="FDI", unit=fed.kl, cdcs=fed.gl1
    )
    other = org_services.employer_create(actor=None, name="Trường", sector="HCSN", unit=fed.hn, cdcs=fed.gl2)
    with pytest.raises(ValidationError, match="«Trường» không do «CĐCS Công ty May Gia Lâm» đại diện"):
        hold(fed.gl1, "workers", d(2025, 3, 1), employer=other)
    assert hold(fed.gl1, "workers", d(2025, 3, 1), employer=mine).employer == mine


def test_scope_of_writes(fed) -> None:
    with pytest.raises(OutOfScope):
        hold(fed.gl2, "civil", d(2025, 9, 1), actor=fed.kimlien)
    with pytest.raises(OutOfScope):
        hold(fed.gl1, "workers", d(2025, 3, 1), actor=fed.gialam)
    assert Conference.objects.count() == 0


def test_update(data) -> None:
    fed = data["fed"]
    services.conference_update(actor=fed.kimlien, conference=data["w1"], employee_side=150)
    with pytest.raises(ValidationError, match="ít nhất 3 người"):
        services.conference_update(actor=None, conference=data["g1"], employer_side=1)
    data["g1"].refresh_from_db()
    assert data["g1"].employer_side == 3
    with pytest.raises(OutOfScope):
        services.conference_update(actor=fed.kimlien, conference=data["c1"], notes="x")


def test_not_held(data) -> None:
    fed = data["fed"]
    assert list(selectors.not_held(user=fed.thanhpho, year=2025, kind="civil")) == [fed.dd1]
    assert list(selectors.not_held(user=fed.thanhpho, year=2025, kind="workers")) == []
    assert list(selectors.not_held(user=fed.thanhpho, year=2024, kind="workers")) == [fed.gl1]
    assert list(selectors.not_held(user=fed.kimlien, year=2025, kind="civil")) == [fed.dd1]
    assert list(selectors.not_held(user=fed.cdcs, year=2025, kind="civil")) == [fed.dd1]
    rows = selectors.by_sector(user=fed.thanhpho, kind="civil", start=d(2025, 1, 1), end=d(2025, 12, 31))
    assert [(r.sector, r.expected, r.held, r.not_held) for r in rows] == [("HCSN", 2, 1, 1)]
    page = login(fed.thanhpho).get(reverse("conferences:units") + "?kind=civil&year=2025&status=not_held")
    assert listed(page) == {fed.dd1.pk}
    assert "Chưa tổ chức" in page.content.decode() and "Hành chính sự nghiệp" in page.content.decode()


def values(code: str, root, start: dt.date, end: dt.date) -> dict:
    return REGISTRY[code].values(tree.in_subtree([root.pk], end), start, end)


def test_providers(data) -> None:
    fed = data["fed"]
    assert values("conferences_workers", fed.hn, *Y2025) == {fed.gl1.pk: 1}
    assert values("enterprises_with_cdcs", fed.hn, *Y2025) == {fed.gl1.pk: 1}
    assert values("conferences_civil", fed.hn, *Y2025) == {fed.gl2.pk: 1}
    assert values("public_bodies_with_cdcs", fed.hn, *Y2025) == {fed.gl2.pk: 1, fed.dd1.pk: 1}
    assert values("dialogues", fed.hn, *Y2025) == {fed.gl1.pk: 2}
    assert values("dialogues", fed.hn, d(2025, 1, 1), d(2025, 6, 30)) == {fed.gl1.pk: 1}
    # 2024 under the district: DD1 held its conference, as seen from Đống Đa at the end of 2024
    assert values("conferences_civil", fed.dd, d(2024, 1, 1), d(2024, 12, 31)) == {fed.dd1.pk: 1}


@pytest.mark.parametrize(
    "code",
    [
        "conferences_workers",
        "enterprises_with_cdcs",
        "conferences_civil",
        "public_bodies_with_cdcs",
        "dialogues",
    ],
)
def test_drill_down_lists_exactly_the_records(data, code) -> None:
    fed = data["fed"]
    provider = REGISTRY[code]
    assert provider.records is not None
    start, end = Y2025
    expected = {r.pk for r in provider.records(tree.in_subtree([fed.hn.pk], end), start, end)}
    assert expected
    response = login(fed.thanhpho).get(
        reverse(provider.records_url) + f"?unit=HN&from={start}&to={end}", follow=True
    )
    assert response.status_code == 200 and response.redirect_chain
    assert listed(response) == expected


def test_scope_of_reads(data) -> None:
    fed = data["fed"]
    url = reverse("conferences:list")
    # the ward has GL1 and DD1 (with its 2024 conference) since 01/08/2025, never GL2
    assert listed(login(fed.kimlien).get(url)) == {data[k].pk for k in ("w1", "g1", "g2", "c0")}
    assert listed(login(fed.gialam).get(url)) == {data[k].pk for k in ("w1", "g1", "c1")}  # up to 29/06/2025
    assert listed(login(fed.thanhpho).get(url + "?kind=dialogue")) == {data["g1"].pk, data["g2"].pk}
    api = APIClient()
    api.force_authenticate(fed.kimlien)
    assert {c["id"] for c in api.get("/api/v1/conferences/").json()["results"]} == {
        data[k].pk for k in ("w1", "g1", "g2", "c0")
    }
    assert api.get(f"/api/v1/conferences/{data['c1'].pk}/").status_code == 404
    assert api.get("/api/v1/conferences/?kind=workers").json()["count"] == 1


def test_xlsx(data) -> None:
    response = login(data["fed"].thanhpho).get(reverse("conferences:list") + "?year=2025&xuat=xlsx")
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][0] == "Ngày tổ chức" and len(rows) == 5


def test_create_page(fed) -> None:
    client = login(fed.kimlien)
    url = reverse("conferences:create") + "?cdcs=GL1"
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"kind": "dialogue_periodic", "held_on": "01/06/2025", "employer_side": 1, "employee_side": 3}
    )
    assert "ít nhất 3 người mỗi bên" in bad.content.decode()
    ok = client.post(
        url, {"kind": "workers", "held_on": "01/03/2025", "employer_side": 2, "employee_side": 80}
    )
    assert ok.status_code == 302 and Conference.objects.count() == 1
    assert client.get(reverse("conferences:create") + "?cdcs=GL2").context["form"].errors
