"""Reading agreements: scope, providers and their drill-down pages, alerts, XLSX and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from congdoan.bargaining import selectors, services
from congdoan.bargaining.models import CollectiveAgreement
from congdoan.indicators.providers import REGISTRY
from congdoan.org import tree

from .conftest import agree, signed_pdf

pytestmark = pytest.mark.django_db
d = dt.date
Y2024 = (d(2024, 1, 1), d(2024, 12, 31))


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(response) -> set[int]:
    return {row.record.pk for row in response.context["table"].rows}


@pytest.fixture
def data(emp):
    """2024: three new agreements at GL1 (A, B, ungraded), one re-signed at GL2 (C); 2025: one amendment."""
    fed = emp.fed
    a1 = agree(fed.gl1, [emp.may1], d(2024, 2, 1), grade="A")
    a2 = agree(fed.gl1, [emp.may2], d(2024, 5, 1), grade="B")
    a3 = agree(fed.gl1, [emp.may3], d(2024, 9, 1))
    s1 = agree(fed.gl2, [emp.school], d(2024, 4, 1), kind="resigned", grade="C")
    m1 = services.agreement_renew(
        actor=None,
        agreement=a3,
        kind="amended",
        signed_on=d(2025, 8, 15),
        expires_on=d(2026, 8, 31),
        approval_share="0.75",
    )
    return {"a1": a1, "a2": a2, "a3": a3, "s1": s1, "m1": m1, "emp": emp, "fed": fed}


def values(code: str, root, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    return REGISTRY[code].values(tree.in_subtree([root.pk], end), start, end)


def test_providers(data) -> None:
    fed = data["fed"]
    assert values("agreements_new", fed.gl, *Y2024) == {fed.gl1.pk: 3}
    assert values("agreements_resigned", fed.gl, *Y2024) == {fed.gl2.pk: 1}
    assert values("agreements_amended", fed.hn, d(2025, 1, 1), d(2025, 12, 31)) == {fed.gl1.pk: 1}
    assert values("agreements_amended", fed.hn, *Y2024) == {}
    end = d(2024, 12, 31)
    # public bodies (GL2) are not counted: this is the numerator of a share of enterprise CĐCS
    assert values("cdcs_with_valid_agreement", fed.hn, *Y2024) == {fed.gl1.pk: 1}
    assert values("enterprise_cdcs", fed.hn, *Y2024) == {fed.gl1.pk: 1}  # GL2, DD1 are public bodies
    assert values("agreements_graded", fed.hn, *Y2024) == {fed.gl1.pk: 2, fed.gl2.pk: 1}
    assert values("agreements_grade_ab", fed.hn, *Y2024) == {fed.gl1.pk: 2}
    # on 31/12/2023 nothing was valid yet
    assert values("cdcs_with_valid_agreement", fed.hn, d(2023, 1, 1), d(2023, 12, 31)) == {}
    # records are the figures' rows
    records = REGISTRY["agreements_new"].records
    assert records is not None
    assert set(records(tree.in_subtree([fed.gl.pk], end), *Y2024)) == {data["a1"], data["a2"], data["a3"]}


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("agreements_new", d(2024, 1, 1), d(2024, 12, 31)),
        ("agreements_resigned", d(2024, 1, 1), d(2024, 12, 31)),
        ("agreements_amended", d(2025, 1, 1), d(2025, 12, 31)),
        ("agreements_grade_ab", d(2024, 1, 1), d(2024, 12, 31)),
        ("agreements_graded", d(2024, 1, 1), d(2024, 12, 31)),
        ("agreements_graded", d(2025, 1, 1), d(2025, 9, 30)),
    ],
)
def test_drill_down_lists_exactly_the_records(data, code, start, end) -> None:
    fed = data["fed"]
    provider = REGISTRY[code]
    assert provider.records is not None
    expected = {a.pk for a in provider.records(tree.in_subtree([fed.hn.pk], end), start, end)}
    assert expected
    url = reverse(provider.records_url) + f"?unit=HN&from={start}&to={end}"
    response = login(fed.thanhpho).get(url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(
        reverse("bargaining:agreement_list")
    )
    assert listed(response) == expected
    assert response.context["total"] == sum(
        provider.values(tree.in_subtree([fed.hn.pk], end), start, end).values()
    )


@pytest.mark.parametrize("code", ["cdcs_with_valid_agreement", "enterprise_cdcs"])
def test_drill_down_units(data, code) -> None:
    fed = data["fed"]
    provider = REGISTRY[code]
    assert provider.records is not None
    start, end = Y2024
    expected = {u.pk for u in provider.records(tree.in_subtree([fed.hn.pk], end), start, end)}
    response = login(fed.thanhpho).get(
        reverse(provider.records_url) + f"?unit=HN&from={start}&to={end}", follow=True
    )
    assert listed(response) == expected


def test_list_filters(data) -> None:
    client = login(data["fed"].thanhpho)
    url = reverse("bargaining:agreement_list")
    assert listed(client.get(url + "?unit=GL&from=2024-01-01&to=2024-12-31&kind=new")) == {
        data["a1"].pk,
        data["a2"].pk,
        data["a3"].pk,
    }
    assert listed(client.get(url + "?grade=AB")) == {data["a1"].pk, data["a2"].pk}
    assert listed(client.get(url + "?year=2025")) == {data["m1"].pk}
    assert listed(client.get(url + "?unit=GL2")) == {data["s1"].pk}
    response = client.get(url + "?unit=NOPE")
    assert listed(response) == set()
    assert "Không tìm thấy đơn vị có mã «NOPE»" in response.content.decode()


def test_scope_of_reads(data) -> None:
    fed = data["fed"]
    url = reverse("bargaining:agreement_list")
    # kimlien (ward, from 01/07/2025) sees GL1 (moved to it) but never GL2
    assert listed(login(fed.kimlien).get(url)) == {data[k].pk for k in ("a1", "a2", "a3", "m1")}
    assert (
        login(fed.kimlien).get(reverse("bargaining:agreement_detail", args=[data["s1"].pk])).status_code
        == 404
    )
    assert login(fed.kimlien).get(url + "?unit=GL2").context["total"] == 0
    # gialam (district ended 30/06/2025) sees its CĐCS' agreements signed up to 29/06/2025 only
    gialam = login(fed.gialam)
    assert listed(gialam.get(url)) == {data[k].pk for k in ("a1", "a2", "a3", "s1")}
    assert gialam.get(reverse("bargaining:agreement_detail", args=[data["m1"].pk])).status_code == 404
    page = gialam.get(reverse("bargaining:agreement_detail", args=[data["a3"].pk]))
    assert page.status_code == 200
    assert [a.pk for a in page.context["chain"]] == [data["a3"].pk]  # the later amendment stays hidden
    assert not page.context["can_write"]
    # cdcs officer of DD1 sees none of them
    assert listed(login(fed.cdcs).get(url)) == set()


def test_detail_shows_chain_and_audit(data) -> None:
    fed = data["fed"]
    response = login(fed.thanhpho).get(reverse("bargaining:agreement_detail", args=[data["m1"].pk]))
    assert response.status_code == 200
    assert [a.pk for a in response.context["chain"]] == [data["a3"].pk, data["m1"].pk]
    html = response.content.decode()
    assert "Quá trình ký kết" in html and "Sửa đổi, bổ sung" in html and "Tạo mới" in html


def test_expiring_and_lapsed(emp) -> None:
    fed = emp.fed
    today = timezone.localdate()
    soon = agree(fed.gl1, [emp.may1], today - dt.timedelta(days=700), years=2)  # ends in ~30 days
    later = agree(fed.gl1, [emp.may2], today - dt.timedelta(days=100), years=2)
    assert soon.expires_on - today < dt.timedelta(days=90)
    assert list(selectors.expiring_soon(user=fed.thanhpho)) == [soon]
    assert list(selectors.expiring_soon(user=fed.kimlien)) == [soon]
    assert list(selectors.expiring_soon(user=fed.cdcs)) == []
    assert list(selectors.lapsed_cdcs(user=fed.thanhpho)) == []
    # once re-signed, it is no longer an alert
    services.agreement_renew(
        actor=None,
        agreement=soon,
        kind="resigned",
        signed_on=today,
        effective_on=soon.expires_on + dt.timedelta(days=1),
        expires_on=soon.expires_on + dt.timedelta(days=730),
        approval_share="0.9",
    )
    assert list(selectors.expiring_soon(user=fed.thanhpho)) == []
    response = login(fed.thanhpho).get(reverse("bargaining:expiring"))
    assert response.status_code == 200 and "Sắp hết hạn (90 ngày)" in response.content.decode()
    assert later.pk  # still valid: nothing lapsed


def test_lapsed_cdcs(emp) -> None:
    fed = emp.fed
    agree(fed.gl1, [emp.may1], d(2021, 1, 1), years=3)  # expired 31/12/2023
    agree(fed.gl2, [emp.school], d(2021, 1, 1), years=3)  # public body: not an enterprise CĐCS
    lapsed = list(selectors.lapsed_cdcs(user=fed.thanhpho))
    assert lapsed == [fed.gl1] and lapsed[0].last_expired == d(2023, 12, 31)
    assert list(selectors.lapsed_cdcs(user=fed.cdcs)) == []
    response = login(fed.kimlien).get(reverse("bargaining:lapsed"))
    assert listed(response) == {fed.gl1.pk}
    assert "CĐCS hết hạn thỏa ước" in response.content.decode()
    agree(fed.gl1, [emp.may1], timezone.localdate() - dt.timedelta(days=10))
    assert list(selectors.lapsed_cdcs(user=fed.thanhpho)) == []


def test_xlsx_export(data) -> None:
    response = login(data["fed"].thanhpho).get(reverse("bargaining:agreement_list") + "?kind=new&xuat=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số văn bản" and len(rows) == 4
    assert {r[3] for r in rows[1:]} == {"Công ty May Gia Lâm", "Công ty May Gia Lâm 2", "Công ty Dệt Gia Lâm"}
    from congdoan.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_type="export.agreements", after__rows=3).exists()


def test_create_and_renew_pages(emp, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    fed = emp.fed
    client = login(fed.kimlien)
    url = reverse("bargaining:agreement_create")
    assert "chọn công đoàn cơ sở" in client.get(url).content.decode()
    assert client.get(url + "?cdcs=GL2").context["form"].errors  # out of scope for the ward
    page = client.get(url + "?cdcs=GL1")
    assert page.status_code == 200
    form = {
        "kind": "new",
        "scope": "enterprise",
        "employers": [emp.may1.pk],
        "signed_on": "01/09/2025",
        "expires_on": "31/08/2026",
        "approval_share": "50",
    }
    bad = client.post(url + "?cdcs=GL1", form)
    assert "Thỏa ước phải được trên 50% người lao động biểu quyết tán thành." in bad.content.decode()
    assert CollectiveAgreement.objects.count() == 0
    from django.core.files.uploadedfile import SimpleUploadedFile

    form["approval_share"] = "75,5"
    form["signed_file"] = SimpleUploadedFile("tu.pdf", signed_pdf(), content_type="application/pdf")
    ok = client.post(url + "?cdcs=GL1", form)
    agreement = CollectiveAgreement.objects.get()
    assert ok.status_code == 302 and ok["Location"] == agreement.get_absolute_url()
    assert agreement.approval_share == Decimal("0.755")
    pdf = client.get(reverse("bargaining:agreement_file", args=[agreement.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert login(fed.cdcs).get(reverse("bargaining:agreement_file", args=[agreement.pk])).status_code == 404
    renew = client.post(
        reverse("bargaining:agreement_renew", args=[agreement.pk]),
        {
            "kind": "resigned",
            "signed_on": "15/08/2026",
            "effective_on": "01/09/2026",
            "expires_on": "31/08/2028",
            "approval_share": "90",
        },
    )
    assert renew.status_code == 302
    assert CollectiveAgreement.objects.filter(renewal_of=agreement).exists()
    edit = client.post(
        reverse("bargaining:agreement_edit", args=[agreement.pk]),
        {**{k: v for k, v in form.items() if k != "signed_file"}, "approval_share": "75,5", "grade": "B"},
    )
    assert edit.status_code == 302
    agreement.refresh_from_db()
    assert agreement.grade == "B"
    assert client.get(reverse("bargaining:agreement_edit", args=[agreement.pk])).status_code == 200
    assert login(fed.gialam).get(reverse("bargaining:agreement_edit", args=[agreement.pk])).status_code == 404


def test_api(data) -> None:
    fed = data["fed"]
    client = APIClient()
    client.force_authenticate(fed.kimlien)
    body = client.get("/api/v1/agreements/").json()
    assert {a["id"] for a in body["results"]} == {data[k].pk for k in ("a1", "a2", "a3", "m1")}
    assert client.get(f"/api/v1/agreements/{data['s1'].pk}/").status_code == 404
    body = client.get("/api/v1/agreements/?grade=AB&unit=KL").json()
    assert {a["id"] for a in body["results"]} == {data["a1"].pk, data["a2"].pk}
    one = client.get(f"/api/v1/agreements/{data['a1'].pk}/").json()
    assert one["cdcs"] == "GL1" and one["employers"][0]["name"] == "Công ty May Gia Lâm"
