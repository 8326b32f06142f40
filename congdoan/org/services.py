"""Every write to org units, their dated links, employers and clusters: validated, atomic, audited.

``actor`` is the user making the change; ``None`` means the system itself (CLI run by an operator,
the demo loader). A user may only change units in their writable scope; anything else is 404.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congdoan.accounts.permissions import is_global, require_writable
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.concurrency import check_version
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.registry import units_changed
from congdoan.core.services import Problems, model_update
from congdoan.core.text import nfc

from . import tree
from .models import UNIT_LEVEL, ClusterMember, Employer, EmulationCluster, OrgLink, OrgUnit, Sector, UnitType
from .selectors import employer_in_unit

UNIT_FIELDS = [
    "code",
    "name",
    "short_name",
    "type",
    "sector",
    "address",
    "phone",
    "email",
    "founded_on",
    "dissolved_on",
]
EMPLOYER_FIELDS = ["name", "tax_code", "sector", "address", "workforce", "pays_union_funding", "unit", "cdcs"]
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
TAX_CODE_RE = re.compile(r"^\d{10}(\d{3})?$")


def current_link(unit: OrgUnit, on: dt.date) -> OrgLink | None:
    return (
        OrgLink.objects.filter(child=unit, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .first()
    )


def _check_parent(child_type: str, parent: OrgUnit, on: dt.date) -> None:
    if UNIT_LEVEL[parent.type] >= UNIT_LEVEL[child_type]:
        raise ValidationError(
            "Đơn vị loại «%(child)s» không thể trực thuộc đơn vị loại «%(parent)s».",
            params={"child": UnitType(child_type).label, "parent": parent.get_type_display()},
            code="level",
        )
    if not parent.is_alive_on(on):
        raise ValidationError(
            "Đơn vị cấp trên «%(parent)s» không hoạt động vào ngày %(day)s.",
            params={"parent": parent.name, "day": format_date(on)},
            code="parent_not_alive",
        )


def validate_unit_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check a unit's own fields; raises one ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    clean = dict(data)
    for key in ("name", "short_name", "address"):
        if clean.get(key) is not None:
            clean[key] = nfc(str(clean[key]))
    code = str(clean.get("code") or "").strip()
    clean["code"] = code
    if not CODE_RE.match(code):
        errors.setdefault("code", []).append(
            "Mã đơn vị chỉ gồm chữ không dấu, số, dấu gạch (-, _, .), tối đa 32 ký tự."
        )
    if not clean.get("name"):
        errors.setdefault("name", []).append("Chưa nhập tên đơn vị.")
    if clean.get("type") not in UnitType.values:
        errors.setdefault("type", []).append("Loại đơn vị không hợp lệ.")
    if clean.get("sector") and clean["sector"] not in Sector.values:
        errors.setdefault("sector", []).append("Khu vực không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    type: str,
    parent: OrgUnit | None,
    valid_from: dt.date | None = None,
    sector: str = "",
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    founded_on: dt.date | None = None,
) -> OrgUnit:
    """Create a unit and, unless it is a top unit, its link to ``parent`` from ``valid_from``."""
    data = validate_unit_fields(
        {
            "code": code,
            "name": name,
            "type": type,
            "sector": sector,
            "short_name": short_name,
            "address": address,
            "phone": phone,
            "email": email,
            "founded_on": founded_on,
        }
    )
    start = valid_from or founded_on or timezone.localdate()
    if parent is None and actor is not None and not is_global(actor):
        raise ValidationError({"parent": ["Chưa chọn đơn vị cấp trên."]})
    if parent is not None:
        require_writable(actor, parent, on=start)
        _check_parent(data["type"], parent, start)
    if OrgUnit.objects.filter(code=data["code"]).exists():
        raise ValidationError({"code": [f"Mã đơn vị «{data['code']}» đã được dùng."]})
    unit = OrgUnit(**data)
    unit.full_clean()
    unit.save()
    if parent is not None:
        OrgLink.objects.create(child=unit, parent=parent, valid_from=start, reason="Thành lập")
    # The kept figures reading units (CĐCS counts …): from its founding, or every period if it has none.
    units_changed([unit.pk], _founding_dates(None, unit.founded_on, created=True))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=unit,
        unit=parent or unit,
        after={**snapshot(unit, UNIT_FIELDS), "parent": parent.code if parent else None, "from": str(start)},
    )
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: OrgUnit, expected_version: str | None = None, **fields: Any) -> OrgUnit:
    """Change a unit's own fields (not its place in the tree: that is ``unit_move``).

    ``expected_version``: the unit's version when the edit form was shown (``core.concurrency``); if
    someone saved the unit since, nothing is changed and a ValidationError says when."""
    require_writable(actor, unit)
    allowed = set(UNIT_FIELDS) - {"code", "dissolved_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unit_update cannot change {sorted(unknown)}")
    # Work on the locked, current row: the caller's copy may be stale (and saving it would put back
    # fields someone else changed meanwhile).
    check_version(unit, expected_version, what="Đơn vị")
    unit.refresh_from_db()
    data = validate_unit_fields({**snapshot(unit, UNIT_FIELDS), **fields, "code": unit.code})
    if data["type"] != unit.type:
        _check_type_change(unit, data["type"])
    before = (unit.type, unit.sector, unit.founded_on)
    model_update(
        actor=actor,
        instance=unit,
        fields={key: data[key] for key in fields},
        audit_fields=UNIT_FIELDS,
        unit=unit,
    )
    if (unit.type, unit.sector) != before[:2]:
        units_changed([unit.pk])  # every kept period
    elif unit.founded_on != before[2]:
        units_changed([unit.pk], _founding_dates(before[2], unit.founded_on))
    return unit


def _founding_dates(old: dt.date | None, new: dt.date | None, *, created: bool = False) -> list[dt.date]:
    """The dates to give ``units_changed`` for a founding date changed from ``old`` to ``new``: both,
    or none (every kept period) when either is empty — a unit without a founding date has always been
    there. A new unit counted nowhere before starts at ``new`` (``old`` does not matter)."""
    if created:
        return [new] if new is not None else []
    return [old, new] if old is not None and new is not None else []


def _check_type_change(unit: OrgUnit, new_type: str) -> None:
    """A new type must still sit below today's parent and above today's children."""
    today = timezone.localdate()
    link = current_link(unit, today)
    if link is not None:
        _check_parent(new_type, link.parent, today)
    child_types = OrgUnit.objects.filter(
        parent_links__in=OrgLink.objects.filter(parent=unit, valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=today)
        )
    ).values_list("type", flat=True)
    if any(UNIT_LEVEL[t] <= UNIT_LEVEL[new_type] for t in child_types):
        raise ValidationError({"type": ["Loại đơn vị mới không phù hợp với các đơn vị đang trực thuộc."]})


def _check_alive(unit: OrgUnit, on: dt.date) -> None:
    if unit.founded_on and on < unit.founded_on:
        raise ValidationError(
            "Ngày %(day)s trước ngày thành lập đơn vị «%(unit)s» (%(founded)s).",
            params={"day": format_date(on), "unit": unit.name, "founded": format_date(unit.founded_on)},
            code="before_founded",
        )
    if unit.dissolved_on and on >= unit.dissolved_on:
        raise ValidationError(
            "Đơn vị «%(unit)s» đã chấm dứt hoạt động từ ngày %(end)s.",
            params={"unit": unit.name, "end": format_date(unit.dissolved_on)},
            code="ended",
        )


def _relink(unit: OrgUnit, new_parent: OrgUnit | None, on: dt.date, reason: str) -> OrgLink | None:
    """End the unit's link on ``on`` and start one to ``new_parent``; refuses to rewrite later history."""
    later = OrgLink.objects.filter(child=unit, valid_from__gt=on).order_by("valid_from").first()
    if later is not None:
        raise ValidationError(
            "Đơn vị «%(unit)s» đã có thay đổi trực thuộc từ ngày %(later)s; "
            "không thể ghi thay đổi vào ngày %(day)s trước đó.",
            params={"unit": unit.name, "later": format_date(later.valid_from), "day": format_date(on)},
            code="later_history",
        )
    first = OrgLink.objects.filter(child=unit).order_by("valid_from").first()
    if first is not None and on < first.valid_from:
        raise ValidationError(
            "Ngày %(day)s trước ngày đơn vị «%(unit)s» bắt đầu trực thuộc (%(start)s).",
            params={"day": format_date(on), "unit": unit.name, "start": format_date(first.valid_from)},
            code="before_start",
        )
    link = current_link(unit, on)
    if link is not None:
        if link.valid_from == on:
            # A change on the same day the link began replaces it instead of leaving a zero-day link.
            link.delete()
        else:
            link.valid_to = on
            link.save(update_fields=["valid_to"])
    if new_parent is None:
        return None
    return OrgLink.objects.create(child=unit, parent=new_parent, valid_from=on, reason=reason)


