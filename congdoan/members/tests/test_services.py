"""Admitting, transferring and ending memberships; scope and the selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congdoan.accounts.scope import OutOfScope
from congdoan.core.models import AuditEntry
from congdoan.members import selectors, services
from congdoan.members.models import Membership, Person

pytestmark = pytest.mark.django_db
d = dt.date


def admit(fed, **extra):
    data = dict(
        actor=fed.kimlien,
        cdcs=fed.gl1,
        join_date=d(2025, 9, 1),
        full_name="nguyễn thị hương",
        birth_date=d(1995, 3, 2),
        gender="Nữ",
        cccd="001195012345",
        phone="+84 912 345 678",
        card_number="HN-000123",
    )
    data.update(extra)
    return services.member_admit(**data)


def test_admit_normalises_and_audits(fed) -> None:
    membership = admit(fed)
    person = membership.person
    assert (person.full_name, person.gender, person.phone) == ("Nguyễn Thị Hương", "F", "0912345678")
    assert person.search_key == "nguyen thi huong"
    assert AuditEntry.objects.filter(object_type="members.membership", unit=fed.gl1).count() == 1


def test_admit_reports_every_bad_field(fed) -> None:
    with pytest.raises(ValidationError) as err:
        admit(fed, full_name="X", phone="123", cccd="001095012345")  # cccd: male digit for a woman
    assert set(err.value.message_dict) == {"full_name", "phone", "cccd"}
    assert Person.objects.count() == 0


def test_one_active_membership_and_unique_card(fed) -> None:
    admit(fed)
    with pytest.raises(ValidationError, match="đang sinh hoạt tại"):
        admit(fed, cdcs=fed.dd1, card_number="HN-000999")
    with pytest.raises(ValidationError, match="đã được cấp"):
        admit(fed, cccd="001195099999", card_number="HN-000123")


def test_transfer_keeps_history_and_card(fed) -> None:
    first = admit(fed)
    new = services.member_transfer(actor=fed.kimlien, membership=first, to=fed.dd1, on=d(2026, 1, 1))
    first.refresh_from_db()
    assert first.status == Membership.Status.TRANSFERRED and first.end_date == d(2026, 1, 1)
    assert new.card_number == "HN-000123" and new.transferred_from == first
    assert [m.cdcs.code for m in selectors.person_memberships(first.person)] == ["GL1", "DD1"]
    with pytest.raises(ValidationError):
        services.member_transfer(actor=fed.kimlien, membership=first, to=fed.gl1, on=d(2026, 2, 1))


def test_leave_needs_reason_and_valid_date(fed) -> None:
    membership = admit(fed)
    with pytest.raises(ValidationError):
        services.member_leave(actor=fed.kimlien, membership=membership, on=d(2026, 1, 1), reason=" ")
    with pytest.raises(ValidationError, match="trước ngày vào công đoàn"):
        services.member_leave(actor=fed.kimlien, membership=membership, on=d(2024, 1, 1), reason="Nghỉ việc")
    services.member_leave(actor=fed.kimlien, membership=membership, on=d(2026, 1, 1), reason="Nghỉ việc")
    assert Membership.objects.get().status == Membership.Status.LEFT


def test_scope_of_writes_and_reads(fed) -> None:
    with pytest.raises(OutOfScope):
        admit(fed, cdcs=fed.gl2)  # GL2 is not Kim Liên's
    admit(fed)
    assert selectors.membership_list(user=fed.kimlien).count() == 1
    assert selectors.membership_list(user=fed.cdcs).count() == 0  # DD1's officer
    assert selectors.membership_list(user=fed.kimlien, search="NGUYEN thi huong").count() == 1
    assert selectors.membership_list(user=fed.kimlien, search="0912 345 678").count() == 1  # whole phone
    assert selectors.membership_list(user=fed.kimlien, search="trần").count() == 0
    with pytest.raises(OutOfScope):
        selectors.member_get(user=fed.cdcs, person_id=Person.objects.get().pk)


def test_coverage(fed) -> None:
    admit(fed)
    services.workforce_set(actor=fed.kimlien, cdcs=fed.gl1, as_of=d(2025, 9, 1), workers=10, women=6)
    with pytest.raises(ValidationError):
        services.workforce_set(actor=fed.kimlien, cdcs=fed.gl1, as_of=d(2025, 9, 1), workers=5, women=6)
    cov = selectors.coverage(unit=fed.kl, on=d(2025, 12, 31))
    assert cov == {"members": 1, "workers": 10, "women": 6, "cdcs": 2}


# -- a CCCD already on file outside the officer's scope (security review, item 2) ----------------------


def _held_at_gl2(fed, *, left: bool) -> Person:
    """Đỗ Thị Hạnh, a member of GL2 (outside Kim Liên), still active or gone since 2024."""
    membership = services.member_admit(
        actor=None,
        cdcs=fed.gl2,
        join_date=d(2015, 1, 1),
        full_name="Đỗ Thị Hạnh",
        birth_date=d(1995, 3, 2),
        gender="F",
        cccd="001195012345",
        phone="0977000111",
    )
    if left:
        services.member_leave(actor=None, membership=membership, on=d(2024, 1, 1), reason="Nghỉ việc")
    return membership.person


@pytest.mark.parametrize("left", [False, True])
def test_a_person_held_outside_the_scope_is_neither_revealed_nor_linked(fed, left: bool) -> None:
    """Kim Liên types a CCCD held at GL2 (active, or left): the same neutral refusal, naming neither
    the person nor the unit; no membership is opened and the person is untouched."""
    person = _held_at_gl2(fed, left=left)
    before = services.before_values(person)
    with pytest.raises(ValidationError) as err:
        admit(fed, full_name="Nguyễn Văn Khác", gender="Nữ", phone="0912000999")
    message = " ".join(err.value.message_dict["cccd"])
    assert message == services.MSG_HELD_ELSEWHERE and "chuyển sinh hoạt" in message
    for secret in ("Hạnh", "Đặng Xá", "GL2", "0977000111", "1995"):
        assert secret not in str(err.value)
    person.refresh_from_db()
    assert services.before_values(person) == before
    assert person.memberships.count() == 1
    # The city's officer, whose scope holds GL2, may still link (a person who left) or is told where
    # the person is active (in scope).
    if left:
        assert admit(fed, actor=fed.thanhpho).person == person
    else:
        with pytest.raises(ValidationError, match="đang sinh hoạt tại CĐCS Trường THCS Đặng Xá"):
            admit(fed, actor=fed.thanhpho)


def test_a_person_who_left_a_unit_of_the_scope_joins_again(fed) -> None:
    first = admit(fed, cdcs=fed.dd1)
    services.member_leave(actor=fed.kimlien, membership=first, on=d(2025, 10, 1), reason="Nghỉ việc")
    again = admit(fed, join_date=d(2025, 11, 1), card_number="HN-000200")
    assert again.person == first.person and again.cdcs == fed.gl1


# -- the union join date apart from the membership's start (review item 18) -----------------------------


def test_union_join_date_is_kept_apart_from_the_membership_start(fed) -> None:
    """Admitted to GL1 on 01/09/2025, in the union since 2012 at an earlier employer: the person keeps
    2012, the membership starts on 01/09/2025; without a date the admission is the first one."""
    membership = admit(fed, union_join_date=d(2012, 5, 1))
    assert (membership.person.union_join_date, membership.join_date) == (d(2012, 5, 1), d(2025, 9, 1))
    other = admit(fed, cccd="001195099999", card_number="HN-000999", full_name="Lê Thị Lan")
    assert other.person.union_join_date == d(2025, 9, 1)
    with pytest.raises(ValidationError) as err:
        admit(fed, cccd="001195088888", card_number=None, union_join_date=d(2025, 10, 1))
    assert err.value.message_dict["union_join_date"] == [
        "Ngày vào công đoàn lần đầu (01/10/2025) không thể sau ngày bắt đầu sinh hoạt tại công đoàn "
        "cơ sở (01/09/2025)."
    ]
    with pytest.raises(ValidationError, match="chưa đủ 15 tuổi"):  # the age rule: at the first admission
        admit(fed, cccd="001195077777", card_number=None, union_join_date=d(2005, 1, 1))


def test_a_birth_date_in_the_future_says_so(fed) -> None:
    with pytest.raises(ValidationError) as err:
        admit(fed, birth_date=d(2030, 1, 1), cccd=None)
    assert err.value.message_dict["birth_date"] == ["Ngày sinh 01/01/2030 ở tương lai."]
    with pytest.raises(ValidationError) as err:
        admit(fed, birth_date=d(1890, 1, 1), cccd=None)
    assert err.value.message_dict["birth_date"] == ["Ngày sinh 01/01/1890 không hợp lệ: trước năm 1900."]
