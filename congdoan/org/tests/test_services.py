"""Org services: moves, merges, dissolutions and their errors, audit rows, scope checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congdoan.accounts.scope import OutOfScope
from congdoan.core.models import AuditEntry
from congdoan.org import selectors, services, tree
from congdoan.org.models import Employer, OrgLink, OrgUnit

d = dt.date


@pytest.mark.django_db
def test_history_of_the_2025_reform(fed) -> None:
    """Every past day still shows the tree as it was then."""
    assert tree.subtree_ids(fed.gl.pk, d(2025, 6, 29)) == {fed.gl.pk, fed.gl1.pk, fed.gl2.pk}
    assert tree.subtree_ids(fed.gl.pk, d(2025, 6, 30)) == {fed.gl.pk}
    assert selectors.parent_of(fed.gl1, d(2025, 7, 10)) == fed.hn
    assert selectors.parent_of(fed.gl1, d(2025, 8, 1)) == fed.kl
    assert fed.gl.dissolved_on == d(2025, 6, 30) and fed.gl.last_day == d(2025, 6, 29)
    links = list(selectors.unit_links(fed.gl1).values_list("parent__code", "valid_from", "valid_to"))
    assert links == [
        ("GL", d(2010, 3, 1), d(2025, 6, 30)),
        ("HN", d(2025, 6, 30), d(2025, 8, 1)),
        ("KL", d(2025, 8, 1), None),
    ]


@pytest.mark.django_db
def test_move_writes_audit_with_before_and_after(fed) -> None:
    services.unit_move(
        actor=fed.thanhpho, unit=fed.gl2, new_parent=fed.kl, on=d(2025, 9, 1), reason="Sáp nhập"
    )
    entry = AuditEntry.objects.filter(object_id="GL2", action="move").latest("id")
    assert entry.actor == fed.thanhpho
    assert entry.before == {"parent": "HN"}
    assert entry.after == {"parent": "KL", "from": "2025-09-01"}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("cycle", "đang trực thuộc"),
        ("before_founded", "trước ngày thành lập"),
        ("ended", "đã chấm dứt hoạt động"),
        ("later_history", "đã có thay đổi trực thuộc"),
        ("same_parent", "đã trực thuộc"),
        ("level", "không thể trực thuộc"),
    ],
)
@pytest.mark.django_db
def test_move_errors_change_nothing(fed, case: str, message: str) -> None:
    links_before = list(OrgLink.objects.values_list("id", "parent_id", "valid_from", "valid_to"))
    args = {
        "cycle": dict(unit=fed.kl, new_parent=fed.gl1, on=d(2025, 9, 1)),
        "before_founded": dict(unit=fed.gl1, new_parent=fed.dd, on=d(2009, 1, 1)),
        "ended": dict(unit=fed.gl, new_parent=fed.kl, on=d(2025, 9, 1)),
        "later_history": dict(unit=fed.gl1, new_parent=fed.dd, on=d(2024, 1, 1)),
        "same_parent": dict(unit=fed.gl1, new_parent=fed.kl, on=d(2025, 9, 1)),
        "level": dict(unit=fed.kl, new_parent=fed.gl2, on=d(2025, 9, 1)),
    }[case]
    with pytest.raises(ValidationError) as err:
        services.unit_move(actor=None, **args)
    assert message in " ".join(err.value.messages)
    assert list(OrgLink.objects.values_list("id", "parent_id", "valid_from", "valid_to")) == links_before


@pytest.mark.django_db
def test_cycle_is_refused_even_for_a_deep_descendant(fed) -> None:
    ward_cdcs_team = services.unit_create(
        actor=None,
        code="KL-T1",
        name="Tổ công đoàn 1",
        type="TO_CD",
        parent=fed.gl1,
        valid_from=d(2025, 9, 1),
    )
    with pytest.raises(ValidationError):
        services.unit_move(actor=None, unit=fed.gl1, new_parent=ward_cdcs_team, on=d(2025, 10, 1))


@pytest.mark.django_db
def test_officer_cannot_move_outside_their_subtree(fed) -> None:
    with pytest.raises(OutOfScope):
        services.unit_move(actor=fed.kimlien, unit=fed.gl2, new_parent=fed.kl, on=d(2025, 9, 1))
    with pytest.raises(OutOfScope):  # read-only: Gia Lâm has ended
        services.unit_update(actor=fed.gialam, unit=fed.gl2, name="Tên mới")
    with pytest.raises(OutOfScope):  # viewers read only
        services.unit_update(actor=fed.viewer, unit=fed.gl2, name="Tên mới")
    assert OrgUnit.objects.get(code="GL2").name == "CĐCS Trường THCS Đặng Xá"


@pytest.mark.django_db
def test_create_rejects_duplicate_code_and_bad_fields(fed) -> None:
    with pytest.raises(ValidationError) as err:
        services.unit_create(actor=fed.thanhpho, code="KL", name="X", type="CDCS", parent=fed.kl)
    assert "đã được dùng" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.unit_create(actor=fed.thanhpho, code="có dấu", name="", type="XYZ", parent=fed.kl)
    assert set(err.value.message_dict) == {"code", "name", "type"}
    with pytest.raises(ValidationError):  # parent did not exist yet on that day
        services.unit_create(
            actor=None, code="NEW", name="CĐCS mới", type="CDCS", parent=fed.kl, valid_from=d(2024, 1, 1)
        )


@pytest.mark.django_db
def test_update_normalises_and_audits_only_changes(fed) -> None:
    services.unit_update(
        actor=fed.kimlien, unit=fed.gl1, name="CĐCS  Công ty May Gia Lâm (mới)", address="Số 1 Kim Liên"
    )
    unit = OrgUnit.objects.get(code="GL1")
    assert unit.name == "CĐCS Công ty May Gia Lâm (mới)"
    assert "cong ty may gia lam" in unit.search_key
    entry = AuditEntry.objects.filter(object_id="GL1", action="update").latest("id")
    assert set(entry.after) == {"name", "address"}
    count = AuditEntry.objects.count()
    services.unit_update(actor=fed.kimlien, unit=unit, name=unit.name)
    assert AuditEntry.objects.count() == count


@pytest.mark.django_db
def test_dissolve_requires_a_receiver_for_live_children(fed) -> None:
    with pytest.raises(ValidationError) as err:
        services.unit_dissolve(actor=None, unit=fed.kl, on=d(2026, 1, 1))
    assert "còn 2 đơn vị trực thuộc" in " ".join(err.value.messages)
    services.unit_dissolve(actor=None, unit=fed.kl, on=d(2026, 1, 1), children_to=fed.hn)
    assert tree.subtree_ids(fed.kl.pk, d(2026, 1, 1)) == {fed.kl.pk}
    assert selectors.parent_of(fed.gl1, d(2026, 1, 1)) == fed.hn


@pytest.mark.django_db
def test_merge_moves_children_and_later_records(fed) -> None:
    other = services.unit_create(
        actor=None,
        code="PH",
        name="Công đoàn phường Phương Liên",
        type="CD_XA",
        parent=fed.hn,
        valid_from=d(2025, 7, 1),
        founded_on=d(2025, 7, 1),
    )
    employer = services.employer_create(
        actor=None,
        name="Công ty TNHH An Phú",
        tax_code="0101234567",
        sector="DN_NGOAI_NHA_NUOC",
        unit=fed.kl,
        workforce=120,
    )
    services.unit_merge(actor=fed.thanhpho, unit=fed.kl, into=other, on=d(2026, 1, 1))
    fed.kl.refresh_from_db()
    assert fed.kl.merged_into == other and fed.kl.dissolved_on == d(2026, 1, 1)
    assert tree.subtree_ids(other.pk, d(2026, 1, 1)) == {other.pk, fed.gl1.pk, fed.dd1.pk}
    assert tree.subtree_ids(fed.kl.pk, d(2025, 12, 31)) == {fed.kl.pk, fed.gl1.pk, fed.dd1.pk}
    assert Employer.objects.get(pk=employer.pk).unit == other
    with pytest.raises(ValidationError):
        services.unit_merge(actor=None, unit=other, into=other, on=d(2026, 2, 1))


@pytest.mark.django_db
def test_employer_tax_code_is_validated(fed) -> None:
    for bad in ("12345", "01012345678", "abcdefghij"):
        with pytest.raises(ValidationError) as err:
            services.employer_create(actor=None, name="Công ty X", tax_code=bad, sector="FDI", unit=fed.kl)
        assert "10 hoặc 13 chữ số" in str(err.value)
    ok = services.employer_create(
        actor=None, name="Công ty X", tax_code="0101234567-001", sector="FDI", unit=fed.kl, cdcs=fed.gl1
    )
    assert ok.tax_code == "0101234567001"
    with pytest.raises(ValidationError):  # a CĐCS must be grassroots
        services.employer_create(actor=None, name="Công ty Y", sector="FDI", unit=fed.kl, cdcs=fed.hn)
    with pytest.raises(ValidationError):  # duplicate tax code
        services.employer_create(
            actor=None, name="Công ty Z", tax_code="0101234567001", sector="FDI", unit=fed.kl
        )


@pytest.mark.django_db
def test_cluster_leader_must_be_a_member(fed) -> None:
    with pytest.raises(ValidationError):
        services.cluster_create(
            actor=None, name="Cụm 3", year=2024, organiser=fed.hn, members=[fed.gl], leader=fed.dd
        )
    cluster = services.cluster_create(
        actor=fed.thanhpho,
        name="Cụm 3",
        year=2024,
        organiser=fed.hn,
        members=[fed.gl, fed.dd],
        leader=fed.gl,
        deputy=fed.dd,
    )
    roles = dict(cluster.memberships.values_list("unit__code", "role"))
    assert roles == {"GL": "leader", "DD": "deputy"}


@pytest.mark.django_db
def test_type_change_must_fit_the_tree(fed) -> None:
    with pytest.raises(ValidationError):
        services.unit_update(actor=None, unit=fed.kl, type="CDCS")  # it has CĐCS below it
    with pytest.raises(ValidationError):
        services.unit_update(actor=None, unit=fed.gl2, type="LDLD_TINH")  # above its parent
    services.unit_update(actor=None, unit=fed.gl2, type="NGHIEP_DOAN")
    assert OrgUnit.objects.get(code="GL2").type == "NGHIEP_DOAN"


@pytest.mark.django_db
def test_ward_sees_the_city_cluster_it_belongs_to(fed) -> None:
    services.cluster_create(actor=None, name="Cụm phường", year=2025, organiser=fed.hn, members=[fed.kl])
    assert [c.name for c in selectors.cluster_list(user=fed.kimlien)] == ["Cụm phường"]
    assert list(selectors.cluster_list(user=fed.gialam)) == []
