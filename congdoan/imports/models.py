"""Import jobs: one uploaded file, its preview (a dry run) and its commit (a background task).

Status: ``uploaded`` → ``validated`` | ``invalid``; ``validated`` → ``queued`` → ``running`` →
``done`` | ``failed``; ``uploaded`` | ``validated`` | ``invalid`` → ``cancelled``. A job waits in
``uploaded`` while the user picks one of several sheets. A job whose worker died is put back to
``queued`` (at most :data:`MAX_ATTEMPTS` runs) or failed with a message (see ``services.jobs_recover``).
Progress (rows of the current phase, and the phase) lives on the row so any web process can show it.

The uploaded file holds personal data (CCCD, birth dates): it is deleted as soon as the job is refused,
cancelled or failed, and a done job's file after ``IMPORT_FILE_RETENTION_DAYS`` (``file_deleted_at``).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from congdoan.core.registry import importer_choices

MAX_STORED_ERRORS = 1_000

# Share of the bar given to the first (reading / checking) pass, per kind; the rest is the write pass.
# The unit import reports progress only while reading (its write is a few bulk statements).
FIRST_PASS_SHARE = {"units": 90, "members": 50}

# Runs of one job before a dying worker fails it for good (a file that kills the worker must not loop).
MAX_ATTEMPTS = 3


def upload_to(instance: ImportJob, filename: str) -> str:
    """``imports/2025/08/<random>.xlsx``: never the user's file name (kept in ``original_name``)."""
    suffix = Path(filename).suffix.lower()[:8]
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Đã tải lên"
        VALIDATED = "validated", "Hợp lệ, chờ nhập"
        INVALID = "invalid", "Có lỗi"
        QUEUED = "queued", "Đang chờ xử lý"
        RUNNING = "running", "Đang nhập"
        DONE = "done", "Hoàn tất"
        FAILED = "failed", "Không thành công"
        CANCELLED = "cancelled", "Đã hủy"

    # The kinds the apps register (``core.registry.register_importer``), read when validated or shown.
    kind = models.CharField("loại dữ liệu", max_length=16, choices=importer_choices)
    file = models.FileField("tệp", upload_to=upload_to, max_length=255, blank=True)
    original_name = models.CharField("tên tệp", max_length=255)
    sheet = models.CharField("trang tính", max_length=255, blank=True)
    sheets = models.JSONField("các trang tính trong tệp", default=list, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.BigIntegerField("dung lượng (byte)", default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name="đơn vị của người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "trạng thái", max_length=16, choices=Status.choices, default=Status.UPLOADED, db_index=True
    )
    phase = models.CharField("giai đoạn", max_length=40, blank=True)
    progress_done = models.PositiveIntegerField("số dòng đã xử lý", default=0)
    progress_total = models.PositiveIntegerField("tổng số dòng", null=True, blank=True)
    created_count = models.PositiveIntegerField("tạo mới", default=0)
    updated_count = models.PositiveIntegerField("cập nhật", default=0)
    unchanged_count = models.PositiveIntegerField("không đổi", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)
    error_count = models.PositiveIntegerField("số lỗi", default=0)
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True, db_index=True)
    validated_at = models.DateTimeField("kiểm tra lúc", null=True, blank=True)
    started_at = models.DateTimeField("bắt đầu nhập lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    file_deleted_at = models.DateTimeField("đã xóa tệp lúc", null=True, blank=True)
    # The page the upload started from (the targets grid), linked from the job's page: a path on this
    # site set by our own view, never taken from the request as is.
    return_url = models.CharField("trang quay lại", max_length=1000, blank=True)
    return_label = models.CharField("tên trang quay lại", max_length=100, blank=True)

    class Meta:
        verbose_name = "lượt nhập dữ liệu"
        verbose_name_plural = "lượt nhập dữ liệu"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="imports_job_user_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("imports:detail", args=[self.pk])

    # -- state ------------------------------------------------------------------------------------
    @property
    def needs_sheet(self) -> bool:
        return self.status == self.Status.UPLOADED and not self.sheet and len(self.sheets) > 1

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED)

    @property
    def cancellable(self) -> bool:
        return self.status in (self.Status.UPLOADED, self.Status.VALIDATED, self.Status.INVALID)

    @property
    def total_rows(self) -> int:
        return self.created_count + self.updated_count + self.unchanged_count

    @property
    def percent(self) -> int:
        """0–100 over both passes (the first pass reads and checks, the second writes)."""
        if self.status == self.Status.DONE:
            return 100
        if self.status != self.Status.RUNNING or not self.progress_total:
            return 0
        share = FIRST_PASS_SHARE.get(self.kind, 50)
        fraction = min(self.progress_done, self.progress_total) / self.progress_total
        if self.phase == PHASE_WRITE:
            return min(99, share + int(fraction * (100 - share)))
        return min(99, int(fraction * share))

    def error_rows(self) -> list[dict[str, Any]]:
        return list(self.errors or [])


PHASE_CHECK = "Đang đọc và kiểm tra"
PHASE_WRITE = "Đang ghi"  # the label member_import sets on its progress callback for the write pass


class WorkerHeartbeat(models.Model):
    """One row per running ``congdoan db_worker``, refreshed every few seconds (``imports.worker``).

    A worker whose row is stale — or, on the same machine, whose process is gone — is dead: the jobs it
    was running are recovered, and the job pages say that no worker is running."""

    worker_id = models.CharField("mã tiến trình nền", max_length=64, unique=True)
    hostname = models.CharField("máy", max_length=255)
    pid = models.PositiveIntegerField("mã tiến trình")
    started_at = models.DateTimeField("bắt đầu lúc", default=timezone.now)
    last_seen_at = models.DateTimeField("lần báo gần nhất", default=timezone.now, db_index=True)
    current_task_id = models.CharField("tác vụ đang chạy", max_length=64, blank=True)

    class Meta:
        verbose_name = "tiến trình nền"
        verbose_name_plural = "tiến trình nền"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
