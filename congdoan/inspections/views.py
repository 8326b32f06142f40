"""Pages of inspections: the list (filters, search, pagination, XLSX), the form, the detail and the
end of the follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.formatting import format_date
from congdoan.core.views import (
    add_service_errors,
    audit_rows,
    form_page,
    list_page,
    pk_or_404,
    show_value,
    xlsx_export,
)
from congdoan.org import selectors as org_selectors
from congdoan.org.forms import resolve_unit_and_employer

from . import selectors, services
from .filters import InspectionFilter
from .forms import CloseForm, InspectionForm
from .models import Inspection, InspectionKind, InspectionState
from .tables import InspectionTable

NOT_WRITABLE = "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi."
BACK = "Kiểm tra, giám sát"
LABELS = {
    "unit": "Công đoàn thực hiện",
    "employer": "Đơn vị sử dụng lao động",
    "kind": "Nội dung",
    "held_on": "Ngày bắt đầu",
    "ends_on": "Ngày kết thúc",
    "team": "Thành phần đoàn",
    "findings": "Kết quả, phát hiện",
    "violations": "Phát hiện vi phạm",
    "recommendations": "Kiến nghị đã nêu",
    "follow_up": "Kết quả theo dõi khắc phục",
    "state": "Trạng thái",
    "closed_on": "Ngày kết thúc theo dõi",
}
CHOICES = {"kind": dict(InspectionKind.choices), "state": dict(InspectionState.choices)}


@login_required
@require_GET  # a read: POST is 405
def inspection_list(request: HttpRequest) -> HttpResponseBase:
    filterset = InspectionFilter(
        request.GET, queryset=selectors.inspection_list(user=request.user), request=request
    )
    return list_page(
        request,
        filterset,
        InspectionTable,
        export=lambda qs, filters: _xlsx(request, qs, filters),
        title="Kiểm tra, giám sát tại doanh nghiệp",
        noun="cuộc",
        create_url=reverse("inspections:create") if user_scope(request.user).can_write_anything else "",
        create_label="Ghi nhận cuộc kiểm tra",
    )


def _xlsx(request: HttpRequest, qs: Any, filters: dict[str, Any]) -> HttpResponseBase:
    header = [
        "Ngày bắt đầu",
        "Ngày kết thúc",
        "Nội dung",
        "Đơn vị sử dụng lao động",
        "Mã số thuế",
        "Mã đơn vị",
        "Công đoàn thực hiện",
        "Thành phần đoàn",
        "Kết quả, phát hiện",
        "Vi phạm",
        "Kiến nghị",
        "Theo dõi khắc phục",
        "Trạng thái",
    ]
    rows = (
        [
            i.held_on,
            i.ends_on,
            i.get_kind_display(),
            i.employer.name,
            i.employer.tax_code or "",
            i.unit.code,
            i.unit.name,
            i.team,
            i.findings,
            "Có" if i.violations else "Không",
            i.recommendations,
            i.follow_up,
            i.get_state_display(),
        ]
        for i in qs
    )
    return xlsx_export(
        request,
        sheet="Kiểm tra, giám sát",
        header=header,
        rows=rows,
        kind="export.inspections",
        label="Danh sách kiểm tra, giám sát (XLSX)",
        filters=filters,
        filename="kiem-tra-giam-sat",
    )


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    initial: dict[str, Any] = {
        "unit": request.GET.get("unit", ""),
        "employer": request.GET.get("employer", ""),
    }
    if not initial["unit"]:
        roots = org_selectors.home_units(user=request.user)
        initial["unit"] = roots[0].code if roots else ""
    form = InspectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit, employer = resolve_unit_and_employer(request.user, form)
        if unit is not None and employer is not None:
            try:
                inspection = services.inspection_create(
                    actor=request.user, unit=unit, employer=employer, **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error("unit", NOT_WRITABLE)
            else:
                messages.success(request, f"Đã ghi nhận cuộc kiểm tra, giám sát tại «{employer.name}».")
                return redirect(inspection.get_absolute_url())
    return form_page(
        request,
        form,
        title="Ghi nhận cuộc kiểm tra, giám sát",
        back_url=reverse("inspections:list"),
        back_label=BACK,
        submit="Ghi nhận",
    )


@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get_writable(user=request.user, pk=pk_or_404(pk))
    initial = {key: getattr(inspection, key) for key in services.UPDATABLE}
    form = InspectionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update(actor=request.user, inspection=inspection, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, NOT_WRITABLE)
        else:
            messages.success(request, "Đã lưu thay đổi cuộc kiểm tra, giám sát.")
            return redirect(inspection.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Sửa: {inspection}",
        back_url=inspection.get_absolute_url(),
        back_label=BACK,
        submit="Lưu thay đổi",
    )


@login_required
def inspection_close(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get_writable(user=request.user, pk=pk_or_404(pk))
    form = CloseForm(request.POST or None, initial={"follow_up": inspection.follow_up})
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_close(
                actor=request.user,
                inspection=inspection,
                follow_up=form.cleaned_data["follow_up"],
                on=form.cleaned_data["closed_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã kết thúc theo dõi khắc phục.")
            return redirect(inspection.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Kết thúc theo dõi: {inspection}",
        back_url=inspection.get_absolute_url(),
        back_label=BACK,
        submit="Kết thúc theo dõi",
    )


def _show(key: str, value: Any) -> str:
    if key == "employer" and isinstance(value, int):
        return org_selectors.employer_name(value)
    return show_value(key, value, CHOICES)


def detail_fields(i: Inspection) -> list[tuple[str, Any]]:
    return [
        ("Nội dung", i.get_kind_display()),
        ("Đơn vị sử dụng lao động", i.employer.name),
        ("Công đoàn thực hiện", i.unit.name),
        ("Ngày bắt đầu", format_date(i.held_on)),
        ("Ngày kết thúc", format_date(i.ends_on) if i.ends_on else ""),
        ("Thành phần đoàn", i.team),
        ("Kết quả, phát hiện", i.findings),
        ("Phát hiện vi phạm", "Có" if i.violations else "Không"),
        ("Kiến nghị đã nêu", i.recommendations),
        ("Kết quả theo dõi khắc phục", i.follow_up),
        ("Trạng thái", i.get_state_display()),
        ("Ngày kết thúc theo dõi", format_date(i.closed_on) if i.closed_on else ""),
    ]


@login_required
@require_GET  # a read: POST is 405
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk_or_404(pk))
    actions = []
    if can_write(request.user, inspection.unit):
        actions.append({"url": reverse("inspections:edit", args=[inspection.pk]), "label": "Sửa"})
        if inspection.state == InspectionState.FOLLOWING:
            actions.append(
                {
                    "url": reverse("inspections:close", args=[inspection.pk]),
                    "label": "Kết thúc theo dõi",
                    "style": "success",
                }
            )
    entries = selectors.inspection_audit(user=request.user, inspection=inspection)
    context = {
        "title": str(inspection),
        "back_url": reverse("inspections:list"),
        "back_label": BACK,
        "fields": detail_fields(inspection),
        "actions": actions,
        "audit": audit_rows(entries, labels=LABELS, show=_show),
    }
    return render(request, "work/detail.html", context)


@login_required
@require_GET  # a read: POST is 405
def records(request: HttpRequest) -> HttpResponse:
    query = {k: str(request.GET[k]) for k in ("unit", "from", "to", "kind") if request.GET.get(k)}
    return redirect(reverse("inspections:list") + "?" + urlencode(query))
