"""Shared kernel models: the audit trail."""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One change to a record that matters, written by the service in the same transaction.

    ``unit`` is the org unit the change belongs to, so the trail can be scoped like everything else.
    A bulk import writes one entry per job (``object_type`` = the job kind, ``after`` = counts).
    """

    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Sửa"
        MOVE = "move", "Chuyển đơn vị cấp trên"
        MERGE = "merge", "Hợp nhất"
        DISSOLVE = "dissolve", "Giải thể"
        DELETE = "delete", "Xóa"
        IMPORT = "import", "Nhập dữ liệu"
        EXPORT = "export", "Xuất dữ liệu"

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("thao tác", max_length=16, choices=Action.choices)
    object_type = models.CharField("loại đối tượng", max_length=40)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=255, blank=True)
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.object_repr}"
