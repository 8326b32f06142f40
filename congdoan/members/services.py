"""Every write to people and memberships: validated, atomic, audited, scoped by ``actor``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from congdoan.accounts.permissions import require_writable
from congdoan.accounts.scope import scope_for
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.registry import records_changed
from congdoan.core.services import model_update
from congdoan.core.text import nfc
from congdoan.org.models import OrgUnit

from . import validation
from .models import Membership, Person, WorkforceCount

PERSON_FIELDS = [
    "full_name",
    "birth_date",
    "union_join_date",
    "gender",
    "cccd",
    "legacy_id",
    "phone",
    "email",
    "ethnicity",
    "education",
    "job",
    "address",
    "nationality",
    "contract_months",
]
MEMBERSHIP_FIELDS = ["cdcs", "join_date", "card_number", "status", "end_date", "end_reason"]


# The records' name for ``core.registry.records_changed`` (the kept figures of ``indicators.leaf``).
SOURCE = "memberships"
WORKFORCE = "workforce"  # the CĐCS's workforce counts (``workers_total``)


def clean_person(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise a person's fields; one ValidationError lists every bad field."""
    errors: dict[str, list[str]] = {}
    clean = dict(data)

    def attempt(field: str, fn: Any) -> None:
        try:
            fn()
        except ValueError as exc:
            errors.setdefault(field, []).append(str(exc))

    attempt(
        "full_name",
        lambda: clean.__setitem__("full_name", validation.normalize_name(clean.get("full_name", ""))),
    )
    if clean.get("gender") not in ("M", "F"):
        attempt(
            "gender", lambda: clean.__setitem__("gender", validation.parse_gender(clean.get("gender") or ""))
        )
    attempt("phone", lambda: clean.__setitem__("phone", validation.normalize_phone(clean.get("phone") or "")))
    attempt("birth_date", lambda: validation.check_birth_date(clean.get("birth_date")))
    attempt("union_join_date", lambda: validation.check_union_join_date(clean.get("union_join_date")))
    if clean.get("cccd"):

        def cccd() -> None:
            checked = validation.check_cccd(
                clean["cccd"], birth_date=clean.get("birth_date"), gender=clean.get("gender")
            )
            clean["cccd"], clean["legacy_id"] = checked.value, checked.legacy

        attempt("cccd", cccd)
    else:
        clean["cccd"], clean["legacy_id"] = None, False
    for key in ("ethnicity", "education", "job", "address"):
        clean[key] = nfc(str(clean.get(key) or ""))
    clean["nationality"] = (clean.get("nationality") or "VN").upper()
    if errors:
        raise ValidationError(errors)
    return clean


def _one_active(person: Person, exclude: Membership | None = None) -> None:
    if not getattr(settings, "MEMBERS_ONE_ACTIVE_MEMBERSHIP", True):
        return
    active = person.memberships.filter(status=Membership.Status.ACTIVE)
    if exclude is not None:
        active = active.exclude(pk=exclude.pk)
    current = active.select_related("cdcs").first()
    if current is not None:
        raise ValidationError(
            "%(name)s đang sinh hoạt tại %(cdcs)s; hãy làm thủ tục chuyển sinh hoạt.",
            params={"name": person.full_name, "cdcs": current.cdcs.name},
            code="already_member",
        )


# The rule for a CCCD already on file (docs/members-privacy.md, "Một số CCCD đã có hồ sơ"): a person
# is linked to a new membership, or changed by an import, only by a user whose writable scope holds
# the person's current membership (or, for one who has left, the last one). Anyone else gets this
# message, the same whatever the person's name, unit or status, and asks for a transfer instead.
MSG_HELD_ELSEWHERE = (
    "Số CCCD này đã có trong hồ sơ đoàn viên do đơn vị ngoài phạm vi của bạn quản lý; hệ thống không "
    "kết nạp lại và không hiện thông tin của hồ sơ đó. Hãy đề nghị công đoàn cấp trên làm thủ tục chuyển "
    "sinh hoạt về công đoàn cơ sở của bạn."
)


def holding_cdcs_ids(person_ids: list[int]) -> dict[int, set[int]]:
    """For each person, the CĐCS that holds their record: those of their active memberships, or,
    for one who is active nowhere, that of their latest membership. People without any membership
    are left out (no unit holds them)."""
    held: dict[int, set[int]] = {}
    ended: dict[int, int] = {}
    rows = (
        Membership.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "-join_date", "-id")
        .values_list("person_id", "cdcs_id", "status")
    )
    for person_id, cdcs_id, status in rows:
        if status == Membership.Status.ACTIVE:
            held.setdefault(person_id, set()).add(cdcs_id)
        else:
            ended.setdefault(person_id, cdcs_id)  # the first is the latest
    for person_id, cdcs_id in ended.items():
        held.setdefault(person_id, {cdcs_id})
    return held


