"""The borrower statement and the fund's monthly statement as XLSX and PDF: the files opened (openpyxl,
pypdf), the Vietnamese text and the figures (opening + received − paid = closing; the schedule's
principal = the amount), the same figures in both formats, 404 out of the officer's subtree, and one
audit entry per export naming its format."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from congdoan.core.formatting import format_number
from congdoan.core.models import AuditEntry
from congdoan.loans import exports, selectors, services
from congdoan.loans.models import Loan

from .conftest import Book, disbursed_project

d = dt.date


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def pdf_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert ".pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(body(response)))
    return re.sub(r"[ \t]+", " ", "\n".join(page.extract_text() for page in reader.pages))


def n(value: int) -> str:
    return format_number(value, 0)


@pytest.fixture
def repaid(book: Book) -> Loan:
    """GL1's first loan of 20 million over 12 months, disbursed on 5 January 2026; two instalments
    repaid on time, a capital receipt in February."""
    loan = disbursed_project(book).loans.order_by("id").first()
    assert loan is not None
    for number, day in ((1, d(2026, 2, 5)), (2, d(2026, 3, 5))):
        services.repayment_post(
            actor=book.fed.kimlien, loan=loan, amount=loan.instalments.get(number=number).total, paid_on=day
        )
    services.capital_receive(actor=None, fund=book.fund, amount=300_000_000, on=d(2026, 2, 10))
    loan.refresh_from_db()
    return loan


def test_borrower_statement_pdf_and_xlsx_agree(book: Book, repaid: Loan) -> None:
    client = login(book.fed.kimlien)
    url = reverse("loans:statement", args=[repaid.pk])
    st = selectors.loan_statement(repaid)
    assert st.scheduled["principal"] == repaid.amount == 20_000_000
    assert len(st.repayments) == 2
    assert (
        st.outstanding
        == repaid.amount - st.repaid["principal"]
        == st.left - sum(i.interest - i.interest_paid for i in st.instalments)
    )

    text = pdf_text(client.get(url + "?format=pdf"))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "QUỸ TRỢ VỐN CNVCLĐ NGHÈO THỦ ĐÔ",
        "SAO KÊ KHOẢN VAY",
        repaid.person.full_name,
        "Lịch trả nợ",
        "Các lần trả nợ",
        "Người vay",
        "Công đoàn cơ sở",
        "(Ký tên, đóng dấu)",
        f"Dư nợ gốc còn lại: {n(st.outstanding)} đồng",
        n(st.scheduled["interest"]),
        n(st.repaid["amount"]),
        "05/02/2026",
    ):
        assert expected in text, expected
    assert "Trang 1/" in text

    book_xlsx = openpyxl.load_workbook(io.BytesIO(body(client.get(url))))
    assert book_xlsx.sheetnames == ["Lịch trả nợ", "Các lần trả nợ"]
    rows = list(book_xlsx["Lịch trả nợ"].iter_rows(values_only=True))
    instalments = [r for r in rows if isinstance(r[0], int)]
    total = next(r for r in rows if r[0] == "Cộng")
    assert len(instalments) == 12 and sum(r[2] for r in instalments) == total[2] == 20_000_000
    assert total[5] == st.repaid["principal"]
    payments = list(book_xlsx["Các lần trả nợ"].iter_rows(values_only=True))
    assert next(r for r in payments if r[0] == "Cộng")[1] == st.repaid["amount"]

    entries = AuditEntry.objects.filter(object_type="export.loan_statement").order_by("id")
    assert [e.after["filters"]["format"] for e in entries] == ["pdf", "xlsx"]
    assert all(e.action == AuditEntry.Action.EXPORT and e.unit_id == book.fed.gl1.pk for e in entries)
    assert "(PDF)" in entries[0].object_repr


def test_fund_statement_balances_in_both_formats(book: Book, repaid: Loan) -> None:
    client = login(book.fed.thanhpho)
    url = reverse("loans:fund_statement", args=[book.fund.pk]) + "?month=2026-02"
    st = selectors.fund_statement(book.fund, d(2026, 2, 1), d(2026, 2, 28))
    first = repaid.instalments.get(number=1).total
    assert st.opening == 2_000_000_000 - 5 * 20_000_000
    assert st.received == 300_000_000 + first and st.paid == 0
    assert (
        st.opening + st.received - st.paid == st.closing == services.fund_available(book.fund, d(2026, 2, 28))
    )

    text = pdf_text(client.get(url + "&format=pdf"))
    for expected in (
        "SAO KÊ QUỸ THÁNG 02/2026",
        "Từ ngày 01/02/2026 đến ngày 28/02/2026",
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "Số dư đầu kỳ",
        "Số dư cuối kỳ",
        "Nhận vốn",
        "Thu nợ",
        "Người lập biểu",
        "Thủ trưởng đơn vị",
        n(st.opening),
        n(st.closing),
        n(st.received),
        f"Dư nợ cho vay cuối kỳ: {n(st.lent_out)} đồng",
    ):
        assert expected in text, expected
    # the figures printed add up: opening + received − paid = closing
    printed = {
        label: int(re.search(rf"{label}:\s*([\d.]+) đồng", text).group(1).replace(".", ""))  # type: ignore[union-attr]
        for label in ("Số dư đầu kỳ", "Tổng thu trong kỳ", "Tổng chi trong kỳ", "Số dư cuối kỳ")
    }
    assert (
        printed["Số dư đầu kỳ"] + printed["Tổng thu trong kỳ"] - printed["Tổng chi trong kỳ"]
        == printed["Số dư cuối kỳ"]
        == st.closing
    )

    sheet = openpyxl.load_workbook(io.BytesIO(body(client.get(url)))).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] is not None]  # type: ignore[union-attr]
    opening = next(r for r in rows if r[1] == "Số dư đầu kỳ")
    closing = next(r for r in rows if r[1] == "Số dư cuối kỳ")
    moves = [r for r in rows if r[1] not in ("Số dư đầu kỳ", "Số dư cuối kỳ") and isinstance(r[3], int)]
    assert len(moves) == 2
    assert (
        opening[5] + sum(r[3] or 0 for r in moves) - sum(r[4] or 0 for r in moves) == closing[5] == st.closing
    )
    # January: the disbursements are paid out of the fund
    jan = selectors.fund_statement(book.fund, d(2026, 1, 1), d(2026, 1, 31))
    assert (jan.opening, jan.paid, jan.closing) == (2_000_000_000, 100_000_000, 1_900_000_000)
    assert jan.lent_out == 100_000_000

    entries = AuditEntry.objects.filter(object_type="export.fund_statement").order_by("id")
    assert [e.after["filters"] for e in entries] == [
        {"fund": "QTV-HN", "month": "2026-02", "format": f} for f in ("pdf", "xlsx")
    ]


def test_statements_out_of_scope_are_404(book: Book) -> None:
    gl_fund = services.fund_create(actor=None, owner=book.fed.gl, code="QTV-GL", name="Quỹ Gia Lâm")
    project = services.project_create(
        actor=book.fed.thanhpho,
        cdcs=book.fed.gl2,
        product=book.product,
        code="DA-GL2",
        name="Dự án Đặng Xá",
        submitted_on=d(2026, 1, 2),
        borrowers=[services.Application(book.gl2[0], 10_000_000, 6)],
    )
    gl2_loan = project.loans.get()
    client = login(book.fed.kimlien)
    for url in (
        reverse("loans:statement", args=[gl2_loan.pk]),
        reverse("loans:fund_statement", args=[gl_fund.pk]),
        reverse("loans:statement", args=[999_999]),
    ):
        for suffix in ("", "?format=pdf"):
            assert client.get(url + suffix).status_code == 404, url + suffix
    assert client.post(reverse("loans:statement", args=[gl2_loan.pk])).status_code == 405
    assert not AuditEntry.objects.filter(object_type__startswith="export.").exists()
    # the city fund serves Kim Liên: its statement is theirs to read
    own = client.get(reverse("loans:fund_statement", args=[book.fund.pk]) + "?format=pdf")
    assert "SAO KÊ QUỸ THÁNG" in pdf_text(own)


def test_an_empty_month_and_a_loan_not_yet_repaid(book: Book) -> None:
    loan = disbursed_project(book).loans.order_by("id").first()
    assert loan is not None
    st = selectors.fund_statement(book.fund, d(2025, 12, 1), d(2025, 12, 31))
    assert st.lines == [] and st.opening == st.closing == 2_000_000_000
    reader = PdfReader(io.BytesIO(exports.fund_statement_pdf(st, d(2026, 1, 1))))
    assert n(2_000_000_000) in reader.pages[0].extract_text()
    text = "\n".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(exports.loan_statement_pdf(selectors.loan_statement(loan)))).pages
    )
    assert "Chưa có lần trả nợ nào." in text and n(20_000_000) in text


def test_a_malformed_month_is_this_month() -> None:
    today = d(2026, 12, 6)
    assert selectors.month_of("2026-02", today) == (d(2026, 2, 1), d(2026, 2, 28))
    assert selectors.month_of("2024-02", today) == (d(2024, 2, 1), d(2024, 2, 29))
    for bad in ("", None, "2026-13", "tháng 2", "2026"):
        assert selectors.month_of(bad, today) == (d(2026, 12, 1), d(2026, 12, 31)), bad
