"""The table of key tasks."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from congdoan.core.formatting import format_date

from .models import KeyTask, TaskStatus

TEMPLATE = "django_tables2/congdoan.html"
ATTRS = {"class": "table table-sm table-hover align-middle key-tasks"}
TONES: dict[str, str] = {
    TaskStatus.OPEN: "secondary",
    TaskStatus.IN_PROGRESS: "primary",
    TaskStatus.DONE: "success",
    TaskStatus.CANCELLED: "light",
}


def status_badge(task: KeyTask, today: object = None) -> SafeString:
    day = today or timezone.localdate()
    late = task.is_pending and task.deadline < day  # type: ignore[operator]
    tone = "danger" if late else TONES.get(task.status, "secondary")
    label = f"{task.get_status_display()} · quá hạn" if late else task.get_status_display()
    return format_html('<span class="badge text-bg-{} task-status">{}</span>', tone, label)


class TaskTable(tables.Table):
    title = tables.Column(verbose_name="Nhiệm vụ")
    unit = tables.Column(verbose_name="Đơn vị thực hiện", order_by=("unit__name", "deadline"))
    assigned_by = tables.Column(verbose_name="Đơn vị giao", default="—", order_by=("assigned_by__name",))
    owner = tables.Column(verbose_name="Phụ trách", default="—")
    start_on = tables.Column(verbose_name="Bắt đầu")
    deadline = tables.Column(verbose_name="Hạn")
    status = tables.Column(verbose_name="Trạng thái")

    class Meta:
        model = KeyTask
        fields = ("title", "unit", "assigned_by", "owner", "start_on", "deadline", "status")
        template_name = TEMPLATE
        attrs = ATTRS
        empty_text = "Không có nhiệm vụ trọng tâm nào."

    def render_title(self, record: KeyTask) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_unit(self, record: KeyTask) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.unit.get_absolute_url(), record.unit.name)

    def render_assigned_by(self, record: KeyTask) -> str:
        return record.assigned_by.name if record.assigned_by else "—"

    def render_start_on(self, record: KeyTask) -> str:
        return format_date(record.start_on)

    def render_deadline(self, record: KeyTask) -> str:
        return format_date(record.deadline)

    def render_status(self, record: KeyTask) -> SafeString:
        return status_badge(record)
