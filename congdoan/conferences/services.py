"""Every write to conferences and dialogues: validated, atomic, audited, scoped by ``actor``.

Configuration: ``CONFERENCES_DIALOGUE_MIN_PER_SIDE`` (3, Decree 145/2020 Arts. 38–39) is the least
number of people on each side of a workplace dialogue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from congdoan.accounts.permissions import require_writable
from congdoan.bargaining.models import ENTERPRISE_SECTORS
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.registry import records_changed
from congdoan.core.services import model_update
from congdoan.org.models import Employer, OrgUnit, Sector

from .models import ANNUAL_KINDS, DIALOGUE_KINDS, Conference, ConferenceKind

FIELDS = ["unit", "employer", "kind", "year", "held_on", "employer_side", "employee_side", "notes"]
UPDATABLE = {"employer", "kind", "year", "held_on", "employer_side", "employee_side", "notes"}


def dialogue_min_per_side() -> int:
    return int(getattr(settings, "CONFERENCES_DIALOGUE_MIN_PER_SIDE", 3))


def _check(data: dict[str, Any], *, pk: int | None) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, **params: Any) -> None:
        errors.setdefault(field, []).append(ValidationError(message, params=params or None))

    unit: OrgUnit = data["unit"]
    kind: str = data["kind"]
    held_on: dt.date = data["held_on"]
    if kind not in ConferenceKind.values:
        add("kind", "Loại hội nghị, đối thoại không hợp lệ.")
    if held_on > timezone.localdate():
        add("held_on", "Ngày tổ chức %(day)s ở tương lai.", day=format_date(held_on))
    year = data.get("year") or held_on.year
    data["year"] = year
    if year != held_on.year:
        add("year", "Hội nghị năm %(year)s phải được tổ chức trong năm %(year)s.", year=year)
    if not unit.is_grassroots:
        add("unit", "«%(unit)s» không phải công đoàn cơ sở.", unit=unit.name)
    elif not unit.is_alive_on(held_on):
        add("unit", "«%(unit)s» không hoạt động vào ngày %(day)s.", unit=unit.name, day=format_date(held_on))
    if kind == ConferenceKind.WORKERS and unit.sector == Sector.HCSN:
        add(
            "kind",
            "«%(unit)s» thuộc khu vực hành chính sự nghiệp: tổ chức Hội nghị cán bộ, công chức, viên chức.",
            unit=unit.name,
        )
    if kind == ConferenceKind.CIVIL and unit.sector in ENTERPRISE_SECTORS:
        add("kind", "«%(unit)s» là công đoàn doanh nghiệp: tổ chức Hội nghị người lao động.", unit=unit.name)
    employer: Employer | None = data.get("employer")
    if employer is not None and employer.cdcs_id != unit.pk:
        add(
            "employer",
            "«%(employer)s» không do «%(unit)s» đại diện người lao động.",
            employer=employer.name,
            unit=unit.name,
        )
    for side in ("employer_side", "employee_side"):
        if data.get(side) is None or data[side] < 0:
            add(side, "Số người phải là số nguyên không âm.")
    if kind in DIALOGUE_KINDS:
        least = dialogue_min_per_side()
        if (data.get("employer_side") or 0) < least or (data.get("employee_side") or 0) < least:
            add(
                "employee_side",
                "Đối thoại tại nơi làm việc phải có ít nhất %(n)s người mỗi bên.",
                n=least,
            )
    if kind in ANNUAL_KINDS and not errors:
        others = Conference.objects.filter(unit=unit, kind=kind, year=year)
        other = (others.exclude(pk=pk) if pk is not None else others).first()
        if other is not None:
            add(
                "held_on",
                "«%(unit)s» đã tổ chức %(kind)s năm %(year)s (ngày %(day)s).",
                unit=unit.name,
                kind=ConferenceKind(kind).label,
                year=year,
                day=format_date(other.held_on),
            )
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]


# The records' name for ``core.registry.records_changed`` (the kept figures of ``indicators.leaf``).
SOURCE = "conferences"


@transaction.atomic
def conference_create(
    *,
    actor: Any,
    unit: OrgUnit,
    kind: str,
    held_on: dt.date,
    year: int | None = None,
    employer: Employer | None = None,
    employer_side: int = 0,
    employee_side: int = 0,
    notes: str = "",
) -> Conference:
    data: dict[str, Any] = {
        "unit": unit,
        "kind": kind,
        "held_on": held_on,
        "year": year,
        "employer": employer,
        "employer_side": employer_side,
        "employee_side": employee_side,
        "notes": notes or "",
    }
    require_writable(actor, unit)
    _check(data, pk=None)
    conference = Conference(**data)
    conference.full_clean()
    conference.save()
    records_changed(SOURCE, [unit.pk], [held_on])  # the kept figures, in this transaction
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=conference,
        unit=unit,
        after=snapshot(conference, FIELDS),
    )
    return conference


@transaction.atomic
def conference_update(*, actor: Any, conference: Conference, **fields: Any) -> Conference:
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"conference_update cannot change {sorted(unknown)}")
    require_writable(actor, conference.unit)
    data = {key: getattr(conference, key) for key in FIELDS}
    data.update(fields)
    if "held_on" in fields and "year" not in fields:
        data["year"] = None
    _check(data, pk=conference.pk)
    before = (conference.unit_id, conference.held_on)
    model_update(actor=actor, instance=conference, fields=data, audit_fields=FIELDS, unit=conference.unit)
    records_changed(SOURCE, [before[0], conference.unit_id], [before[1], conference.held_on])
    return conference
