"""core.services: the update-and-audit sequence, collected problems and workflow steps every app shares."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from congdoan.accounts.models import User
from congdoan.core.models import AuditEntry
from congdoan.core.services import Problems, model_update, state_step
from congdoan.imports.models import ImportJob


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


# -- Problems and state_step ------------------------------------------------------------------------


def test_problems_are_raised_together_per_field() -> None:
    problems = Problems()
    assert not problems
    problems.raise_if_any()  # nothing found: nothing raised
    problems.add("amount", "Số tiền %(amount)s không hợp lệ.", amount="-5")
    problems.add("amount", "Số tiền vượt mức.")
    problems.add("__all__", "Hồ sơ đã chi trả.")
    assert problems
    assert problems.messages() == {
        "amount": ["Số tiền -5 không hợp lệ.", "Số tiền vượt mức."],
        "__all__": ["Hồ sơ đã chi trả."],
    }
    with pytest.raises(ValidationError) as info:
        problems.raise_if_any()
    assert info.value.message_dict["amount"] == ["Số tiền -5 không hợp lệ.", "Số tiền vượt mức."]


@pytest.fixture
def job(officer: User) -> ImportJob:
    return ImportJob.objects.create(kind="members", original_name="ds.xlsx", user=officer)


def test_state_step_moves_saves_and_audits(officer: User, job: ImportJob) -> None:
    day = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    state_step(
        actor=officer,
        instance=job,
        allowed=[ImportJob.Status.UPLOADED],
        to=ImportJob.Status.VALIDATED,
        action="kiểm tra",
        state_field="status",
        dates={"validated_at": day},
        fields={"phase": "xong"},
        note="đủ cột",
    )
    job.refresh_from_db()
    assert (job.status, job.validated_at, job.phase) == (ImportJob.Status.VALIDATED, day, "xong")
    entry = AuditEntry.objects.get()
    assert entry.actor == officer
    assert entry.before == {"status": "uploaded"}
    assert entry.after == {"status": "validated", "validated_at": str(day), "phase": "xong"}
    assert entry.note == "đủ cột"


def test_state_step_refuses_a_wrong_state_and_writes_nothing(officer: User, job: ImportJob) -> None:
    with pytest.raises(ValidationError) as info:
        state_step(
            actor=officer,
            instance=job,
            allowed=[ImportJob.Status.VALIDATED, ImportJob.Status.QUEUED],
            to=ImportJob.Status.RUNNING,
            action="bắt đầu nhập",
            state_field="status",
        )
    assert info.value.message_dict["status"] == [
        f"Không thể bắt đầu nhập «{job}»: đang ở trạng thái «Đã tải lên» "
        "(cần: hợp lệ, chờ nhập, đang chờ xử lý)."
    ]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
    assert not AuditEntry.objects.exists()
