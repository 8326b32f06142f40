"""Every write to recommendations: every problem found first (``core.services.Problems``), then one
transaction, audited, scoped by ``actor``; the workflow steps are ``core.services.state_step``.

- raise: a unit (its officer) addresses an upper level of the union (an ancestor on the day) or an
  outside body by name; optionally collected at one of its units' conferences or dialogues;
- route: the unit it is addressed to passes it on to a level above it or to an outside body;
- answer: only by the unit it is addressed to (a reply of an outside body is recorded by the unit that
  raised it); anyone else is refused with a message;
- close: the raising unit closes it once answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congdoan.accounts.permissions import require_writable
from congdoan.conferences.models import Conference
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.registry import tree
from congdoan.core.services import Problems, state_step
from congdoan.org.models import OrgUnit

from .models import WAITING, Recommendation, RecStatus, RecTopic

FIELDS = ["unit", "to_unit", "to_body", "conference", "topic", "title", "content", "raised_on", "due_on"]


def answer_days() -> int:
    """Days an addressee has to answer (``RECOMMENDATIONS_ANSWER_DAYS``, default 30)."""
    return int(getattr(settings, "RECOMMENDATIONS_ANSWER_DAYS", 30))


def _check_addressee(
    problems: Problems, below: OrgUnit, to_unit: OrgUnit | None, to_body: str, day: dt.date
) -> None:
    if to_unit is None and not to_body:
        problems.add("to_unit", "Chọn công đoàn cấp trên hoặc ghi tên cơ quan, đơn vị nhận kiến nghị.")
    elif to_unit is not None and to_body:
        problems.add(
            "to_body", "Kiến nghị gửi một nơi: công đoàn cấp trên hoặc cơ quan, đơn vị ngoài công đoàn."
        )
    elif to_unit is not None and to_unit.pk not in tree.ancestor_ids(below.pk, day):
        problems.add(
            "to_unit",
            "«%(to)s» không phải công đoàn cấp trên của «%(unit)s» ngày %(day)s.",
            to=to_unit.name,
            unit=below.name,
            day=format_date(day),
        )
    if len(to_body) > 255:
        problems.add("to_body", "Tên cơ quan, đơn vị dài quá 255 ký tự.")


def _check_day(problems: Problems, field: str, day: dt.date | None, after: dt.date, what: str) -> None:
    if day is None:
        problems.add(field, "Chưa nhập ngày.")
        return
    if day > timezone.localdate():
        problems.add(field, "%(what)s %(day)s ở tương lai.", what=what, day=format_date(day))
    if day < after:
        problems.add(
            field,
            "%(what)s %(day)s trước ngày gửi kiến nghị %(raised)s.",
            what=what,
            day=format_date(day),
            raised=format_date(after),
        )


@transaction.atomic
def rec_create(
    *,
    actor: Any,
    unit: OrgUnit,
    title: str,
    raised_on: dt.date,
    to_unit: OrgUnit | None = None,
    to_body: str = "",
    content: str = "",
    topic: str = RecTopic.POLICY,
    due_on: dt.date | None = None,
    conference: Conference | None = None,
) -> Recommendation:
    require_writable(actor, unit)
    title, to_body = (title or "").strip(), (to_body or "").strip()
    problems = Problems()
    if not title:
        problems.add("title", "Chưa nhập nội dung kiến nghị.")
    elif len(title) > 300:
        problems.add("title", "Kiến nghị dài quá 300 ký tự: ghi phần chi tiết vào «Nội dung».")
    if topic not in RecTopic.values:
        problems.add("topic", "Lĩnh vực kiến nghị không hợp lệ.")
    if raised_on is None:
        problems.add("raised_on", "Chưa nhập ngày gửi.")
    else:
        if raised_on > timezone.localdate():
            problems.add("raised_on", "Ngày gửi %(day)s ở tương lai.", day=format_date(raised_on))
        if not unit.is_alive_on(raised_on):
            problems.add(
                "raised_on",
                "«%(unit)s» không hoạt động vào ngày %(day)s.",
                unit=unit.name,
                day=format_date(raised_on),
            )
        _check_addressee(problems, unit, to_unit, to_body, raised_on)
        if due_on is None:
            due_on = raised_on + dt.timedelta(days=answer_days())
        elif due_on < raised_on:
            problems.add(
                "due_on",
                "Hạn trả lời %(due)s trước ngày gửi %(day)s.",
                due=format_date(due_on),
                day=format_date(raised_on),
            )
        if conference is not None:
            if conference.unit_id not in tree.subtree_ids(unit.pk, conference.held_on):
                problems.add(
                    "conference",
                    "Hội nghị, đối thoại của «%(other)s» không thuộc «%(unit)s».",
                    other=conference.unit.name,
                    unit=unit.name,
                )
            elif conference.held_on > raised_on:
                problems.add(
                    "conference",
                    "Hội nghị, đối thoại ngày %(held)s diễn ra sau ngày gửi kiến nghị.",
                    held=format_date(conference.held_on),
                )
    problems.raise_if_any()
    rec = Recommendation(
        unit=unit,
        to_unit=to_unit,
        to_body=to_body,
        conference=conference,
        topic=topic,
        title=title,
        content=content or "",
        raised_on=raised_on,
        due_on=due_on,
    )
    rec.full_clean()
    rec.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=rec, unit=unit, after=snapshot(rec, FIELDS))
    return rec


def addressee_unit(rec: Recommendation) -> OrgUnit:
    """The union unit that answers: the one addressed, else (an outside body) the one that raised it,
    recording the body's reply."""
    return rec.to_unit if rec.to_unit_id and rec.to_unit else rec.unit


