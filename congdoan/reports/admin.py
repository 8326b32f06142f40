from django.contrib import admin

from .models import GeneratedReport, ReportDeadline, ReportTemplate


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "unit",
        "period",
        "format",
        "status",
        "created_by",
        "created_at",
        "duration_ms",
    ]
    list_filter = ["format", "status"]
    search_fields = ["file_name", "unit__code", "unit__name"]
    raw_id_fields = ["unit", "created_by", "template"]
    readonly_fields = ["created_at", "finished_at", "task_id", "size", "duration_ms"]


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    """Uploads go through the checked page (/bao-cao/mau/); here a template can be renamed or retired."""

    list_display = ["name", "unit", "is_active", "uploaded_by", "uploaded_at"]
    list_filter = ["is_active"]
    raw_id_fields = ["unit", "uploaded_by"]
    readonly_fields = ["file", "original_name", "sha256", "variables", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(admin.ModelAdmin):
    """The report calendar: one row per report form, period and level that submits it."""

    list_display = ["title", "period", "unit_type", "due_on", "issued_by", "note"]
    list_filter = ["kind", "unit_type", "period"]
    search_fields = ["title", "note", "period"]
    raw_id_fields = ["issued_by"]
    date_hierarchy = "due_on"
