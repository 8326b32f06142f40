"""Key tasks (nhiệm vụ trọng tâm) of a unit for a period: from the congress resolution or the year's
programme, with an owner, a start and a deadline, a status and the evidence of completion. A task may be
handed down by an upper unit to a unit under it (``assigned_by``), optionally as its part of one of the
upper unit's own tasks (``parent``). A task counts in the period holding its deadline."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from congdoan.org.models import OrgUnit


class TaskSource(models.TextChoices):
    RESOLUTION = "resolution", "Nghị quyết Đại hội"
    PROGRAMME = "programme", "Chương trình công tác năm"
    UPPER = "upper", "Công đoàn cấp trên giao"
    OTHER = "other", "Khác"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    CANCELLED = "cancelled", "Hủy bỏ"


# States in which a task is still to be done (counted as open, overdue after its deadline).
PENDING = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


def evidence_path(instance: KeyTask, filename: str) -> str:
    return f"plans/evidence/{instance.unit_id}/{filename}"


class KeyTask(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị thực hiện", on_delete=models.PROTECT, related_name="key_tasks"
    )
    assigned_by = models.ForeignKey(
        OrgUnit,
        verbose_name="đơn vị giao",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_tasks_handed",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="nhiệm vụ của cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handed",
    )
    title = models.CharField("nhiệm vụ", max_length=300)
    description = models.TextField("nội dung", blank=True)
    source = models.CharField(
        "căn cứ", max_length=16, choices=TaskSource.choices, default=TaskSource.PROGRAMME
    )
    owner = models.CharField("người phụ trách", max_length=200, blank=True)
    start_on = models.DateField("ngày bắt đầu")
    deadline = models.DateField("hạn hoàn thành")
    status = models.CharField(
        "trạng thái", max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    evidence = models.TextField("minh chứng", blank=True)
    evidence_file = models.FileField("tệp minh chứng", upload_to=evidence_path, blank=True, max_length=300)
    cancel_reason = models.CharField("lý do hủy", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "nhiệm vụ trọng tâm"
        verbose_name_plural = "nhiệm vụ trọng tâm"
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["unit", "deadline"], name="keytask_unit_deadline_idx"),
            models.Index(fields=["deadline", "status"], name="keytask_deadline_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING
