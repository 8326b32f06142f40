"""Every write to inspections: validated (every problem at once), atomic, audited, scoped.

An inspection is made by a union at an employer of its own subtree: the employer's managing union or
its grassroots union must be under the inspecting unit on the first day (else refused, in Vietnamese).
"""

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

from .models import Inspection, InspectionKind, InspectionState

FIELDS = [
    "unit",
    "employer",
    "kind",
    "held_on",
    "ends_on",
    "team",
    "findings",
    "violations",
    "recommendations",
    "follow_up",
]
UPDATABLE = {"kind", "held_on", "ends_on", "team", "findings", "violations", "recommendations", "follow_up"}


def _check(data: dict[str, Any]) -> Problems:
    problems = Problems()
    unit: OrgUnit = data["unit"]
    held_on: dt.date | None = data.get("held_on")
    ends_on: dt.date | None = data.get("ends_on")
    if data.get("kind") not in InspectionKind.values:
        problems.add("kind", "Nội dung kiểm tra, giám sát không hợp lệ.")
    if held_on is None:
        problems.add("held_on", "Chưa nhập ngày bắt đầu.")
    else:
        if held_on > timezone.localdate():
            problems.add("held_on", "Ngày bắt đầu %(day)s ở tương lai.", day=format_date(held_on))
        if not unit.is_alive_on(held_on):
            problems.add(
                "held_on",
                "«%(unit)s» không hoạt động vào ngày %(day)s.",
                unit=unit.name,
                day=format_date(held_on),
            )
        if ends_on is not None and ends_on < held_on:
            problems.add(
                "ends_on",
                "Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s.",
                end=format_date(ends_on),
                start=format_date(held_on),
            )
    if not (data.get("team") or "").strip():
        problems.add("team", "Chưa nhập thành phần đoàn kiểm tra, giám sát.")
    employer_problem(problems, data.get("employer"), unit, held_on)
    return problems


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    unit: OrgUnit,
    employer: Employer | None,
    kind: str,
    held_on: dt.date,
    team: str,
    ends_on: dt.date | None = None,
    findings: str = "",
    violations: bool = False,
    recommendations: str = "",
    follow_up: str = "",
) -> Inspection:
    require_writable(actor, unit)
    data: dict[str, Any] = {
        "unit": unit,
        "employer": employer,
        "kind": kind,
        "held_on": held_on,
        "ends_on": ends_on,
        "team": (team or "").strip(),
        "findings": (findings or "").strip(),
        "violations": bool(violations),
        "recommendations": (recommendations or "").strip(),
        "follow_up": (follow_up or "").strip(),
    }
    _check(data).raise_if_any()
    inspection = Inspection(**data)
    inspection.full_clean()
    inspection.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=inspection,
        unit=unit,
        after=snapshot(inspection, FIELDS),
    )
    return inspection


@transaction.atomic
def inspection_update(*, actor: Any, inspection: Inspection, **fields: Any) -> Inspection:
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"inspection_update cannot change {sorted(unknown)}")
    require_writable(actor, inspection.unit)
    data = {key: getattr(inspection, key) for key in FIELDS}
    data.update(fields)
    _check(data).raise_if_any()
    model_update(actor=actor, instance=inspection, fields=data, audit_fields=FIELDS, unit=inspection.unit)
    return inspection


@transaction.atomic
def inspection_close(
    *, actor: Any, inspection: Inspection, follow_up: str, on: dt.date | None = None
) -> Inspection:
    """End the follow-up: what the employer corrected (required), on ``on`` (default today)."""
    require_writable(actor, inspection.unit)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    on = on or timezone.localdate()
    problems = Problems()
    if not (follow_up or "").strip():
        problems.add("follow_up", "Ghi kết quả theo dõi khắc phục trước khi kết thúc.")
    if on < inspection.held_on:
        problems.add("closed_on", "Ngày kết thúc theo dõi trước ngày bắt đầu kiểm tra.")
    if on > timezone.localdate():
        problems.add("closed_on", "Ngày kết thúc theo dõi %(day)s ở tương lai.", day=format_date(on))
    problems.raise_if_any()
    return state_step(
        actor=actor,
        instance=inspection,
        allowed=[InspectionState.FOLLOWING],
        to=InspectionState.CLOSED,
        action="kết thúc theo dõi",
        unit=inspection.unit,
        dates={"closed_on": on},
        fields={"follow_up": follow_up.strip()},
    )
