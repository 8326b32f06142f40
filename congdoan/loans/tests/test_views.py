"""The loan pages, exports, API and CLI: scoped (another unit's loan is 404 everywhere), the project flow
through the pages, the repayment form's errors, and the XLSX files opened."""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from congdoan.loans import services
from congdoan.loans.models import LoanState, Project, Repayment

from .conftest import Book, disbursed_project

d = dt.date


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def gl2_loan(book: Book):  # type: ignore[no-untyped-def]
    """A loan of GL2 (never under Kim Liên), applied for by the city officer."""
    project = services.project_create(
        actor=book.fed.thanhpho,
        cdcs=book.fed.gl2,
        product=book.product,
        code="DA-GL2",
        name="Dự án Đặng Xá",
        submitted_on=d(2026, 1, 2),
        borrowers=[services.Application(book.gl2[0], 10_000_000, 6)],
    )
    return project.loans.get()


def test_pages_render_for_the_district_officer(book: Book, gl2_loan) -> None:  # type: ignore[no-untyped-def]
    project = disbursed_project(book)
    loan = project.loans.order_by("id").first()
    assert loan is not None
    client = login(book.fed.kimlien)
    for url in (
        reverse("loans:list"),
        reverse("loans:projects"),
        reverse("loans:arrears") + "?on=2026-03-22",
        reverse("loans:funds"),
        reverse("loans:project", args=[project.pk]),
        reverse("loans:detail", args=[loan.pk]),
        reverse("loans:repay", args=[loan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    listing = client.get(reverse("loans:list")).content.decode()
    assert "Nguyễn Vay An" in listing and "Lê Ngoài An" not in listing
    arrears = client.get(reverse("loans:arrears") + "?on=2026-03-22").content.decode()
    assert "PAR30 100,00%" in arrears  # nothing repaid: every loan 45 days late
    # GL2's loan: 404 on its pages, its statement, the API, and its actions
    for url in (
        reverse("loans:detail", args=[gl2_loan.pk]),
        reverse("loans:statement", args=[gl2_loan.pk]),
        reverse("loans:repay", args=[gl2_loan.pk]),
        reverse("loans:project", args=[gl2_loan.project_id]),
        f"/api/v1/loans/{gl2_loan.pk}/",
        f"/api/v1/loan-projects/{gl2_loan.project_id}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("loans:action", args=[gl2_loan.pk, "appraise"]), {"on": "2026-01-03"}).status_code
        == 404
    )
    api = client.get("/api/v1/loans/").json()
    ids = {row["id"] for row in api["results"]} if "results" in api else {row["id"] for row in api}
    assert gl2_loan.pk not in ids and loan.pk in ids


def test_project_flow_through_the_pages(book: Book) -> None:
    kimlien, thanhpho = login(book.fed.kimlien), login(book.fed.thanhpho)
    url = reverse("loans:project_create") + "?cdcs=GL1"
    lines = "\n".join(f"{p.cccd}; 10.000.000; 12; sửa nhà" for p in book.gl1)
    response = kimlien.post(
        url,
        {
            "code": "DA-WEB",
            "name": "Dự án web",
            "product": book.product.pk,
            "submitted_on": "2026-01-02",
            "borrowers": lines + "\n001090999999; 5 triệu; 6",
        },
    )
    assert response.status_code == 200
    assert "không tìm thấy đoàn viên có CCCD «001090999999»" in response.content.decode()
    assert not Project.objects.exists()
    response = kimlien.post(
        url,
        {
            "code": "DA-WEB",
            "name": "Dự án web",
            "product": book.product.pk,
            "submitted_on": "2026-01-02",
            "borrowers": lines,
        },
    )
    project = Project.objects.get(code="DA-WEB")
    assert response.status_code == 302 and project.loans.count() == 5
    assert (
        kimlien.post(
            reverse("loans:project_action", args=[project.pk, "appraise"]), {"on": "2026-01-03"}
        ).status_code
        == 302
    )
    # the district officer may not approve: the fund is the city's
    kimlien.post(reverse("loans:project_action", args=[project.pk, "approve"]), {"on": "2026-01-04"})
    assert set(project.loans.values_list("state", flat=True)) == {LoanState.APPRAISED}
    thanhpho.post(reverse("loans:project_action", args=[project.pk, "approve"]), {"on": "2026-01-04"})
    thanhpho.post(reverse("loans:project_action", args=[project.pk, "disburse"]), {"on": "2026-01-05"})
    assert set(project.loans.values_list("state", flat=True)) == {LoanState.DISBURSED}
    loan = project.loans.order_by("id").first()
    assert loan is not None
    repay = reverse("loans:repay", args=[loan.pk])
    response = kimlien.post(repay, {"amount": "999.000.000", "paid_on": "2026-02-05"})
    assert "quỹ không nhận trả thừa" in response.content.decode()
    assert not Repayment.objects.exists()
    first = loan.instalments.get(number=1)
    assert kimlien.post(repay, {"amount": str(first.total), "paid_on": "2026-02-05"}).status_code == 302
    assert Repayment.objects.get().principal == first.principal
    # the API posts a repayment through the same service (and refuses a future day)
    response = kimlien.post(f"/api/v1/loans/{loan.pk}/repayments/", {"amount": 1000, "paid_on": "2099-01-01"})
    assert response.status_code == 400 and "tương lai" in str(response.json())
    response = kimlien.post(f"/api/v1/loans/{loan.pk}/repayments/", {"amount": 1000, "paid_on": "2026-02-06"})
    assert response.status_code == 201 and response.json()["interest"] == 1000


def test_statement_xlsx_and_fund_statement(book: Book) -> None:
    loan = disbursed_project(book).loans.order_by("id").first()
    assert loan is not None
    client = login(book.fed.kimlien)
    response = client.get(reverse("loans:statement", args=[loan.pk]))
    book_xlsx = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert book_xlsx.sheetnames == ["Lịch trả nợ", "Các lần trả nợ"]
    rows = list(book_xlsx["Lịch trả nợ"].iter_rows(values_only=True))
    assert sum(r[2] for r in rows if isinstance(r[0], int)) == 20_000_000
    city = login(book.fed.thanhpho)
    response = city.get(reverse("loans:fund_statement", args=[book.fund.pk]) + "?month=2026-01")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    values = [r for r in sheet.iter_rows(values_only=True) if r and r[1] in ("Số dư đầu kỳ", "Số dư cuối kỳ")]
    assert [v[5] for v in values] == [2_000_000_000, 1_900_000_000]


def test_cli_arrears(book: Book) -> None:
    disbursed_project(book)
    out = StringIO()
    call_command("loans", "arrears", "--on", "2026-03-22", stdout=out)
    assert "5 khoản vay" in out.getvalue() and "PAR30 100,00%" in out.getvalue()


def test_the_loan_list_pages_counts_and_sums_in_few_statements(book: Book) -> None:
    """The list's count and total are the whole list's; a page holds its 25 loans; the statements a page
    costs do not grow with the number of loans."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from congdoan.loans import views

    client = login(book.fed.kimlien)
    disbursed_project(book, code="DA-1", amounts=(10_000_000,) * 3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("loans:list"))
    # 27 more loans (two pages): the product lets a borrower hold several
    book.product.one_active_loan = False
    book.product.save()
    for k in range(9):
        services.project_create(
            actor=book.fed.kimlien,
            cdcs=book.fed.gl1,
            product=book.product,
            code=f"DA-N{k}",
            name=f"Dự án {k}",
            submitted_on=d(2026, 1, 1) + dt.timedelta(days=k),
            borrowers=[services.Application(p, 6_000_000, 6) for p in book.gl1[:3]],
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("loans:list"))
    assert len(many.captured_queries) == len(few.captured_queries)
    page = response.context["page"]
    assert response.context["total"] == 30 and len(page.object_list) == views.PER_PAGE
    assert response.context["amount"] == 3 * 10_000_000 + 27 * 6_000_000
    second = client.get(reverse("loans:list") + "?page=2")
    assert len(second.context["page"].object_list) == 30 - views.PER_PAGE
    shown = {ln.pk for ln in page.object_list} | {ln.pk for ln in second.context["page"].object_list}
    assert len(shown) == 30
    dates = [ln.applied_on for ln in page.object_list]
    assert dates == sorted(dates, reverse=True)  # newest applications first


@pytest.mark.parametrize("literal_units", [5000, 0])
def test_the_list_is_scoped_whether_the_subtree_is_a_list_or_the_recursive_query(
    book: Book, gl2_loan, monkeypatch, literal_units: int
) -> None:  # type: ignore[no-untyped-def]
    """A small subtree goes in as a list of ids read first, a large one (here: any) as the recursive
    query: the same loans either way, for the scope, a unit narrowed to, and an ageing bucket."""
    from congdoan.loans import selectors

    monkeypatch.setattr(selectors, "LITERAL_UNITS", literal_units)
    disbursed_project(book)
    services.arrears_recompute_request(actor=None, on=d(2026, 3, 22), background=False)
    client = login(book.fed.kimlien)
    assert client.get(reverse("loans:list")).context["total"] == 5
    assert client.get(reverse("loans:list") + "?unit=GL1").context["total"] == 5
    assert client.get(reverse("loans:list") + "?unit=GL1&bucket=b31_90").context["total"] == 5
    assert client.get(reverse("loans:list") + "?unit=GL1&bucket=b1_30").context["total"] == 0
    assert client.get(reverse("loans:list") + "?unit=GL2").status_code == 404
    city = login(book.fed.thanhpho)
    assert city.get(reverse("loans:list")).context["total"] == 6
    assert city.get(reverse("loans:list") + "?unit=GL2").context["total"] == 1
    ids = {ln.pk for ln in selectors.loan_list(user=book.fed.kimlien)}
    assert gl2_loan.pk not in ids and len(ids) == 5
