"""Import jobs from the web and the API: upload → validate (a dry run, synchronous) → commit (a task).

The importers themselves are the ones ``congdoan import`` runs, registered by their apps
(``core.registry.register_importer``): ``run(*, actor, path_or_file, sheet, dry_run, progress) ->
ImportResult``. A job only adds the stored file, the preview, and the progress of the commit, which
runs in the background worker (``congdoan db_worker``; inline in tests).

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

import datetime as dt
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.utils import timezone

from congdoan.accounts.permissions import is_global
from congdoan.accounts.scope import scope_for
from congdoan.core import registry
from congdoan.core.models import AuditEntry
from congdoan.core.registry import Importer

from .models import MAX_ATTEMPTS, MAX_STORED_ERRORS, PHASE_CHECK, ImportJob
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
MSG_WORKER_LOST = (
    "Tiến trình nền đã dừng đột ngột {attempts} lần khi đang nhập tệp này; không có thay đổi nào được lưu. "
    "Hãy báo quản trị viên kiểm tra tiến trình nền rồi tải tệp lên lại."
)
MSG_NOT_CANCELLABLE = "Chỉ hủy được tệp chưa nhập (đang chờ kiểm tra, hợp lệ hoặc có lỗi)."


def importers() -> dict[str, Importer]:
    """The kinds of file the upload page and the API accept (``core.registry``; ``congdoan import``
    also runs the CLI-only kinds)."""
    return registry.importers(web=True)


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


def job_create(
    *,
    actor: Any,
    kind: str,
    upload: UploadedFile,
    sheet: str = "",
    return_url: str = "",
    return_label: str = "",
) -> ImportJob:
    """Store the uploaded file as a new job of ``actor`` (not yet checked: see :func:`job_validate`).

    ``return_url``/``return_label``: the page of another app the upload started from (the targets
    grid); the job's page links back to it. Only a path on this site is kept."""
    if kind not in importers():
        raise ValidationError({"kind": f"Không có loại dữ liệu «{kind}»."})
    if not return_url.startswith("/") or return_url.startswith("//") or "\\" in return_url:
        return_url = return_label = ""
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
        return_url=return_url[:1000],
        return_label=return_label[:100],
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
    run = registry.importers()[job.kind].run
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
    if job.status == ImportJob.Status.INVALID:
        file_delete(job)  # a refused file is never imported: keep its errors, not its personal data
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
        status=ImportJob.Status.RUNNING,
        started_at=started,
        phase=PHASE_CHECK,
        progress_done=0,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return {"job": job_id, "status": "skipped"}
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    progress = JobProgress(job_id)
    try:
        result = _run(job, dry_run=False, progress=progress)
    except OperationalError as exc:
        # "database is locked" while writing: the import's transaction rolled back, so run it again.
        if "locked" not in str(exc).lower() or job.attempts + 1 >= MAX_ATTEMPTS:
            _fail_crashed(job)
            raise
        logger.warning("Import job %s: database busy, queued again: %s", job_id, exc)
        job.status, job.task_id = ImportJob.Status.RUNNING, ImportJob.objects.get(pk=job_id).task_id
        _requeue(job)
        return {"job": job_id, "status": "requeued"}
    except Exception:
        _fail_crashed(job)
        raise
    finally:
        progress.close()
    job.refresh_from_db()
    _store(job, result)
    job.status = ImportJob.Status.FAILED if result.errors else ImportJob.Status.DONE
    if not result.errors:
        job.progress_done = job.progress_total = job.total_rows
    job.finished_at = timezone.now()
    # The data is committed: a busy SQLite must not leave the row "running". If it still fails, the
    # worker's recovery finds the import's audit entry and finishes the row (jobs_recover).
    _retry_locked(job.save)
    if job.status == ImportJob.Status.FAILED:
        file_delete(job)
    return {"job": job_id, "status": job.status, "created": result.created, "updated": result.updated}


def _fail_crashed(job: ImportJob) -> None:
    logger.exception("Import job %s crashed", job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED,
        finished_at=timezone.now(),
        errors=[{"row": 0, "column": "", "message": MSG_CRASHED}],
        error_count=1,
    )
    file_delete(job)


