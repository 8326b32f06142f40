"""Data entry of report forms: a unit's entered indicators for a period; save, submit, approve
(then locked).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.periods import Period
from congdoan.org.models import OrgUnit
from congdoan.org.selectors import not_founded_message

from . import selectors, services
from .forms import DataEntryForm
from .models import DataValue, ReportForm, Submission
from .views_shared import (
    MSG_OUT_OF_SCOPE,
    Rollback,
    default_period,
    period_choices,
    request_period,
    request_unit,
)

DEFAULT_FORM = "BC_HDCD"

MSG_VALUES_SAVED = "Đã lưu số liệu ({n} chỉ tiêu)."
MSG_SUBMITTED = "Đã gửi báo cáo «{form}» {period} của {unit} lên cấp trên."
MSG_APPROVED = "Đã duyệt báo cáo «{form}» {period} của {unit}; số liệu đã được khóa."

# -- data entry -----------------------------------------------------------------------------------------


def _entry_context(request: HttpRequest) -> dict[str, Any]:
    report = ReportForm.objects.filter(code=(request.GET.get("form") or DEFAULT_FORM).strip().upper()).first()
    if report is None:
        raise Http404
    unit = request_unit(request)
    period = request_period(request, default_period(request.user))
    selectors.require_period(request.user, [unit], period)  # an ended unit's 2026: 404
    indicators = list(report.indicators.order_by("sort_order", "code"))
    submission = Submission.objects.filter(form=report, unit=unit, period=period.code).first()
    current = dict(
        DataValue.objects.filter(unit=unit, period=period.code, indicator__in=indicators).values_list(
            "indicator_id", "value"
        )
    )
    locked = submission is not None and submission.status == Submission.Status.APPROVED
    not_founded = not_founded_message(unit, period.end)  # no form for a period before the unit began
    writable = can_write(request.user, unit)
    scope = user_scope(request.user)
    can_approve = (
        submission is not None
        and submission.status == Submission.Status.SUBMITTED
        and writable
        and not not_founded
        and (scope.is_global or unit.pk not in scope.root_ids)
    )
    return {
        "report": report,
        "reports": list(ReportForm.objects.all()),
        "unit": unit,
        "period": period,
        "periods": period_choices(period),
        "indicators": indicators,
        "submission": submission,
        "current": current,
        "locked": locked,
        "can_write": writable and not locked and not not_founded,
        "writable": writable,
        "can_approve": can_approve,
        "not_founded": not_founded,
        "query": urlencode({"form": report.code, "unit": unit.code, "period": period.code}),
    }


@login_required
def entry(request: HttpRequest) -> HttpResponse:
    """A report form's entered indicators for a unit and period: save, submit, approve (then locked)."""
    ctx = _entry_context(request)
    report, unit, period = ctx["report"], ctx["unit"], ctx["period"]
    here = f"{reverse('indicators:entry')}?{ctx['query']}"
    form = DataEntryForm(
        None, indicators=ctx["indicators"], current=ctx["current"], disabled=not ctx["can_write"]
    )
    if request.method == "POST" and not ctx["writable"]:
        raise Http404  # read-only or out of scope: refused before the values are read
    action = request.POST.get("action", "")
    if request.method == "POST" and ctx["not_founded"]:
        try:  # the service's refusal, word for word (an old tab or a script posting anyway)
            services.require_existed(unit, period, "báo cáo")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    if request.method == "POST" and action == "approve" and ctx["can_approve"]:
        try:
            services.submission_approve(actor=request.user, submission=ctx["submission"])
        except (ValidationError, OutOfScope) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [MSG_OUT_OF_SCOPE])))
        else:
            messages.success(
                request, MSG_APPROVED.format(form=report.name, period=period.label, unit=unit.name)
            )
        return redirect(here)
    if request.method == "POST" and action in ("save", "submit") and ctx["can_write"]:
        form = DataEntryForm(
            request.POST, indicators=ctx["indicators"], current=ctx["current"], disabled=False
        )
        if form.is_valid() and _save_values(request, form, unit, period):
            if action == "submit":
                try:
                    services.submission_submit(actor=request.user, form=report, unit=unit, period=period.code)
                except (ValidationError, OutOfScope) as exc:
                    messages.error(request, " ".join(getattr(exc, "messages", [MSG_OUT_OF_SCOPE])))
                    return redirect(here)
                messages.success(
                    request, MSG_SUBMITTED.format(form=report.name, period=period.label, unit=unit.name)
                )
            return redirect(here)
    ctx["form"] = form
    return render(request, "indicators/entry.html", ctx)


def _save_values(request: HttpRequest, form: DataEntryForm, unit: OrgUnit, period: Period) -> bool:
    """The changed values through ``services.value_set``, all or nothing; errors go on their fields."""
    changes = form.changes()
    try:
        with transaction.atomic():
            for indicator, value in changes:
                try:
                    services.value_set(
                        actor=request.user, unit=unit, indicator=indicator, period=period.code, value=value
                    )
                except ValidationError as exc:
                    form.add_error(indicator.code, ValidationError(exc.messages))
                except OutOfScope:
                    form.add_error(indicator.code, MSG_OUT_OF_SCOPE)
            if form.errors:
                raise Rollback
    except Rollback:
        messages.error(request, "Chưa lưu: có số liệu không hợp lệ. Không số liệu nào được thay đổi.")
        return False
    if changes:
        messages.success(request, MSG_VALUES_SAVED.format(n=len(changes)))
    return True
