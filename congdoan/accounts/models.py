"""Users and their dated role assignments (user × org unit × role)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """The project's own user model (from the first migration, so it can grow without pain)."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=32, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"
    FEDERATION_OFFICER = "federation_officer", "Cán bộ LĐLĐ"
    OFFICER = "officer", "Cán bộ công đoàn cấp trên cơ sở"
    CDCS_OFFICER = "cdcs_officer", "Cán bộ công đoàn cơ sở"
    VIEWER = "viewer", "Chỉ xem"


WRITING_ROLES = frozenset({Role.ADMINISTRATOR, Role.FEDERATION_OFFICER, Role.OFFICER, Role.CDCS_OFFICER})


class RoleAssignment(models.Model):
    """``user`` acts for ``unit`` (and its subtree) with ``role`` from ``valid_from`` until ``valid_to``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    unit = models.ForeignKey("org.OrgUnit", verbose_name="đơn vị", on_delete=models.CASCADE, related_name="+")
    role = models.CharField("vai trò", max_length=24, choices=Role.choices)
    valid_from = models.DateField("từ ngày", default=dt.date(2000, 1, 1))
    valid_to = models.DateField("đến trước ngày", null=True, blank=True)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        ordering = ["user_id", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="roleassignment_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
