"""Pages of recommendations: the list with its "tổng hợp kiến nghị" (by state, waiting ones by age),
XLSX, raising one, and one recommendation with its answer, routing and closing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.conferences import selectors as conference_selectors
from congdoan.core.registry import tree
from congdoan.core.views import add_service_errors, audit_rows, list_page, show_value, xlsx_export
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from . import selectors, services
from .filters import RecFilter
from .forms import AnswerForm, CloseForm, RecForm, RouteForm
from .models import Recommendation, RecStatus, RecTopic
from .tables import RecTable, status_badge

MSG_SCOPE = "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi."


@login_required
@require_GET  # a read: POST is 405
def rec_list(request: HttpRequest) -> HttpResponseBase:
    filterset = RecFilter(request.GET, queryset=selectors.rec_list(user=request.user), request=request)
    return list_page(
        request,
        filterset,
        RecTable,
        export=lambda qs, filters: _xlsx(request, qs, filters),
        template="recommendations/rec_list.html",
        summary=selectors.summary(filterset.qs, day=org_selectors.view_day(user=request.user)),
        can_create=user_scope(request.user).can_write_anything,
    )


def _xlsx(request: HttpRequest, qs: Any, filters: dict[str, Any]) -> HttpResponseBase:
    header = [
        "Ngày gửi",
        "Kiến nghị",
        "Lĩnh vực",
        "Mã đơn vị",
        "Đơn vị kiến nghị",
        "Gửi đến",
        "Hạn trả lời",
        "Trạng thái",
        "Ngày trả lời",
        "Nội dung trả lời",
        "Số ngày",
    ]
    rows = (
        [
            r.raised_on,
            r.title,
            r.get_topic_display(),
            r.unit.code,
            r.unit.name,
            r.addressee,
            r.due_on,
            r.get_status_display(),
            r.answered_on,
            r.answer,
            selectors.ageing_days(r),
        ]
        for r in qs.iterator(chunk_size=2000)
    )
    return xlsx_export(
        request,
        sheet="Kiến nghị",
        header=header,
        rows=rows,
        kind="export.recommendations",
        label="Tổng hợp kiến nghị (XLSX)",
        filters=filters,
        filename="kien-nghi",
    )


def _unit(request: HttpRequest, form: Any, field: str, *, writable: bool = True) -> Any:
    code = form.cleaned_data.get(field)
    if not code:
        return None
    try:
        if writable:
            return org_selectors.unit_get_writable(user=request.user, code=code)
        return org_selectors.unit_get(user=request.user, code=code)
    except OutOfScope:
        form.add_error(
            field,
            ValidationError(
                "Không tìm thấy đơn vị có mã «%(code)s» trong phạm vi của bạn.", params={"code": code}
            ),
        )
        return None


def _upper(form: Any, field: str, below: Any) -> Any:
    """An upper level of ``below`` typed by its code: among its ancestors today (an upper level is
    outside an officer's subtree, so it is looked up there and nowhere else)."""
    code = form.cleaned_data.get(field)
    if not code or below is None:
        return None
    found = OrgUnit.objects.filter(
        pk__in=tree.ancestor_ids(below.pk, timezone.localdate()), code=code
    ).first()
    if found is None:
        form.add_error(
            field,
            ValidationError(
                "«%(code)s» không phải công đoàn cấp trên của «%(unit)s».",
                params={"code": code, "unit": below.name},
            ),
        )
    return found


@login_required
def rec_create(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    initial = {"unit": request.GET.get("unit", ""), "conference": request.GET.get("conference", "")}
    form = RecForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit = _unit(request, form, "unit", writable=True)
        to_unit = _upper(form, "to_unit", unit)
        conference = None
        if form.cleaned_data.get("conference"):
            try:
                conference = conference_selectors.conference_get(
                    user=request.user, pk=form.cleaned_data["conference"]
                )
            except OutOfScope:
                form.add_error(
                    "conference", "Không tìm thấy hội nghị, đối thoại có số hiệu này trong phạm vi của bạn."
                )
        if unit is not None and not form.errors:
            try:
                rec = services.rec_create(
                    actor=request.user,
                    unit=unit,
                    title=form.cleaned_data["title"],
                    topic=form.cleaned_data["topic"],
                    to_unit=to_unit,
                    to_body=form.cleaned_data.get("to_body") or "",
                    raised_on=form.cleaned_data["raised_on"],
                    due_on=form.cleaned_data.get("due_on"),
                    conference=conference,
                    content=form.cleaned_data.get("content") or "",
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error(None, MSG_SCOPE)
            else:
                messages.success(request, f"Đã gửi kiến nghị «{rec.title}» đến {rec.addressee}.")
                return redirect(rec.get_absolute_url())
    return render(request, "recommendations/rec_form.html", {"form": form})


FIELD_LABELS = {
    "unit": "Đơn vị kiến nghị",
    "to_unit": "Gửi công đoàn cấp trên",
    "to_body": "Gửi cơ quan, đơn vị",
    "conference": "Hội nghị, đối thoại",
    "topic": "Lĩnh vực",
    "title": "Kiến nghị",
    "content": "Nội dung",
    "raised_on": "Ngày gửi",
    "due_on": "Hạn trả lời",
    "status": "Trạng thái",
    "routed_on": "Ngày chuyển",
    "route_note": "Ghi chú chuyển",
    "answered_on": "Ngày trả lời",
    "answer": "Nội dung trả lời",
    "closed_on": "Ngày đóng",
    "close_note": "Ghi chú đóng",
}
CHOICES = {"status": dict(RecStatus.choices), "topic": dict(RecTopic.choices)}


def _show(key: str, value: Any) -> str:
    return show_value(key, value, CHOICES)


def _detail(request: HttpRequest, rec: Recommendation, **forms: Any) -> HttpResponse:
    answering = services.addressee_unit(rec)
    # A refused answer or routing shows its form again with the reason, even to a unit not addressed.
    posted = bool(forms.get("answer_form") or forms.get("route_form"))
    may_answer = posted or (rec.is_waiting and can_write(request.user, answering))
    context = {
        "rec": rec,
        "status": status_badge(rec),
        "age": selectors.ageing_days(rec),
        "may_answer": may_answer,
        "may_close": rec.status == RecStatus.ANSWERED and can_write(request.user, rec.unit),
        "answer_form": forms.get("answer_form") or AnswerForm(initial={"by": answering.code}),
        "route_form": forms.get("route_form") or RouteForm(initial={"by": answering.code}),
        "close_form": forms.get("close_form") or CloseForm(),
        "audit": audit_rows(selectors.rec_audit(user=request.user, rec=rec), labels=FIELD_LABELS, show=_show),
    }
    return render(request, "recommendations/rec_detail.html", context)


@login_required
@require_GET  # a read: POST is 405
def rec_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.rec_get(user=request.user, pk=pk))


def _writable_or_404(request: HttpRequest) -> None:
    if not user_scope(request.user).can_write_anything:
        raise Http404


@login_required
@require_POST
def rec_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _writable_or_404(request)
    rec = selectors.rec_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        by = _unit(request, form, "by", writable=True)
        if by is not None:
            try:
                services.rec_answer(
                    actor=request.user,
                    rec=rec,
                    by=by,
                    on=form.cleaned_data["answered_on"],
                    answer=form.cleaned_data["answer"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, rename={"answered_on": "answered_on"})
            except OutOfScope:
                form.add_error(None, MSG_SCOPE)
            else:
                messages.success(request, f"Đã trả lời kiến nghị «{rec.title}».")
                return redirect(rec.get_absolute_url())
    return _detail(request, rec, answer_form=form)


@login_required
@require_POST
def rec_route(request: HttpRequest, pk: int) -> HttpResponse:
    _writable_or_404(request)
    rec = selectors.rec_get(user=request.user, pk=pk)
    form = RouteForm(request.POST)
    if form.is_valid():
        by = _unit(request, form, "by", writable=True)
        to_unit = _upper(form, "to_unit", by)
        if by is not None and not form.errors:
            try:
                services.rec_route(
                    actor=request.user,
                    rec=rec,
                    by=by,
                    on=form.cleaned_data["routed_on"],
                    to_unit=to_unit,
                    to_body=form.cleaned_data.get("to_body") or "",
                    note=form.cleaned_data.get("route_note") or "",
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error(None, MSG_SCOPE)
            else:
                messages.success(request, f"Đã chuyển kiến nghị «{rec.title}».")
                return redirect(rec.get_absolute_url())
    return _detail(request, rec, route_form=form)


@login_required
@require_POST
def rec_close(request: HttpRequest, pk: int) -> HttpResponse:
    _writable_or_404(request)
    rec = selectors.rec_get(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.rec_close(
                actor=request.user,
                rec=rec,
                on=form.cleaned_data["closed_on"],
                note=form.cleaned_data.get("close_note") or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            raise Http404 from None
        else:
            messages.success(request, f"Đã đóng kiến nghị «{rec.title}».")
            return redirect(rec.get_absolute_url())
    return _detail(request, rec, close_form=form)
