"""The rules of campaigns, cases, approval, payment and reversal, through the services; every bad
input gets a Vietnamese message and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope
from congdoan.care import services
from congdoan.care.models import Case, CaseApproval, CaseState, Payment, Reversal
from congdoan.core.models import AuditEntry
from congdoan.members.models import Membership, Person

from .conftest import CareSetup, cccd, make_campaign, propose


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


def test_a_case_is_proposed_approved_paid_and_audited(care: CareSetup) -> None:
    fed = care.fed
    case = propose(care, fed.gl1, 1, actor=fed.kimlien)
    assert case.state == CaseState.PROPOSED and case.cccd == cccd(1)
    assert services.approval_chain(case) == [fed.hn.pk]
    services.case_approve(actor=fed.thanhpho, case=case, unit=fed.hn)
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED
    payment = services.case_pay(
        actor=fed.kimlien, case=case, method="bank", bank_account="0123 456 789", bank_name="Vietcombank"
    )
    assert payment.bank_account == "0123456789" and payment.amount == 500_000
    case.refresh_from_db()
    assert case.state == CaseState.PAID and case.paid_on == timezone.localdate()
    entries = AuditEntry.objects.filter(object_type="care.case", object_id=str(case.pk))
    assert entries.count() == 3


def test_the_same_person_twice_with_another_spelling_is_refused(care: CareSetup) -> None:
    fed = care.fed
    propose(care, fed.gl1, 1, full_name="Nguyễn Thị Hoà")
    with pytest.raises(ValidationError) as exc:
        propose(care, fed.dd1, 1, full_name="Nguyen Thi Hoa", cccd="001 090 000 001")
    assert "đã có hồ sơ trong chương trình này" in messages(exc)
    assert Case.objects.count() == 1


def test_over_the_cap_and_over_the_allocation(care: CareSetup) -> None:
    fed = care.fed
    with pytest.raises(ValidationError) as exc:
        propose(care, fed.gl1, 1, amount=1_200_000)
    assert "vượt mức tối đa mỗi người" in messages(exc)
    propose(care, fed.gl1, 1, amount=1_000_000)
    with pytest.raises(ValidationError) as exc:
        propose(care, fed.gl1, 2, amount=600_000)
    assert "Vượt kinh phí phân bổ cho «Công đoàn phường Kim Liên»" in messages(exc)
    propose(care, fed.gl1, 2, amount=250_000)
    propose(care, fed.dd1, 3, amount=250_000)
    with pytest.raises(ValidationError) as exc:
        propose(care, fed.dd1, 4, amount=1)
    assert "Vượt số suất phân bổ" in messages(exc)
    assert Case.objects.count() == 3


def test_the_yearly_cap_counts_other_campaigns(care: CareSetup) -> None:
    fed = care.fed
    propose(care, fed.gl1, 1, amount=800_000)
    other = make_campaign(fed, code="KK2026", kind="hardship", cap_per_year=1_000_000, cap_per_person=0)
    with pytest.raises(ValidationError) as exc:
        services.case_propose(
            actor=None,
            campaign=other,
            given=services.CaseInput(unit=fed.gl1, amount=300_000, cccd=cccd(1), full_name="Nguyễn Văn B"),
        )
    assert "vượt mức tối đa 1.000.000 đ" in messages(exc)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("500000.5"), "số nguyên đồng"),
        (499_999.5, "số nguyên đồng"),
        (0, "lớn hơn 0"),
        ("500k", "số nguyên"),
    ],
)
def test_an_amount_that_is_not_whole_dong(care: CareSetup, amount: object, text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        propose(care, care.fed.gl1, 1, amount=amount)
    assert text in messages(exc)
    assert not Case.objects.exists()


def test_a_bank_account_that_is_not_digits(care: CareSetup) -> None:
    with pytest.raises(ValidationError) as exc:
        propose(care, care.fed.gl1, 1, bank_account="VCB-12A45", bank_name="Vietcombank")
    assert "chỉ được gồm chữ số" in messages(exc)


def test_a_non_member_only_where_the_campaign_allows_it(fed) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign(fed, allows_non_members=False)
    setup = CareSetup(fed, campaign)
    with pytest.raises(ValidationError) as exc:
        propose(setup, fed.gl1, 1)
    assert "chỉ hỗ trợ đoàn viên" in messages(exc)
    person = Person.objects.create(full_name="Trần Thị Mai", gender="F", cccd="001190000009")
    Membership.objects.create(person=person, cdcs=fed.gl1, join_date=dt.date(2020, 1, 1))
    case = propose(setup, fed.gl1, 9, cccd="001190000009", full_name="")
    assert case.person == person and case.full_name == "Trần Thị Mai"


def test_payment_of_an_unapproved_case_and_approval_out_of_the_chain(care: CareSetup) -> None:
    fed = care.fed
    case = propose(care, fed.gl1, 1)
    with pytest.raises(ValidationError) as exc:
        services.case_pay(actor=fed.kimlien, case=case, method="cash")
    assert "chưa được duyệt" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.case_approve(actor=fed.kimlien, case=case, unit=fed.kl)
    assert "không thuộc cấp duyệt" in messages(exc)
    assert not Payment.objects.exists()
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSED and not case.approvals.exists()


def test_two_levels_approve_lowest_first(fed) -> None:  # type: ignore[no-untyped-def]
    setup = CareSetup(fed, make_campaign(fed, approval_levels=2))
    case = propose(setup, fed.gl1, 1)
    assert services.approval_chain(case) == [fed.kl.pk, fed.hn.pk]
    with pytest.raises(ValidationError):
        services.case_approve(actor=fed.thanhpho, case=case, unit=fed.hn)
    services.case_approve(actor=fed.kimlien, case=case, unit=fed.kl)
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSED and case.approved_levels == 1
    services.case_approve(actor=fed.thanhpho, case=case, unit=fed.hn)
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED


def test_a_case_in_a_foreign_subtree_is_404(care: CareSetup) -> None:
    fed = care.fed
    with pytest.raises(OutOfScope):
        propose(care, fed.gl2, 1, actor=fed.kimlien)
    case = propose(care, fed.gl2, 2)
    with pytest.raises(OutOfScope):
        services.case_approve(actor=fed.kimlien, case=case, unit=fed.hn)
    with pytest.raises(OutOfScope):
        services.case_pay(actor=fed.cdcs, case=case, method="cash")
    assert Case.objects.count() == 1


def test_a_paid_case_is_never_edited_only_reversed(care: CareSetup) -> None:
    fed = care.fed
    case = propose(care, fed.gl1, 1)
    services.case_approve(actor=None, case=case, unit=fed.hn)
    services.case_pay(actor=None, case=case, method="in_kind", items="1 thùng quà")
    with pytest.raises(ValidationError) as exc:
        services.case_update(actor=fed.kimlien, case=case, amount=400_000)
    assert "Hồ sơ đã chi không được sửa" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.case_pay(actor=None, case=case, method="cash")
    assert "đã chi" in messages(exc)
    reversal = services.case_reverse(actor=fed.kimlien, case=case, reason="Trùng danh sách")
    assert reversal.amount == -500_000
    case.refresh_from_db()
    assert case.state == CaseState.REVERSED and case.amount == 500_000
    # The person is free for a corrected case.
    again = propose(care, fed.gl1, 1, amount=300_000)
    assert again.state == CaseState.PROPOSED
    assert Reversal.objects.count() == 1


def test_batch_approval_and_batch_payment(care: CareSetup) -> None:
    fed = care.fed
    cases = [propose(care, fed.gl1, n, amount=100_000) for n in (1, 2, 3)]
    propose(care, fed.gl2, 4, amount=100_000)
    with pytest.raises(OutOfScope):
        services.cases_approve_batch(actor=fed.kimlien, campaign=care.campaign, unit=fed.hn)
    assert services.cases_approve_batch(actor=fed.thanhpho, campaign=care.campaign, unit=fed.hn) == 4
    assert services.cases_approve_batch(actor=fed.thanhpho, campaign=care.campaign, unit=fed.hn) == 0
    assert Case.objects.filter(state=CaseState.APPROVED).count() == 4
    paid = services.cases_pay_batch(actor=fed.kimlien, campaign=care.campaign, unit=fed.kl, method="cash")
    assert paid == 3
    assert {c.pk for c in Case.objects.filter(state=CaseState.PAID)} == {c.pk for c in cases}
    assert AuditEntry.objects.filter(object_type="care.case.batch").count() == 2


def test_allocations_under_an_allocation_add_up(care: CareSetup) -> None:
    fed = care.fed
    services.allocation_set(actor=None, campaign=care.campaign, unit=fed.gl1, people=2, amount=1_000_000)
    with pytest.raises(ValidationError) as exc:
        services.allocation_set(actor=None, campaign=care.campaign, unit=fed.dd1, people=2, amount=600_000)
    assert "vượt phần được giao" in messages(exc)
    with pytest.raises(OutOfScope):
        services.allocation_set(actor=fed.kimlien, campaign=care.campaign, unit=fed.dd1, people=1, amount=1)


def test_documents_are_checked_by_content(care: CareSetup) -> None:
    case = propose(care, care.fed.gl1, 1)
    services.document_attach(actor=None, case=case, name="anh.jpg", data=b"\xff\xd8\xff\xe0rest")
    with pytest.raises(ValidationError) as exc:
        services.document_attach(actor=None, case=case, name="virus.jpg", data=b"MZ\x90\x00")
    assert "không phải ảnh JPEG, PNG hay PDF" in messages(exc)
    assert case.documents.count() == 1


def test_houses_and_deals(fed) -> None:  # type: ignore[no-untyped-def]
    house = services.house_create(
        actor=fed.kimlien, unit=fed.gl1, beneficiary="Lê Văn Tám", started_on=dt.date(2026, 3, 1)
    )
    assert house.amount == 50_000_000
    with pytest.raises(ValidationError):
        services.house_create(
            actor=None, unit=fed.gl1, beneficiary="", started_on=dt.date(2026, 3, 1), amount=-1
        )
    deal = services.deal_create(
        actor=None,
        unit=fed.hn,
        partner="Siêu thị Điện máy Xanh",
        offer="Giảm 10% cho đoàn viên",
        signed_on=dt.date(2026, 1, 5),
        discount_percent=10,
    )
    assert deal.search_key.startswith("sieu thi")


def test_each_step_is_one_audited_state_change(care: CareSetup) -> None:
    """Approve, pay and reverse are ``core.services.state_step``: the state before and after in one entry;
    a case not waiting for approval is refused in Vietnamese and nothing changes."""
    fed = care.fed
    case = propose(care, fed.gl1, 1)
    services.case_approve(actor=fed.thanhpho, case=case, unit=fed.hn)
    with pytest.raises(ValidationError) as exc:
        services.case_approve(actor=fed.thanhpho, case=case, unit=fed.hn)
    assert "Không thể duyệt" in messages(exc) and "«Đã duyệt»" in messages(exc)
    assert case.approvals.count() == 1
    services.case_pay(actor=fed.kimlien, case=case, method="cash")
    services.case_reverse(actor=fed.kimlien, case=case, reason="Nhầm người")
    steps = AuditEntry.objects.filter(object_type="care.case", object_id=str(case.pk), action="update")
    assert [(e.before["state"], e.after["state"]) for e in steps.order_by("id")] == [
        ("proposed", "approved"),
        ("approved", "paid"),
        ("paid", "reversed"),
    ]
    assert "500.000" in steps.order_by("id")[1].note


def test_batch_approval_of_named_cases_and_of_two_levels(fed) -> None:  # type: ignore[no-untyped-def]
    """Named cases: one not waiting for the unit refuses the whole batch. Two levels: the district's
    batch moves the cases one level (still proposed), the city's approves them; approvals are written."""
    setup = CareSetup(fed, make_campaign(fed, approval_levels=2))
    first, second = propose(setup, fed.gl1, 1), propose(setup, fed.dd1, 2)
    other = propose(setup, fed.gl2, 3)  # under the city directly: its chain is the city alone
    day = services.campaign_day(setup.campaign)
    chains = services.approval_chains(setup.campaign, [c.unit_id for c in (first, second, other)], day)
    assert chains == {c.unit_id: services.approval_chain(c) for c in (first, second, other)}
    with pytest.raises(ValidationError) as exc:
        services.cases_approve_batch(
            actor=fed.kimlien, campaign=setup.campaign, unit=fed.kl, case_ids=[first.pk, other.pk]
        )
    assert "không thuộc cấp duyệt" in messages(exc)
    assert not CaseApproval.objects.exists()
    n = services.cases_approve_batch(actor=fed.kimlien, campaign=setup.campaign, unit=fed.kl)
    assert n == 2
    assert set(Case.objects.filter(approved_levels=1).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert Case.objects.filter(state=CaseState.PROPOSED).count() == 3
    assert services.cases_approve_batch(actor=fed.thanhpho, campaign=setup.campaign, unit=fed.hn) == 3
    assert Case.objects.filter(state=CaseState.APPROVED).count() == 3
    levels = sorted(CaseApproval.objects.values_list("case_id", "level", "unit_id"))
    expected = [(c.pk, level, u.pk) for c in (first, second) for level, u in ((1, fed.kl), (2, fed.hn))]
    assert levels == sorted([*expected, (other.pk, 1, fed.hn.pk)])
    batch = AuditEntry.objects.filter(object_type="care.case.batch").order_by("id")
    assert [e.after["approved"] for e in batch] == [2, 3]
