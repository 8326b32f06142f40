"""The loan fund's writes through the services: the whole life of a loan on a balanced journal, and every
bad input of the issue refused with a Vietnamese message and nothing changed."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope
from congdoan.core.models import AuditEntry
from congdoan.loans import selectors, services
from congdoan.loans.models import (
    Account,
    Instalment,
    JournalEntry,
    JournalLine,
    Loan,
    LoanState,
    Project,
    Repayment,
)

from .conftest import Book, disbursed_project

d = dt.date


def counts() -> tuple[int, ...]:
    return (
        Project.objects.count(),
        Loan.objects.count(),
        JournalEntry.objects.count(),
        JournalLine.objects.count(),
        Repayment.objects.count(),
        Instalment.objects.count(),
        AuditEntry.objects.count(),
    )


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def check_journal() -> str:
    out = StringIO()
    call_command("loans", "check-journal", stdout=out)
    return out.getvalue()


def test_life_of_a_project_on_a_balanced_journal(book: Book) -> None:
    """Apply → appraise (CĐCS side) → approve, disburse (fund side) → repay → close; the fund's cash and
    each loan's balance come from the journal, and the check finds 0 differences."""
    before = AuditEntry.objects.count()
    project = disbursed_project(book)
    assert project.district == book.fed.kl  # the upper union vouching for GL1 on the day
    loans = list(project.loans.order_by("id"))
    assert {ln.state for ln in loans} == {LoanState.DISBURSED}
    assert services.fund_available(book.fund) == 2_000_000_000 - 100_000_000
    loan = loans[0]
    assert services.principal_outstanding(loan) == 20_000_000
    assert loan.instalments.count() == 12
    # the project (with its applications), then appraisal, approval and disbursement of each of 5 loans
    assert AuditEntry.objects.count() - before == 16
    first = loan.instalments.get(number=1)
    repayment = services.repayment_post(
        actor=book.fed.kimlien, loan=loan, amount=first.total, paid_on=first.due_on
    )
    assert (repayment.fee, repayment.interest, repayment.principal) == (0, first.interest, first.principal)
    assert services.principal_outstanding(loan) == 20_000_000 - first.principal
    # an early payoff of everything still owed closes the loan
    owed = sum(i.outstanding for i in loan.instalments.all())
    services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=owed, paid_on=d(2026, 2, 20))
    loan.refresh_from_db()
    assert loan.state == LoanState.CLOSED and loan.closed_on == d(2026, 2, 20)
    assert services.principal_outstanding(loan) == 0
    assert "0 chênh lệch" in check_journal()


def test_late_repayment_pays_the_late_fee_then_interest_then_principal(book: Book) -> None:
    loan = disbursed_project(book).loans.order_by("id").first()
    assert loan is not None
    first = loan.instalments.get(number=1)  # due 05/02/2026; the fee is charged after 10 days
    repayment = services.repayment_post(
        actor=book.fed.kimlien, loan=loan, amount=100_000, paid_on=d(2026, 2, 20)
    )
    assert (repayment.fee, repayment.interest, repayment.principal) == (20_000, 80_000, 0)
    first.refresh_from_db()
    assert (first.fee, first.fee_paid, first.interest_paid) == (20_000, 20_000, 80_000)
    repayment = services.repayment_post(
        actor=book.fed.kimlien, loan=loan, amount=50_000, paid_on=d(2026, 2, 21)
    )
    assert (repayment.fee, repayment.interest, repayment.principal) == (
        0,
        first.interest - 80_000,
        50_000 - (first.interest - 80_000),
    )
    assert selectors.account_balance(fund=book.fund, account=Account.FEES) == -20_000  # income: a credit
    assert "0 chênh lệch" in check_journal()


