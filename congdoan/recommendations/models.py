"""Recommendations (kiến nghị) raised by a unit — or collected from members and workers at a dialogue or
a conference — to an upper level of the union or to an outside body (an employer, an authority: a
name), routed on, answered by the unit they are addressed to, and closed."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from congdoan.conferences.models import Conference
from congdoan.org.models import OrgUnit


class RecStatus(models.TextChoices):
    RAISED = "raised", "Đã gửi"
    ROUTED = "routed", "Đã chuyển xử lý"
    ANSWERED = "answered", "Đã trả lời"
    CLOSED = "closed", "Đã đóng"


class RecTopic(models.TextChoices):
    POLICY = "policy", "Chế độ, chính sách"
    WAGES = "wages", "Tiền lương, thu nhập"
    SAFETY = "safety", "An toàn, vệ sinh lao động"
    FINANCE = "finance", "Tài chính công đoàn"
    ORGANISATION = "organisation", "Tổ chức, hoạt động công đoàn"
    OTHER = "other", "Khác"


# Waiting for an answer: ageing runs, overdue after the due day.
WAITING = (RecStatus.RAISED, RecStatus.ROUTED)


class Recommendation(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị kiến nghị", on_delete=models.PROTECT, related_name="recommendations"
    )
    to_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="gửi công đoàn cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations_received",
    )
    to_body = models.CharField("gửi cơ quan, đơn vị ngoài công đoàn", max_length=255, blank=True)
    conference = models.ForeignKey(
        Conference,
        verbose_name="thu thập tại hội nghị, đối thoại",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    topic = models.CharField("lĩnh vực", max_length=16, choices=RecTopic.choices, default=RecTopic.POLICY)
    title = models.CharField("kiến nghị", max_length=300)
    content = models.TextField("nội dung", blank=True)
    raised_on = models.DateField("ngày gửi")
    due_on = models.DateField("hạn trả lời")
    status = models.CharField(
        "trạng thái", max_length=12, choices=RecStatus.choices, default=RecStatus.RAISED
    )
    routed_on = models.DateField("ngày chuyển", null=True, blank=True)
    route_note = models.CharField("ghi chú chuyển", max_length=300, blank=True)
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    answer = models.TextField("nội dung trả lời", blank=True)
    closed_on = models.DateField("ngày đóng", null=True, blank=True)
    close_note = models.CharField("ghi chú đóng", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kiến nghị"
        verbose_name_plural = "kiến nghị"
        ordering = ["-raised_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "raised_on"], name="rec_unit_raised_idx"),
            models.Index(fields=["to_unit", "status"], name="rec_to_unit_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    @property
    def addressee(self) -> str:
        return self.to_unit.name if self.to_unit_id and self.to_unit else self.to_body

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING
