"""Generated report files (one row per request: queued → running → done | failed) and the Word
templates administrators upload for their federation."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from congdoan.org.models import UnitType


def report_upload_to(instance: GeneratedReport, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:8]
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def template_upload_to(instance: ReportTemplate, filename: str) -> str:
    return f"report_templates/{uuid.uuid4().hex}.docx"


class GeneratedReport(models.Model):
    """A report file generated for a unit and period, by whom and when; downloadable again."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Báo cáo tổng kết / sơ kết"

    class Format(models.TextChoices):
        DOCX = "docx", "Word (.docx)"
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Biểu thống kê Excel (.xlsx)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Hoàn tất"
        FAILED = "failed", "Không thành công"

    unit = models.ForeignKey("org.OrgUnit", verbose_name="đơn vị", on_delete=models.CASCADE, related_name="+")
    period = models.CharField("kỳ báo cáo", max_length=9)
    kind = models.CharField("loại báo cáo", max_length=16, choices=Kind.choices, default=Kind.ANNUAL)
    format = models.CharField("định dạng", max_length=8, choices=Format.choices)
    template = models.ForeignKey(
        "ReportTemplate",
        verbose_name="mẫu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    file = models.FileField("tệp", upload_to=report_upload_to, max_length=255, blank=True)
    file_name = models.CharField("tên tệp", max_length=255, blank=True)
    size = models.BigIntegerField("dung lượng (byte)", default=0)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    phase = models.CharField("giai đoạn", max_length=60, blank=True)
    error = models.TextField("lỗi", blank=True)
    duration_ms = models.PositiveIntegerField("thời gian tạo (ms)", null=True, blank=True)
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tệp báo cáo"
        verbose_name_plural = "tệp báo cáo"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="reports_generated_unit_recent")]

    def __str__(self) -> str:
        return self.file_name or f"{self.unit} – {self.period} ({self.format})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ReportTemplate(models.Model):
    """A Word template (docxtpl) uploaded by an administrator; validated before it is stored."""

    name = models.CharField("tên mẫu", max_length=255)
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name="dùng cho đơn vị (và cấp dưới)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Để trống: mọi đơn vị dùng được.",
    )
    file = models.FileField("tệp mẫu (.docx)", upload_to=template_upload_to, max_length=255)
    original_name = models.CharField("tên tệp gốc", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    variables = models.JSONField("các biến dùng trong mẫu", default=list, blank=True)
    is_active = models.BooleanField("đang dùng", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "mẫu báo cáo"
        verbose_name_plural = "mẫu báo cáo"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ReportDeadline(models.Model):
    """When a report is due: a report form for a period, due on a day for the units of one level
    (unit type). Set by a federation (``issued_by``, for its subtree) or for everybody (empty); the home
    page reminds the units of that level before the day and after it while their report is missing."""

    kind = models.CharField(
        "loại báo cáo",
        max_length=16,
        choices=GeneratedReport.Kind.choices,
        default=GeneratedReport.Kind.ANNUAL,
    )
    title = models.CharField("tên báo cáo", max_length=200, help_text="Ví dụ: Báo cáo tổng kết năm 2025.")
    period = models.CharField("kỳ báo cáo", max_length=9, help_text="2025, 2025S1, 2025Q3, 202507 …")
    unit_type = models.CharField(
        "cấp đơn vị nộp", max_length=16, choices=[(k, v) for k, v in UnitType.choices]
    )
    due_on = models.DateField("hạn nộp")
    issued_by = models.ForeignKey(
        "org.OrgUnit",
        verbose_name="đơn vị giao",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Để trống: áp dụng cho mọi đơn vị.",
    )
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "hạn nộp báo cáo"
        verbose_name_plural = "hạn nộp báo cáo"
        ordering = ["due_on", "unit_type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "unit_type", "issued_by"], name="reports_deadline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.get_unit_type_display()} – hạn {self.due_on:%d/%m/%Y}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from congdoan.core.periods import PeriodError, parse_period

        try:
            self.period = parse_period(self.period).code
        except PeriodError as exc:
            raise ValidationError({"period": str(exc)}) from None