def _check_held_in_scope(actor: Any, person: Person) -> None:
    """``MSG_HELD_ELSEWHERE`` unless ``actor`` (``None``: the system) may write where ``person`` is held."""
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.is_global:
        return
    units = holding_cdcs_ids([person.pk]).get(person.pk, set())
    writable = OrgUnit.objects.filter(scope.writable_q(), pk__in=units).count()
    if not units or writable < len(units):
        raise ValidationError({"cccd": [MSG_HELD_ELSEWHERE]}, code="held_elsewhere")


def _check_card(card_number: str | None, exclude: Membership | None = None) -> str | None:
    card = (card_number or "").strip() or None
    if card is None:
        return None
    taken = Membership.objects.filter(card_number=card)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError({"card_number": [f"Số thẻ đoàn viên {card} đã được cấp cho người khác."]})
    return card


def _check_cdcs(cdcs: OrgUnit, join_date: dt.date) -> None:
    if not cdcs.is_grassroots:
        raise ValidationError(
            {"cdcs": ["Đoàn viên phải sinh hoạt tại một công đoàn cơ sở hoặc nghiệp đoàn."]}
        )
    if not cdcs.is_alive_on(join_date):
        raise ValidationError({"cdcs": [f"{cdcs.name} không hoạt động vào ngày {format_date(join_date)}."]})


@transaction.atomic
def member_admit(
    *, actor: Any, cdcs: OrgUnit, join_date: dt.date, card_number: str | None = None, **person_fields: Any
) -> Membership:
    """Admit a person to ``cdcs``; an existing person (same CCCD) gets a new membership if the actor's
    writable scope holds their current (or last) membership, else ``MSG_HELD_ELSEWHERE``."""
    require_writable(actor, cdcs)  # today's scope, as the importer: the roster is kept now
    # Every problem at once (issue 12): the CĐCS, the person's fields, the dates and eligibility.
    errors: dict[str, list[str]] = {}

    def collect(exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)

    try:
        _check_cdcs(cdcs, join_date)
    except ValidationError as exc:
        collect(exc)
    try:
        data = clean_person(person_fields)
    except ValidationError as exc:
        collect(exc)
        data = dict(person_fields)
    # ``join_date`` starts the membership in ``cdcs``; the first admission to the union may be earlier
    # (another employer) and is the date the eligibility rules (age, nationality) apply to.
    union_join = data.get("union_join_date") or join_date
    if union_join > join_date:
        errors.setdefault("union_join_date", []).append(
            f"Ngày vào công đoàn lần đầu ({format_date(union_join)}) không thể sau ngày bắt đầu "
            f"sinh hoạt tại công đoàn cơ sở ({format_date(join_date)})."
        )
    data["union_join_date"] = union_join
    if not errors.get("birth_date") and not errors.get("union_join_date"):
        try:
            validation.check_eligibility(
                birth_date=data.get("birth_date"),
                join_date=union_join,
                nationality=(data.get("nationality") or "VN").upper(),
                contract_months=data.get("contract_months"),
            )
        except ValueError as exc:
            errors.setdefault("join_date", []).append(str(exc))
    if errors:
        raise ValidationError(errors)
    person = Person.objects.filter(cccd=data["cccd"]).first() if data["cccd"] else None
    if person is None:
        person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
        person.full_clean()
        person.save()
    else:
        # Linked only if the record is the actor's: never reveal or claim one held elsewhere.
        _check_held_in_scope(actor, person)
        _one_active(person)
        if person.union_join_date is None or union_join < person.union_join_date:
            person.union_join_date = union_join  # the earliest admission known
            person.save(update_fields=["union_join_date", "updated_at"])
    membership = Membership(
        person=person, cdcs=cdcs, join_date=join_date, card_number=_check_card(card_number)
    )
    membership.full_clean()
    membership.save()
    # The kept figures, in this transaction: what the new membership adds (nothing else changed).
    records_changed(SOURCE, [cdcs.pk], [join_date], added=[membership.pk])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=membership,
        object_type="members.membership",
        object_id=str(person.pk),
        object_repr=person.full_name,
        unit=cdcs,
        after={**snapshot(membership, MEMBERSHIP_FIELDS), "person": person.full_name},
    )
    return membership


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    active = person.memberships.filter(status=Membership.Status.ACTIVE).select_related("cdcs").first()
    if active is not None:
        require_writable(actor, active.cdcs)
    elif actor is not None:
        raise ValidationError("Chỉ sửa được thông tin của đoàn viên đang sinh hoạt.")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"person_update cannot change {sorted(unknown)}")
    data = clean_person({**before_values(person), **fields})
    if data["cccd"] and Person.objects.filter(cccd=data["cccd"]).exclude(pk=person.pk).exists():
        raise ValidationError({"cccd": [f"Số CCCD {data['cccd']} đã có trong hệ thống."]})
    gender = person.gender
    model_update(
        actor=actor,
        instance=person,
        fields={key: data.get(key, getattr(person, key)) for key in PERSON_FIELDS},
        object_id=str(person.pk),
        unit=active.cdcs if active else None,
    )
    if person.gender != gender:  # "women members" of every CĐCS the person was in, from the first spell
        spells = list(person.memberships.values_list("cdcs_id", "join_date"))
        records_changed(SOURCE, [c for c, _ in spells], [d for _, d in spells])
    return person