@transaction.atomic
def unit_move(*, actor: Any, unit: OrgUnit, new_parent: OrgUnit, on: dt.date, reason: str = "") -> OrgLink:
    """From day ``on``, ``unit`` (with its whole subtree) sits under ``new_parent``."""
    return units_move(actor=actor, units=[unit], new_parent=new_parent, on=on, reason=reason)[0]


@transaction.atomic
def units_move(
    *, actor: Any, units: list[OrgUnit], new_parent: OrgUnit, on: dt.date, reason: str = ""
) -> list[OrgLink]:
    """Move several units under ``new_parent`` from ``on`` in a handful of queries (restructurings move
    thousands of CĐCS at once). All or nothing: any unit that cannot move stops the whole move."""
    if not units:
        return []
    for unit in units:
        _check_alive(unit, on)
    require_writable(actor, *units, new_parent, on=on)
    ids = {unit.pk for unit in units}
    # A cycle: the new parent is one of the moved units or sits under one of them.
    chain = [new_parent.pk, *tree.ancestor_ids(new_parent.pk, on)]
    caught = next((pk for pk in chain if pk in ids), None)
    if caught is not None:
        unit = next(u for u in units if u.pk == caught)
        raise ValidationError(
            "Không thể chuyển «%(unit)s» vào «%(parent)s» vì «%(parent)s» đang trực thuộc «%(unit)s».",
            params={"unit": unit.name, "parent": new_parent.name},
            code="cycle",
        )
    for unit in units:
        _check_parent(unit.type, new_parent, on)
    later = OrgLink.objects.filter(child_id__in=ids, valid_from__gt=on).select_related("child").first()
    if later is not None:
        started = not OrgLink.objects.filter(child_id=later.child_id, valid_from__lte=on).exists()
        raise ValidationError(
            (
                "Ngày %(day)s trước ngày đơn vị «%(unit)s» bắt đầu trực thuộc (%(later)s)."
                if started
                else "Đơn vị «%(unit)s» đã có thay đổi trực thuộc từ ngày %(later)s; "
                "không thể ghi thay đổi vào ngày %(day)s trước đó."
            ),
            params={"unit": later.child.name, "later": format_date(later.valid_from), "day": format_date(on)},
            code="before_start" if started else "later_history",
        )
    current = {
        link.child_id: link
        for link in OrgLink.objects.filter(child_id__in=ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("parent")
    }
    same = next((u for u in units if u.pk in current and current[u.pk].parent_id == new_parent.pk), None)
    if same is not None:
        raise ValidationError(
            "Đơn vị «%(unit)s» đã trực thuộc «%(parent)s» vào ngày %(day)s.",
            params={"unit": same.name, "parent": new_parent.name, "day": format_date(on)},
            code="same_parent",
        )
    # A change on the day a link began replaces that link instead of leaving a zero-day one.
    OrgLink.objects.filter(pk__in=[link.pk for link in current.values() if link.valid_from == on]).delete()
    OrgLink.objects.filter(pk__in=[link.pk for link in current.values() if link.valid_from < on]).update(
        valid_to=on
    )
    note = reason or "Chuyển đơn vị cấp trên"
    links = OrgLink.objects.bulk_create(
        OrgLink(child=unit, parent=new_parent, valid_from=on, reason=note) for unit in units
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=user,
            action=AuditEntry.Action.MOVE,
            object_type="org.orgunit",
            object_id=unit.code,
            object_repr=unit.name[:255],
            unit=new_parent,
            before={"parent": current[unit.pk].parent.code if unit.pk in current else None},
            after={"parent": new_parent.code, "from": str(on)},
            note=reason[:255],
        )
        for unit in units
    )
    return links


