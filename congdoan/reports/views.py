"""Report pages: the HTML preview (every figure links to its records), generation with a progress bar,
the files generated per unit, template upload and the list of template variables.

Out-of-scope units and files answer 404 (``OutOfScope``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from congdoan.accounts.periods import page_period
from congdoan.core.periods import PeriodError, parse_period
from congdoan.core.xlsx import attachment_response
from congdoan.imports.selectors import worker_missing
from congdoan.org import selectors as org_selectors

from . import selectors, services
from .cluster import cluster_build, cluster_context, cluster_get
from .context import ROW_KEYS, VARIABLES, build_context, table_columns
from .forms import GenerateForm, TemplateUploadForm
from .models import GeneratedReport

FOLD_ROWS = 20  # CĐCS shown under the upper unions in the preview before "Xem tất cả"
FOLD_ALL = 100_000


@login_required
@require_GET  # a read: POST is 405
def index(request: HttpRequest) -> HttpResponse:
    units = org_selectors.home_units(user=request.user)
    if len(units) == 1 and "cum" not in request.GET:
        return redirect("reports:preview", code=units[0].code)
    clusters = org_selectors.cluster_list(user=request.user).order_by("-year", "name")
    return render(request, "reports/index.html", {"units": units, "clusters": clusters})


@login_required
@require_GET
def cluster(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The cluster report: preview, and the file itself with ``?tai=docx|pdf|xlsx``."""
    found = cluster_get(user=request.user, pk=pk)
    period_code = request.GET.get("period", "").strip() or str(found.year)
    error = ""
    report = doc = None
    try:
        period = parse_period(period_code)
    except PeriodError as exc:
        error = str(exc)
    else:
        period_code = period.code
        fmt = request.GET.get("tai", "")
        if fmt:
            if fmt not in services.FORMATS:
                raise Http404("Định dạng không hỗ trợ.")
            data = services.cluster_render(user=request.user, cluster=found, period=period, fmt=fmt)
            name = services.cluster_file_name(found, period, fmt)
            return attachment_response(data, name, services.CONTENT_TYPES[fmt])
        report = cluster_build(user=request.user, cluster=found, period=period)
        doc = cluster_context(report)
    context = {"cluster": found, "report": report, "doc": doc, "period_code": period_code, "error": error}
    return render(request, "reports/cluster.html", context)


@login_required
@require_GET
def preview(request: HttpRequest, code: str) -> HttpResponse:
    unit = org_selectors.unit_get(user=request.user, code=code)
    period_code = page_period(request)  # the current reporting year, or the period picked elsewhere
    error = ""
    report = doc = None
    try:
        period = parse_period(period_code)
    except PeriodError as exc:
        error = str(exc)
    else:
        period_code = period.code
        report = selectors.report_build(user=request.user, unit=unit, period=period)
        doc = build_context(report, generated_by=str(request.user), rows=False)
    templates = selectors.template_list(user=request.user, unit=unit)
    form = GenerateForm(initial={"period": period_code, "format": "docx"}, templates=templates)
    clusters = [
        c
        for c in org_selectors.cluster_list(user=request.user).order_by("-year", "name")
        if c.organiser_id == unit.pk or any(m.unit_id == unit.pk for m in c.memberships.all())
    ]
    context = {
        "unit": unit,
        "clusters": clusters,
        "report": report,
        "doc": doc,
        "period_code": period_code,
        "error": error,
        "form": form,
        "files": selectors.generated_list(user=request.user, unit=unit)[:20],
        "links": True,
        # The CĐCS directly under a city (~500 since the 2025 reform) come folded, a page at a time.
        "fold": True,
        "fold_count": FOLD_ALL if request.GET.get("cdcs") == "tat-ca" else FOLD_ROWS,
    }
    context["fold_limit"] = f":{context['fold_count']}"
    return render(request, "reports/preview.html", context)


@login_required
@require_POST
def generate(request: HttpRequest, code: str) -> HttpResponse:
    unit = org_selectors.unit_get(user=request.user, code=code)
    templates = selectors.template_list(user=request.user, unit=unit)
    form = GenerateForm(request.POST, templates=templates)
    if form.is_valid():
        try:
            row = services.report_request(
                actor=request.user,
                unit=unit,
                period=form.cleaned_data["period"],
                fmt=form.cleaned_data["format"],
                template=form.cleaned_data["template"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("reports:detail", pk=row.pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    period = request.POST.get("period", "")
    return redirect(f"{request.path.rsplit('tao/', 1)[0]}?period={period}")


@login_required
@require_GET  # a read: POST is 405
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.generated_get(user=request.user, pk=pk)
    missing = row.status == GeneratedReport.Status.QUEUED and worker_missing()
    return render(request, "reports/detail.html", {"row": row, "worker_missing": missing})


@login_required
@require_GET  # a read: POST is 405
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.generated_get(user=request.user, pk=pk)
    return render(request, "reports/_progress.html", {"row": row})


@login_required
@require_GET  # a read: POST is 405
def download(request: HttpRequest, pk: int) -> FileResponse:
    row = selectors.generated_get(user=request.user, pk=pk)
    if row.status != GeneratedReport.Status.DONE or not row.file:
        raise Http404("Tệp chưa sẵn sàng.")
    return FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.file_name,
        content_type=services.CONTENT_TYPES.get(row.format, "application/octet-stream"),
    )


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    can_manage = services.can_manage_templates(request.user)
    form = TemplateUploadForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Chỉ quản trị viên được tải mẫu báo cáo lên.")
        form = TemplateUploadForm(request.POST, request.FILES)
        if form.is_valid():
            unit = None
            code = form.cleaned_data["unit"].strip()
            try:
                if code:
                    unit = org_selectors.unit_get(user=request.user, code=code)
                template = services.template_upload(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    uploaded=form.cleaned_data["file"],
                    unit=unit,
                )
            except Http404:
                form.add_error("unit", f"Không có đơn vị «{code}» trong phạm vi của bạn.")
            except ValidationError as exc:
                for field, errors in (
                    exc.message_dict.items() if hasattr(exc, "error_dict") else [("file", exc.messages)]
                ):
                    form.add_error(field if field in form.fields else "file", errors)
            else:
                messages.success(
                    request, f"Đã tải lên mẫu «{template.name}» ({len(template.variables)} biến)."
                )
                return redirect("reports:templates")
    context = {
        "form": form,
        "can_manage": can_manage,
        "templates": selectors.template_list(user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "reports/templates.html", context)


@login_required
@require_GET  # a read: POST is 405
def variables(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/variables.html",
        {"variables": VARIABLES, "row_keys": ROW_KEYS, "tables": table_columns()},
    )
