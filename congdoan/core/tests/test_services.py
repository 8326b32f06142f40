"""core.services.model_update: the update-and-audit sequence every update service shares."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from congdoan.accounts.models import User
from congdoan.core.models import AuditEntry
from congdoan.core.services import model_update


@pytest.fixture
def officer(db: None) -> User:
    return User.objects.create_user(username="canbo", password="x", full_name="Nguyễn Văn A", phone="0901")


def test_saves_and_audits_only_what_changed(officer: User) -> None:
    admin = User.objects.create_user(username="quantri", password="x")
    user, changed_fields = model_update(
        actor=admin,
        instance=officer,
        fields={"full_name": "Nguyễn Văn B", "phone": "0901"},
        audit_fields=["full_name", "phone", "email"],
    )
    assert changed_fields == ["full_name"]
    officer.refresh_from_db()
    assert officer.full_name == "Nguyễn Văn B"
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == admin
    assert entry.object_type == "accounts.user"
    assert entry.before == {"full_name": "Nguyễn Văn A"}
    assert entry.after == {"full_name": "Nguyễn Văn B"}


def test_nothing_changed_writes_no_audit(officer: User) -> None:
    _, changed_fields = model_update(actor=None, instance=officer, fields={"phone": "0901"})
    assert changed_fields == []
    assert not AuditEntry.objects.exists()


def test_invalid_values_are_refused_before_anything_is_written(officer: User) -> None:
    with pytest.raises(ValidationError) as info, transaction.atomic():
        model_update(actor=None, instance=officer, fields={"username": ""})
    assert "username" in info.value.message_dict
    officer.refresh_from_db()
    assert officer.username == "canbo"
    assert not AuditEntry.objects.exists()


def test_hooks_and_own_snapshot(officer: User) -> None:
    """``before_save`` sees validated values; ``after_save`` runs before the after-snapshot is read."""
    calls: list[str] = []

    def note_saving(user: User) -> None:
        calls.append(f"before_save pk={user.pk} name={user.full_name}")

    def add_group(user: User) -> None:
        calls.append("after_save")
        user.groups.create(name="Cán bộ")

    def with_groups(user: User) -> dict[str, object]:
        return {"full_name": user.full_name, "groups": sorted(g.name for g in user.groups.all())}

    model_update(
        actor=None,
        instance=officer,
        fields={"full_name": "Trần Thị C"},
        snapshot_of=with_groups,
        before_save=note_saving,
        after_save=add_group,
        audit_action=AuditEntry.Action.MOVE,
    )
    assert calls == [f"before_save pk={officer.pk} name=Trần Thị C", "after_save"]
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.MOVE
    assert entry.before == {"full_name": "Nguyễn Văn A", "groups": []}
    assert entry.after == {"full_name": "Trần Thị C", "groups": ["Cán bộ"]}
