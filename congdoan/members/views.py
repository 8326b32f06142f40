"""Pages of the members app: the member list and its exports, the member page, admit / edit / transfer /
leave forms, and the workforce count of a CĐCS.

Thin views: parse input, call the scoped selectors and the services, render. Out-of-scope objects
answer 404 (``OutOfScope``); service ``ValidationError``s are shown on the form's fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.sql import serial_reads
from congdoan.core.views import add_service_errors, audit_rows, show_value
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from . import exports, pagination, privacy, selectors, services
from .filters import MemberFilter
from .forms import (
    MemberAdmitForm,
    MemberLeaveForm,
    MemberTransferForm,
    PersonEditForm,
    WorkforceForm,
)
from .models import Gender, Membership, Person
from .pagination import CappedPaginator
from .tables import MemberTable

PAGE_SIZES = (25, 50, 100)
# Success messages (named placeholders, filled with str.format; never f-strings: style.md §4).
MSG_ADMITTED = "Đã kết nạp «{name}» vào «{cdcs}» từ ngày {day}."
MSG_SAVED = "Đã lưu thông tin của «{name}»."
MSG_TRANSFERRED = "Đã chuyển sinh hoạt của «{name}» sang «{cdcs}» từ ngày {day}."
MSG_LEFT = "Đã ghi nhận «{name}» thôi sinh hoạt từ ngày {day}."
MSG_REMOVED = "Đã ghi nhận khai trừ, xóa tên «{name}» từ ngày {day}."
MSG_WORKFORCE = "Đã ghi nhận số lao động của «{unit}» tính đến ngày {day}."
MSG_PDF_TOO_BIG = (
    "Danh sách có {count} đoàn viên, quá nhiều để in (tối đa {limit}). Hãy lọc theo đơn vị hoặc xuất Excel."
)

PERSONAL_KEYS = ("cccd", "phone", "birth_date", "address")
FIELD_LABELS = {
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "union_join_date": "Ngày vào công đoàn lần đầu",
    "gender": "Giới tính",
    "cccd": "CCCD",
    "legacy_id": "Số CMND cũ",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "ethnicity": "Dân tộc",
    "education": "Trình độ",
    "job": "Nghề nghiệp, chức vụ",
    "address": "Địa chỉ",
    "nationality": "Quốc tịch",
    "contract_months": "Thời hạn hợp đồng (tháng)",
    "cdcs": "Công đoàn cơ sở",
    "join_date": "Ngày bắt đầu sinh hoạt",
    "card_number": "Số thẻ",
    "status": "Tình trạng",
    "end_date": "Ngày kết thúc",
    "end_reason": "Lý do",
    "from": "Từ ngày",
    "person": "Họ và tên",
}
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "gender": dict(Gender.choices),
    "status": {str(k): str(v) for k, v in Membership.Status.choices},
}


# -- helpers -----------------------------------------------------------------------------------------


def _personal_data(request: HttpRequest) -> bool:
    return privacy.can_see_personal_data(user_scope(request.user))


def _show(key: str, value: Any, full: bool) -> str:
    if key in PERSONAL_KEYS and not full and value not in (None, "") and not isinstance(value, bool):
        if key == "birth_date":
            return "**/**/" + str(value)[:4]
        return privacy.mask(str(value))
    return show_value(key, value, CHOICE_LABELS)


def _audit_rows(entries: Iterable[AuditEntry], full: bool) -> list[dict[str, Any]]:
    """Audit entries with their changes as (label, before, after); personal data masked unless ``full``."""
    return audit_rows(entries, labels=FIELD_LABELS, show=lambda k, v: _show(k, v, full), action=_action_label)


def _action_label(entry: AuditEntry) -> str:
    """What happened, in the words of membership work (``Chuyển sinh hoạt``, not ``Chuyển đơn vị``)."""
    if entry.object_type == "members.membership":
        status = (entry.after or {}).get("status")
        if entry.action == AuditEntry.Action.CREATE:
            return "Kết nạp"
        if entry.action == AuditEntry.Action.MOVE:
            return "Chuyển sinh hoạt"
        if entry.action == AuditEntry.Action.UPDATE and status in CHOICE_LABELS["status"]:
            return CHOICE_LABELS["status"][status]
    if entry.object_type == "members.person" and entry.action == AuditEntry.Action.UPDATE:
        return "Sửa thông tin"
    return entry.get_action_display()


def _per_page(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("so_dong", ""))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def _configure(
    table: MemberTable,
    request: HttpRequest,
    count_source: QuerySet[Membership] | None = None,
    cap: int | None = None,
) -> None:
    """Sorting and pagination from the request, with the page size limited to ``PAGE_SIZES``; with a
    ``count_source`` the total is counted from it, up to ``cap`` (default ``SEARCH_COUNT_CAP``)."""
    table.request = request
    order_by = request.GET.getlist(table.prefixed_order_by_field)
    if order_by:
        table.order_by = order_by
    page = request.GET.get(table.prefixed_page_field, 1)
    paging: dict[str, Any] = {"per_page": _per_page(request)}
    if count_source is not None:
        paging.update(paginator_class=CappedPaginator, count_source=count_source, cap=cap)
    try:
        table.paginate(page=page, **paging)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)


def _scope_label(request: HttpRequest) -> str:
    units = org_selectors.home_units(user=request.user)
    if user_scope(request.user).is_global:
        return "Toàn hệ thống"
    return ", ".join(u.name for u in units) or "—"


def _writable_active(request: HttpRequest, person_id: int) -> tuple[Person, Membership]:
    """The person and their active membership, if the user may change it today; else 404."""
    person = selectors.member_page_get(user=request.user, person_id=person_id)
    active = selectors.member_active_membership(user=request.user, person=person)
    if active is None or not can_write(request.user, active.cdcs):
        raise Http404
    return person, active


# -- the list and its exports ------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def member_list(request: HttpRequest) -> HttpResponseBase:
    data = request.GET.copy()
    if not data.get("status"):
        data["status"] = Membership.Status.ACTIVE
    filterset = MemberFilter(data, user=request.user)
    qs = filterset.qs  # before the form's errors: filtering adds the out-of-scope unit's
    full = _personal_data(request)
    export = request.GET.get("xuat")
    if export in ("xlsx", "pdf") and not filterset.form.errors:
        unit = filterset.selected_unit
        filters = filterset.describe()
        unit_label = unit.name if unit else _scope_label(request)
        if export == "xlsx":
            return exports.roster_xlsx(
                user=request.user,
                memberships=qs,
                unit=unit,
                unit_label=unit_label,
                filters=filters,
                personal_data=full,
            )
        count = qs.count()
        if count > exports.PDF_MAX_ROWS:
            messages.error(request, MSG_PDF_TOO_BIG.format(count=count, limit=exports.PDF_MAX_ROWS))
            query = request.GET.copy()
            query.pop("xuat", None)
            return redirect(reverse("members:list") + ("?" + query.urlencode() if query else ""))
        upper = ""
        if unit is not None:
            ancestors = org_selectors.ancestors(unit, org_selectors.view_day(user=request.user, unit=unit))
            upper = ancestors[-1].name if ancestors else ""
        return exports.roster_pdf(
            user=request.user,
            memberships=qs,
            unit=unit,
            unit_label=unit_label,
            upper_label=upper,
            filters=filters,
            personal_data=full,
        )
    # A page of a few rows among many, and its count: read in one process (``serial_reads``).
    with serial_reads():
        return _member_page(request, filterset, qs, full)


def _member_page(
    request: HttpRequest, filterset: MemberFilter, qs: QuerySet[Membership], full: bool
) -> HttpResponse:
    unit = filterset.selected_unit
    table = MemberTable(qs, personal_data=full)
    if filterset.search:
        _configure(table, request, filterset.count_queryset())
    else:  # a city's exact count of 1,000,000 cost ~100 ms a page: counted to LIST_COUNT_CAP, said so
        _configure(table, request, qs, cap=pagination.LIST_COUNT_CAP)
    if selectors.searches_personal_numbers(filterset.search):
        privacy.log_access(
            user=request.user, action="search", detail=request.get_full_path(), rows=table.paginator.count
        )
    context = {
        "filter": filterset,
        "table": table,
        "total": table.paginator.count,
        "total_is_lower_bound": getattr(table.paginator, "count_is_lower_bound", False),
        "searching": bool(filterset.search),
        "unit": unit,
        "page_sizes": PAGE_SIZES,
        "per_page": _per_page(request),
        "can_admit": user_scope(request.user).can_write_anything,
        "personal_data": full,
    }
    return render(request, "members/member_list.html", context)


# -- the member page ------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def member_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.member_page_get(user=request.user, person_id=person_id)
    active = selectors.member_active_membership(user=request.user, person=person)
    # Only for the roster keepers of a current member: not for one who has left the user's units.
    may_reveal = _personal_data(request) and (active is not None or user_scope(request.user).is_global)
    full = may_reveal and request.GET.get("day_du") == "1"
    if full:
        privacy.log_access(user=request.user, action="view", person=person, detail=request.get_full_path())
    writable = active is not None and can_write(request.user, active.cdcs)
    history = selectors.member_history(user=request.user, person=person)
    context = {
        "person": person,
        "full": full,
        "may_reveal": may_reveal,
        "cccd": (person.cccd or "") if full else privacy.mask(person.cccd),
        "phone": person.phone if full else privacy.mask(person.phone),
        "birth_date": (format_date(person.birth_date) if person.birth_date else "")
        if full
        else privacy.mask_birth_date(person),
        "address": person.address if full else ("(đã ẩn)" if person.address else ""),
        "active": active,
        "can_write": writable,
        "history": history,
        # The first admission to the union; people stored before it was kept: the earliest membership.
        "union_join_date": person.union_join_date or min((m.join_date for m in history), default=None),
        # Transferred to a CĐCS the user does not see: "Đã chuyển đi", never where to.
        "moved_out": active is None and bool(history) and getattr(history[-1], "moved_out", False),
        "audit": _audit_rows(selectors.member_audit(user=request.user, person=person), full),
    }
    return render(request, "members/member_detail.html", context)


# -- forms -----------------------------------------------------------------------------------------------


@login_required
def member_admit(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    code = request.GET.get("cdcs", "").strip()
    cdcs: OrgUnit | None = None
    if code:
        try:
            cdcs = org_selectors.unit_get(user=request.user, code=code)
        except OutOfScope:
            cdcs = None
    if not code:  # a CĐCS officer's one CĐCS is preselected
        only = org_selectors.only_writable_cdcs(user=request.user)
        code = only.code if only is not None else ""
        cdcs = only
    form = MemberAdmitForm(request.POST or None, user=request.user, initial={"cdcs": code})
    if request.method == "POST" and form.is_valid() and form.cleaned_data["cdcs_unit"] is not None:
        data = form.cleaned_data
        try:
            membership = services.member_admit(
                actor=request.user,
                cdcs=data["cdcs_unit"],
                join_date=data["join_date"],
                card_number=data.get("card_number") or None,
                **form.person_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error("cdcs", "Bạn không có quyền kết nạp đoàn viên vào công đoàn cơ sở này.")
        else:
            messages.success(
                request,
                MSG_ADMITTED.format(
                    name=membership.person.full_name,
                    cdcs=membership.cdcs.name,
                    day=format_date(membership.join_date),
                ),
            )
            return redirect("members:detail", person_id=membership.person_id)
    return render(request, "members/member_admit.html", {"form": form, "cdcs": cdcs})


@login_required
def member_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person, _ = _writable_active(request, person_id)
    full = _personal_data(request)
    masked = {
        "cccd": privacy.mask(person.cccd),
        "phone": privacy.mask(person.phone),
        "birth_date": privacy.mask_birth_date(person),
        "address": "(đã ẩn)" if person.address else "",
    }
    initial = {key: getattr(person, key) for key in services.PERSON_FIELDS if key != "legacy_id"}
    if not full:
        for key in ("cccd", "phone", "birth_date", "address"):
            initial.pop(key)
    elif request.method == "GET":
        privacy.log_access(user=request.user, action="view", person=person, detail=request.get_full_path())
    form = PersonEditForm(request.POST or None, initial=initial, personal_data=full, masked=masked)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.person_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope as exc:
            raise Http404 from exc
        else:
            messages.success(request, MSG_SAVED.format(name=person.full_name))
            return redirect("members:detail", person_id=person.pk)
    return render(request, "members/member_edit.html", {"form": form, "person": person})


@login_required
def member_transfer(request: HttpRequest, person_id: int) -> HttpResponse:
    person, active = _writable_active(request, person_id)
    form = MemberTransferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["to_unit"] is not None:
        data = form.cleaned_data
        try:
            new = services.member_transfer(
                actor=request.user,
                membership=active,
                to=data["to_unit"],
                on=data["on"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, fallback="on", rename={"cdcs": "to"})
        except OutOfScope as exc:
            raise Http404 from exc
        else:
            messages.success(
                request,
                MSG_TRANSFERRED.format(
                    name=person.full_name, cdcs=new.cdcs.name, day=format_date(data["on"])
                ),
            )
            return redirect("members:detail", person_id=person.pk)
    return render(request, "members/member_transfer.html", {"form": form, "person": person, "active": active})


@login_required
def member_leave(request: HttpRequest, person_id: int) -> HttpResponse:
    person, active = _writable_active(request, person_id)
    form = MemberLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_leave(
                actor=request.user,
                membership=active,
                on=data["on"],
                reason=data["reason"],
                removed=data["removed"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, fallback="on")
        except OutOfScope as exc:
            raise Http404 from exc
        else:
            message = MSG_REMOVED if data["removed"] else MSG_LEFT
            messages.success(request, message.format(name=person.full_name, day=format_date(data["on"])))
            return redirect("members:detail", person_id=person.pk)
    return render(request, "members/member_leave.html", {"form": form, "person": person, "active": active})


@login_required
def workforce_record(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the form; POST (also from the CĐCS panel): record the count, back to the unit page."""
    unit = org_selectors.unit_get_writable(user=request.user, code=code)
    if not unit.is_grassroots:
        raise Http404
    form = WorkforceForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.workforce_set(
                actor=request.user,
                cdcs=unit,
                as_of=data["as_of"],
                workers=data["workers"],
                women=data.get("women") or 0,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope as exc:
            raise Http404 from exc
        else:
            messages.success(request, MSG_WORKFORCE.format(unit=unit.name, day=format_date(data["as_of"])))
            return redirect(unit.get_absolute_url())
    return render(request, "members/workforce_form.html", {"form": form, "unit": unit})
