"""Pages of disputes and stoppages (list, form, detail with mediation steps, close) and of the
worker-sentiment notes (list with the risk flag, form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.formatting import format_date, format_number
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
from .filters import DisputeFilter, SentimentFilter
from .forms import CloseForm, DisputeForm, MediationForm, SentimentForm
from .models import Dispute, DisputeKind, Outcome
from .tables import DisputeTable, SentimentTable

NOT_WRITABLE = "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi."
BACK = "Tranh chấp, ngừng việc"
LABELS = {
    "unit": "Công đoàn theo dõi",
    "employer": "Đơn vị sử dụng lao động",
    "kind": "Loại vụ việc",
    "began_on": "Ngày xảy ra",
    "ended_on": "Ngày kết thúc",
    "workers": "Số người lao động tham gia",
    "demands": "Yêu cầu",
    "union_role": "Vai trò của công đoàn",
    "outcome": "Kết quả",
    "result": "Kết quả giải quyết",
    "mediation": "Bước hòa giải",
    "on": "Ngày",
}
CHOICES = {"kind": dict(DisputeKind.choices), "outcome": dict(Outcome.choices)}


def _initial_unit(request: HttpRequest) -> str:
    if request.GET.get("unit"):
        return str(request.GET["unit"])
    roots = org_selectors.home_units(user=request.user)
    return roots[0].code if roots else ""


def _form_page(request: HttpRequest, form: Any, title: str, back_url: str, submit: str) -> HttpResponse:
    return form_page(request, form, title=title, back_url=back_url, back_label=BACK, submit=submit)


@login_required
@require_GET  # a read: POST is 405
def dispute_list(request: HttpRequest) -> HttpResponseBase:
    filterset = DisputeFilter(
        request.GET, queryset=selectors.dispute_list(user=request.user), request=request
    )
    writer = user_scope(request.user).can_write_anything
    return list_page(
        request,
        filterset,
        DisputeTable,
        export=lambda qs, filters: _xlsx(request, qs, filters),
        title="Tranh chấp lao động, ngừng việc tập thể",
        noun="vụ",
        links=[{"url": reverse("disputes:sentiment_list"), "label": "Tình hình tư tưởng người lao động"}],
        create_url=reverse("disputes:create") if writer else "",
        create_label="Ghi nhận vụ việc",
    )


def _xlsx(request: HttpRequest, qs: Any, filters: dict[str, Any]) -> HttpResponseBase:
    header = [
        "Ngày xảy ra",
        "Ngày kết thúc",
        "Loại",
        "Đơn vị sử dụng lao động",
        "Mã đơn vị",
        "Công đoàn theo dõi",
        "Số người lao động",
        "Yêu cầu",
        "Vai trò của công đoàn",
        "Kết quả",
        "Kết quả giải quyết",
    ]
    rows = (
        [
            d.began_on,
            d.ended_on,
            d.get_kind_display(),
            d.employer.name,
            d.unit.code,
            d.unit.name,
            d.workers,
            d.demands,
            d.union_role,
            d.get_outcome_display(),
            d.result,
        ]
        for d in qs
    )
    return xlsx_export(
        request,
        sheet="Tranh chấp, ngừng việc",
        header=header,
        rows=rows,
        kind="export.disputes",
        label="Danh sách tranh chấp, ngừng việc tập thể (XLSX)",
        filters=filters,
        filename="tranh-chap-ngung-viec",
    )


@login_required
def dispute_create(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    initial = {"unit": _initial_unit(request), "employer": request.GET.get("employer", "")}
    form = DisputeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit, employer = resolve_unit_and_employer(request.user, form)
        if unit is not None and employer is not None:
            try:
                dispute = services.dispute_create(
                    actor=request.user, unit=unit, employer=employer, **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error("unit", NOT_WRITABLE)
            else:
                messages.success(
                    request, f"Đã ghi nhận {dispute.get_kind_display().lower()} tại «{employer.name}»."
                )
                return redirect(dispute.get_absolute_url())
    return _form_page(
        request, form, "Ghi nhận tranh chấp, ngừng việc tập thể", reverse("disputes:list"), "Ghi nhận"
    )


@login_required
def dispute_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_get_writable(user=request.user, pk=pk_or_404(pk))
    initial = {key: getattr(dispute, key) for key in services.UPDATABLE}
    form = DisputeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispute_update(actor=request.user, dispute=dispute, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, NOT_WRITABLE)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect(dispute.get_absolute_url())
    return _form_page(request, form, f"Sửa: {dispute}", dispute.get_absolute_url(), "Lưu thay đổi")


@login_required
def mediation_add(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_get_writable(user=request.user, pk=pk_or_404(pk))
    form = MediationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mediation_add(actor=request.user, dispute=dispute, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã thêm bước hòa giải.")
            return redirect(dispute.get_absolute_url())
    return _form_page(request, form, f"Thêm bước hòa giải: {dispute}", dispute.get_absolute_url(), "Thêm")


@login_required
def dispute_close(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_get_writable(user=request.user, pk=pk_or_404(pk))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispute_close(actor=request.user, dispute=dispute, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã ghi nhận kết quả giải quyết.")
            return redirect(dispute.get_absolute_url())
    return _form_page(request, form, f"Kết thúc: {dispute}", dispute.get_absolute_url(), "Ghi nhận kết quả")


def _show(key: str, value: Any) -> str:
    if key == "employer" and isinstance(value, int):
        return org_selectors.employer_name(value)
    return show_value(key, value, CHOICES)


def detail_fields(d: Dispute) -> list[tuple[str, Any]]:
    return [
        ("Loại vụ việc", d.get_kind_display()),
        ("Đơn vị sử dụng lao động", d.employer.name),
        ("Công đoàn theo dõi", d.unit.name),
        ("Ngày xảy ra", format_date(d.began_on)),
        ("Ngày kết thúc", format_date(d.ended_on) if d.ended_on else ""),
        ("Số người lao động tham gia", format_number(d.workers)),
        ("Yêu cầu của người lao động", d.demands),
        ("Vai trò của công đoàn", d.union_role),
        ("Kết quả", d.get_outcome_display()),
        ("Kết quả giải quyết", d.result),
    ]


@login_required
@require_GET  # a read: POST is 405
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_get(user=request.user, pk=pk_or_404(pk))
    actions = []
    if can_write(request.user, dispute.unit):
        actions.append({"url": reverse("disputes:edit", args=[dispute.pk]), "label": "Sửa"})
        if dispute.outcome == Outcome.PENDING:
            actions.append(
                {
                    "url": reverse("disputes:mediation", args=[dispute.pk]),
                    "label": "Thêm bước hòa giải",
                    "style": "outline-primary",
                }
            )
            actions.append(
                {
                    "url": reverse("disputes:close", args=[dispute.pk]),
                    "label": "Ghi nhận kết quả",
                    "style": "success",
                }
            )
    steps = [[format_date(s.held_on), s.action, s.by, s.result] for s in dispute.steps.all()]
    entries = selectors.dispute_audit(user=request.user, dispute=dispute)
    context = {
        "title": str(dispute),
        "back_url": reverse("disputes:list"),
        "back_label": BACK,
        "fields": detail_fields(dispute),
        "actions": actions,
        "blocks": [
            {
                "title": "Các bước hòa giải",
                "header": ["Ngày", "Nội dung", "Thực hiện", "Kết quả"],
                "rows": steps,
                "empty": "Chưa có bước hòa giải nào.",
                "css": "mediation-steps",
            }
        ],
        "audit": audit_rows(entries, labels=LABELS, show=_show),
    }
    return render(request, "work/detail.html", context)


@login_required
@require_GET  # a read: POST is 405
def sentiment_list(request: HttpRequest) -> HttpResponseBase:
    filterset = SentimentFilter(
        request.GET, queryset=selectors.sentiment_list(user=request.user), request=request
    )
    writer = user_scope(request.user).can_write_anything
    return list_page(
        request,
        filterset,
        SentimentTable,
        export=lambda qs, filters: _sentiment_xlsx(request, qs, filters),
        title="Tình hình tư tưởng người lao động",
        noun="ghi nhận",
        links=[{"url": reverse("disputes:list"), "label": "Tranh chấp, ngừng việc"}],
        create_url=reverse("disputes:sentiment_create") if writer else "",
        create_label="Ghi nhận tình hình",
    )


def _sentiment_xlsx(request: HttpRequest, qs: Any, filters: dict[str, Any]) -> HttpResponseBase:
    rows = (
        [n.noted_on, n.employer.name, n.unit.code, n.unit.name, n.note, "Có" if n.at_risk else "Không"]
        for n in qs
    )
    return xlsx_export(
        request,
        sheet="Tình hình tư tưởng",
        header=[
            "Ngày ghi nhận",
            "Đơn vị sử dụng lao động",
            "Mã đơn vị",
            "Công đoàn theo dõi",
            "Tình hình",
            "Nguy cơ",
        ],
        rows=rows,
        kind="export.sentiment",
        label="Tình hình tư tưởng người lao động (XLSX)",
        filters=filters,
        filename="tinh-hinh-tu-tuong",
    )


@login_required
def sentiment_create(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    initial = {"unit": _initial_unit(request), "employer": request.GET.get("employer", "")}
    form = SentimentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit, employer = resolve_unit_and_employer(request.user, form)
        if unit is not None and employer is not None:
            data = form.cleaned_data
            try:
                services.sentiment_note(
                    actor=request.user,
                    unit=unit,
                    employer=employer,
                    noted_on=data["noted_on"],
                    note=data["note"],
                    at_risk=bool(data.get("at_risk")),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error("unit", NOT_WRITABLE)
            else:
                messages.success(request, f"Đã ghi nhận tình hình tư tưởng tại «{employer.name}».")
                return redirect(reverse("disputes:sentiment_list") + f"?employer={employer.pk}")
    return _form_page(
        request,
        form,
        "Ghi nhận tình hình tư tưởng người lao động",
        reverse("disputes:sentiment_list"),
        "Ghi nhận",
    )