def test_write_off_and_reschedule_keep_the_journal_in_agreement(book: Book) -> None:
    loans = list(disbursed_project(book).loans.order_by("id"))
    services.loan_write_off(actor=book.fed.thanhpho, loan=loans[0], on=d(2026, 9, 1))
    assert selectors.account_balance(fund=book.fund, account=Account.LOSS) == 20_000_000
    new = services.loan_reschedule(actor=book.fed.thanhpho, loan=loans[1], on=d(2026, 9, 1), term=18)
    loans[1].refresh_from_db()
    assert loans[1].state == LoanState.RESCHEDULED and new.rescheduled_from == loans[1]
    assert services.principal_outstanding(new) == 20_000_000 and services.principal_outstanding(loans[1]) == 0
    assert new.instalments.count() == 18
    assert services.fund_available(book.fund) == 1_900_000_000  # no cash moved
    assert "0 chênh lệch" in check_journal()


def test_capital_transfer_and_reversal(book: Book) -> None:
    district_fund = services.fund_create(actor=None, owner=book.fed.kl, code="QTV-KL", name="Quỹ Kim Liên")
    services.fund_transfer(
        actor=book.fed.thanhpho, source=book.fund, target=district_fund, amount=300_000_000, on=d(2026, 3, 1)
    )
    assert services.fund_available(district_fund) == 300_000_000
    entry = services.capital_receive(
        actor=book.fed.thanhpho, fund=book.fund, amount=5_000_000, on=d(2026, 3, 2)
    )
    services.entry_reverse(actor=book.fed.thanhpho, entry=entry, on=d(2026, 3, 3))
    assert services.fund_available(book.fund) == 1_700_000_000
    with pytest.raises(ValidationError) as exc:
        services.entry_reverse(actor=book.fed.thanhpho, entry=entry, on=d(2026, 3, 4))
    assert "đã được đảo" in messages(exc)
    assert "0 chênh lệch" in check_journal()


def test_posted_lines_are_immutable(book: Book) -> None:
    """Neither the model nor a raw UPDATE may change a posted line: only a reversal corrects it."""
    line = JournalLine.objects.filter(account=Account.CASH).first()
    assert line is not None
    line.debit = 1
    with pytest.raises(ValidationError, match="bút toán đảo"):
        line.save()
    with pytest.raises(ValidationError, match="bút toán đảo"):
        line.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE loans_journalline SET debit = 1 WHERE id = %s", [line.pk])
    line.refresh_from_db()
    assert line.debit == 2_000_000_000


# -- bad input -----------------------------------------------------------------------------------------


def test_application_above_maximum_outside_term_and_not_a_member(book: Book) -> None:
    """Every problem of every borrower at once; nothing stored."""
    fed = book.fed
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=fed.kimlien,
            cdcs=fed.gl1,
            product=book.product,
            code="DA-X",
            name="Dự án lỗi",
            submitted_on=d(2026, 1, 1),
            borrowers=[
                services.Application(book.gl1[0], 60_000_000, 12),
                services.Application(book.gl1[1], 10_000_000, 36),
                services.Application(book.dd1[0], 10_000_000, 12),
            ],
        )
    text = messages(exc)
    assert "số tiền 60.000.000 đ ngoài mức cho vay của sản phẩm (5.000.000 đ – 50.000.000 đ)" in text
    assert "thời hạn 36 tháng ngoài thời hạn của sản phẩm (3 – 24 tháng)" in text
    assert "Trần Đống An không phải đoàn viên đang sinh hoạt tại «CĐCS Công ty May Gia Lâm»" in text
    assert counts() == before


def test_borrower_with_an_active_loan_is_refused(book: Book) -> None:
    disbursed_project(book)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=book.fed.kimlien,
            cdcs=book.fed.gl1,
            product=book.product,
            code="DA-2",
            name="Lần hai",
            submitted_on=d(2026, 2, 1),
            borrowers=[services.Application(book.gl1[0], 10_000_000, 12)],
        )
    assert "đang có một khoản vay chưa tất toán" in messages(exc)
    assert counts() == before


