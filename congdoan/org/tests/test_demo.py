"""The demo federation (``congdoan demo``), loaded at a small scale."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from congdoan.accounts.models import Role, RoleAssignment, User
from congdoan.accounts.scope import scope_for
from congdoan.org import selectors, tree
from congdoan.org.demo import (
    DEMO_PASSWORD,
    DISTRICTS,
    GIALAM_CODE,
    KIMLIEN_CODE,
    district_code,
    load_demo,
    tax_code_check_digit,
)
from congdoan.org.models import ClusterMember, Employer, EmulationCluster, OrgLink, OrgUnit, UnitType

pytestmark = pytest.mark.django_db
SCALE = 0.05


@pytest.fixture
def demo(db: None) -> dict:
    return load_demo(scale=SCALE)


def _counts() -> tuple[int, int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        OrgLink.objects.count(),
        Employer.objects.count(),
        EmulationCluster.objects.count(),
        User.objects.count(),
    )


def test_second_load_changes_nothing(demo: dict) -> None:
    assert demo["units"][UnitType.LDLD_HUYEN] == 30
    before = _counts()
    assert load_demo(scale=SCALE) == {}
    assert _counts() == before


def test_the_forty_level3_unions_end_on_30_june_2025(demo: dict) -> None:
    ended = OrgUnit.objects.filter(dissolved_on=dt.date(2025, 6, 30))
    assert ended.count() == 40
    assert set(ended.values_list("type", flat=True)) == {
        UnitType.LDLD_HUYEN,
        UnitType.CD_NGANH,
        UnitType.CD_VIEN_CHUC,
        UnitType.CD_KCN,
    }
    assert len(DISTRICTS) == 30
    assert OrgUnit.objects.get(code=district_code("Gia Lâm")).name == "LĐLĐ huyện Gia Lâm"
    assert OrgUnit.objects.get(code="HN-SONTAY").name == "LĐLĐ thị xã Sơn Tây"
    # Corporation unions survive; ward/commune unions start on 1/7/2025.
    assert OrgUnit.objects.filter(type=UnitType.CD_TCT, dissolved_on__isnull=True).count() >= 2
    kl = OrgUnit.objects.get(code=KIMLIEN_CODE)
    assert (kl.name, kl.type, kl.founded_on) == (
        "Công đoàn phường Kim Liên",
        UnitType.CD_XA,
        dt.date(2025, 7, 1),
    )


def test_gia_lam_subtree_before_and_after_it_ended(demo: dict) -> None:
    gl = OrgUnit.objects.get(code=GIALAM_CODE)
    before = selectors.subtree(gl, dt.date(2025, 6, 29))
    assert before.filter(type=UnitType.CDCS).count() >= 2
    after = selectors.subtree(gl, dt.date(2025, 6, 30))
    assert list(after.values_list("code", flat=True)) == [GIALAM_CODE]
    # On 30/6 its CĐCS sit directly under HN; from 1/8 most are in commune unions.
    hn_ids = tree.subtree_ids(OrgUnit.objects.get(code="HN").pk, dt.date(2025, 6, 30))
    assert set(before.exclude(pk=gl.pk).values_list("pk", flat=True)) <= hn_ids


def test_kimlien_sees_only_kim_lien(demo: dict) -> None:
    user = User.objects.get(username="kimlien")
    kl = OrgUnit.objects.get(code=KIMLIEN_CODE)
    scope = scope_for(user)
    assert scope.root_ids == [kl.pk]
    today = timezone.localdate()
    visible = set(selectors.unit_list(user=user).values_list("pk", flat=True))
    assert visible == tree.subtree_ids(kl.pk, today)
    assert len(visible) > 1
    others = OrgUnit.objects.filter(pk__in=visible).exclude(pk=kl.pk)
    assert all(selectors.parent_of(u, today) == kl for u in others)
    assert not OrgUnit.objects.filter(pk__in=visible, code__in=["HN", GIALAM_CODE, "HN-DONGDA"]).exists()


def test_demo_users(demo: dict) -> None:
    cdcs = User.objects.get(username="cdcs")
    assert cdcs.check_password(DEMO_PASSWORD)
    assignment = RoleAssignment.objects.get(user=cdcs)
    assert assignment.role == Role.CDCS_OFFICER
    assert selectors.parent_of(assignment.unit, timezone.localdate()).code == KIMLIEN_CODE
    gialam = scope_for(User.objects.get(username="gialam"))
    assert gialam.read_only_until == dt.date(2025, 6, 29)
    assert User.objects.get(username="admin").is_superuser
    assert all(u.full_name for u in User.objects.all())


def test_cluster_3_and_4(demo: dict) -> None:
    c3 = EmulationCluster.objects.get(name="Cụm thi đua số 3", year=2024)
    assert c3.organiser.code == "HN"
    assert {m.unit.short_name for m in c3.memberships.all()} == {
        "Đông Anh",
        "Gia Lâm",
        "Sóc Sơn",
        "Mê Linh",
        "Thanh Trì",
        "Sơn Tây",
    }
    assert c3.memberships.get(role=ClusterMember.Role.LEADER).unit.code == "HN-DONGANH"
    c4 = EmulationCluster.objects.get(name="Cụm thi đua số 4", year=2024)
    assert {m.unit.short_name for m in c4.memberships.all()} == {
        "Phúc Thọ",
        "Ba Vì",
        "Hoài Đức",
        "Đan Phượng",
        "Thạch Thất",
        "Quốc Oai",
    }
    # Every district is in exactly one 2024 cluster.
    districts = ClusterMember.objects.filter(cluster__year=2024, unit__type=UnitType.LDLD_HUYEN)
    assert districts.count() == districts.values("unit").distinct().count() == 30


def test_employers_have_valid_unique_tax_codes(demo: dict) -> None:
    codes = list(Employer.objects.values_list("tax_code", flat=True))
    assert len(codes) == len(set(codes)) > 0
    for code in codes:
        assert len(code) == 10 and code.isdigit()
        assert tax_code_check_digit(code[:9]) == int(code[9])
    assert Employer.objects.filter(cdcs__isnull=True).exists()


def test_tax_code_check_digit() -> None:
    assert tax_code_check_digit("010010910") == 6  # 0100109106


def test_demo_command_prints_the_logins(db: None) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", "--scale", str(SCALE), stdout=out)
    text = out.getvalue()
    for username in ("thanhpho", "kimlien", "cdcs", "gialam", "admin"):
        assert username in text
    assert DEMO_PASSWORD in text
    assert "Công đoàn phường Kim Liên" in text
    assert "LĐLĐ huyện Gia Lâm" in text
    again = StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert "đã có sẵn" in again.getvalue()
    assert "kimlien" in again.getvalue()
