"""Workers' conferences (Hội nghị người lao động), civil servants' conferences (Hội nghị CB,CC,VC) and
workplace dialogues (đối thoại tại nơi làm việc), recorded at the grassroots union of the enterprise or
public body (domain.md §5)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from congdoan.org.models import Employer, OrgUnit


class ConferenceKind(models.TextChoices):
    WORKERS = "workers", "Hội nghị người lao động"
    CIVIL = "civil", "Hội nghị cán bộ, công chức, viên chức"
    DIALOGUE_PERIODIC = "dialogue_periodic", "Đối thoại định kỳ"
    DIALOGUE_REQUEST = "dialogue_request", "Đối thoại theo yêu cầu"
    DIALOGUE_EVENT = "dialogue_event", "Đối thoại khi có vụ việc"


DIALOGUE_KINDS: tuple[str, ...] = (
    ConferenceKind.DIALOGUE_PERIODIC,
    ConferenceKind.DIALOGUE_REQUEST,
    ConferenceKind.DIALOGUE_EVENT,
)
# Held once a year per unit: a second one in the same year is a duplicate.
ANNUAL_KINDS: tuple[str, ...] = (ConferenceKind.WORKERS, ConferenceKind.CIVIL)


class Conference(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="công đoàn cơ sở", on_delete=models.PROTECT, related_name="conferences"
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name="đơn vị sử dụng lao động",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    kind = models.CharField("loại", max_length=24, choices=ConferenceKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    held_on = models.DateField("ngày tổ chức")
    employer_side = models.PositiveSmallIntegerField("số người phía người sử dụng lao động", default=0)
    employee_side = models.PositiveSmallIntegerField("số người phía người lao động", default=0)
    notes = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hội nghị, đối thoại"
        verbose_name_plural = "hội nghị, đối thoại"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "kind", "held_on"], name="conference_unit_kind_idx"),
            models.Index(fields=["held_on", "kind"], name="conference_held_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year"],
                condition=Q(kind__in=["workers", "civil"]),
                name="conference_annual_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.unit.name} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("conferences:detail", args=[self.pk])

    @property
    def is_dialogue(self) -> bool:
        return self.kind in DIALOGUE_KINDS