def test_borrower_outside_the_officers_subtree_is_404(book: Book) -> None:
    """GL2 is not under Kim Liên: its officer cannot apply there (404, before any validation)."""
    before = counts()
    with pytest.raises(OutOfScope):
        services.project_create(
            actor=book.fed.kimlien,
            cdcs=book.fed.gl2,
            product=book.product,
            code="DA-N",
            name="Ngoài",
            submitted_on=d(2026, 1, 1),
            borrowers=[services.Application(book.gl2[0], 10_000_000, 12)],
        )
    assert counts() == before


def test_disbursement_beyond_the_fund_is_refused(book: Book) -> None:
    fed = book.fed
    small = services.fund_create(actor=None, owner=fed.hn, code="QTV-NHO", name="Quỹ nhỏ")
    services.capital_receive(actor=None, fund=small, amount=30_000_000, on=d(2025, 12, 1))
    product = services.product_create(
        actor=None,
        fund=small,
        code="NHO",
        name="Vay nhỏ",
        min_amount=1_000_000,
        max_amount=50_000_000,
        rate=6,
        rate_period="year",
        min_term=1,
        max_term=12,
        frequency="monthly",
        method="flat",
    )
    project = services.project_create(
        actor=fed.kimlien,
        cdcs=fed.gl1,
        product=product,
        code="DA-NHO",
        name="Dự án nhỏ",
        submitted_on=d(2026, 1, 1),
        borrowers=[services.Application(p, 20_000_000, 6) for p in book.gl1[:2]],
    )
    services.project_appraise(actor=fed.kimlien, project=project, on=d(2026, 1, 2))
    services.project_approve(actor=fed.thanhpho, project=project, on=d(2026, 1, 3))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.project_disburse(actor=fed.thanhpho, project=project, on=d(2026, 1, 4))
    assert "Quỹ chỉ còn 30.000.000 đ, không đủ giải ngân 40.000.000 đ cho 2 người vay" in messages(exc)
    assert counts() == before
    services.loan_disburse(actor=fed.thanhpho, loan=project.loans.order_by("id")[0], on=d(2026, 1, 4))
    with pytest.raises(ValidationError) as exc:
        services.loan_disburse(actor=fed.thanhpho, loan=project.loans.order_by("id")[1], on=d(2026, 1, 4))
    assert "chỉ còn 10.000.000 đ, không đủ giải ngân 20.000.000 đ" in messages(exc)


def test_only_the_fund_approves_and_the_cdcs_appraises(book: Book) -> None:
    fed = book.fed
    project = services.project_create(
        actor=fed.kimlien,
        cdcs=fed.gl1,
        product=book.product,
        code="DA-Q",
        name="Quyền",
        submitted_on=d(2026, 1, 1),
        borrowers=[services.Application(book.gl1[0], 10_000_000, 12)],
    )
    loan = project.loans.get()
    with pytest.raises(ValidationError) as exc:
        services.loan_approve(actor=fed.thanhpho, loan=loan, on=d(2026, 1, 2))
    assert "Không thể phê duyệt «Khoản vay #" in messages(exc)
    assert "đang ở trạng thái «Đề nghị vay» (cần: cđcs đã thẩm định)" in messages(exc)
    services.loan_appraise(actor=fed.kimlien, loan=loan, on=d(2026, 1, 2))
    with pytest.raises(OutOfScope):
        services.loan_approve(actor=fed.kimlien, loan=loan, on=d(2026, 1, 3))  # not the fund's officer