def _end_unit(actor: Any, unit: OrgUnit, on: dt.date, children_to: OrgUnit | None, reason: str) -> int:
    """Move the unit's live children to ``children_to`` from ``on``, end its own link, mark it ended."""
    live_children = list(
        OrgUnit.objects.filter(
            parent_links__in=OrgLink.objects.filter(parent=unit, valid_from__lte=on).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gt=on)
            )
        )
    )
    if live_children and children_to is None:
        raise ValidationError(
            "Đơn vị «%(unit)s» còn %(n)s đơn vị trực thuộc; hãy chọn đơn vị tiếp nhận.",
            params={"unit": unit.name, "n": len(live_children)},
            code="has_children",
        )
    if children_to is not None:
        units_move(actor=actor, units=live_children, new_parent=children_to, on=on, reason=reason)
    _relink(unit, None, on, reason)
    unit.dissolved_on = on
    return len(live_children)


@transaction.atomic
def unit_dissolve(
    *, actor: Any, unit: OrgUnit, on: dt.date, children_to: OrgUnit | None = None, reason: str = ""
) -> OrgUnit:
    """The unit ends on ``on`` (its last day is the day before); its children pass to ``children_to``."""
    _check_alive(unit, on)
    targets = [unit] + ([children_to] if children_to else [])
    require_writable(actor, *targets, on=on)
    if children_to is not None:
        _check_alive(children_to, on)
        if children_to.pk in tree.subtree_ids(unit.pk, on):
            raise ValidationError("Đơn vị tiếp nhận không được là đơn vị trực thuộc đơn vị bị giải thể.")
    moved = _end_unit(actor, unit, on, children_to, reason or "Giải thể")
    unit.save(update_fields=["dissolved_on", "updated_at"])
    units_changed([unit.pk], [on])  # alive until the day before: the periods ending from ``on`` change
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DISSOLVE,
        obj=unit,
        unit=unit,
        after={
            "dissolved_on": str(on),
            "children_to": children_to.code if children_to else None,
            "children_moved": moved,
        },
        note=reason,
    )
    return unit


