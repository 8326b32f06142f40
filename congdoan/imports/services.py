"""Import jobs from the web and the API: upload → validate (a dry run, synchronous) → commit (a task).

The importers themselves are the ones ``congdoan import`` runs (:data:`IMPORTERS` of that command):
``run(*, actor, path_or_file, sheet, dry_run, progress) -> ImportResult``. A job only adds the stored
file, the preview, and the progress of the commit, which runs in the background worker
(``congdoan db_worker``; inline in tests).

Progress while the commit runs is written to the job row by :class:`JobProgress`, at most every
half second. An import writes in one transaction, and progress written on that connection would stay
invisible to the page polling it until the end. So:

- **PostgreSQL** (and any server database): progress goes through a second, dedicated connection
  in autocommit (``connections.create_connection``), committed at once and seen by every process. It
  only ever touches the job row, which the import's transaction never locks.
- **SQLite** allows one writer: a second connection would wait for the import's lock. Progress is
  written on the import's own connection: visible while the file is read and checked (outside the
  transaction — most of the time of a members import), then at the end of the write pass.
"""

from __future__ import annotations

import importlib
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.module_loading import import_string

from congdoan.accounts.permissions import is_global
from congdoan.accounts.scope import scope_for

from .models import MAX_STORED_ERRORS, PHASE_CHECK, ImportJob
from .reader import ImportFailed, ImportResult, ProgressCallback, file_sha256

if TYPE_CHECKING:
    from django.core.files import File

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes

MSG_NO_RIGHT = "Bạn không có quyền nhập dữ liệu (cần vai trò cán bộ của một đơn vị đang hoạt động)."
MSG_NOT_YOURS = "Chỉ người đã tải tệp lên mới được nhập dữ liệu từ tệp này."
MSG_NOT_VALIDATED = "Tệp chưa được kiểm tra hợp lệ hoặc đã được nhập; không thể nhập lại."
MSG_CRASHED = (
    "Lỗi hệ thống khi nhập dữ liệu; không có thay đổi nào được lưu. Hãy thử lại hoặc báo quản trị viên."
)


def importers() -> dict[str, Any]:
    """The registry of ``congdoan import`` (one entry per kind of file)."""
    module = importlib.import_module("congdoan.imports.management.commands.import")
    return dict(module.IMPORTERS)


# -- upload --------------------------------------------------------------------------------------


def sheet_names(fh: File) -> list[str]:
    """The sheets of an XLSX/XLS/ODS file (after the reader's zip-bomb checks); [] for CSV or a file the
    validation will refuse anyway."""
    from python_calamine import CalamineError, CalamineWorkbook

    from .reader import _sniff_kind

    try:
        fh.seek(0)
        size = fh.size
        if _sniff_kind(fh, str(fh.name), size) == "csv":  # type: ignore[arg-type]
            return []
        fh.seek(0)
        return [str(n) for n in CalamineWorkbook.from_filelike(fh).sheet_names]
    except (ImportFailed, CalamineError, OSError, ValueError):
        return []
    finally:
        fh.seek(0)


def job_create(*, actor: Any, kind: str, upload: UploadedFile, sheet: str = "") -> ImportJob:
    """Store the uploaded file as a new job of ``actor`` (not yet checked: see :func:`job_validate`)."""
    if kind not in importers() or kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": f"Không có loại dữ liệu «{kind}»."})
    scope = scope_for(actor)
    if not scope.can_write_anything:
        raise PermissionDenied(MSG_NO_RIGHT)
    name = Path(str(upload.name or "tep")).name[:255] or "tep"
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError(
            {"file": f"Tệp «{name}» không phải tệp CSV, XLSX, XLS hoặc ODS; hãy chọn đúng tệp danh sách."}
        )
    writable = [r.unit_id for r in scope.roots if r.writable]
    job = ImportJob(
        kind=kind,
        user=actor,
        original_name=name,
        sheet=(sheet or "").strip()[:255],
        unit_id=writable[0] if writable else None,
        size=upload.size or 0,
    )
    job.file.save(name, upload, save=False)
    job.save()
    with job.file.storage.open(str(job.file.name), "rb") as fh:
        fh.name = name
        job.sha256 = file_sha256(fh)  # type: ignore[arg-type]
        job.sheets = sheet_names(fh)
    job.save(update_fields=["sha256", "sheets"])
    return job


# -- validate --------------------------------------------------------------------------------------


def _run(job: ImportJob, *, dry_run: bool, progress: ProgressCallback | None) -> ImportResult:
    run = import_string(importers()[job.kind].run)
    with job.file.storage.open(str(job.file.name), "rb") as fh:
        fh.name = job.original_name  # what the importer names the file in its audit entry
        result: ImportResult = run(
            actor=job.user,
            path_or_file=fh,
            sheet=job.sheet or None,
            dry_run=dry_run,
            progress=progress,
        )
    return result


