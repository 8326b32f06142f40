"""Demo members (``congdoan demo``): loaded through the importer, valid, idempotent, scoped."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.conferences.demo import load_activity
from congdoan.core.models import AuditEntry
from congdoan.indicators.demo import load_targets
from congdoan.members import selectors, validation
from congdoan.members.demo import WORKFORCE_DAYS, MemberFaker, load_members
from congdoan.members.models import Membership, Person, WorkforceCount
from congdoan.org import tree
from congdoan.org.demo import KIMLIEN_CODE, load_demo
from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

pytestmark = pytest.mark.django_db
SCALE = 0.05
MEMBERS = 1500


@pytest.fixture
def demo(db: None) -> dict:
    load_demo(scale=SCALE)
    loaded = load_members(MEMBERS)
    load_activity()  # what `congdoan demo` loads after the members, so a second run finds it all
    load_targets()
    return loaded


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Membership.objects.count(),
        WorkforceCount.objects.count(),
        AuditEntry.objects.count(),
    )


def test_members_are_loaded_through_the_importer_with_transfers_leavers_and_workforce(demo: dict) -> None:
    assert demo["members"] == MEMBERS
    assert Person.objects.count() == MEMBERS
    status = Counter(Membership.objects.values_list("status", flat=True))
    assert status[Membership.Status.TRANSFERRED] == demo["transfers"] > 0
    assert status[Membership.Status.LEFT] + status[Membership.Status.REMOVED] == demo["leavers"] > 0
    assert status[Membership.Status.ACTIVE] == MEMBERS - demo["leavers"]
    # One import job in the audit trail (the real pipeline), transfers and leavers through the services.
    assert AuditEntry.objects.filter(object_type="import.members").count() == 1
    assert Membership.objects.filter(transferred_from__isnull=False).count() == demo["transfers"]
    # Only live CĐCS, every one of them with members; join dates from 1995, some in 2024 and 2025.
    units = set(Membership.objects.values_list("cdcs_id", flat=True))
    live = OrgUnit.objects.filter(type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True)
    assert units <= set(live.values_list("pk", flat=True))
    assert len(units) == demo["cdcs"]
    joins = Membership.objects.filter(transferred_from__isnull=True).values_list("join_date", flat=True)
    years = Counter(day.year for day in joins)
    assert min(years) >= 1995 and max(years) <= 2025
    assert years[2024] > 0 and years[2025] > 0
    for membership in Membership.objects.select_related("cdcs", "person"):
        founded, born = membership.cdcs.founded_on, membership.person.birth_date
        assert founded is not None and founded <= membership.join_date
        assert born is not None and born < membership.join_date
    # Workforce: a count for each CĐCS at the end of 2024 and 2025, coverage in a realistic range.
    assert demo["workforce_counts"] == WorkforceCount.objects.count() > 0
    hn = OrgUnit.objects.get(code="HN")
    for day in WORKFORCE_DAYS:
        cover = selectors.coverage(unit=hn, on=day)
        assert cover["members"] > 0
        assert 0.6 <= cover["members"] / cover["workers"] <= 0.95
        assert cover["women"] <= cover["workers"]


def test_names_and_cccds_are_valid_and_realistic(demo: dict) -> None:
    people = list(Person.objects.all())
    for person in people:
        checked = validation.check_cccd(person.cccd or "", birth_date=person.birth_date, gender=person.gender)
        assert checked.value == person.cccd
        assert checked.legacy == person.legacy_id
        assert person.full_name == validation.normalize_name(person.full_name)
    families = Counter(p.full_name.split()[0] for p in people)
    assert 0.30 < families["Nguyễn"] / len(people) < 0.46
    assert {"Trần", "Lê", "Phạm"} == {name for name, _ in families.most_common(4)[1:]}
    assert sum(p.legacy_id for p in people) < len(people) * 0.03


def test_second_load_adds_nothing(demo: dict) -> None:
    # The first run loads what the other apps' loaders add (care, loans, deadlines); the second adds none.
    call_command("demo", no_serve=True, scale=SCALE, members=MEMBERS, stdout=StringIO())
    before = _counts()
    assert load_members(MEMBERS) == {}
    out = StringIO()
    call_command("demo", no_serve=True, scale=SCALE, members=MEMBERS, stdout=out)
    assert "Đoàn viên mẫu đã có sẵn" in out.getvalue()
    assert _counts() == before


def test_kimlien_sees_only_kim_lien_members(demo: dict) -> None:
    kimlien = User.objects.get(username="kimlien")
    unit = OrgUnit.objects.get(code=KIMLIEN_CODE)
    today = timezone.localdate()
    subtree = set(tree.subtree_ids(unit.pk, today))
    seen = list(selectors.membership_list(user=kimlien))
    assert seen
    assert {m.cdcs_id for m in seen} <= subtree
    expected = Membership.objects.filter(cdcs_id__in=subtree, status=Membership.Status.ACTIVE)
    assert len(seen) == expected.count()
    outsider = (
        Membership.objects.exclude(cdcs_id__in=subtree).filter(status="active").select_related("person")
    )
    other = outsider.first()
    assert other is not None and other.person.cccd
    assert not selectors.membership_list(user=kimlien, search=other.person.cccd).exists()
    mine = seen[0].person
    assert selectors.membership_list(user=kimlien, search=mine.cccd or "").filter(person=mine).exists()


def test_the_generator_is_deterministic() -> None:
    def rows(seed: int) -> list[list[str]]:
        faker = MemberFaker(random.Random(seed))
        until = dt.date(2025, 12, 31)
        return [faker.row(i, lambda: "CS0001", join_until=until) for i in range(200)]

    assert rows(3) == rows(3)
    assert rows(3) != rows(4)
    assert len({row[4] for row in rows(3)}) == 200  # unique CCCDs