def before_values(person: Person) -> dict[str, Any]:
    return {key: getattr(person, key) for key in PERSON_FIELDS}


def _end(membership: Membership, status: str, on: dt.date, reason: str) -> None:
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError("Đoàn viên không còn sinh hoạt tại công đoàn cơ sở này.")
    if on < membership.join_date:
        raise ValidationError(
            f"Ngày {format_date(on)} trước ngày vào công đoàn ({format_date(membership.join_date)})."
        )
    membership.status = status
    membership.end_date = on
    membership.end_reason = nfc(reason)
    membership.save(update_fields=["status", "end_date", "end_reason"])


@transaction.atomic
def member_transfer(
    *, actor: Any, membership: Membership, to: OrgUnit, on: dt.date, reason: str = ""
) -> Membership:
    """Chuyển sinh hoạt: end the membership on ``on`` and open one in ``to`` the same day (card kept)."""
    require_writable(actor, membership.cdcs)
    if to.pk == membership.cdcs_id:
        raise ValidationError({"to": ["Công đoàn cơ sở chuyển đến trùng với nơi đang sinh hoạt."]})
    _check_cdcs(to, on)
    card = membership.card_number
    _end(membership, Membership.Status.TRANSFERRED, on, reason or "Chuyển sinh hoạt")
    membership.card_number = None  # the card moves with the member to the new membership
    membership.save(update_fields=["card_number"])
    new = Membership.objects.create(
        person=membership.person, cdcs=to, join_date=on, card_number=card, transferred_from=membership
    )
    records_changed(SOURCE, [membership.cdcs_id, to.pk], [on])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.MOVE,
        obj=new,
        object_type="members.membership",
        object_id=str(membership.person_id),
        object_repr=membership.person.full_name,
        unit=to,
        before={"cdcs": membership.cdcs.code},
        after={"cdcs": to.code, "from": str(on)},
        note=reason,
    )
    return new


@transaction.atomic
def member_leave(
    *, actor: Any, membership: Membership, on: dt.date, reason: str, removed: bool = False
) -> Membership:
    """Thôi sinh hoạt (or, with ``removed``, khai trừ/xóa tên) from ``on``."""
    require_writable(actor, membership.cdcs)
    if not reason.strip():
        raise ValidationError({"reason": ["Cần ghi lý do."]})
    status = Membership.Status.REMOVED if removed else Membership.Status.LEFT
    _end(membership, status, on, reason)
    records_changed(SOURCE, [membership.cdcs_id], [on])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=membership,
        object_type="members.membership",
        object_id=str(membership.person_id),
        object_repr=membership.person.full_name,
        unit=membership.cdcs,
        before={"status": "active"},
        after={"status": status, "end_date": str(on)},
        note=reason,
    )
    return membership


@transaction.atomic
def workforce_set(
    *, actor: Any, cdcs: OrgUnit, as_of: dt.date, workers: int, women: int = 0
) -> WorkforceCount:
    require_writable(actor, cdcs)
    if women > workers:
        raise ValidationError({"women": ["Số lao động nữ không thể lớn hơn tổng số lao động."]})
    count, created = WorkforceCount.objects.update_or_create(
        cdcs=cdcs, as_of=as_of, defaults={"workers": workers, "women": women}
    )
    records_changed(WORKFORCE, [cdcs.pk], [as_of])  # a stock: every kept period ending from ``as_of``
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=count,
        object_id=str(count.pk),
        unit=cdcs,
        after={"as_of": str(as_of), "workers": workers, "women": women},
    )
    return count
