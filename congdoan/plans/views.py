"""Pages of key tasks: the list (filters, completion, XLSX, drill-down), overdue tasks, the unit's own
task, handing tasks down to the units below, and one task with its status steps and evidence."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.formatting import format_number
from congdoan.core.views import add_service_errors, audit_rows, list_page, show_value, xlsx_export
from congdoan.org import selectors as org_selectors
from congdoan.org.forms import writable_unit

from . import selectors, services
from .filters import TaskFilter
from .forms import CancelForm, CompleteForm, HandDownForm, TaskForm
from .models import KeyTask, TaskSource, TaskStatus
from .tables import TaskTable, status_badge

MSG_SCOPE = "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi."


def _listing(request: HttpRequest, *, title: str, preset: dict[str, str] | None = None) -> HttpResponseBase:
    data = request.GET.copy()
    for key, value in (preset or {}).items():
        data.setdefault(key, value)
    filterset = TaskFilter(data, queryset=selectors.task_list(user=request.user), request=request)
    return list_page(
        request,
        filterset,
        TaskTable,
        export=lambda qs, filters: _xlsx(request, qs, filters),
        template="plans/task_list.html",
        completion=selectors.completion(filterset.qs, day=org_selectors.view_day(user=request.user)),
        title=title,
        can_create=user_scope(request.user).can_write_anything,
    )


@login_required
@require_GET  # a read: POST is 405
def task_list(request: HttpRequest) -> HttpResponseBase:
    return _listing(request, title="Nhiệm vụ trọng tâm")


@login_required
@require_GET  # a read: POST is 405
def task_overdue(request: HttpRequest) -> HttpResponseBase:
    return _listing(request, title="Nhiệm vụ trọng tâm quá hạn", preset={"status": "overdue"})


def _xlsx(request: HttpRequest, qs: Any, filters: dict[str, Any]) -> HttpResponseBase:
    header = [
        "Nhiệm vụ",
        "Mã đơn vị",
        "Đơn vị thực hiện",
        "Đơn vị giao",
        "Căn cứ",
        "Người phụ trách",
        "Ngày bắt đầu",
        "Hạn hoàn thành",
        "Trạng thái",
        "Ngày hoàn thành",
        "Minh chứng",
    ]
    rows = (
        [
            t.title,
            t.unit.code,
            t.unit.name,
            t.assigned_by.name if t.assigned_by else "",
            t.get_source_display(),
            t.owner,
            t.start_on,
            t.deadline,
            t.get_status_display(),
            t.done_on,
            t.evidence,
        ]
        for t in qs.iterator(chunk_size=2000)
    )
    return xlsx_export(
        request,
        sheet="Nhiệm vụ trọng tâm",
        header=header,
        rows=rows,
        kind="export.key_tasks",
        label="Danh sách nhiệm vụ trọng tâm (XLSX)",
        filters=filters,
        filename="nhiem-vu-trong-tam",
    )


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    """One of a unit's own key tasks."""
    if not user_scope(request.user).can_write_anything:
        raise Http404
    form = TaskForm(request.POST or None, with_unit=True, initial={"unit": request.GET.get("unit", "")})
    if request.method == "POST" and form.is_valid():
        unit = writable_unit(request.user, form, "unit")
        if unit is not None:
            try:
                task = services.task_create(actor=request.user, unit=unit, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error(None, MSG_SCOPE)
            else:
                messages.success(request, f"Đã thêm nhiệm vụ trọng tâm «{task.title}» của «{unit.name}».")
                return redirect(task.get_absolute_url())
    return render(request, "plans/task_form.html", {"form": form, "heading": "Thêm nhiệm vụ trọng tâm"})


@login_required
def task_hand_down(request: HttpRequest) -> HttpResponse:
    """An upper unit hands one or more tasks down to units under it."""
    if not user_scope(request.user).can_write_anything:
        raise Http404
    initial: dict[str, Any] = {
        "by": request.GET.get("by", ""),
        "units": request.GET.get("units", ""),
        "source": TaskSource.UPPER,
    }
    parent: KeyTask | None = None
    if request.GET.get("parent", "").isdigit():
        parent = selectors.task_get_writable(user=request.user, pk=int(request.GET["parent"]))
        initial.update(
            by=parent.unit.code, titles=parent.title, deadline=parent.deadline, start_on=parent.start_on
        )
    form = HandDownForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        by = writable_unit(request.user, form, "by")
        units = []
        for code in form.unit_codes():
            try:
                units.append(org_selectors.unit_get(user=request.user, code=code))
            except OutOfScope:
                form.add_error(
                    "units",
                    ValidationError(
                        "Không tìm thấy đơn vị có mã «%(code)s» trong phạm vi của bạn.", params={"code": code}
                    ),
                )
        if by is not None and not form.errors:
            try:
                made = services.task_hand_down(
                    actor=request.user,
                    by=by,
                    units=units,
                    titles=form.title_lines(),
                    start_on=form.cleaned_data["start_on"],
                    deadline=form.cleaned_data["deadline"],
                    source=form.cleaned_data["source"],
                    owner=form.cleaned_data.get("owner") or "",
                    description=form.cleaned_data.get("description") or "",
                    parent=parent,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error(None, MSG_SCOPE)
            else:
                names = ", ".join(u.name for u in units)
                messages.success(
                    request, f"Đã giao {format_number(len(made))} nhiệm vụ trọng tâm cho {names}."
                )
                query = {"unit": units[0].code} if len(units) == 1 else {"unit": by.code}
                return redirect(reverse("plans:list") + "?" + urlencode(query))
    context = {"form": form, "heading": "Giao nhiệm vụ trọng tâm cho đơn vị cấp dưới", "parent": parent}
    return render(request, "plans/task_form.html", context)


FIELD_LABELS = {
    "unit": "Đơn vị thực hiện",
    "assigned_by": "Đơn vị giao",
    "parent": "Nhiệm vụ cấp trên",
    "title": "Nhiệm vụ",
    "description": "Nội dung",
    "source": "Căn cứ",
    "owner": "Người phụ trách",
    "start_on": "Ngày bắt đầu",
    "deadline": "Hạn hoàn thành",
    "status": "Trạng thái",
    "done_on": "Ngày hoàn thành",
    "evidence": "Minh chứng",
    "evidence_file": "Tệp minh chứng",
    "cancel_reason": "Lý do hủy",
}
CHOICES = {"status": dict(TaskStatus.choices), "source": dict(TaskSource.choices)}


def _show(key: str, value: Any) -> str:
    if key == "parent" and isinstance(value, int):
        # Stored as the upper task's id: shown by its title, never a bare internal number.
        found = KeyTask.objects.filter(pk=value).values_list("title", flat=True).first()
        return found or "—"
    return show_value(key, value, CHOICES)


def _detail(request: HttpRequest, task: KeyTask, **forms: Any) -> HttpResponse:
    writable = can_write(request.user, task.unit)
    context = {
        "task": task,
        "status": status_badge(task),
        "can_edit": writable,
        "can_hand_down": can_write(request.user, task.unit) and task.is_pending,
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "handed": selectors.handed(user=request.user, task=task),
        "audit": audit_rows(
            selectors.task_audit(user=request.user, task=task), labels=FIELD_LABELS, show=_show
        ),
    }
    return render(request, "plans/task_detail.html", context)


@login_required
@require_GET  # a read: POST is 405
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.task_get(user=request.user, pk=pk))


@login_required
@require_GET  # a read: POST is 405
def task_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    task = selectors.task_get(user=request.user, pk=pk)
    if not task.evidence_file:
        raise Http404
    name = str(task.evidence_file.name).rsplit("/", 1)[-1]
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(task.evidence_file.open("rb"), as_attachment=True, filename=name, content_type=kind)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_writable(user=request.user, pk=pk)
    initial = {
        k: getattr(task, k) for k in ("title", "source", "owner", "start_on", "deadline", "description")
    }
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(actor=request.user, task=task, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, MSG_SCOPE)
        else:
            messages.success(request, f"Đã lưu thay đổi nhiệm vụ «{task.title}».")
            return redirect(task.get_absolute_url())
    context = {"form": form, "task": task, "heading": "Sửa nhiệm vụ trọng tâm"}
    return render(request, "plans/task_form.html", context)


STEP_DONE = {
    "start": "Đã chuyển nhiệm vụ sang «Đang thực hiện».",
    "complete": "Đã ghi nhận hoàn thành nhiệm vụ.",
    "cancel": "Đã hủy nhiệm vụ.",
    "reopen": "Đã mở lại nhiệm vụ.",
}


@login_required
@require_POST
def task_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A status step of a task (start, complete with evidence, cancel with a reason, reopen)."""
    if step not in STEP_DONE:
        raise Http404
    task = selectors.task_get_writable(user=request.user, pk=pk)
    try:
        if step == "start":
            services.task_start(actor=request.user, task=task)
        elif step == "reopen":
            services.task_reopen(actor=request.user, task=task)
        elif step == "complete":
            form = CompleteForm(request.POST, request.FILES)
            if not form.is_valid():
                return _detail(request, task, complete_form=form)
            try:
                services.task_complete(
                    actor=request.user,
                    task=task,
                    done_on=form.cleaned_data["done_on"],
                    evidence=form.cleaned_data.get("evidence") or "",
                    evidence_file=form.cleaned_data.get("evidence_file"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return _detail(request, task, complete_form=form)
        else:
            cancel = CancelForm(request.POST)
            if not cancel.is_valid():
                return _detail(request, task, cancel_form=cancel)
            services.task_cancel(actor=request.user, task=task, reason=cancel.cleaned_data["cancel_reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, STEP_DONE[step])
    return redirect(reverse("plans:detail", args=[pk]))