def _locked(rec: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("unit", "to_unit")
        .get(pk=rec.pk)
    )


def _check_by(problems: Problems, rec: Recommendation, by: OrgUnit, what: str) -> None:
    expected = addressee_unit(rec)
    if by.pk != expected.pk:
        problems.add(
            "by",
            "Kiến nghị «%(title)s» gửi «%(to)s»: «%(by)s» không được %(what)s.",
            title=rec.title,
            to=rec.addressee,
            by=by.name,
            what=what,
        )


def _check_state(problems: Problems, rec: Recommendation, allowed: tuple[str, ...], what: str) -> None:
    if rec.status not in allowed:
        problems.add(
            "status",
            "Không thể %(what)s kiến nghị «%(title)s»: đang ở trạng thái «%(state)s».",
            what=what,
            title=rec.title,
            state=rec.get_status_display(),
        )


@transaction.atomic
def rec_route(
    *,
    actor: Any,
    rec: Recommendation,
    by: OrgUnit,
    on: dt.date,
    to_unit: OrgUnit | None = None,
    to_body: str = "",
    note: str = "",
) -> Recommendation:
    """The addressee passes the recommendation on: to a level above itself, or to an outside body."""
    require_writable(actor, by)
    rec = _locked(rec)
    to_body = (to_body or "").strip()
    problems = Problems()
    _check_by(problems, rec, by, "chuyển")
    _check_state(problems, rec, WAITING, "chuyển")
    _check_day(problems, "routed_on", on, rec.raised_on, "Ngày chuyển")
    if not problems:
        _check_addressee(problems, by, to_unit, to_body, on)
    problems.raise_if_any()
    return state_step(
        actor=actor,
        instance=rec,
        allowed=WAITING,
        to=RecStatus.ROUTED,
        action="chuyển",
        unit=by,
        dates={"routed_on": on},
        fields={"to_unit": to_unit, "to_body": to_body, "route_note": (note or "")[:300]},
        note=f"Chuyển từ {by.name}",
        state_field="status",
    )


@transaction.atomic
def rec_answer(*, actor: Any, rec: Recommendation, by: OrgUnit, on: dt.date, answer: str) -> Recommendation:
    """The answer of the unit the recommendation is addressed to (nobody else)."""
    require_writable(actor, by)
    rec = _locked(rec)
    answer = (answer or "").strip()
    problems = Problems()
    _check_by(problems, rec, by, "trả lời")
    _check_state(problems, rec, WAITING, "trả lời")
    _check_day(problems, "answered_on", on, rec.raised_on, "Ngày trả lời")
    if not answer:
        problems.add("answer", "Chưa nhập nội dung trả lời.")
    problems.raise_if_any()
    return state_step(
        actor=actor,
        instance=rec,
        allowed=WAITING,
        to=RecStatus.ANSWERED,
        action="trả lời",
        unit=by,
        dates={"answered_on": on},
        fields={"answer": answer},
        state_field="status",
    )


@transaction.atomic
def rec_close(*, actor: Any, rec: Recommendation, on: dt.date, note: str = "") -> Recommendation:
    """The raising unit closes an answered recommendation."""
    require_writable(actor, rec.unit)
    rec = _locked(rec)
    problems = Problems()
    _check_state(problems, rec, (RecStatus.ANSWERED,), "đóng")
    _check_day(problems, "closed_on", on, rec.answered_on or rec.raised_on, "Ngày đóng")
    problems.raise_if_any()
    return state_step(
        actor=actor,
        instance=rec,
        allowed=[RecStatus.ANSWERED],
        to=RecStatus.CLOSED,
        action="đóng",
        unit=rec.unit,
        dates={"closed_on": on},
        fields={"close_note": (note or "")[:300]},
        state_field="status",
    )
