"""Every write to key tasks: validated first (every problem together, ``core.services.Problems``),
then written in one transaction, audited, and scoped by ``actor`` (``require_writable``).

A task is the unit's own (``assigned_by`` empty) or handed down by an upper unit to a unit in its
subtree on the task's start day; the officer handing it down writes for the upper unit. Status changes
are ``core.services.state_step``: start, complete (with evidence), cancel (with a reason), reopen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from congdoan.accounts.permissions import require_writable
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.registry import tree
from congdoan.core.services import Problems, model_update, state_step
from congdoan.org.models import OrgUnit

from .models import PENDING, KeyTask, TaskSource, TaskStatus

FIELDS = [
    "unit",
    "assigned_by",
    "parent",
    "title",
    "description",
    "source",
    "owner",
    "start_on",
    "deadline",
    "status",
]
UPDATABLE = {"title", "description", "source", "owner", "start_on", "deadline"}
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".zip")


def _check_fields(problems: Problems, data: dict[str, Any]) -> None:
    title = (data.get("title") or "").strip()
    if not title:
        problems.add("title", "Chưa nhập tên nhiệm vụ.")
    elif len(title) > 300:
        problems.add("title", "Tên nhiệm vụ dài quá 300 ký tự.")
    if data.get("source") not in TaskSource.values:
        problems.add("source", "Căn cứ giao nhiệm vụ không hợp lệ.")
    start, deadline = data.get("start_on"), data.get("deadline")
    if start is None:
        problems.add("start_on", "Chưa nhập ngày bắt đầu.")
    if deadline is None:
        problems.add("deadline", "Chưa nhập hạn hoàn thành.")
    if start is not None and deadline is not None and deadline < start:
        problems.add(
            "deadline",
            "Hạn hoàn thành %(deadline)s trước ngày bắt đầu %(start)s.",
            deadline=format_date(deadline),
            start=format_date(start),
        )


def _check_unit(problems: Problems, unit: OrgUnit, start: dt.date | None, field: str = "unit") -> None:
    if start is not None and not unit.is_alive_on(start):
        problems.add(
            field,
            "«%(unit)s» không hoạt động vào ngày %(day)s.",
            unit=unit.name,
            day=format_date(start),
        )


def _check_handed(problems: Problems, by: OrgUnit, unit: OrgUnit, start: dt.date | None) -> None:
    """A task handed down goes to a unit under ``by`` (not ``by`` itself) on the start day."""
    day = start or timezone.localdate()
    if unit.pk == by.pk:
        problems.add("units", "Không thể giao nhiệm vụ cho chính «%(unit)s».", unit=unit.name)
    elif unit.pk not in tree.subtree_ids(by.pk, day):
        problems.add(
            "units",
            "«%(unit)s» không trực thuộc «%(by)s» ngày %(day)s: chỉ giao nhiệm vụ cho đơn vị cấp dưới.",
            unit=unit.name,
            by=by.name,
            day=format_date(day),
        )


def _check_parent(problems: Problems, parent: KeyTask | None, by: OrgUnit | None) -> None:
    if parent is None:
        return
    if by is None or parent.unit_id != by.pk:
        problems.add("parent", "Nhiệm vụ cấp trên «%(task)s» không phải của đơn vị giao.", task=parent.title)
    elif parent.status == TaskStatus.CANCELLED:
        problems.add("parent", "Nhiệm vụ cấp trên «%(task)s» đã bị hủy.", task=parent.title)


def _create(actor: Any, data: dict[str, Any]) -> KeyTask:
    task = KeyTask(**data)
    task.full_clean()
    task.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=task,
        unit=task.unit,
        after=snapshot(task, FIELDS),
    )
    return task


def _data(**kwargs: Any) -> dict[str, Any]:
    data = dict(kwargs)
    data["title"] = (data.get("title") or "").strip()
    data["description"] = data.get("description") or ""
    data["owner"] = (data.get("owner") or "").strip()
    data["source"] = data.get("source") or TaskSource.PROGRAMME
    return data


@transaction.atomic
def task_create(
    *,
    actor: Any,
    unit: OrgUnit,
    title: str,
    start_on: dt.date,
    deadline: dt.date,
    source: str = TaskSource.PROGRAMME,
    owner: str = "",
    description: str = "",
) -> KeyTask:
    """One of the unit's own key tasks."""
    require_writable(actor, unit)
    data = _data(
        unit=unit,
        title=title,
        start_on=start_on,
        deadline=deadline,
        source=source,
        owner=owner,
        description=description,
    )
    problems = Problems()
    _check_fields(problems, data)
    _check_unit(problems, unit, start_on)
    problems.raise_if_any()
    return _create(actor, data)


@transaction.atomic
def task_hand_down(
    *,
    actor: Any,
    by: OrgUnit,
    units: Iterable[OrgUnit],
    titles: Iterable[str],
    start_on: dt.date,
    deadline: dt.date,
    source: str = TaskSource.UPPER,
    owner: str = "",
    description: str = "",
    parent: KeyTask | None = None,
) -> list[KeyTask]:
    """``by`` hands each of ``titles`` to each of ``units`` (units in its subtree on ``start_on``): one
    task per title and unit, all or none."""
    require_writable(actor, by)
    units = list(dict.fromkeys(units))
    titles = [t.strip() for t in titles if t and t.strip()]
    data = _data(
        title="-", start_on=start_on, deadline=deadline, source=source, owner=owner, description=description
    )
    problems = Problems()
    _check_fields(problems, data)
    if not titles:
        problems.add("titles", "Chưa nhập nhiệm vụ nào.")
    for title in titles:
        if len(title) > 300:
            problems.add("titles", "Nhiệm vụ «%(title)s…» dài quá 300 ký tự.", title=title[:40])
    if not units:
        problems.add("units", "Chưa chọn đơn vị nhận nhiệm vụ.")
    for unit in units:
        _check_handed(problems, by, unit, start_on)
        _check_unit(problems, unit, start_on, field="units")
    _check_parent(problems, parent, by)
    problems.raise_if_any()
    return [
        _create(actor, {**data, "title": title, "unit": unit, "assigned_by": by, "parent": parent})
        for unit in units
        for title in titles
    ]


@transaction.atomic
def task_update(*, actor: Any, task: KeyTask, **fields: Any) -> KeyTask:
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"task_update cannot change {sorted(unknown)}")
    require_writable(actor, task.unit)
    task = KeyTask.objects.select_for_update().get(pk=task.pk)
    data = {key: getattr(task, key) for key in UPDATABLE}
    data.update(fields)
    data = _data(**data)
    problems = Problems()
    _check_fields(problems, data)
    _check_unit(problems, task.unit, data["start_on"])
    if task.done_on and data["start_on"] and task.done_on < data["start_on"]:
        problems.add(
            "start_on",
            "Nhiệm vụ đã hoàn thành ngày %(done)s, trước ngày bắt đầu mới.",
            done=format_date(task.done_on),
        )
    problems.raise_if_any()
    model_update(actor=actor, instance=task, fields=data, unit=task.unit)
    return task


def _locked(task: KeyTask) -> KeyTask:
    return KeyTask.objects.select_for_update().select_related("unit").get(pk=task.pk)


@transaction.atomic
def task_start(*, actor: Any, task: KeyTask) -> KeyTask:
    require_writable(actor, task.unit)
    task = _locked(task)
    return state_step(
        actor=actor,
        instance=task,
        allowed=[TaskStatus.OPEN],
        to=TaskStatus.IN_PROGRESS,
        action="bắt đầu thực hiện",
        unit=task.unit,
        state_field="status",
    )


def _check_file(problems: Problems, upload: Any) -> None:
    if upload is None:
        return
    name = str(getattr(upload, "name", "")).lower()
    if not name.endswith(EVIDENCE_TYPES):
        problems.add(
            "evidence_file",
            "Tệp minh chứng «%(name)s» không đúng loại (PDF, Word, Excel, ảnh JPG/PNG hoặc ZIP).",
            name=getattr(upload, "name", ""),
        )
    elif (getattr(upload, "size", 0) or 0) > MAX_EVIDENCE_BYTES:
        problems.add("evidence_file", "Tệp minh chứng lớn quá 20 MB.")


@transaction.atomic
def task_complete(
    *,
    actor: Any,
    task: KeyTask,
    done_on: dt.date,
    evidence: str = "",
    evidence_file: Any = None,
) -> KeyTask:
    """Mark the task done on ``done_on`` with its evidence (a text, a file, or both)."""
    require_writable(actor, task.unit)
    task = _locked(task)
    evidence = (evidence or "").strip()
    problems = Problems()
    if done_on is None:
        problems.add("done_on", "Chưa nhập ngày hoàn thành.")
    else:
        if done_on > timezone.localdate():
            problems.add("done_on", "Ngày hoàn thành %(day)s ở tương lai.", day=format_date(done_on))
        if done_on < task.start_on:
            problems.add(
                "done_on",
                "Ngày hoàn thành %(day)s trước ngày bắt đầu %(start)s.",
                day=format_date(done_on),
                start=format_date(task.start_on),
            )
    if not evidence and evidence_file is None and not task.evidence_file:
        problems.add("evidence", "Cần minh chứng kết quả hoàn thành (nội dung hoặc tệp đính kèm).")
    _check_file(problems, evidence_file)
    if task.status not in PENDING:
        problems.add(
            "status",
            "Không thể đánh dấu hoàn thành «%(task)s»: đang ở trạng thái «%(state)s».",
            task=task.title,
            state=task.get_status_display(),
        )
    problems.raise_if_any()
    fields: dict[str, Any] = {"evidence": evidence or task.evidence}
    if evidence_file is not None:
        fields["evidence_file"] = evidence_file
    return state_step(
        actor=actor,
        instance=task,
        allowed=PENDING,
        to=TaskStatus.DONE,
        action="đánh dấu hoàn thành",
        unit=task.unit,
        dates={"done_on": done_on},
        fields=fields,
        state_field="status",
    )


@transaction.atomic
def task_cancel(*, actor: Any, task: KeyTask, reason: str) -> KeyTask:
    require_writable(actor, task.unit)
    task = _locked(task)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": "Cần ghi lý do hủy nhiệm vụ."})
    return state_step(
        actor=actor,
        instance=task,
        allowed=PENDING,
        to=TaskStatus.CANCELLED,
        action="hủy",
        unit=task.unit,
        fields={"cancel_reason": reason[:300]},
        state_field="status",
        note=reason,
    )


@transaction.atomic
def task_reopen(*, actor: Any, task: KeyTask) -> KeyTask:
    """A task marked done or cancelled by mistake goes back to "in progress" (its evidence kept)."""
    require_writable(actor, task.unit)
    task = _locked(task)
    return state_step(
        actor=actor,
        instance=task,
        allowed=[TaskStatus.DONE, TaskStatus.CANCELLED],
        to=TaskStatus.IN_PROGRESS,
        action="mở lại",
        unit=task.unit,
        dates={"done_on": None},
        fields={"cancel_reason": ""},
        state_field="status",
    )