def _retry_locked(write: Any, *, attempts: int = 5, pause: float = 0.5) -> None:
    for attempt in range(1, attempts + 1):
        try:
            write()
            return
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or attempt == attempts:
                raise
            time.sleep(pause * attempt)


# -- recovery (called by the worker at start and every minute) ------------------------------------


def _task_states(task_ids: list[str]) -> dict[str, str]:
    """``{task id: status}`` of django-tasks-db's results (a missing id: the result was pruned)."""
    import uuid

    from django_tasks_db.models import DBTaskResult

    valid = []
    for task_id in task_ids:
        try:
            valid.append(uuid.UUID(task_id))
        except ValueError:
            continue
    rows = DBTaskResult.objects.filter(pk__in=valid).values_list("pk", "status")
    return {str(pk): status for pk, status in rows}


def _committed_entry(job: ImportJob) -> AuditEntry | None:
    """The audit entry the importer writes in the same transaction as the data: proof that a job whose
    worker died had committed (the entry holds the counts)."""
    if not job.sha256 or job.started_at is None:
        return None
    entries = AuditEntry.objects.filter(
        action=AuditEntry.Action.IMPORT,
        object_type=f"import.{job.kind}",
        after__sha256=job.sha256,
        at__gte=job.started_at,
    )
    if getattr(job.user, "is_authenticated", False):
        entries = entries.filter(actor_id=job.user_id)
    return entries.order_by("at", "pk").first()


def jobs_recover(*, now: Any = None) -> dict[str, list[int]]:
    """Finish the jobs left ``queued`` or ``running`` whose task is over (failed, lost with a dead worker,
    or pruned). An import commits all-or-nothing with its audit entry, so:

    - an audit entry of this file since the start: the import went through → ``done`` with its counts;
    - none: nothing was stored, and imports are idempotent → re-queued, at most :data:`MAX_ATTEMPTS`
      runs; then ``failed`` with a Vietnamese message (and the file is deleted)."""
    from .selectors import stale_after, uses_database_queue

    outcome: dict[str, list[int]] = {"done": [], "requeued": [], "failed": []}
    if not uses_database_queue():  # the immediate backend runs jobs at enqueue time: nothing can hang
        return outcome
    now = now or timezone.now()
    jobs = list(
        ImportJob.objects.filter(
            status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
        ).select_related("user")
    )
    states = _task_states([j.task_id for j in jobs if j.task_id])
    for job in jobs:
        state = states.get(job.task_id)
        if state in ("READY", "RUNNING"):
            continue  # waiting for a worker, or run by a live one
        if not job.task_id and (job.validated_at or job.created_at) > now - stale_after():
            continue  # job_commit is between its two writes
        entry = _committed_entry(job) if job.status == ImportJob.Status.RUNNING else None
        if entry is not None:
            after = entry.after or {}
            total = (
                int(after.get("created", 0)) + int(after.get("updated", 0)) + int(after.get("unchanged", 0))
            )
            if ImportJob.objects.filter(pk=job.pk, status=job.status, task_id=job.task_id).update(
                status=ImportJob.Status.DONE,
                created_count=int(after.get("created", 0)),
                updated_count=int(after.get("updated", 0)),
                unchanged_count=int(after.get("unchanged", 0)),
                progress_done=total,
                progress_total=total,
                finished_at=now,
            ):
                outcome["done"].append(job.pk)
        elif job.attempts >= MAX_ATTEMPTS:
            message = MSG_WORKER_LOST.format(attempts=job.attempts)
            if ImportJob.objects.filter(pk=job.pk, status=job.status, task_id=job.task_id).update(
                status=ImportJob.Status.FAILED,
                finished_at=now,
                errors=[{"row": 0, "column": "", "message": message}],
                error_count=1,
            ):
                file_delete(job)
                outcome["failed"].append(job.pk)
        elif _requeue(job):
            outcome["requeued"].append(job.pk)
    for key, ids in outcome.items():
        if ids:
            logger.warning("Recovered import jobs (%s): %s", key, ids)
    return outcome