@transaction.atomic
def unit_merge(*, actor: Any, unit: OrgUnit, into: OrgUnit, on: dt.date, reason: str = "") -> OrgUnit:
    """``unit`` joins ``into`` on ``on``: its children and its later records go to ``into``."""
    if unit.pk == into.pk:
        raise ValidationError("Không thể hợp nhất một đơn vị vào chính nó.")
    _check_alive(unit, on)
    _check_alive(into, on)
    require_writable(actor, unit, into, on=on)
    if into.pk in tree.subtree_ids(unit.pk, on):
        raise ValidationError("Đơn vị tiếp nhận không được là đơn vị trực thuộc đơn vị bị hợp nhất.")
    moved = _end_unit(actor, unit, on, into, reason or "Hợp nhất")
    unit.merged_into = into
    unit.save(update_fields=["dissolved_on", "merged_into", "updated_at"])
    units_changed([unit.pk], [on])  # as a dissolution; ``into`` keeps its own attributes
    # Records that live on after the merge follow the unit into its successor.
    employers = Employer.objects.filter(unit=unit).update(unit=into)
    Employer.objects.filter(cdcs=unit).update(cdcs=into if into.is_grassroots else None)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.MERGE,
        obj=unit,
        unit=into,
        after={
            "merged_into": into.code,
            "on": str(on),
            "children_moved": moved,
            "employers_moved": employers,
        },
        note=reason,
    )
    return unit


# -- employers ---------------------------------------------------------------------------------