def _store(job: ImportJob, result: ImportResult) -> None:
    job.errors = [
        {"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:MAX_STORED_ERRORS]
    ]
    job.error_count = len(result.errors)
    job.created_count = result.created
    job.updated_count = result.updated
    job.unchanged_count = result.unchanged
    if result.sha256:
        job.sha256 = result.sha256


def job_validate(*, job: ImportJob) -> ImportJob:
    """Run the importer as a dry run now: the preview counts, or every error by row and column.

    A spreadsheet with several sheets and none chosen stays ``uploaded`` (``job.needs_sheet``)."""
    if job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATED, ImportJob.Status.INVALID):
        raise ValidationError(MSG_NOT_VALIDATED)
    if job.needs_sheet:
        return job
    result = _run(job, dry_run=True, progress=None)
    _store(job, result)
    job.status = ImportJob.Status.INVALID if result.errors else ImportJob.Status.VALIDATED
    job.validated_at = timezone.now()
    job.save()
    return job


def job_choose_sheet(*, actor: Any, job: ImportJob, sheet: str) -> ImportJob:
    """Pick the sheet of a multi-sheet file, then validate it."""
    if job.user_id != actor.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    if job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATED, ImportJob.Status.INVALID):
        raise ValidationError(MSG_NOT_VALIDATED)
    if sheet not in job.sheets:
        listing = ", ".join(f"«{n}»" for n in job.sheets)
        raise ValidationError(
            {"sheet": f"Không có trang tính «{sheet}». Các trang tính trong tệp: {listing}."}
        )
    job.sheet = sheet
    job.status = ImportJob.Status.UPLOADED
    job.save(update_fields=["sheet", "status"])
    return job_validate(job=job)


# -- commit --------------------------------------------------------------------------------------


def job_commit(*, actor: Any, job: ImportJob) -> ImportJob:
    """Queue the real import of a validated job of ``actor``; the worker runs :func:`job_run`."""
    from .tasks import run_import

    if job.user_id != actor.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    claimed = ImportJob.objects.filter(pk=job.pk, user=actor, status=ImportJob.Status.VALIDATED).update(
        status=ImportJob.Status.QUEUED, phase="", progress_done=0, progress_total=None
    )
    if not claimed:
        raise ValidationError(MSG_NOT_VALIDATED)
    try:
        task_result = run_import.enqueue(job_id=job.pk)
    except Exception:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.VALIDATED
        )
        raise
    # The immediate backend (tests) has already run it; the row keeps whatever the task wrote.
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(task_result.id)[:64])
    job.refresh_from_db()
    return job


class JobProgress:
    """The ``progress(done, total)`` callback of a running job: writes the row at most every
    :data:`PROGRESS_INTERVAL` seconds, at each change of phase and at the end of each pass.

    ``label`` is the phase; the members importer sets it to "Đang ghi" for its write pass."""

    def __init__(self, job_id: int, *, interval: float = PROGRESS_INTERVAL) -> None:
        self.job_id = job_id
        self.interval = interval
        self.label = PHASE_CHECK
        self.writes = 0
        self._written: tuple[int, int | None, str] | None = None
        self._last = 0.0
        self._conn: BaseDatabaseWrapper | None = None

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        last_label = self._written[2] if self._written else None
        if last_label == self.label and done != total and now - self._last < self.interval:
            return
        self._last = now
        self.write(done, total)

    def write(self, done: int, total: int | None) -> None:
        state = (done, total, self.label)
        if state == self._written:
            return
        self._written = state
        self.writes += 1
        if connection.vendor == "sqlite":
            ImportJob.objects.filter(pk=self.job_id).update(
                progress_done=done, progress_total=total, phase=self.label
            )
            return
        if self._conn is None:
            self._conn = connections.create_connection(DEFAULT_DB_ALIAS)
        meta = ImportJob._meta
        qn = self._conn.ops.quote_name
        columns = [
            str(getattr(meta.get_field(f), "column", f)) for f in ("progress_done", "progress_total", "phase")
        ]
        sets = ", ".join(f"{qn(c)} = %s" for c in columns)
        sql = (
            f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(str(meta.pk.column if meta.pk else 'id'))} = %s"
        )
        with self._conn.cursor() as cursor:
            cursor.execute(sql, [done, total, self.label, self.job_id])

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def job_run(*, job_id: int) -> dict[str, Any]:
    """The background task's body: import the job's file for real, with progress on the job row."""
    started = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=started, phase=PHASE_CHECK, progress_done=0
    )
    if not claimed:
        return {"job": job_id, "status": "skipped"}
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    progress = JobProgress(job_id)
    try:
        result = _run(job, dry_run=False, progress=progress)
    except Exception:
        logger.exception("Import job %s crashed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            finished_at=timezone.now(),
            errors=[{"row": 0, "column": "", "message": MSG_CRASHED}],
            error_count=1,
        )
        raise
    finally:
        progress.close()
    job.refresh_from_db()
    _store(job, result)
    job.status = ImportJob.Status.FAILED if result.errors else ImportJob.Status.DONE
    if not result.errors:
        job.progress_done = job.progress_total = job.total_rows
    job.finished_at = timezone.now()
    job.save()
    return {"job": job_id, "status": job.status, "created": result.created, "updated": result.updated}


# -- reads -----------------------------------------------------------------------------------------


def jobs_for(user: Any) -> Any:
    """The jobs ``user`` may see: their own (a superuser sees all)."""
    qs = ImportJob.objects.select_related("user", "unit")
    if is_global(user):
        return qs
    return qs.filter(user_id=user.pk)