def test_bad_repayments_change_nothing(book: Book) -> None:
    """A closed loan, a day in the future or before the disbursement, and an over-payment (refused: the fund
    holds no credit) — each refused with its message."""
    loans = list(disbursed_project(book).loans.order_by("id"))
    loan = loans[0]
    owed = sum(i.outstanding for i in loan.instalments.all())
    before = counts()
    future = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=1_000, paid_on=future)
    assert "ở tương lai" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=owed + 1, paid_on=d(2026, 2, 1))
    assert "lớn hơn số còn phải trả" in messages(exc) and "quỹ không nhận trả thừa" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=1_000, paid_on=d(2026, 1, 1))
    assert "trước ngày giải ngân" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=0, paid_on=d(2026, 2, 1))
    assert "phải lớn hơn 0" in messages(exc)
    assert counts() == before
    services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=owed, paid_on=d(2026, 2, 1))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=1_000, paid_on=d(2026, 2, 2))
    assert "đang ở trạng thái «Đã tất toán» (cần: đang vay)" in messages(exc)
    assert counts() == before


def test_post_loan_check(book: Book) -> None:
    loan = disbursed_project(book).loans.order_by("id").first()
    assert loan is not None
    with pytest.raises(ValidationError) as exc:
        services.loan_check_create(
            actor=book.fed.kimlien, loan=loan, checked_on=d(2026, 3, 1), used_as_intended=False
        )
    assert "Ghi rõ kết quả kiểm tra" in messages(exc)
    check = services.loan_check_create(
        actor=book.fed.kimlien,
        loan=loan,
        checked_on=d(2026, 3, 1),
        used_as_intended=True,
        findings="Đã mua 2 con bò.",
    )
    assert selectors.loan_get(user=book.fed.kimlien, pk=loan.pk).checks.get() == check


def test_a_repayment_reads_and_writes_the_same_whatever_the_schedule(book: Book) -> None:
    """One repayment is a fixed handful of statements: the loan locked with its last repayment day,
    the unpaid instalments, one update of those it touched, the journal, the repayment and the audit;
    a 3-month and a 24-month loan cost the same, and a paid instalment is never rewritten."""
    from django.test.utils import CaptureQueriesContext

    book.product.one_active_loan = False  # the same borrower twice
    book.product.save()
    short = disbursed_project(book, code="DA-S", amounts=(20_000_000,), term=3).loans.get()
    long = disbursed_project(book, code="DA-L", amounts=(20_000_000,), term=24, on=d(2026, 1, 6))
    long_loan = long.loans.get()
    used = []
    for loan in (short, long_loan):
        with CaptureQueriesContext(connection) as ctx:
            services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=100_000, paid_on=d(2026, 2, 1))
        used.append(len(ctx.captured_queries))
    assert used[0] == used[1] and used[0] <= 12, used
    first = long_loan.instalments.get(number=1)
    services.repayment_post(
        actor=book.fed.kimlien, loan=long_loan, amount=first.outstanding, paid_on=d(2026, 2, 2)
    )
    first.refresh_from_db()
    assert first.outstanding == 0 and first.paid_on == d(2026, 2, 2)
    with CaptureQueriesContext(connection) as ctx:
        services.repayment_post(actor=book.fed.kimlien, loan=long_loan, amount=10_000, paid_on=d(2026, 2, 3))
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "loans_instalment"')]
    assert len(updates) == 1 and f"= {first.pk})" not in updates[0]  # only the second instalment
    first.refresh_from_db()
    assert first.paid_on == d(2026, 2, 2)
    assert "0 chênh lệch" in check_journal()


def test_the_last_repayment_closes_the_loan_as_an_audited_step(book: Book) -> None:
    loan = disbursed_project(book, code="DA-C", amounts=(5_000_000,), term=3).loans.get()
    owed = sum(i.outstanding for i in loan.instalments.all())
    services.repayment_post(actor=book.fed.kimlien, loan=loan, amount=owed, paid_on=d(2026, 1, 20))
    loan.refresh_from_db()
    assert loan.state == LoanState.CLOSED and loan.closed_on == d(2026, 1, 20)
    step = AuditEntry.objects.filter(object_type="loans.loan", object_id=str(loan.pk)).order_by("-id").first()
    assert step is not None and step.before == {"state": "disbursed"} and step.after["state"] == "closed"
    assert "0 chênh lệch" in check_journal()
