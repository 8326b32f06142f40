"""Writes of the reports app — only its own rows (generated files, uploaded templates); it never
writes domain data. Generation runs as a background task with its progress on the row."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import Role
from congdoan.accounts.permissions import is_global
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.audit import audit_log
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.periods import Period, parse_period, period_or_error
from congdoan.core.text import fold
from congdoan.org import selectors as org_selectors
from congdoan.org.models import EmulationCluster, OrgUnit

from . import selectors
from .context import build_context
from .models import GeneratedReport, ReportTemplate

log = logging.getLogger(__name__)

FORMATS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
Progress = Callable[[int, str], None]


def file_name(unit: OrgUnit, period: Period, fmt: str) -> str:
    """ "bao-cao-tong-ket-2024-HN-GIALAM.docx" (ASCII, safe in every browser and mail client)."""
    kind = "tong-ket" if period.kind in ("year", "term") else "so-ket"
    if fmt == "xlsx":
        kind = "bieu-thong-ke"
    code = fold(unit.code).replace(" ", "-").upper()
    return (
        f"bao-cao-{kind}-{period.code}-{code}.{fmt}" if fmt != "xlsx" else f"{kind}-{period.code}-{code}.xlsx"
    )


def report_render(
    *,
    user: Any,
    unit: OrgUnit,
    period: Period,
    fmt: str,
    template: ReportTemplate | None = None,
    generated_by: str = "",
    progress: Progress | None = None,
) -> bytes:
    """The report file's bytes, built synchronously (the CLI and the background task call this)."""
    if fmt not in FORMATS:
        raise ValidationError({"format": [f"Định dạng «{fmt}» không hỗ trợ (dùng docx, pdf hoặc xlsx)."]})

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(int(5 + 65 * done / max(total, 1)), "Đang tính số liệu")

    report = selectors.report_build(user=user, unit=unit, period=period, progress=step)
    context = build_context(report, generated_by=generated_by)
    if progress is not None:
        progress(75, "Đang dựng tệp")
    if fmt == "docx":
        from .docx import render_docx

        source = None
        if template is not None:
            with template.file.open("rb") as fh:
                source = fh.read()
        return render_docx(context, source)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(report, context)
    from .pdf import render_pdf

    return render_pdf(report, context)


def cluster_file_name(cluster: EmulationCluster, period: Period, fmt: str) -> str:
    """ "bao-cao-cum-thi-dua-so-3-2024.docx" (ASCII)."""
    slug = "-".join(fold(cluster.name).split())
    return f"bao-cao-{slug}-{period.code}.{fmt}"


def cluster_render(*, user: Any, cluster: EmulationCluster, period: Period, fmt: str) -> bytes:
    """The cluster report's bytes (synchronous: a cluster has a handful of members)."""
    from .cluster import cluster_build
    from .cluster_files import render_cluster_docx, render_cluster_pdf, render_cluster_xlsx

    if fmt not in FORMATS:
        raise ValidationError({"format": [f"Định dạng «{fmt}» không hỗ trợ (dùng docx, pdf hoặc xlsx)."]})
    report = cluster_build(user=user, cluster=cluster, period=period)
    if fmt == "docx":
        return render_cluster_docx(report)
    if fmt == "xlsx":
        return render_cluster_xlsx(report)
    return render_cluster_pdf(report)


