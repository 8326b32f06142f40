"""Activities of a union (hoạt động): one generic record for the many kinds of events a federation
reports — outreach, legal and officer training, culture and sports, health checks, blood drives, Tết
buses, "Bữa cơm Công đoàn" — with their sessions, participants (lượt, women among them), cost and
photos, and optional attendee lists. The kinds are configurable (admin); eight are seeded."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from congdoan.org.models import OrgUnit


class ActivityKind(models.Model):
    """A kind of activity; ``phrase`` is how the report counts it ("cuộc tuyên truyền")."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên loại hoạt động", max_length=120)
    phrase = models.CharField(
        "cách đếm trong báo cáo",
        max_length=160,
        help_text="vd. «cuộc tuyên truyền», «lớp tập huấn pháp luật»",
    )
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=100)
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "loại hoạt động"
        verbose_name_plural = "loại hoạt động"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    kind = models.ForeignKey(
        ActivityKind, verbose_name="loại hoạt động", on_delete=models.PROTECT, related_name="activities"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="activities"
    )
    held_on = models.DateField("ngày tổ chức")
    title = models.CharField("nội dung", max_length=255)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    sessions = models.PositiveIntegerField("số cuộc/buổi", default=1)
    participants = models.PositiveIntegerField("số lượt tham gia", default=0)
    women = models.PositiveIntegerField("trong đó nữ (lượt)", default=0)
    cost = models.BigIntegerField("kinh phí (đồng)", default=0)
    notes = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        ordering = ["-held_on", "-id"]
        indexes = [
            # A subtree's activities of a period (the list of a district, the indicators): the figures
            # read the index alone on PostgreSQL (the summed columns are included).
            models.Index(
                fields=["unit", "held_on"],
                name="activity_unit_held_idx",
                include=["kind", "sessions", "participants", "women", "cost"],
            ),
            # The city's whole list, newest first.
            models.Index(fields=["-held_on", "-id"], name="activity_held_desc_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(women__lte=F("participants")), name="activity_women_lte_total"
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="activity_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])


class ActivityPhoto(models.Model):
    """A photo of an activity (JPEG, PNG or WebP, checked by content)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    name = models.CharField("tên tệp", max_length=200)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ảnh hoạt động"
        verbose_name_plural = "ảnh hoạt động"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class Attendee(models.Model):
    """One person on an activity's attendee list (imported from Excel)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendees")
    full_name = models.CharField("họ và tên", max_length=120)
    cccd = models.CharField("số CCCD", max_length=12, blank=True)
    gender = models.CharField("giới tính", max_length=1, choices=Gender.choices, blank=True)
    workplace = models.CharField("nơi làm việc", max_length=255, blank=True)

    class Meta:
        verbose_name = "người tham gia"
        verbose_name_plural = "người tham gia"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "full_name", "cccd"], name="attendee_once"),
        ]

    def __str__(self) -> str:
        return self.full_name
