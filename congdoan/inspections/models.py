"""Supervision and inspection visits (giám sát, kiểm tra) of a union at employers: labour law, safety
and health, social insurance, union funding; the team, findings, recommendations raised and their
follow-up."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from congdoan.org.models import Employer, OrgUnit


class InspectionKind(models.TextChoices):
    LABOUR_LAW = "labour_law", "Thực hiện pháp luật lao động"
    SAFETY = "safety", "An toàn, vệ sinh lao động"
    SOCIAL_INSURANCE = "social_insurance", "Bảo hiểm xã hội"
    UNION_FUNDING = "union_funding", "Đóng kinh phí công đoàn"


class InspectionState(models.TextChoices):
    FOLLOWING = "following", "Đang theo dõi khắc phục"
    CLOSED = "closed", "Đã kết thúc"


class Inspection(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="công đoàn thực hiện", on_delete=models.PROTECT, related_name="inspections"
    )
    employer = models.ForeignKey(
        Employer, verbose_name="đơn vị sử dụng lao động", on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField("nội dung kiểm tra, giám sát", max_length=24, choices=InspectionKind.choices)
    held_on = models.DateField("ngày bắt đầu")
    ends_on = models.DateField("ngày kết thúc", null=True, blank=True)
    team = models.TextField("thành phần đoàn")
    findings = models.TextField("kết quả, phát hiện", blank=True)
    violations = models.BooleanField("phát hiện vi phạm", default=False)
    recommendations = models.TextField("kiến nghị đã nêu", blank=True)
    follow_up = models.TextField("kết quả theo dõi khắc phục", blank=True)
    state = models.CharField(
        "trạng thái", max_length=12, choices=InspectionState.choices, default=InspectionState.FOLLOWING
    )
    closed_on = models.DateField("ngày kết thúc theo dõi", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cuộc kiểm tra, giám sát"
        verbose_name_plural = "cuộc kiểm tra, giám sát"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "held_on"], name="inspection_unit_held_idx"),
            models.Index(fields=["employer", "held_on"], name="inspection_employer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} tại {self.employer.name}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])