def report_request(
    *, actor: Any, unit: OrgUnit, period: str, fmt: str, template: ReportTemplate | None = None
) -> GeneratedReport:
    """Queue the generation of a report file; the immediate backend (tests) runs it at once."""
    from .tasks import generate_report

    p = period_or_error(period)
    if actor is not None:
        unit = org_selectors.unit_get(user=actor, code=unit.code)  # 404 out of scope
        _require_period(actor, unit, p)
    if fmt not in FORMATS:
        raise ValidationError({"format": ["Định dạng phải là docx, pdf hoặc xlsx."]})
    if template is not None:
        if fmt != "docx":
            raise ValidationError({"template": ["Mẫu Word chỉ dùng cho định dạng docx."]})
        if not selectors.template_list(user=actor, unit=unit).filter(pk=template.pk).exists():
            raise ValidationError({"template": ["Mẫu này không dùng được cho đơn vị đã chọn."]})
    row = GeneratedReport.objects.create(
        unit=unit,
        period=p.code,
        format=fmt,
        template=template,
        file_name=file_name(unit, p, fmt),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    result = generate_report.enqueue(report_id=row.pk)
    GeneratedReport.objects.filter(pk=row.pk).update(task_id=str(result.id)[:64])
    row.refresh_from_db()
    return row


def _require_period(actor: Any, unit: OrgUnit, period: Period) -> None:
    """An ended unit's officer may not ask for a period that starts after its last day: the unit is
    theirs (checked before), so the refusal says why instead of a bare 404."""
    scope = user_scope(actor)
    try:
        scope.require_period(unit.pk, period)
    except OutOfScope:
        until = scope.read_only_until
        last = f" ({format_date(until)})" if until else ""
        raise ValidationError(
            {
                "period": [
                    f"Không tạo được báo cáo {period.label}: kỳ này bắt đầu sau ngày hoạt động cuối cùng"
                    f" của đơn vị bạn{last}; bạn chỉ xem được số liệu đến ngày đó."
                ]
            }
        ) from None


def report_run(*, report_id: int) -> dict[str, Any]:
    """The task's body: build the file, store it on the row; a failure is recorded, never raised."""
    claimed = GeneratedReport.objects.filter(pk=report_id, status=GeneratedReport.Status.QUEUED).update(
        status=GeneratedReport.Status.RUNNING, progress=1, phase="Bắt đầu"
    )
    if not claimed:
        return {"status": "skipped"}
    row = GeneratedReport.objects.select_related("unit", "created_by", "template").get(pk=report_id)
    started = time.monotonic()
    last = [0.0]

    def progress(percent: int, phase: str) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or percent >= 75:
            last[0] = now
            GeneratedReport.objects.filter(pk=report_id).update(progress=min(percent, 99), phase=phase)

    try:
        data = report_render(
            user=row.created_by,
            unit=row.unit,
            period=parse_period(row.period),
            fmt=row.format,
            template=row.template,
            generated_by=str(row.created_by or ""),
            progress=progress,
        )
    except Exception as exc:  # recorded on the row and shown to the user
        log.exception("report %s failed", report_id)
        message = " ".join(getattr(exc, "messages", [])) or "Lỗi khi tạo tệp báo cáo."
        GeneratedReport.objects.filter(pk=report_id).update(
            status=GeneratedReport.Status.FAILED, error=message, finished_at=timezone.now(), phase=""
        )
        return {"status": "failed", "error": message}
    row.file.save(row.file_name, ContentFile(data), save=False)
    elapsed = int((time.monotonic() - started) * 1000)
    GeneratedReport.objects.filter(pk=report_id).update(
        file=row.file.name,
        size=len(data),
        status=GeneratedReport.Status.DONE,
        progress=100,
        phase="",
        duration_ms=elapsed,
        finished_at=timezone.now(),
    )
    return {"status": "done", "size": len(data), "ms": elapsed}


MSG_WORKER_LOST = "Tiến trình nền đã dừng trước khi tạo xong tệp báo cáo; hãy bấm «Tạo báo cáo» lại."


def reports_recover(*, now: Any = None) -> list[int]:
    """Fail, with a message, the report files left ``queued`` or ``running`` whose task is over (failed,
    lost with a dead worker, or pruned); called by the worker (``congdoan.imports.worker.recover``).
    Generating writes nothing but this row, so the user simply asks again."""
    import uuid

    from django_tasks_db.models import DBTaskResult

    from congdoan.imports.selectors import stale_after, uses_database_queue

    if not uses_database_queue():
        return []
    now = now or timezone.now()
    failed: list[int] = []
    rows = list(
        GeneratedReport.objects.filter(
            status__in=[GeneratedReport.Status.QUEUED, GeneratedReport.Status.RUNNING]
        ).values_list("pk", "task_id", "created_at")
    )
    ids = []
    for _, task_id, _ in rows:
        try:
            ids.append(uuid.UUID(task_id))
        except ValueError:
            continue
    pending = {
        str(pk)
        for pk in DBTaskResult.objects.filter(pk__in=ids, status__in=["READY", "RUNNING"]).values_list(
            "pk", flat=True
        )
    }
    for pk, task_id, created_at in rows:
        if task_id in pending or (not task_id and created_at > now - stale_after()):
            continue
        if GeneratedReport.objects.filter(
            pk=pk, status__in=[GeneratedReport.Status.QUEUED, GeneratedReport.Status.RUNNING], task_id=task_id
        ).update(status=GeneratedReport.Status.FAILED, error=MSG_WORKER_LOST, phase="", finished_at=now):
            failed.append(pk)
    if failed:
        log.warning("Report files failed after their worker stopped: %s", failed)
    return failed


# -- templates ---------------------------------------------------------------------------------


def can_manage_templates(user: Any) -> bool:
    if is_global(user):
        return True
    return any(root.role == Role.ADMINISTRATOR for root in user_scope(user).roots)


def template_upload(
    *, actor: Any, name: str, uploaded: UploadedFile, unit: OrgUnit | None = None
) -> ReportTemplate:
    """Store an administrator's Word template after checking it (see ``docx.check_template``).

    The check (seconds of rendering, bounded) runs before the transaction: on SQLite a transaction
    holds the one write lock, and every other write of the site would wait for it."""
    from .docx import check_template

    if actor is not None and not can_manage_templates(actor):
        raise PermissionDenied("Chỉ quản trị viên được tải mẫu báo cáo lên.")
    if unit is not None and actor is not None:
        unit = org_selectors.unit_get_writable(user=actor, code=unit.code)
    elif unit is None and actor is not None and not is_global(actor):
        raise ValidationError({"unit": ["Hãy chọn đơn vị dùng mẫu này."]})
    if not (name or "").strip():
        raise ValidationError({"name": ["Hãy đặt tên cho mẫu."]})
    data = uploaded.read()
    variables = check_template(data, uploaded.name or "")
    template = ReportTemplate(
        name=name.strip(),
        unit=unit,
        original_name=(uploaded.name or "")[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        variables=variables,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with transaction.atomic():
        _template_save(actor, template, data)
    return template


def _template_save(actor: Any, template: ReportTemplate, data: bytes) -> None:
    unit = template.unit
    template.file.save("mau.docx", ContentFile(data), save=False)
    template.full_clean()
    template.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=template,
        object_type="reports.reporttemplate",
        object_id=str(template.pk),
        object_repr=template.name,
        unit=unit,
        after={"name": template.name, "sha256": template.sha256, "file": template.original_name},
    )
