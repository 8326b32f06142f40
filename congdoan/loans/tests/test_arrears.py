"""Arrears as of any date: days past due, ageing buckets, PAR30/PAR90 as ratios of sums up the dated tree,
the providers' figures equal to their records, and the reminders list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from congdoan.core.registry import tree
from congdoan.indicators.providers import BATCHES, REGISTRY
from congdoan.loans import report, selectors, services
from congdoan.loans.models import Loan

from .conftest import Book, disbursed_project

d = dt.date


def pay_first(loan: Loan, n: int) -> None:
    """Pay the first ``n`` instalments on their due dates."""
    for inst in loan.instalments.order_by("number")[:n]:
        services.repayment_post(actor=None, loan=loan, amount=inst.total, paid_on=inst.due_on)


def test_ageing_moves_through_the_buckets(book: Book) -> None:
    """Disbursed 05/01/2026, instalments due on the 5th: unpaid from 05/02 → 1 day past due on 06/02,
    45 on 22/03, and 100 days on 16/05; paid up, it is current again."""
    loan = disbursed_project(book).loans.order_by("id").first()
    assert loan is not None
    qs = Loan.objects.filter(pk=loan.pk)
    assert selectors.arrears(qs, d(2026, 2, 5))[0].days == 0
    assert selectors.arrears(qs, d(2026, 2, 6))[0].bucket == "b1_30"
    row = selectors.arrears(qs, d(2026, 3, 22))
    assert (row[0].days, row[0].bucket, row[0].outstanding) == (45, "b31_90", 20_000_000)
    assert selectors.arrears(qs, d(2026, 5, 16))[0].bucket == "b91_180"
    assert selectors.arrears(qs, d(2026, 12, 1))[0].bucket == "b180"
    # four instalments at once, late: the four late fees (20.000 đ each, > 10 days late) are paid first
    four = sum(i.total for i in loan.instalments.order_by("number")[:4])
    repayment = services.repayment_post(actor=None, loan=loan, amount=four + 80_000, paid_on=d(2026, 5, 20))
    assert repayment.fee == 80_000
    after = selectors.arrears(qs, d(2026, 5, 20))[0]
    assert after.days == 0
    first4 = sum(i.principal for i in loan.instalments.order_by("number")[:4])
    assert after.outstanding == 20_000_000 - first4
    # and looking back, the history is unchanged
    assert selectors.arrears(qs, d(2026, 3, 22))[0].days == 45
    assert selectors.arrears(qs, d(2025, 12, 31)) == []  # not yet disbursed


def test_par_is_a_ratio_of_sums_and_rolls_up_the_dated_tree(book: Book) -> None:
    """5 loans of 20 million at GL1: 2 paid on time, 1 late 45 days, 1 late 100 days, 1 written off.
    On 16/05/2026: outstanding of the 4 active, PAR30 = (late 45 + late 100)/all, PAR90 = late 100/all;
    HN and KL (GL1's parent since 01/08/2025) carry the same figures, Gia Lâm (ended) none."""
    loans = list(disbursed_project(book).loans.order_by("id"))
    on = d(2026, 5, 16)
    for loan in loans[:2]:
        pay_first(loan, 4)
    pay_first(loans[2], 2)  # instalment 3 (05/04) unpaid: 41 days on 16/05
    services.loan_write_off(actor=None, loan=loans[4], on=d(2026, 5, 1))
    rows = selectors.arrears(Loan.objects.all(), on)
    assert {r.loan_id: r.days for r in rows} == {
        loans[0].pk: 0,
        loans[1].pk: 0,
        loans[2].pk: 41,
        loans[3].pk: 100,
    }
    total = selectors.ageing(rows)
    outstanding = sum(r.outstanding for r in rows)
    assert total.outstanding == outstanding
    late = [r for r in rows if r.days > 30]
    assert total.at_risk_30 == sum(r.outstanding for r in late)
    assert total.at_risk_90 == 20_000_000
    assert total.par30 == total.at_risk_30 / outstanding
    by_unit = dict(selectors.ageing_by_unit(rows, [book.fed.hn, book.fed.kl, book.fed.gl2], on))
    assert by_unit[book.fed.hn].par30 == by_unit[book.fed.kl].par30 == total.par30
    assert by_unit[book.fed.gl2].loans == 0
    # the providers: the batch and each provider agree, and the records are those counted
    units = tree.in_subtree([book.fed.hn.pk], on)
    batch = BATCHES["loans_arrears"](units, d(2026, 1, 1), on)
    assert batch["loans_outstanding"] == {book.fed.gl1.pk: Decimal(outstanding)}
    assert batch["loans_at_risk_90"] == {book.fed.gl1.pk: Decimal(20_000_000)}
    assert REGISTRY["loans_at_risk_30"].values(units, d(2026, 1, 1), on) == batch["loans_at_risk_30"]
    records = REGISTRY["loans_at_risk_30"].records
    assert records is not None
    assert set(records(units, d(2026, 1, 1), on)) == {loans[2], loans[3]}
    disbursed = REGISTRY["loans_disbursed_amount"].values(units, d(2026, 1, 1), d(2026, 12, 31))
    assert disbursed == {book.fed.gl1.pk: Decimal(100_000_000)}
    assert REGISTRY["loans_borrowers"].values(units, d(2026, 1, 1), d(2026, 12, 31)) == {
        book.fed.gl1.pk: Decimal(5)
    }
    assert REGISTRY["loans_projects"].values(units, d(2026, 1, 1), d(2026, 12, 31)) == {
        book.fed.gl1.pk: Decimal(1)
    }


def test_reminders_per_cdcs(book: Book) -> None:
    loans = list(disbursed_project(book).loans.order_by("id"))
    for loan in loans[:4]:
        pay_first(loan, 3)
    # on 01/05: the 4 paid-up loans are due on 05/05 (within a week), the fifth is late since 05/02
    found = selectors.reminders(user=book.fed.kimlien, on=d(2026, 5, 1))
    assert len(found) == 5
    late = [r for r in found if r["days"] > 0]
    assert [(r["loan"], r["days"]) for r in late] == [(loans[4], 85)]
    assert selectors.reminders(user=book.fed.cdcs, on=d(2026, 5, 1)) == []  # DD1's chair: no GL1 loans


def test_drafted_sentence() -> None:
    assert report.sentence(
        period_label="năm 2026", area="toàn thành phố", projects=2, amount=1_000_000_000, borrowers=50
    ) == ("Năm 2026, toàn thành phố đã giải ngân 2 dự án với số tiền 1 tỷ đồng cho 50 người vay.")
    assert "2,2 tỷ đồng cho 80 người vay" in report.sentence(
        period_label="năm 2026", area="toàn thành phố", projects=3, amount=2_200_000_000, borrowers=80
    )
