"""Pages of the import pipeline: upload, preview (counts or every error), commit with a progress bar.

A job is visible only to its uploader (and superusers); anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from congdoan.accounts.scope import user_scope

from . import selectors, services
from .forms import SheetForm, UploadForm
from .models import ImportJob

RECENT_JOBS = 20


def _job(request: HttpRequest, pk: int) -> ImportJob:
    job = services.jobs_for(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404("Không tìm thấy lượt nhập dữ liệu này.")
    return job


def _add_errors(form: UploadForm | SheetForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    can_import = user_scope(request.user).can_write_anything
    if request.method == "POST" and not can_import:
        raise Http404  # a read-only user: refused before the file is read
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                sheet=form.cleaned_data["sheet"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            services.job_validate(job=job)
            return redirect(job)
    jobs = services.jobs_for(request.user).filter(user_id=request.user.pk)[:RECENT_JOBS]
    context = {
        "form": form,
        "jobs": jobs,
        "can_import": can_import,
        "worker_missing": selectors.worker_missing(),
    }
    return render(request, "imports/upload.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    sheet_form = SheetForm(sheets=job.sheets, initial={"sheet": job.sheet}) if job.needs_sheet else None
    context = {"job": job, "sheet_form": sheet_form, "worker_missing": selectors.worker_missing()}
    return render(request, "imports/detail.html", context)


@login_required
@require_POST
def choose_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    form = SheetForm(request.POST, sheets=job.sheets)
    if form.is_valid():
        try:
            services.job_choose_sheet(actor=request.user, job=job, sheet=form.cleaned_data["sheet"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(job)
    return render(request, "imports/detail.html", {"job": job, "sheet_form": form}, status=400)


@login_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.job_commit(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return render(request, "imports/detail.html", {"job": job, "commit_error": message}, status=400)
    return redirect(job)


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone (htmx polls it every second until the job has finished)."""
    job = _job(request, pk)
    missing = job.status == ImportJob.Status.QUEUED and selectors.worker_missing()
    return render(request, "imports/_progress.html", {"job": job, "worker_missing": missing})


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Give up a job not yet committed: its uploaded file is deleted at once."""
    job = _job(request, pk)
    try:
        services.job_cancel(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return render(request, "imports/detail.html", {"job": job, "commit_error": message}, status=400)
    messages.success(request, f"Đã hủy và xóa tệp «{job.original_name}».")
    return redirect("imports:upload")
