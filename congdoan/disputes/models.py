"""Labour disputes and collective stoppages (tranh chấp lao động tập thể, ngừng việc tập thể) at
employers: workers involved, demands, the union's role, mediation steps, outcome and dates; and the
worker-sentiment notes (tình hình tư tưởng) per enterprise, with a risk flag, that aim to prevent them."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from congdoan.org.models import Employer, OrgUnit


class DisputeKind(models.TextChoices):
    DISPUTE = "dispute", "Tranh chấp lao động tập thể"
    STOPPAGE = "stoppage", "Ngừng việc tập thể"


class Outcome(models.TextChoices):
    PENDING = "pending", "Đang giải quyết"
    RESOLVED = "resolved", "Đã giải quyết"
    PARTLY = "partly", "Giải quyết một phần"
    FAILED = "failed", "Không thành"


class Dispute(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="công đoàn theo dõi", on_delete=models.PROTECT, related_name="disputes"
    )
    employer = models.ForeignKey(
        Employer, verbose_name="đơn vị sử dụng lao động", on_delete=models.PROTECT, related_name="disputes"
    )
    kind = models.CharField("loại vụ việc", max_length=12, choices=DisputeKind.choices)
    began_on = models.DateField("ngày xảy ra")
    ended_on = models.DateField("ngày kết thúc", null=True, blank=True)
    workers = models.PositiveIntegerField("số người lao động tham gia")
    demands = models.TextField("yêu cầu của người lao động")
    union_role = models.TextField("vai trò của công đoàn", blank=True)
    outcome = models.CharField("kết quả", max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    result = models.TextField("kết quả giải quyết", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tranh chấp, ngừng việc tập thể"
        verbose_name_plural = "tranh chấp, ngừng việc tập thể"
        ordering = ["-began_on", "-id"]
        indexes = [models.Index(fields=["unit", "began_on"], name="dispute_unit_began_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} tại {self.employer.name}"

    def get_absolute_url(self) -> str:
        return reverse("disputes:detail", args=[self.pk])


class MediationStep(models.Model):
    """One step of the union's mediation of a dispute (dialogue, meeting, conciliation …)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="steps")
    held_on = models.DateField("ngày")
    action = models.TextField("nội dung")
    by = models.CharField("người, cơ quan thực hiện", max_length=255, blank=True)
    result = models.TextField("kết quả", blank=True)

    class Meta:
        verbose_name = "bước hòa giải"
        verbose_name_plural = "bước hòa giải"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return self.action[:60]


class SentimentNote(models.Model):
    """What the union heard of the workers' mood at an enterprise, with a risk flag (nguy cơ ngừng việc)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="công đoàn theo dõi", on_delete=models.PROTECT, related_name="sentiment_notes"
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name="đơn vị sử dụng lao động",
        on_delete=models.PROTECT,
        related_name="sentiment_notes",
    )
    noted_on = models.DateField("ngày ghi nhận")
    note = models.TextField("tình hình tư tưởng người lao động")
    at_risk = models.BooleanField("có nguy cơ tranh chấp, ngừng việc", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tình hình tư tưởng người lao động"
        verbose_name_plural = "tình hình tư tưởng người lao động"
        ordering = ["-noted_on", "-id"]
        indexes = [models.Index(fields=["unit", "noted_on"], name="sentiment_unit_noted_idx")]

    def __str__(self) -> str:
        return f"Tình hình tư tưởng tại {self.employer.name}"

    def get_absolute_url(self) -> str:
        return reverse("disputes:sentiment_list") + f"?employer={self.employer_id}"
