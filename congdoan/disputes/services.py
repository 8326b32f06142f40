"""Every write to disputes, mediation steps and sentiment notes: validated (every problem at once),
atomic, audited, scoped. The employer must be in the recording unit's subtree
(``org.services.employer_problem``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.permissions import require_writable
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.services import Problems, model_update, state_step
from congdoan.org.models import Employer, OrgUnit
from congdoan.org.services import employer_problem

from .models import Dispute, DisputeKind, MediationStep, Outcome, SentimentNote

FIELDS = ["unit", "employer", "kind", "began_on", "ended_on", "workers", "demands", "union_role"]
UPDATABLE = {"kind", "began_on", "ended_on", "workers", "demands", "union_role"}


def _future(problems: Problems, field: str, label: str, day: dt.date | None) -> None:
    if day is not None and day > timezone.localdate():
        problems.add(field, "%(label)s %(day)s ở tương lai.", label=label, day=format_date(day))


def _check(data: dict[str, Any]) -> Problems:
    problems = Problems()
    unit: OrgUnit = data["unit"]
    began_on: dt.date | None = data.get("began_on")
    ended_on: dt.date | None = data.get("ended_on")
    if data.get("kind") not in DisputeKind.values:
        problems.add("kind", "Loại vụ việc không hợp lệ.")
    if began_on is None:
        problems.add("began_on", "Chưa nhập ngày xảy ra.")
    else:
        _future(problems, "began_on", "Ngày xảy ra", began_on)
        if not unit.is_alive_on(began_on):
            problems.add(
                "began_on",
                "«%(unit)s» không hoạt động vào ngày %(day)s.",
                unit=unit.name,
                day=format_date(began_on),
            )
        if ended_on is not None and ended_on < began_on:
            problems.add(
                "ended_on",
                "Ngày kết thúc %(end)s trước ngày xảy ra %(start)s.",
                end=format_date(ended_on),
                start=format_date(began_on),
            )
    _future(problems, "ended_on", "Ngày kết thúc", ended_on)
    workers = data.get("workers")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        problems.add("workers", "Số người lao động tham gia phải là số nguyên từ 1 trở lên.")
    if not (data.get("demands") or "").strip():
        problems.add("demands", "Chưa nhập yêu cầu của người lao động.")
    employer_problem(problems, data.get("employer"), unit, began_on)
    return problems


@transaction.atomic
def dispute_create(
    *,
    actor: Any,
    unit: OrgUnit,
    employer: Employer | None,
    kind: str,
    began_on: dt.date,
    workers: int,
    demands: str,
    union_role: str = "",
    ended_on: dt.date | None = None,
) -> Dispute:
    require_writable(actor, unit)
    data: dict[str, Any] = {
        "unit": unit,
        "employer": employer,
        "kind": kind,
        "began_on": began_on,
        "ended_on": ended_on,
        "workers": workers,
        "demands": (demands or "").strip(),
        "union_role": (union_role or "").strip(),
    }
    _check(data).raise_if_any()
    dispute = Dispute(**data)
    dispute.full_clean()
    dispute.save()
    audit_log(
        actor=actor, action=AuditEntry.Action.CREATE, obj=dispute, unit=unit, after=snapshot(dispute, FIELDS)
    )
    return dispute


@transaction.atomic
def dispute_update(*, actor: Any, dispute: Dispute, **fields: Any) -> Dispute:
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"dispute_update cannot change {sorted(unknown)}")
    require_writable(actor, dispute.unit)
    data = {key: getattr(dispute, key) for key in FIELDS}
    data.update(fields)
    _check(data).raise_if_any()
    model_update(actor=actor, instance=dispute, fields=data, audit_fields=FIELDS, unit=dispute.unit)
    return dispute


@transaction.atomic
def mediation_add(
    *, actor: Any, dispute: Dispute, held_on: dt.date, action: str, by: str = "", result: str = ""
) -> MediationStep:
    require_writable(actor, dispute.unit)
    problems = Problems()
    if not (action or "").strip():
        problems.add("action", "Chưa nhập nội dung bước hòa giải.")
    if held_on < dispute.began_on:
        problems.add(
            "held_on",
            "Ngày hòa giải %(day)s trước ngày xảy ra vụ việc %(start)s.",
            day=format_date(held_on),
            start=format_date(dispute.began_on),
        )
    _future(problems, "held_on", "Ngày hòa giải", held_on)
    if dispute.outcome != Outcome.PENDING:
        problems.add("__all__", "Vụ việc đã kết thúc; không thêm bước hòa giải.")
    problems.raise_if_any()
    step = MediationStep.objects.create(
        dispute=dispute,
        held_on=held_on,
        action=action.strip(),
        by=(by or "").strip(),
        result=(result or "").strip(),
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=dispute,
        unit=dispute.unit,
        after={"mediation": step.action[:200], "on": held_on.isoformat()},
        note="thêm bước hòa giải",
    )
    return step


@transaction.atomic
def dispute_close(
    *, actor: Any, dispute: Dispute, outcome: str, result: str, ended_on: dt.date | None = None
) -> Dispute:
    """Record the outcome (resolved, partly, failed) and the end day (default today)."""
    require_writable(actor, dispute.unit)
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    ended_on = ended_on or timezone.localdate()
    problems = Problems()
    if outcome not in (Outcome.RESOLVED, Outcome.PARTLY, Outcome.FAILED):
        problems.add("outcome", "Kết quả không hợp lệ.")
    if not (result or "").strip():
        problems.add("result", "Ghi kết quả giải quyết.")
    if ended_on < dispute.began_on:
        problems.add(
            "ended_on",
            "Ngày kết thúc %(end)s trước ngày xảy ra %(start)s.",
            end=format_date(ended_on),
            start=format_date(dispute.began_on),
        )
    _future(problems, "ended_on", "Ngày kết thúc", ended_on)
    problems.raise_if_any()
    return state_step(
        actor=actor,
        instance=dispute,
        allowed=[Outcome.PENDING],
        to=outcome,
        action="kết thúc",
        unit=dispute.unit,
        dates={"ended_on": ended_on},
        fields={"result": result.strip()},
        state_field="outcome",
    )


@transaction.atomic
def sentiment_note(
    *,
    actor: Any,
    unit: OrgUnit,
    employer: Employer | None,
    noted_on: dt.date,
    note: str,
    at_risk: bool = False,
) -> SentimentNote:
    require_writable(actor, unit)
    problems = Problems()
    if not (note or "").strip():
        problems.add("note", "Chưa nhập tình hình tư tưởng người lao động.")
    _future(problems, "noted_on", "Ngày ghi nhận", noted_on)
    employer_problem(problems, employer, unit, noted_on)
    problems.raise_if_any()
    assert employer is not None
    row = SentimentNote.objects.create(
        unit=unit, employer=employer, noted_on=noted_on, note=note.strip(), at_risk=bool(at_risk)
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=row,
        unit=unit,
        after={"employer": employer.pk, "noted_on": noted_on.isoformat(), "at_risk": bool(at_risk)},
    )
    return row
