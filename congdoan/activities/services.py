"""Every write to activities: validated (every problem at once, ``core.services.Problems``), atomic,
audited, scoped by ``actor`` (``require_writable``: out of scope is 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.permissions import require_writable
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date, format_number
from congdoan.core.models import AuditEntry
from congdoan.core.registry import records_changed
from congdoan.core.services import Problems, model_update
from congdoan.org.models import OrgUnit

from .models import Activity, ActivityKind, ActivityPhoto

FIELDS = ["kind", "unit", "held_on", "title", "place", "sessions", "participants", "women", "cost", "notes"]
UPDATABLE = {"kind", "held_on", "title", "place", "sessions", "participants", "women", "cost", "notes"}
# The records' name for ``core.registry.records_changed`` (the kept figures of ``indicators.leaf``).
SOURCE = "activities"

PHOTO_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 20


def _whole(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def check(data: dict[str, Any]) -> Problems:
    """Every problem of an activity's values (``data`` as the model's fields)."""
    problems = Problems()
    kind: ActivityKind | None = data.get("kind")
    unit: OrgUnit = data["unit"]
    held_on: dt.date | None = data.get("held_on")
    if kind is None:
        problems.add("kind", "Chưa chọn loại hoạt động.")
    elif not kind.active:
        problems.add("kind", "Loại hoạt động «%(kind)s» không còn được dùng.", kind=kind.name)
    if held_on is None:
        problems.add("held_on", "Chưa nhập ngày tổ chức.")
    else:
        if held_on > timezone.localdate():
            problems.add("held_on", "Ngày tổ chức %(day)s ở tương lai.", day=format_date(held_on))
        if not unit.is_alive_on(held_on):
            problems.add(
                "held_on",
                "«%(unit)s» không hoạt động vào ngày %(day)s.",
                unit=unit.name,
                day=format_date(held_on),
            )
    if not (data.get("title") or "").strip():
        problems.add("title", "Chưa nhập nội dung hoạt động.")
    sessions = _whole(data.get("sessions"))
    if sessions is None or sessions < 1:
        problems.add("sessions", "Số cuộc, buổi phải là số nguyên từ 1 trở lên.")
    participants = _whole(data.get("participants"))
    women = _whole(data.get("women"))
    if participants is None or participants < 0:
        problems.add("participants", "Số lượt tham gia phải là số nguyên không âm.")
    if women is None or women < 0:
        problems.add("women", "Số lượt nữ phải là số nguyên không âm.")
    if participants is not None and women is not None and 0 <= participants < women:
        problems.add(
            "women",
            "Số lượt nữ (%(women)s) không được lớn hơn tổng số lượt tham gia (%(participants)s).",
            women=format_number(women),
            participants=format_number(participants),
        )
    cost = _whole(data.get("cost"))
    if cost is None:
        problems.add("cost", "Kinh phí phải là số đồng nguyên.")
    elif cost < 0:
        problems.add("cost", "Kinh phí không được âm (%(cost)s đồng).", cost=format_number(cost))
    return problems


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    unit: OrgUnit,
    kind: ActivityKind,
    held_on: dt.date,
    title: str,
    place: str = "",
    sessions: int = 1,
    participants: int = 0,
    women: int = 0,
    cost: int = 0,
    notes: str = "",
) -> Activity:
    require_writable(actor, unit)
    data: dict[str, Any] = {
        "kind": kind,
        "unit": unit,
        "held_on": held_on,
        "title": (title or "").strip(),
        "place": (place or "").strip(),
        "sessions": sessions,
        "participants": participants,
        "women": women,
        "cost": cost,
        "notes": notes or "",
    }
    check(data).raise_if_any()
    activity = Activity(**data)
    activity.full_clean()
    activity.save()
    records_changed(SOURCE, [unit.pk], [held_on])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=activity,
        unit=unit,
        after=snapshot(activity, FIELDS),
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, **fields: Any) -> Activity:
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"activity_update cannot change {sorted(unknown)}")
    require_writable(actor, activity.unit)
    data = {key: getattr(activity, key) for key in FIELDS}
    data.update(fields)
    for key in ("title", "place"):
        data[key] = (data.get(key) or "").strip()
    check(data).raise_if_any()
    before = activity.held_on
    model_update(actor=actor, instance=activity, fields=data, audit_fields=FIELDS, unit=activity.unit)
    records_changed(SOURCE, [activity.unit_id], [before, activity.held_on])
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    require_writable(actor, activity.unit)
    unit_id, day = activity.unit_id, activity.held_on
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=activity,
        unit=activity.unit,
        before=snapshot(activity, FIELDS),
    )
    activity.delete()
    records_changed(SOURCE, [unit_id], [day])


@transaction.atomic
def photo_add(*, actor: Any, activity: Activity, name: str, data: bytes) -> ActivityPhoto:
    """A photo of the activity: JPEG or PNG by its content (not its name), at most 5 MB, 20 a record."""
    require_writable(actor, activity.unit)
    problems = Problems()
    kind = next((t for magic, t in PHOTO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        problems.add("photo", "Tệp «%(name)s» không phải ảnh JPEG hay PNG.", name=name)
    if len(data) > MAX_PHOTO_BYTES:
        problems.add("photo", "Ảnh «%(name)s» lớn hơn 5 MB.", name=name)
    if activity.photos.count() >= MAX_PHOTOS:
        problems.add("photo", "Mỗi hoạt động có tối đa %(n)s ảnh.", n=MAX_PHOTOS)
    problems.raise_if_any()
    assert kind is not None
    photo = ActivityPhoto.objects.create(activity=activity, name=name[:200], content_type=kind, data=data)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=photo,
        object_repr=name[:200],
        unit=activity.unit,
        after={"activity": activity.pk, "name": name[:200], "bytes": len(data)},
    )
    return photo