def _requeue(job: ImportJob) -> bool:
    from .tasks import run_import

    claimed = ImportJob.objects.filter(pk=job.pk, status=job.status, task_id=job.task_id).update(
        status=ImportJob.Status.QUEUED, phase="", progress_done=0, progress_total=None, task_id=""
    )
    if not claimed:
        return False  # another worker's recovery got there first
    task_result = run_import.enqueue(job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(task_result.id)[:64])
    return True


# -- cancel and files ---------------------------------------------------------------------------------


def job_cancel(*, actor: Any, job: ImportJob) -> ImportJob:
    """The uploader gives up a job not yet committed: it is marked cancelled and its file deleted."""
    if job.user_id != actor.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    cancellable = [ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATED, ImportJob.Status.INVALID]
    if not ImportJob.objects.filter(pk=job.pk, status__in=cancellable).update(
        status=ImportJob.Status.CANCELLED, finished_at=timezone.now()
    ):
        raise ValidationError(MSG_NOT_CANCELLABLE)
    job.refresh_from_db()
    file_delete(job)
    return job


def file_delete(job: ImportJob) -> None:
    """Delete the stored upload of ``job`` (kept: the name, SHA-256, counts and errors)."""
    if not job.file:
        return
    name = str(job.file.name)
    try:
        job.file.storage.delete(name)
    except OSError:
        logger.exception("Could not delete the upload %s of import job %s", name, job.pk)
        return
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(file="", file_deleted_at=now)
    job.file.name = ""
    job.file_deleted_at = now


def retention_days() -> int:
    return int(getattr(settings, "IMPORT_FILE_RETENTION_DAYS", 30))


ORPHAN_GRACE = dt.timedelta(hours=1)  # a file younger than this may belong to an upload in progress


def files_cleanup(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Enforce the retention of uploads (``congdoan imports_cleanup``; the worker runs it every hour):

    - files of refused, failed or cancelled jobs (normally deleted at once; a crash may leave them);
    - files of every other job uploaded more than ``IMPORT_FILE_RETENTION_DAYS`` days ago, except while
      it is queued or running; a job never committed becomes ``cancelled``;
    - files under ``imports/`` that no job names (orphans), older than an hour.
    """
    now = now or timezone.now()
    counts = {"refused": 0, "expired": 0, "orphans": 0}
    ended = [ImportJob.Status.INVALID, ImportJob.Status.FAILED, ImportJob.Status.CANCELLED]
    with_file = ImportJob.objects.exclude(file="")
    for job in with_file.filter(status__in=ended):
        counts["refused"] += 1
        if not dry_run:
            file_delete(job)
    cutoff = now - dt.timedelta(days=retention_days())
    expired = with_file.filter(created_at__lt=cutoff).exclude(
        status__in=[*ended, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    )
    for job in expired:
        counts["expired"] += 1
        if dry_run:
            continue
        ImportJob.objects.filter(
            pk=job.pk, status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATED]
        ).update(status=ImportJob.Status.CANCELLED, finished_at=now)
        file_delete(job)
    known = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    storage = ImportJob._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in _stored_files(storage, "imports"):
        if name in known:
            continue
        try:
            if storage.get_modified_time(name) > now - ORPHAN_GRACE:
                continue
        except (OSError, NotImplementedError):
            continue
        counts["orphans"] += 1
        if not dry_run:
            storage.delete(name)
    if any(counts.values()):
        logger.info("Import files cleanup: %s", counts)
    return counts


def _stored_files(storage: Any, folder: str) -> list[str]:
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{folder}/{f}" for f in files]
    for sub in dirs:
        names.extend(_stored_files(storage, f"{folder}/{sub}"))
    return names


# -- reads -----------------------------------------------------------------------------------------


def jobs_for(user: Any) -> Any:
    """The jobs ``user`` may see: their own (a superuser sees all)."""
    qs = ImportJob.objects.select_related("user", "unit")
    if is_global(user):
        return qs
    return qs.filter(user_id=user.pk)