def validate_tax_code(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    digits = re.sub(r"[\s-]", "", str(value))
    if not TAX_CODE_RE.match(digits):
        raise ValidationError({"tax_code": ["Mã số thuế phải gồm 10 hoặc 13 chữ số."]})
    return digits


def _clean_employer(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean = dict(data)
    clean["name"] = nfc(str(clean.get("name") or ""))
    clean["address"] = nfc(str(clean.get("address") or ""))
    if not clean["name"]:
        errors["name"] = ["Chưa nhập tên đơn vị sử dụng lao động."]
    try:
        clean["tax_code"] = validate_tax_code(clean.get("tax_code"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if clean.get("sector") not in Sector.values:
        errors["sector"] = ["Khu vực không hợp lệ."]
    cdcs = clean.get("cdcs")
    if cdcs is not None and not cdcs.is_grassroots:
        errors["cdcs"] = ["Chỉ chọn được công đoàn cơ sở hoặc nghiệp đoàn."]
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def employer_create(*, actor: Any, **fields: Any) -> Employer:
    data = _clean_employer(fields)
    require_writable(actor, *[u for u in (data["unit"], data.get("cdcs")) if u])
    if data["tax_code"] and Employer.objects.filter(tax_code=data["tax_code"]).exists():
        raise ValidationError({"tax_code": [f"Mã số thuế {data['tax_code']} đã có trong hệ thống."]})
    employer = Employer(**data)
    employer.full_clean()
    employer.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=employer,
        unit=employer.unit,
        after=snapshot(employer, EMPLOYER_FIELDS),
    )
    return employer


@transaction.atomic
def employer_update(*, actor: Any, employer: Employer, **fields: Any) -> Employer:
    require_writable(actor, employer.unit)
    current = {name: getattr(employer, name) for name in EMPLOYER_FIELDS}
    data = _clean_employer({**current, **fields})
    require_writable(actor, *[u for u in (data["unit"], data.get("cdcs")) if u])
    if (
        data["tax_code"]
        and Employer.objects.filter(tax_code=data["tax_code"]).exclude(pk=employer.pk).exists()
    ):
        raise ValidationError({"tax_code": [f"Mã số thuế {data['tax_code']} đã có trong hệ thống."]})
    model_update(actor=actor, instance=employer, fields=data, audit_fields=EMPLOYER_FIELDS, unit=data["unit"])
    return employer


# -- emulation clusters ------------------------------------------------------------------------


@transaction.atomic
def cluster_create(
    *,
    actor: Any,
    name: str,
    year: int,
    organiser: OrgUnit,
    members: list[OrgUnit],
    leader: OrgUnit | None = None,
    deputy: OrgUnit | None = None,
) -> EmulationCluster:
    """A cụm thi đua for ``year``; leader and deputy must be among its members."""
    require_writable(actor, organiser)
    member_ids = {m.pk for m in members}
    for role_unit, label in ((leader, "Cụm trưởng"), (deputy, "Cụm phó")):
        if role_unit is not None and role_unit.pk not in member_ids:
            raise ValidationError(f"{label} phải là thành viên của cụm.")
    if leader is not None and deputy is not None and leader.pk == deputy.pk:
        raise ValidationError("Cụm trưởng và cụm phó phải là hai đơn vị khác nhau.")
    cluster = EmulationCluster(name=nfc(name), year=year, organiser=organiser)
    cluster.full_clean()
    cluster.save()
    roles = {}
    if leader is not None:
        roles[leader.pk] = ClusterMember.Role.LEADER
    if deputy is not None:
        roles[deputy.pk] = ClusterMember.Role.DEPUTY
    ClusterMember.objects.bulk_create(
        ClusterMember(cluster=cluster, unit=m, role=roles.get(m.pk, ClusterMember.Role.MEMBER))
        for m in members
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=cluster,
        object_id=str(cluster.pk),
        unit=organiser,
        after={
            "name": cluster.name,
            "year": year,
            "members": [m.code for m in members],
            "leader": leader.code if leader else None,
            "deputy": deputy.code if deputy else None,
        },
    )
    return cluster


def employer_problem(
    problems: Problems, employer: Employer | None, unit: OrgUnit, day: dt.date | None
) -> None:
    """Add the refusal of an employer outside ``unit``'s subtree (inspections, disputes)."""
    if employer is None:
        problems.add("employer", "Chưa chọn đơn vị sử dụng lao động.")
    elif day is not None and not employer_in_unit(employer, unit, day):
        problems.add(
            "employer",
            "«%(employer)s» không thuộc phạm vi của «%(unit)s» vào ngày %(day)s.",
            employer=employer.name,
            unit=unit.name,
            day=format_date(day),
        )
